"""Pages for a sitting committee between elections (issue 22): resignation accepted, removal with
the competent body's decision, appointment (指派) by the upper level, and the organization's history
of committees and changes with its .xlsx export (换届及调整情况)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from xuanju.forms import Form
from xuanju.organizations import vacancies
from xuanju.organizations.forms import DATE
from xuanju.organizations.models import Committee, CommitteeSeat, Member, Organization
from xuanju.organizations.scope import can_manage, can_oversee, can_read, require, user_of
from xuanju.spreadsheet import workbook_bytes
from xuanju.web import form_page, run_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ResignationForm(Form):
    on = forms.DateField(label="委员会同意辞职的日期", widget=DATE)
    document = forms.CharField(
        label="同意辞职的记录", max_length=200, help_text="如：支委会会议记录（2026年第5次），并报上级党组织"
    )


class RemovalForm(Form):
    on = forms.DateField(label="决定日期", widget=DATE)
    document = forms.CharField(
        label="有权机关的决定",
        max_length=200,
        help_text="作出撤换或罢免决定的机关和文号；系统只登记，不作决定",
    )


class AppointmentForm(Form):
    post = forms.ChoiceField(
        label="职务",
        choices=[("secretary", "书记"), ("deputy_secretary", "副书记")],
        error_messages={"invalid_choice": "上级党组织只能指派书记或副书记，委员须由选举产生"},
    )
    on = forms.DateField(label="指派日期", widget=DATE)
    decision = forms.CharField(label="指派决定文号", max_length=100)
    reason = forms.CharField(
        label="确有必要指派的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.ModelChoiceField(
            label="被指派人",
            queryset=members,
            error_messages={"invalid_choice": "请选择列表中的党员"},
        )


def _seat(pk: int) -> CommitteeSeat:
    return get_object_or_404(CommitteeSeat.objects.select_related("committee__organization", "member"), pk=pk)


@login_required
def seat_resign(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee accepted a member's resignation; recorded by those who manage the organization."""
    seat = _seat(pk)
    org = seat.committee.organization
    require(can_manage(user_of(request), org))
    form = ResignationForm(request.POST or None)
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: vacancies.accept_resignation(user_of(request), seat, d["on"], d["document"]),
        "已登记辞职，职务出缺；请报告上级党组织",
        url,
    )
    return done or form_page(
        request, f"登记{seat.member.name}辞去{seat.get_post_display()}职务", form, url, org=org
    )


@login_required
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Removal (撤换/罢免) recorded with the competent body's decision; by the upper level."""
    seat = _seat(pk)
    org = seat.committee.organization
    require(can_oversee(user_of(request), org))
    form = RemovalForm(request.POST or None)
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: vacancies.remove_from_committee(user_of(request), seat, d["on"], d["document"]),
        "已登记撤换或罢免决定，职务出缺",
        url,
    )
    return done or form_page(request, f"登记撤换或罢免{seat.member.name}的决定", form, url, org=org)


@login_required
def committee_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level appoints (指派) a secretary or deputy secretary."""
    committee = get_object_or_404(Committee.objects.select_related("organization"), pk=pk)
    org = committee.organization
    user = user_of(request)
    require(can_oversee(user, org))
    upper = (
        user.organization
        if user.organization and user.organization.pk != org.pk
        else Organization.objects.get_parent(org)
    )
    members = Member.objects.filter(organization__path__startswith=org.path, left_on__isnull=True).order_by(
        "name"
    )
    form = AppointmentForm(request.POST or None, members=members)
    url = reverse("organization_detail", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: vacancies.appoint(
            user, committee, d["member"], d["post"], upper, d["decision"], d["reason"], d["on"]
        ),
        "已登记上级指派；下次换届时应通过选举产生",
        url,
    )
    intro = (
        "《中国共产党支部工作条例（试行）》规定，确有必要时，上级党组织可以指派书记或副书记；"
        "委员须由选举产生。指派的书记、副书记在下次换届时通过选举产生。"
    )
    return done or form_page(request, f"上级指派{org.name}书记或副书记", form, url, org=org, intro=intro)


def history_of(org: Organization) -> list[dict[str, Any]]:
    """Every committee of ``org``, newest first, with its seats and its changes in date order."""
    committees = (
        Committee.objects.filter(organization=org)
        .prefetch_related("seats__member", "changes__member", "vacancies__former_member")
        .order_by("-elected_on")
    )
    return [
        {
            "committee": c,
            "seats": sorted(
                c.seats.all(), key=lambda s: (s.post not in ("secretary", "deputy_secretary"), s.pk)
            ),
            "changes": list(c.changes.all()),
            "open": vacancies.rows([v for v in c.vacancies.all() if v.filled_on is None])
            if c.is_current
            else [],
        }
        for c in committees
    ]


@login_required
@require_GET
def committee_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_read(user_of(request), org))
    return render(request, "organizations/committee_history.html", {"org": org, "history": history_of(org)})


def _cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def history_workbook(org: Organization) -> bytes:
    """换届及调整情况: one row per committee, one row per change."""
    book = Workbook()
    sheet = book.active
    sheet.title = "换届及调整情况"
    sheet.append([f"{org.name}换届及调整情况"])
    sheet.append(["届次选举日期", "届满日期", "日期", "事项", "职务", "姓名", "原因", "文件"])
    for entry in history_of(org):
        c = entry["committee"]
        for seat in entry["seats"]:
            how = seat.get_source_display()
            sheet.append(
                [
                    _cn(c.elected_on),
                    _cn(c.term_end),
                    _cn(seat.since or c.elected_on),
                    f"现任（{how}）",
                    seat.get_post_display(),
                    seat.member.name,
                    "",
                    seat.decision,
                ]
            )
        for change in entry["changes"]:
            sheet.append(
                [
                    _cn(c.elected_on),
                    _cn(c.term_end),
                    _cn(change.on),
                    change.get_kind_display(),
                    change.get_post_display(),
                    change.member.name if change.member else "",
                    change.reason,
                    change.document,
                ]
            )
    return workbook_bytes(book)


@login_required
@require_GET
def committee_history_export(request: HttpRequest, pk: int) -> FileResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_read(user_of(request), org))
    name = f"{org.name}-换届及调整情况-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(
        io.BytesIO(history_workbook(org)), as_attachment=True, filename=name, content_type=XLSX
    )
    response["Cache-Control"] = "no-store"
    return response
