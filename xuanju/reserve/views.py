"""Pages of the reserve talent pool: parse, authorize (xuanju.reserve.access), call one action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xuanju.elections.models import Contest
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.reserve import actions, services
from xuanju.reserve import depth as pool_depth
from xuanju.reserve.access import can_manage_pool, can_see_depth, can_see_pool
from xuanju.reserve.forms import (
    AssessmentForm,
    NominateForm,
    PutForwardForm,
    SearchForm,
    StatusForm,
    TrainingForm,
)
from xuanju.reserve.models import ACTIVE_STATUSES, Rating, ReservePerson, ReserveStatus
from xuanju.reserve.wording import education_text, failure_text
from xuanju.rules.conditions import education_from_code
from xuanju.web import PAGE_SIZE, form_page, paginate, query_without_page, run_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org(request: HttpRequest, pk: int, manage: bool = False) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    user = user_of(request)
    require(can_manage_pool(user, org) if manage else can_see_pool(user, org))
    return org


def _person(request: HttpRequest, pk: int, manage: bool = False) -> ReservePerson:
    person = get_object_or_404(
        ReservePerson.objects.select_related("member__organization", "organization"), pk=pk
    )
    user = user_of(request)
    org = person.organization
    require(can_manage_pool(user, org) if manage else can_see_pool(user, org))
    return person


def _education(person: ReservePerson) -> str:
    profile = services.profile_of(person.member)
    return education_text(education_from_code(profile.education) if profile else None)


def _filter_status(people: Any, status: str) -> Any:
    if status == "active":
        return people.filter(status__in=ACTIVE_STATUSES)
    if status in ReserveStatus.values:
        return people.filter(status=status)
    return people


@login_required
def pool(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's reserve talent pool."""
    org = _org(request, pk)
    user = user_of(request)
    status = request.GET.get("status", "active")
    people = _filter_status(services.pool_of(org), status).order_by("member__name", "pk")
    page = paginate(request, services.pool_rows(people))
    today = timezone.localdate()
    rows = [
        {"person": p, "age": services.age_on(p.member, today), "education": _education(p)}
        for p in page.object_list
    ]
    return render(
        request,
        "reserve/pool.html",
        {
            "org": org,
            "rows": rows,
            "page_obj": page,
            "query": query_without_page(request),
            "status": status,
            "statuses": [("active", "在库和已提名"), *ReserveStatus.choices, ("", "全部")],
            "ratings": dict(Rating.choices),
            "can_manage": can_manage_pool(user, org),
            "can_see_depth": can_see_depth(user, org) and org.kind != "branch",
        },
    )


@login_required
def put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, manage=True)
    form = PutForwardForm(request.POST or None, org=org)
    url = reverse("reserve_pool", args=[org.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.put_forward(user_of(request), org, d["member"], d["put_forward_on"], d["reason"]),
        "已列入后备人才库",
        url,
    )
    return done or form_page(request, f"推荐列入“{org.name}”后备人才库", form, url, org=org)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A reserve person: their assessments, training and status changes."""
    person = _person(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "reserve/person.html",
        {
            "org": person.organization,
            "person": person,
            "member": person.member,
            "age": services.age_on(person.member, today),
            "education": _education(person),
            "profile": services.profile_of(person.member),
            "assessments": person.assessments.all(),
            "trainings": person.trainings.all(),
            "changes": person.status_changes.all(),
            "hours": sum((t.hours for t in person.trainings.all()), start=0),
            "can_manage": can_manage_pool(user_of(request), person.organization),
            "is_left": person.status == ReserveStatus.LEFT,
        },
    )


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, manage=True)
    form = AssessmentForm(request.POST or None)
    url = reverse("reserve_person", args=[person.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.assess(
            user_of(request), person, d["assessed_on"], d["rating"], d["notes"], d["assessed_by"]
        ),
        "考察情况已登记",
        url,
    )
    return done or form_page(request, f"登记对{person.member.name}的考察", form, url, org=person.organization)


@login_required
def training(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, manage=True)
    form = TrainingForm(request.POST or None)
    url = reverse("reserve_person", args=[person.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.record_training(
            user_of(request), person, d["course"], d["start"], d["end"], d["hours"], d["provider"]
        ),
        "培训情况已登记",
        url,
    )
    return done or form_page(request, f"登记{person.member.name}的培训", form, url, org=person.organization)


@login_required
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, manage=True)
    form = StatusForm(request.POST or None, current=person.status)
    url = reverse("reserve_person", args=[person.pk])
    done = run_form(
        request,
        form,
        lambda d: actions.change_status(user_of(request), person, d["status"], d["on"], d["reason"]),
        "状态已更改",
        url,
    )
    return done or form_page(
        request, f"更改{person.member.name}在后备人才库中的状态", form, url, org=person.organization
    )


@login_required
@require_GET
def search(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the pool by conditions (R-CAND-1): who meets them on a day, and why the others do not."""
    org = _org(request, pk)
    subtree = request.GET.get("subtree") == "1"
    if subtree:  # the pools beneath: the upper level's organization department only
        require(can_see_depth(user_of(request), org))
    form = SearchForm(
        request.GET if "on" in request.GET else None, initial={"on": timezone.localdate(), "status": "active"}
    )
    matching: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    searched = form.is_bound and form.is_valid()
    if searched:
        on = form.cleaned_data["on"]
        people = _filter_status(services.pool_of(org, subtree=subtree), form.cleaned_data.get("status") or "")
        people = people.order_by("member__name", "pk")
        for verdict in services.check_people(people, form.conditions(), on):
            row = {
                "person": verdict.person,
                "age": services.age_on(verdict.person.member, on),
                "education": _education(verdict.person),
                "reasons": [failure_text(f) for f in verdict.failures],
            }
            (matching if verdict.passes else others).append(row)
    return render(
        request,
        "reserve/search.html",
        {
            "org": org,
            "form": form,
            "searched": searched,
            "matching": matching,
            "others": others,
            "subtree": subtree,
        },
    )


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """从后备人才库提名: record a nomination for the contest and mark the reserve person nominated."""
    contest = get_object_or_404(Contest.objects.select_related("election__organization"), pk=pk)
    user = user_of(request)
    org = contest.election.organization
    require(can_manage(user, org))
    back = reverse("election_nominations", args=[contest.election_id]) + f"#contest-{contest.pk}"
    form = NominateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写推荐人数（至少 1 人）")
        return redirect(back)
    person = get_object_or_404(
        ReservePerson.objects.select_related("member", "organization"),
        pk=form.cleaned_data["person"],
        organization__path__startswith=org.path,
    )
    try:
        actions.nominate_from_pool(
            user, person, contest, form.cleaned_data["source"], form.cleaned_data["count"]
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已从后备人才库推荐{person.member.name}")
    return redirect(back)


@login_required
@require_GET
def depth(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level's view of pool depth beneath it, with empty pools highlighted: counts by
    aggregate queries, the list paged in SQL (xuanju.reserve.depth)."""
    root = get_object_or_404(Organization, pk=pk)
    require(can_see_depth(user_of(request), root))
    today = timezone.localdate()
    show = request.GET.get("show", "")
    listed = pool_depth.shown(root, show if show in pool_depth.SHOWS else "", today)
    page = Paginator(listed.only("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = pool_depth.annotated(root, list(page.object_list), today)
    return render(
        request,
        "reserve/depth.html",
        {
            "org": root,
            "page_obj": page,
            "query": query_without_page(request),
            "summary": pool_depth.summary(root, today),
            "show": show,
            "today": today,
            "youth_age": services.YOUTH_AGE,
        },
    )


@login_required
@require_GET
def depth_export(request: HttpRequest, pk: int) -> FileResponse:
    """Every organization beneath, written row by row into a write-only workbook (a temporary file)."""
    root = get_object_or_404(Organization, pk=pk)
    require(can_see_depth(user_of(request), root))
    today = timezone.localdate()
    data = pool_depth.xlsx_file(root, today)
    name = f"{root.name}-后备人才库情况-{today:%Y%m%d}.xlsx"
    response = FileResponse(data, as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response
