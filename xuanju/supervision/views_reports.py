"""Pages of misconduct reports (R-SUP-2) and of voiding an election (R-SUP-3).

The report form and the follow-up page are public: an anonymous reporter need not sign in. The
rest is for the inspectors of the upper level (actions.reports_for), for a named reporter's own
reports, and for the upper level's organization department (voiding). A report anyone else asks
for is "not found", so its existence is not revealed either.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from xuanju.accounts.models import User
from xuanju.elections.models import Election
from xuanju.limits.rate import rate_limited
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import require, user_of
from xuanju.supervision import actions
from xuanju.supervision.forms import (
    ANONYMOUS,
    ConcludeForm,
    FollowUpCodeForm,
    FollowUpForm,
    NoteForm,
    OrganizationSearchForm,
    ReportForm,
    StatusFilterForm,
    VoidForm,
)
from xuanju.supervision.models import Conclusion, Report, ReportStatus
from xuanju.web import add_action_error, confirmation, form_page, paginate, query_without_page

SEARCH_LIMIT = 10


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _private(response: HttpResponse) -> HttpResponse:
    """Pages that show a follow-up code or a report: kept out of every cache."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, " + response["Cache-Control"]
    return response


@rate_limited("report_new")  # per address window, the address not kept (xuanju/limits/rate.py)
def report_new(request: HttpRequest) -> HttpResponse:
    """Report misconduct: pick the organization (link or name search), then write the report."""
    user = _signed_in(request)
    org = None
    if org_id := request.GET.get("org", ""):
        if not org_id.isdigit():
            raise Http404
        org = get_object_or_404(Organization, pk=int(org_id))
    if org is None:
        search = OrganizationSearchForm(request.GET if "q" in request.GET else None)
        found = (
            Organization.objects.filter(
                name__icontains=search.cleaned_data["q"], dissolved_on__isnull=True
            ).order_by("name")[:SEARCH_LIMIT]
            if search.is_bound and search.is_valid()
            else None
        )
        return render(request, "supervision/report_pick.html", {"search": search, "found": found})

    initial = {}
    if (election_id := request.GET.get("election", "")).isdigit():
        initial["election"] = election_id
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organization=org,
        signed_in=user is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, code = actions.file_report(
                user,
                org,
                data["election"],
                data["category"],
                data["content"],
                anonymous=data["identity"] == ANONYMOUS,
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            if code is None:
                messages.success(request, "举报已收到，将由上级党组织纪检监督人员办理")
                return redirect("report_detail", report.pk)
            # Shown in this response only: no redirect, no message, nothing in the session.
            return _private(
                render(
                    request,
                    "supervision/report_code.html",
                    {"code": actions.format_code(code), "received_on": report.received_on},
                )
            )
    return render(request, "supervision/report_form.html", {"org": org, "form": form, "user_signed_in": user})


@rate_limited("report_follow_up")  # per address window, the address not kept (xuanju/limits/rate.py)
def report_follow_up(request: HttpRequest) -> HttpResponse:
    """The anonymous reporter's page: the code opens the status and conclusion, and more can be
    added. The code travels only in POST bodies, never in an address."""

    def ask(form: FollowUpCodeForm) -> HttpResponse:
        return _private(render(request, "supervision/report_follow_up.html", {"form": form}))

    if request.method != "POST":
        return ask(FollowUpCodeForm())
    adding = "text" in request.POST
    form = FollowUpForm(request.POST) if adding else FollowUpCodeForm(request.POST)
    if not form.is_valid():
        return ask(form)
    code = form.cleaned_data["code"]
    added = False
    if adding:
        try:
            actions.add_follow_up(code, form.cleaned_data["text"])
            added = True
        except ActionError as error:
            add_action_error(form, error)
            if error.field == "code":
                return ask(form)
    found = actions.find_by_code(code)
    if found.report is None:
        form.add_error(
            "code", "尝试次数过多，请稍后再试" if found.limited else "查询码不正确，请核对后再输入"
        )
        return ask(form)
    report = found.report
    return _private(
        render(
            request,
            "supervision/report_status.html",
            {
                "report": report,
                "code": actions.normalize_code(code),
                "follow_ups": report.notes.filter(by_reporter=True),
                "add_form": form if adding and not added else FollowUpForm(),
                "added": added,
                "can_add": report.status != ReportStatus.CONCLUDED,
            },
        )
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the signed-in inspector handles, by status."""
    user = user_of(request)
    require(user.role == "inspector")
    reports = actions.reports_for(user).select_related("organization", "election")
    filters = StatusFilterForm(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["status"]:
        reports = reports.filter(status=filters.cleaned_data["status"])
    return _private(
        render(
            request,
            "supervision/report_list.html",
            {
                "page_obj": paginate(request, reports.order_by("-received_on", "id")),
                "filters": filters,
                "query": query_without_page(request),
            },
        )
    )


@login_required
def report_mine(request: HttpRequest) -> HttpResponse:
    """The signed-in account's own named reports."""
    user = user_of(request)
    reports = Report.objects.filter(reporter=user).select_related("organization")
    return render(request, "supervision/report_mine.html", {"page_obj": paginate(request, reports)})


def _report(request: HttpRequest, pk: uuid.UUID) -> tuple[User, Report, bool]:
    """The report, whether the user handles it (or else is its named reporter); 404 for anyone else."""
    user = user_of(request)
    report = (
        Report.objects.select_related("organization", "election", "handled_by", "reporter")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if actions.can_handle(user, report):
        return user, report, True
    if actions.is_reporter(user, report):
        return user, report, False
    raise Http404


@login_required
def report_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    _user, report, handler = _report(request, pk)
    context: dict[str, object] = {"report": report, "handler": handler}
    if handler:
        election = report.election
        context |= {
            "notes": report.notes.all(),
            "note_form": NoteForm(),
            "conclude_form": ConcludeForm(),
            "void_url": (
                f"{reverse('election_void', args=[election.pk])}?report={report.pk}"
                if election is not None
                and report.conclusion in (Conclusion.SUBSTANTIATED, Conclusion.PARTLY_SUBSTANTIATED)
                and election.status != "voided"
                else None
            ),
        }
    else:
        context |= {"notes": report.notes.filter(by_reporter=True), "note_form": NoteForm()}
    return _private(render(request, "supervision/report_detail.html", context))


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user, report, handler = _report(request, pk)
    require(handler)
    try:
        actions.accept_report(user, report)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已受理，开始核查")
    return redirect("report_detail", report.pk)


@login_required
@require_POST
def report_note(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user, report, _ = _report(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写内容")
        return redirect("report_detail", report.pk)
    try:
        actions.add_note(user, report, form.cleaned_data["text"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已记录")
    return redirect("report_detail", report.pk)


@login_required
def report_conclude(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user, report, handler = _report(request, pk)
    require(handler)
    form = ConcludeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.conclude_report(
                user, report, form.cleaned_data["findings"], form.cleaned_data["conclusion"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "举报已办结")
            return redirect("report_detail", report.pk)
    return _private(
        form_page(
            request,
            f"办结{report}",
            form,
            reverse("report_detail", args=[report.pk]),
            submit="办结",
        )
    )


@login_required
def election_void(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level's organization department declares the election void (R-SUP-3)."""
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    user = user_of(request)
    require(actions.can_void(user, election))
    report = None
    try:
        report_id = uuid.UUID(request.GET.get("report", ""))
    except ValueError:
        report_id = None
    if report_id is not None:
        report = Report.objects.filter(pk=report_id, organization=election.organization).first()
    form = VoidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = confirmation(
            request,
            f"宣布{election}无效",
            "宣布无效后，这次选举的结果作废，如已产生新一届委员会则恢复上一届委员会，"
            "并为该党组织重新开始一次换届选举；原有记录全部保留（R-SUP-3）。",
            reverse("election_detail", args=[election.pk]),
            "确认宣布选举无效",
        )
        if ask is not None:
            return ask
        try:
            voiding = actions.void_election(user, election, data["reason"], data["decision_document"], report)
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "已宣布这次选举无效，并为该党组织重新开始换届选举")
            return redirect("election_detail", voiding.reopened_as.pk)
    intro = (
        "宣布选举无效后，原选举的会议、投票和批复记录全部保留，不作修改；"
        "如已产生新一届委员会，恢复上一届委员会；系统为该党组织重新开始一次换届选举（R-SUP-3）。"
    )
    if report is not None:
        intro += f"依据：{report}，结论“{report.get_conclusion_display() or '尚未办结'}”。"
    return form_page(
        request,
        f"宣布{election}无效",
        form,
        reverse("election_detail", args=[election.pk]),
        intro=intro,
        org=election.organization,
        submit="宣布无效",
    )
