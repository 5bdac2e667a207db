"""What the steps of a re-election share: the posts each body elects, the status and eligibility
checks, the request sent up to the upper level, and when a contest is filled."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.elections import hooks
from xuanju.elections.models import (
    Approval,
    Contest,
    Election,
    Meeting,
    Post,
)
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

SEAT_POST = {  # the post a person elected to a contest holds on the committee
    Post.COMMITTEE_MEMBER: "member",
    Post.SECRETARY: "secretary",
    Post.DEPUTY_SECRETARY: "deputy_secretary",
}
VOTING_POSTS = (Post.COMMITTEE_MEMBER, Post.DISCIPLINE_MEMBER)  # elected by the members or the congress
LEADING_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY)  # elected by the first plenary (R-CAND-5)
# Elected by the discipline commission's own first plenary, among its members, and approved by the
# upper level like the committee's secretary (R-CAND-5, R-RPT-3).
DISCIPLINE_LEADING_POSTS = (Post.DISCIPLINE_SECRETARY, Post.DISCIPLINE_DEPUTY)
# Each first plenary: the body whose newly elected members vote, and the posts they elect (R-CAND-5).
PLENARIES = {
    Meeting.Kind.PLENARY: (Post.COMMITTEE_MEMBER, LEADING_POSTS),
    Meeting.Kind.DISCIPLINE_PLENARY: (Post.DISCIPLINE_MEMBER, DISCIPLINE_LEADING_POSTS),
}
APPROVED_POSTS = LEADING_POSTS + DISCIPLINE_LEADING_POSTS  # approved (批准); the others filed (R-RPT-3)


def _require_status(election: Election, *allowed: str, why: str) -> None:
    if election.status not in allowed:
        raise ActionError(f"现在是“{election.get_status_display()}”阶段，{why}")


def _members_of(org: Organization) -> Any:
    """Members on the roll of ``org`` and the organizations beneath it."""
    return Member.objects.within(org).on_roll()


def candidate_pool(election: Election) -> Any:
    """The members ``election``'s candidates may come from: the congress's answer for a unit's
    election of delegates (:meth:`~xuanju.elections.hooks.CongressHooks.nominees`), else the members
    of the organization and beneath it."""
    congress = hooks.congress()
    pool = congress.nominees(election) if congress else None
    if pool is None:
        return _members_of(election.organization)
    return pool.filter(left_on__isnull=True)


def _send_up(
    actor: Any, election: Election, kind: str, content: dict[str, Any], status: str, action: str, summary: str
) -> Approval:
    """File a request (请示/报告) with the upper level, dated today, and move the election on (R-RPT-4)."""
    approval = Approval.objects.create(
        election=election,
        kind=kind,
        submitted_on=timezone.localdate(),
        submitted_by=_actor(actor),
        content=content,
    )
    election.status = status
    election.save(update_fields=["status"])
    record(_actor(actor), action, approval, after=snapshot(approval), summary=f"{election}：{summary}")
    return approval


def _check_eligible(member: Member, election: Election, contest: Contest) -> None:
    """Membership of the organization's subtree (for a unit's election of delegates: of the unit,
    :func:`candidate_pool`) and the right to stand on the planned date (R-VOTE, R-CAND-6). The
    upper level's conditions (R-CAND-1) are vetting's
    (:func:`xuanju.vetting.services.require_conditions`), required of the provisional candidates."""
    org = election.organization
    congress = hooks.congress()
    pool = congress.nominees(election) if congress else None
    if pool is not None:
        if member.left_on is not None or not pool.filter(pk=member.pk).exists():
            raise ActionError(f"{member.name}不是本选举单位的在册党员（R-DEL-5）", "member")
    elif not member.organization.path.startswith(org.path) or member.left_on is not None:
        raise ActionError(f"{member.name}不是{org.name}（含下级组织）的在册党员", "member")
    if not rights_of(member, election.planned_on).can_stand:
        raise ActionError(f"{member.name}在选举日没有被选举权（R-VOTE、R-CAND-6）", "member")


def _fresh(election: Election) -> Election:
    """``election`` as stored now: the conditions are read from the database, and the caller's
    instance keeps no cached (perhaps absent) conditions or targets."""
    return Election.objects.select_related("organization").get(pk=election.pk)


def contest_done(contest: Contest) -> bool:
    filled = contest.elected.exclude(member=None).count()
    return filled + contest.seats_reduced >= contest.seats
