"""Pages of a congress: parse, authorize (xuanju.congress.access), call one action, render."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuanju.congress import access, actions, services
from xuanju.congress.forms import (
    AdjustForm,
    CongressForm,
    CredentialsGroupForm,
    DateForm,
    DelegationForm,
    OpeningForm,
    PreparatoryForm,
    PresidiumForm,
    ReviewForm,
    UnitForm,
)
from xuanju.congress.models import Congress, Delegate, ElectoralUnit
from xuanju.elections.models import Election
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.web import add_action_error, form_page, run_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TARGETS = actions.TARGET_FIELDS


def _congress(request: HttpRequest, pk: int, manage: bool = False) -> Congress:
    congress = get_object_or_404(Congress.objects.select_related("election__organization"), pk=pk)
    user = user_of(request)
    require(access.organizes(user, congress) if manage else access.reads_congress(user, congress))
    return congress


def _unit(request: HttpRequest, pk: int, manage: bool = False) -> ElectoralUnit:
    unit = get_object_or_404(ElectoralUnit.objects.select_related("congress__election__organization"), pk=pk)
    user = user_of(request)
    require(access.organizes(user, unit.congress) if manage else access.reads_unit(user, unit))
    return unit


def _url(congress: Congress, name: str = "congress_detail") -> str:
    return reverse(name, args=[congress.pk])


def _xlsx(data: bytes, name: str) -> FileResponse:
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


def _congress_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "delegates_total": data["delegates_total"],
        "grounds": data["grounds"],
        "grounds_note": data["grounds_note"],
        "quota_reason": data["quota_reason"],
        "base_per_unit": data["base_per_unit"],
        "sectors": data["sectors"],
        **{field: data[field] for field in TARGETS},
    }


@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The convening organization proposes the congress of a planned election (R-DEL-1/2/3)."""
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    require(can_manage(user_of(request), election.organization))
    existing = Congress.objects.filter(election=election).first()
    if existing is not None:
        return redirect(_url(existing))
    form = CongressForm(request.POST or None)
    cancel = reverse("election_detail", args=[election.pk])
    created: list[Congress] = []

    def act(data: dict[str, Any]) -> None:
        created.append(actions.propose_congress(user_of(request), election, **_congress_args(data)))

    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "已提出党员代表大会方案，并按下级党组织分配了代表名额")
            return redirect(_url(created[0]))
    return form_page(request, f"{election}：党员代表大会方案", form, cancel, org=election.organization)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    user = user_of(request)
    meeting = getattr(congress, "preparatory_meeting", None)
    return render(
        request,
        "congress/detail.html",
        {
            "congress": congress,
            "org": congress.organization,
            "organizes": access.organizes(user, congress),
            "planning": services.plan_open(congress),
            "plan_approved": services.plan_approved(congress),
            "targets": services.targets_text(congress),
            "quota_note": services.quota_note(congress),
            "allocation_problem": services.allocation_problem(congress),
            "units": [
                {
                    "unit": u,
                    "elections": list(u.elections.select_related("election")),
                    "readable": access.reads_unit(user, u),
                }
                for u in congress.units.prefetch_related("organizations")
            ],
            "group": list(congress.credentials_group.all()),
            "meeting": meeting,
            "presidium": list(meeting.presidium.select_related("member", "unit")) if meeting else [],
            "delegations": list(
                congress.delegations.select_related("head__member").prefetch_related("units")
            ),
            "readiness": services.readiness_problem(congress),
            "formal": services.formal_delegates(congress).count(),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    form = CongressForm(request.POST or None, initial=CongressForm.initial_from(congress))
    done = run_form(
        request,
        form,
        lambda d: actions.revise_congress(user_of(request), congress, **_congress_args(d)),
        "已修改党员代表大会方案",
        _url(congress),
    )
    return done or form_page(request, f"修改{congress}方案", form, _url(congress), org=congress.organization)


@login_required
def define_unit(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    form = UnitForm(request.POST or None, congress=congress)
    done = run_form(
        request,
        form,
        lambda d: actions.define_unit(user_of(request), congress, d["name"], list(d["organizations"])),
        "已设立选举单位，请重新分配代表名额",
        _url(congress, "congress_allocation"),
    )
    intro = "所选党组织从原选举单位移出，编为一个选举单位；设立后须重新分配代表名额（R-DEL-3）。"
    return done or form_page(
        request, f"{congress}：设立选举单位", form, _url(congress), org=congress.organization, intro=intro
    )


@login_required
@require_POST
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    try:
        actions.allocate_seats(user_of(request), congress)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已按基础名额加最大余数法分配代表名额（R-DEL-3）")
    return redirect(_url(congress, "congress_allocation"))


@login_required
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    rows = services.allocation_rows(congress)
    return render(
        request,
        "congress/allocation.html",
        {
            "congress": congress,
            "org": congress.organization,
            "rows": rows,
            "total_members": sum(r["full_members"] for r in rows),
            "total_seats": sum(r["seats"] for r in rows),
            "problem": services.allocation_problem(congress),
            "quota_note": services.quota_note(congress),
            "organizes": access.organizes(user_of(request), congress),
            "planning": services.plan_open(congress),
        },
    )


@login_required
def allocation_export(request: HttpRequest, pk: int) -> FileResponse:
    congress = _congress(request, pk)
    return _xlsx(services.allocation_xlsx(congress), f"{congress}-代表名额分配.xlsx")


@login_required
def adjust(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    units = list(congress.units.all())
    form = AdjustForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            actions.adjust_allocation(user_of(request), congress, form.adjustments())
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "已记录名额调整")
            return redirect(_url(congress, "congress_allocation"))
    return render(
        request, "congress/adjust.html", {"congress": congress, "org": congress.organization, "form": form}
    )


@login_required
def start_units(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    form = DateForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda d: actions.start_unit_elections(user_of(request), congress, d["planned_on"]),
        "已为各选举单位开始选举代表",
        _url(congress),
    )
    return done or form_page(
        request, f"{congress}：各选举单位选举代表", form, _url(congress), org=congress.organization
    )


@login_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    return render(
        request,
        "congress/unit.html",
        {
            "unit": unit,
            "congress": unit.congress,
            "org": unit.congress.organization,
            "organizations": list(unit.organizations.order_by("path")),
            "elections": list(unit.elections.select_related("election")),
            "delegates": list(unit.delegates.select_related("member", "election")),
            "vacancies": len(actions.vacancies(unit)),
            "organizes": access.organizes(user_of(request), unit.congress),
        },
    )


def _unit_election(request: HttpRequest, pk: int, by_election: bool) -> HttpResponse:
    unit = _unit(request, pk, manage=True)
    form = DateForm(request.POST or None)
    start = actions.start_unit_by_election if by_election else actions.start_unit_reelection
    done = run_form(
        request,
        form,
        lambda d: start(user_of(request), unit, d["planned_on"]),
        "已开始补选" if by_election else "已开始重新选举",
        reverse("congress_unit", args=[unit.pk]),
    )
    title = f"{unit.name}：{'补选代表' if by_election else '重新选举代表'}"
    return done or form_page(
        request, title, form, reverse("congress_unit", args=[unit.pk]), org=unit.congress.organization
    )


@login_required
def unit_reelect(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_election(request, pk, by_election=False)


@login_required
def unit_by_election(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_election(request, pk, by_election=True)


@login_required
def composition(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    return render(
        request,
        "congress/composition.html",
        {"congress": congress, "org": congress.organization, "c": services.composition(congress)},
    )


@login_required
def credentials_group(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    initial = "\n".join(
        f"{m.name}，{m.get_role_display()}，{m.position}" for m in congress.credentials_group.all()
    )
    form = CredentialsGroupForm(request.POST or None, initial={"people": initial})
    done = run_form(
        request,
        form,
        lambda d: actions.name_credentials_group(user_of(request), congress, form.people_list()),
        "已确定代表资格审查小组",
        _url(congress),
    )
    return done or form_page(
        request, f"{congress}：代表资格审查小组", form, _url(congress), org=congress.organization
    )


@login_required
def credentials(request: HttpRequest, pk: int) -> HttpResponse:
    """Every delegate with what the records show, for the credentials group (R-DEL-6)."""
    congress = _congress(request, pk, manage=True)
    on = services.congress_day(congress)
    findings: dict[int, list[str]] = {}
    rows = []
    for d in congress.delegates.select_related("member", "unit", "election").order_by(
        "unit__position", "member__name"
    ):
        if d.election_id not in findings:
            findings[d.election_id] = services.procedure_findings(d.election)
        rows.append(
            {
                "delegate": d,
                "procedure": findings[d.election_id],
                "eligibility": services.eligibility_findings(d, on),
            }
        )
    return render(
        request,
        "congress/credentials.html",
        {
            "congress": congress,
            "org": congress.organization,
            "rows": rows,
            "on": on,
            "has_group": congress.credentials_group.exists(),
        },
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = get_object_or_404(
        Delegate.objects.select_related("congress__election__organization", "member", "unit"), pk=pk
    )
    congress = delegate.congress
    require(access.organizes(user_of(request), congress))
    form = ReviewForm(request.POST or None)
    url = _url(congress, "congress_credentials")
    done = run_form(
        request,
        form,
        lambda d: actions.review_delegate(user_of(request), delegate, d["conclusion"], d["note"]),
        "已记录审查结论",
        url,
    )
    on = services.congress_day(congress)
    intro = (
        "；".join(
            services.procedure_findings(delegate.election) + services.eligibility_findings(delegate, on)
        )
        or "记录中未发现问题"
    )
    return done or form_page(
        request,
        f"审查代表资格：{delegate.member.name}（{delegate.unit.name}）",
        form,
        url,
        org=congress.organization,
        intro=intro,
    )


def _report(request: HttpRequest, congress: Congress, public: bool) -> HttpResponse:
    return render(
        request,
        "congress/report.html",
        {
            "congress": congress,
            "org": congress.organization,
            "rows": services.report_rows(congress),
            "formal": services.formal_delegates(congress).count(),
            "group": list(congress.credentials_group.all()),
            "public": public,
            "on": services.congress_day(congress),
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The credentials group's report to the preparatory meeting (R-DEL-6)."""
    return _report(request, _congress(request, pk), public=False)


@login_required
def report_export(request: HttpRequest, pk: int) -> FileResponse:
    congress = _congress(request, pk)
    return _xlsx(services.report_xlsx(congress), f"{congress}-正式代表名单.xlsx")


@login_required
def delegates(request: HttpRequest, pk: int) -> HttpResponse:
    """The formal delegates, for every member of the convening organization."""
    congress = get_object_or_404(Congress.objects.select_related("election__organization"), pk=pk)
    require(access.reads_delegate_list(user_of(request), congress))
    return _report(request, congress, public=True)


@login_required
def opening(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    form = OpeningForm(request.POST or None, initial={"decision": congress.opening_decision})
    done = run_form(
        request,
        form,
        lambda d: actions.set_opening_decision(user_of(request), congress, d["decision"]),
        "已记录",
        _url(congress),
    )
    return done or form_page(
        request, f"{congress}：{services.FORMAL_CONTINUES}", form, _url(congress), org=congress.organization
    )


@login_required
def preparatory(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    meeting = getattr(congress, "preparatory_meeting", None)
    initial = (
        {
            "held_on": meeting.held_on,
            "agenda": meeting.agenda,
            "credentials_report_adopted": meeting.credentials_report_adopted,
        }
        if meeting
        else {}
    )
    form = PreparatoryForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda d: actions.record_preparatory_meeting(
            user_of(request), congress, d["held_on"], d["agenda"], d["credentials_report_adopted"]
        ),
        "已记录预备会议",
        _url(congress),
    )
    return done or form_page(
        request, f"{congress}：预备会议", form, _url(congress), org=congress.organization
    )


@login_required
def presidium(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    meeting = getattr(congress, "preparatory_meeting", None)
    if meeting is None:
        messages.error(request, "请先记录预备会议")
        return redirect(_url(congress))
    form = PresidiumForm(request.POST or None, congress=congress)
    done = run_form(
        request,
        form,
        lambda d: actions.elect_presidium(
            user_of(request), meeting, list(d["delegates"]), d["votes_for"], d["against"], d["abstain"]
        ),
        "已记录主席团名单和表决情况",
        _url(congress),
    )
    return done or form_page(
        request,
        f"{congress}：预备会议选举主席团（举手表决）",
        form,
        _url(congress),
        org=congress.organization,
    )


@login_required
def delegation(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk, manage=True)
    form = DelegationForm(request.POST or None, congress=congress)
    done = run_form(
        request,
        form,
        lambda d: actions.form_delegation(user_of(request), congress, d["name"], list(d["units"]), d["head"]),
        "已编组代表团（组）",
        _url(congress),
    )
    return done or form_page(
        request, f"{congress}：编组代表团（组）", form, _url(congress), org=congress.organization
    )
