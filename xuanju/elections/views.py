"""The election's overview: where it stands, what comes next and why a step is blocked.

The steps have their own modules: views_prepare (plan, request, nomination, candidates, review)
views_meeting (roll call, procedure, scrutineers, plenary, results) and views_rounds (rounds,
ballots, counting).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from xuanju.elections.actions import contest_done
from xuanju.elections.models import Approval, Election, ElectionStatus, Meeting, Post
from xuanju.elections.views_meeting import plenaries_to_open
from xuanju.elections.views_prepare import may_decide
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import (
    can_count,
    can_manage,
    can_oversee,
    can_read,
    can_supervise,
    manages_or_oversees,
    require,
    user_of,
)


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    current: bool
    note: str  # what to do, or why it waits, citing the rule


ORDER = [
    ElectionStatus.PLANNING,
    ElectionStatus.PLAN_SUBMITTED,
    ElectionStatus.PLAN_APPROVED,
    ElectionStatus.CANDIDATES_SUBMITTED,
    ElectionStatus.CANDIDATES_APPROVED,
    ElectionStatus.MEETING,
    ElectionStatus.PLENARY,
    ElectionStatus.RESULTS_SUBMITTED,
    ElectionStatus.COMPLETED,
]
S = ElectionStatus
# (title, statuses in which the step is under way, the status from which it is done, what it asks)
STEPS = [
    (
        "拟订换届方案",
        {S.PLANNING},
        S.PLAN_SUBMITTED,
        "确定委员会的设置和职数、任期、选举日期（R-ORG、R-TERM-1）",
    ),
    (
        "向上级请示",
        {S.PLAN_SUBMITTED},
        S.PLAN_APPROVED,
        "报送换届请示，写明换届准备情况等内容（R-RPT-1），等待批复",
    ),
    (
        "推荐提名和确定预备人选",
        {S.PLAN_APPROVED},
        S.CANDIDATES_SUBMITTED,
        "上级同意换届后，按多数党员的意见推荐提名、考察，确定预备人选（R-CAND-4）",
    ),
    (
        "上级审查预备人选",
        {S.CANDIDATES_SUBMITTED},
        S.CANDIDATES_APPROVED,
        "预备人选报上级审查同意（R-RPT-2）；差额不少于 20%（R-CAND-2）",
    ),
    (
        "召开党员大会",
        {S.CANDIDATES_APPROVED, S.MEETING},
        S.PLENARY,
        "点名、通过选举办法、通过监票人，投票选举（R-MEET-1、R-MEET-3、R-MEET-4）",
    ),
    (
        "选举书记、副书记",
        {S.PLENARY},
        S.RESULTS_SUBMITTED,
        "新一届委员会召开第一次全体会议选举书记、副书记（R-CAND-5）",
    ),
    ("报告选举结果", {S.RESULTS_SUBMITTED}, S.COMPLETED, "委员报上级备案，书记、副书记报上级批准（R-RPT-3）"),
]
# At a congress (R-DEL-1) the plan carries the quota, and the congress replaces the members' meeting.
CONGRESS_STEPS = {
    "拟订换届方案": (
        "拟订换届方案",
        "确定委员会的设置和职数、任期、选举日期，以及代表名额、构成和分配（R-ORG、R-TERM-1、R-RPT-1）",
    ),
    "召开党员大会": (
        "召开党员代表大会",
        "代表经资格审查成为正式代表后召开（R-DEL-6）；点名、通过选举办法（可规定预选）、通过监票人，"
        "投票选举委员会（和纪律检查委员会）（R-MEET-1、R-MEET-3、R-MEET-4）",
    ),
}
# A unit's election of delegates (R-DEL-5): the congress plan is approved already, the convening
# organization reviews the candidates, and the delegates go to the credentials review (R-DEL-6).
DELEGATES_STEPS = [
    (
        "推荐提名和确定预备人选",
        {S.PLAN_APPROVED},
        S.CANDIDATES_SUBMITTED,
        "党支部推荐提名，选举单位酝酿形成初步人选，确定代表候选人预备人选（R-DEL-5）",
    ),
    (
        "召集党组织审查预备人选",
        {S.CANDIDATES_SUBMITTED},
        S.CANDIDATES_APPROVED,
        "预备人选报党员代表大会的召集党组织审查（R-DEL-5）；差额不少于 20%（R-DEL-4）",
    ),
    (
        "召开党员大会选举代表",
        {S.CANDIDATES_APPROVED, S.MEETING},
        S.COMPLETED,
        "点名、通过选举办法和监票人，差额选举代表（R-MEET-1、R-MEET-3、R-MEET-4、R-DEL-5）；"
        "选出的代表交代表资格审查小组审查（R-DEL-6）",
    ),
]


def steps_of(election: Election) -> list[Step]:
    """The steps of a re-election (or of a unit's election of delegates) and where this one is
    (R-RPT-4 orders them)."""
    status = ElectionStatus(election.status)
    position = ORDER.index(status) if status in ORDER else -1
    steps = []
    if election.is_delegates:
        for title, under_way, done_from, note in DELEGATES_STEPS:
            done = position >= ORDER.index(done_from)
            steps.append(Step(title, done, status in under_way and not done, note))
        return steps
    for title, under_way, done_from, note in STEPS:
        if election.at_congress and title in CONGRESS_STEPS:
            title, note = CONGRESS_STEPS[title]
        if not election.has_committee and done_from == S.RESULTS_SUBMITTED:
            continue  # a branch without a committee elects its secretary at the members' meeting
        if not election.has_committee and done_from == S.PLENARY:
            done_from = S.RESULTS_SUBMITTED
        done = position >= ORDER.index(done_from)
        if status == S.PLENARY and done_from == S.RESULTS_SUBMITTED and not plenary_left(election):
            done = True  # the plenaries have elected everyone: what is left is the report
            note = "书记、副书记已经选出（R-CAND-5）"
        steps.append(Step(title, done, status in under_way and not done, note))
    return steps


PLENARY_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.DISCIPLINE_SECRETARY, Post.DISCIPLINE_DEPUTY)


def plenary_left(election: Election) -> list[str]:
    """The posts the first plenaries still have to fill (R-CAND-5), as their Chinese names."""
    return [
        c.get_post_display() for c in election.contests.filter(post__in=PLENARY_POSTS) if not contest_done(c)
    ]


@login_required
def election_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    user = user_of(request)
    require(can_read(user, org))
    return render(
        request,
        "elections/election_list.html",
        {"org": org, "elections": org.elections.all(), "can_manage": can_manage(user, org)},
    )


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    org = election.organization
    user = user_of(request)
    require(can_read(user, org))
    pending = election.approvals.filter(decision=Approval.Decision.PENDING).first()
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "org": org,
            "steps": steps_of(election),
            "contests": election.contests.all(),
            "all_filled": all(contest_done(c) for c in election.contests.all()),
            "approvals": election.approvals.all(),
            "pending": pending,
            # the upper level, or for a unit's provisional delegates the convening organization
            "can_decide": pending is not None and may_decide(user, pending),
            "meetings": election.meetings.all(),
            # R-CAND-5: the first plenaries still to hold (the committee's, the commission's)
            "plenaries_to_open": [(k, Meeting.Kind(k).label) for k in plenaries_to_open(election)],
            "has_commission": election.contests.filter(post=Post.DISCIPLINE_MEMBER).exists(),
            # what the plenaries still elect, so the guidance never says they are voting when done
            "plenary_left": plenary_left(election) if election.status == ElectionStatus.PLENARY else [],
            "can_manage": can_manage(user, org),
            "can_oversee": can_oversee(user, org),
            "can_count": can_count(user, org),
            "can_supervise": can_supervise(user, org),
            # vetting/_election_links.html: conditions, vetting, structure (R-CAND-1)
            "sees_vetting": manages_or_oversees(user, org),  # R-CAND-1: organizers and upper level
            "sets_conditions": can_oversee(user, election.organization),  # the upper level (R-CAND-1)
            "back": reverse("organization_detail", args=[org.pk]),
        },
    )
