"""The report of the results to the upper level and, on its approval, the new committee
(R-RPT-3, R-TERM-1)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.elections import by_election
from xuanju.elections.actions.base import (
    APPROVED_POSTS,
    DISCIPLINE_LEADING_POSTS,
    LEADING_POSTS,
    SEAT_POST,
    _require_status,
    _send_up,
    contest_done,
)
from xuanju.elections.actions.notices import notice_problem, notice_report
from xuanju.elections.models import (
    Approval,
    Election,
    ElectionKind,
    ElectionStatus,
    Meeting,
    Post,
    PublicNotice,
)
from xuanju.organizations import actions as organization_actions
from xuanju.organizations.actions import SeatInput
from xuanju.organizations.models import Member
from xuanju.shell import ActionError


@transaction.atomic
def submit_results(actor: Any, election: Election) -> Approval:
    """Report the results: committee members for filing, secretary and deputies for approval (R-RPT-3).
    A unit's election of delegates reports none: its delegates go to the credentials review (R-DEL-6)."""
    if election.is_delegates:
        raise ActionError("代表选出后交党员代表大会的代表资格审查小组审查，不另报送选举结果（R-DEL-6）")
    _require_status(election, ElectionStatus.PLENARY, ElectionStatus.MEETING, why="现在不能报送选举结果")
    contests = list(election.contests.all())
    for contest in contests:
        if not contest_done(contest):
            raise ActionError(f"{contest.get_post_display()}还没有选满（或另选他人当选者尚未确认）")
    waiting = notice_problem(election, PublicNotice.Kind.RESULTS)  # R-RPT-3
    if waiting:
        raise ActionError(waiting)
    committee = next((c for c in contests if c.post == Post.COMMITTEE_MEMBER), None)
    by_plenary = election.kind == ElectionKind.BY_ELECTION and election.has_committee
    if committee is not None or by_plenary:
        members = set(committee.elected.values_list("member_id", flat=True)) if committee else set()
        if election.kind == ElectionKind.BY_ELECTION:  # from the sitting members and the by-elected
            members |= {m.pk for m in by_election.sitting_members(election)}
        for contest in contests:
            if contest.post in LEADING_POSTS:
                outside = contest.elected.exclude(member_id__in=members)
                if outside.exists():
                    raise ActionError("书记、副书记须从新当选的委员中选出（R-CAND-5）")
    commission = next((c for c in contests if c.post == Post.DISCIPLINE_MEMBER), None)
    if commission is not None:  # R-CAND-5: the commission's secretary among its new members
        commissioners = set(commission.elected.values_list("member_id", flat=True))
        for contest in contests:
            outside = contest.elected.exclude(member_id__in=commissioners)
            if contest.post in DISCIPLINE_LEADING_POSTS and outside.exists():
                raise ActionError("纪委书记、副书记须从新当选的纪委委员中选出（R-CAND-5）")
    content: dict[str, Any] = {
        "contests": [
            {
                "post": c.get_post_display(),
                "seats": c.seats,
                "seats_reduced": c.seats_reduced,
                "reduction": c.reduction_consent,  # R-CNT-5: whose consent, or the presidium's decision
                "approval": c.post in APPROVED_POSTS,  # R-RPT-3: approved (批准), else filed (备案)
                "elected": [
                    {"name": e.member.name if e.member else e.write_in_name, "votes": e.votes}
                    for e in c.elected.select_related("member")
                ],
                "rounds": [r.result for r in c.rounds.order_by("number")],  # every person's votes (R-CNT-7)
            }
            for c in sorted(contests, key=lambda c: c.position)
        ]
    }
    notices = notice_report(election, PublicNotice.Kind.RESULTS)
    if notices:  # the upper level decides with the objections and their answers before it
        content["notices"] = notices
    Meeting.objects.filter(election=election).update(closed=True)
    approval = _send_up(
        actor,
        election,
        Approval.Kind.RESULTS,
        content,
        ElectionStatus.RESULTS_SUBMITTED,
        "submit_results",
        "报送选举结果",
    )
    return approval


def _install_committee(actor: Any, election: Election) -> None:
    """On approval, the new committee and its posts replace the old one (R-RPT-3, R-TERM-1). The
    discipline commission's members are reported with the results but are not committee seats."""
    posts: dict[int, str] = {}
    # Committee members first, so that the secretary's and deputies' posts replace plain membership.
    committee_contests = [c for c in election.contests.all() if c.post in SEAT_POST]
    for contest in sorted(committee_contests, key=lambda c: c.post != Post.COMMITTEE_MEMBER):
        for member_id in contest.elected.exclude(member=None).values_list("member_id", flat=True):
            posts[member_id] = SEAT_POST[Post(contest.post)]
    members = Member.objects.in_bulk(list(posts))
    meeting = election.meetings.filter(kind=election.voting_meeting_kind).first()
    elected_on = meeting.held_on if meeting else timezone.localdate()
    organization_actions.record_committee(
        actor,
        election.organization,
        elected_on,
        [SeatInput(members[pk], post) for pk, post in posts.items()],
        has_committee=election.has_committee,
    )
