"""Public notices (公示) of the candidates and of the results: publish them, raise problems, answer them."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from xuanju.accounts.models import User
from xuanju.elections import actions
from xuanju.elections.models import Candidate, Election, ElectionStatus, Objection, PublicNotice
from xuanju.forms import Form
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_manage, can_read, can_supervise, require, user_of
from xuanju.rules.names import stroke_key

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # the ISO form a date input takes
NOTICE_DAYS = 7  # the usual notice period: 5 working days (手册); the organizer may change it


class NoticeForm(Form):
    kind = forms.ChoiceField(label="公示类型", choices=PublicNotice.Kind.choices, required=False)
    body = forms.CharField(label="公示内容", widget=forms.Textarea(attrs={"rows": 6}))
    starts_on = forms.DateField(label="公示开始", widget=DATE)
    ends_on = forms.DateField(label="公示结束", widget=DATE)


class ObjectionForm(Form):
    content = forms.CharField(label="反映的问题", widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label="匿名反映（不留姓名）", required=False)


class AnswerForm(Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))


def is_member_of(user: User, org: Organization) -> bool:
    """Whether the user may read ``org``'s notices: those who may read the organization, and the
    members of the organizations beneath it (a branch's members belong to the party committee
    above it and take part in its members' meeting)."""
    own = user.organization
    return can_read(user, org) or (own is not None and own.path.startswith(org.path))


def publishable_kinds(election: Election) -> list[str]:
    """The kinds of notice the election's stage allows now (see actions.publish_notice)."""
    if election.status == ElectionStatus.PLAN_APPROVED:
        return [PublicNotice.Kind.CANDIDATES]
    if election.status in (ElectionStatus.MEETING, ElectionStatus.PLENARY) and actions.all_posts_filled(
        election
    ):
        return [PublicNotice.Kind.RESULTS]
    return []


def _candidates_body(election: Election) -> str:
    people = Candidate.objects.filter(
        contest__election=election, stage__in=[Candidate.Stage.PRELIMINARY, Candidate.Stage.PROVISIONAL]
    ).select_related("member", "contest")
    names = sorted({c.member.name for c in people}, key=stroke_key)
    return (
        f"经党员推荐提名和组织考察，{election.organization.name}新一届委员会人选的初步名单如下（按姓氏笔画为序）：\n"
        + "、".join(names)
        + "\n公示期间，党员如对上述人选有意见，可以在系统中实名或匿名反映。"
    )


def _results_body(election: Election) -> str:
    lines = [f"{election.organization.name}换届选举结果如下（按姓氏笔画为序）："]
    for contest in election.contests.order_by("position"):
        names = sorted(
            (
                e.member.name if e.member else e.write_in_name
                for e in contest.elected.select_related("member")
            ),
            key=stroke_key,
        )
        lines.append(f"{contest.get_post_display()}：" + "、".join(names))
    lines.append("公示期间，党员如对选举结果有意见，可以在系统中实名或匿名反映。")
    return "\n".join(lines)


@login_required
def election_notices(request: HttpRequest, pk: int) -> HttpResponse:
    """An election's notices: organizers publish and answer, members read and object during the
    period, the upper level and inspectors read the objections and answers."""
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    org = election.organization
    user = user_of(request)
    require(is_member_of(user, org))
    organizer = can_manage(user, org)
    sees_objections = organizer or can_supervise(user, org)
    today = timezone.localdate()
    kinds = publishable_kinds(election) if organizer else []
    kind = kinds[0] if kinds else PublicNotice.Kind.CANDIDATES
    notice_form = NoticeForm(
        request.POST if request.POST.get("step") == "publish" else None,
        initial={
            "kind": kind,
            "body": _results_body(election)
            if kind == PublicNotice.Kind.RESULTS
            else _candidates_body(election),
            "starts_on": today,
            "ends_on": today + timedelta(days=NOTICE_DAYS),
        },
    )
    kind_field = notice_form.fields["kind"]
    assert isinstance(kind_field, forms.ChoiceField)
    kind_field.choices = [(k, PublicNotice.Kind(k).label) for k in kinds]
    objection_form = ObjectionForm(request.POST if request.POST.get("step") == "object" else None)
    if request.method == "POST":
        try:
            step = request.POST.get("step")
            if step == "publish":
                require(organizer)
                if notice_form.is_valid():
                    data = notice_form.cleaned_data
                    actions.publish_notice(
                        user, election, data["body"], data["starts_on"], data["ends_on"], data["kind"] or kind
                    )
                    messages.success(request, "公示已发布")
                    return redirect("election_notices", election.pk)
            if step == "object" and objection_form.is_valid():
                notice = get_object_or_404(PublicNotice, pk=request.POST.get("notice"), election=election)
                data = objection_form.cleaned_data
                actions.lodge_objection(user, notice, data["content"], data["anonymous"])
                messages.success(request, "您反映的问题已收到，组织上将答复")
                return redirect("election_notices", election.pk)
            if step == "answer":
                require(organizer)
                objection = get_object_or_404(
                    Objection, pk=request.POST.get("objection"), notice__election=election
                )
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    actions.answer_objection(user, objection, answer_form.cleaned_data["answer"])
                    messages.success(request, "已答复")
                    return redirect("election_notices", election.pk)
                messages.error(request, "请填写答复")
        except ActionError as error:
            messages.error(request, error.message)
    notices = election.notices.prefetch_related("objections")
    if not sees_objections:  # members read a notice during its period
        notices = notices.filter(starts_on__lte=today, ends_on__gte=today)
    waiting = [
        problem
        for problem in (
            actions.notice_problem(election, PublicNotice.Kind.CANDIDATES)
            if election.status == ElectionStatus.PLAN_APPROVED
            else None,
            actions.notice_problem(election, PublicNotice.Kind.RESULTS)
            if election.status in (ElectionStatus.MEETING, ElectionStatus.PLENARY)
            else None,
        )
        if problem
    ]
    return render(
        request,
        "elections/notices.html",
        {
            "election": election,
            "org": org,
            "notices": list(notices),
            "today": today,
            "organizer": organizer,
            # who raised what is for the organizers and the upper level only
            "sees_objections": sees_objections,
            "supervises": can_supervise(user, org),
            "notice_form": notice_form if kinds else None,
            "objection_form": objection_form,
            "waiting": waiting,
        },
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The notices running today for the user's own organization and the organizations above it,
    whose members' meetings the user takes part in."""
    user = user_of(request)
    own = user.organization
    today = timezone.localdate()
    notices: list[PublicNotice] = []
    if own is not None:
        paths = [*own.ancestor_paths(), own.path]
        notices = list(
            PublicNotice.objects.filter(
                election__organization__path__in=paths, starts_on__lte=today, ends_on__gte=today
            )
            .select_related("election__organization")
            .order_by("ends_on", "pk")
        )
    return render(request, "elections/notice_list.html", {"notices": notices, "today": today})
