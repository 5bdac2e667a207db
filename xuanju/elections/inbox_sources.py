"""The elections' part of the inbox (待办): requests waiting for the upper level's reply
(R-RPT-2/3/4) and objections to a notice waiting for the organizers' answer."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from xuanju.accounts.inbox import Item, Source, register
from xuanju.accounts.models import Role, User
from xuanju.elections.models import Approval, Objection

LIMIT = 200  # the page lists at most this many of each kind; the count says how many there are


def pending_approvals(user: User) -> QuerySet[Approval]:
    """Requests of organizations strictly beneath the user's, waiting for a reply: the upper level's
    organization department decides them (xuanju.elections.views_prepare.may_decide)."""
    pending = Approval.objects.filter(decision=Approval.Decision.PENDING)
    if user.is_superuser:
        return pending
    own = user.organization
    if own is None or user.role != Role.ORGANIZATION_DEPARTMENT:
        return pending.none()
    return pending.filter(election__organization__path__startswith=own.path).exclude(
        election__organization=own
    )


def open_objections(user: User) -> QuerySet[Objection]:
    """Objections without an answer in elections the user organizes (can_manage: a secretary's own
    organization, an organization department's subtree)."""
    waiting = Objection.objects.filter(answered_on__isnull=True)
    if user.is_superuser:
        return waiting
    own = user.organization
    if own is None:
        return waiting.none()
    if user.role == Role.ORGANIZATION_DEPARTMENT:
        return waiting.filter(notice__election__organization__path__startswith=own.path)
    if user.role == Role.SECRETARY:
        return waiting.filter(notice__election__organization=own)
    return waiting.none()


def approval_items(user: User) -> list[Item]:
    rows = pending_approvals(user).select_related("election__organization").order_by("submitted_on", "pk")
    return [
        Item(
            title=a.get_kind_display(),
            organization=a.election.organization.name,
            url=reverse("approval_decide", args=[a.pk]),
            since=a.submitted_on,
            detail=f"报送人 {a.submitted_by}",
        )
        for a in rows[:LIMIT]
    ]


def objection_items(user: User) -> list[Item]:
    rows = open_objections(user).select_related("notice__election__organization").order_by("lodged_on", "pk")
    return [
        Item(
            title=f"{o.notice.get_kind_display()}期间反映的问题",
            organization=o.notice.election.organization.name,
            url=reverse("election_notices", args=[o.notice.election_id]),
            since=o.lodged_on,
            detail=o.content[:60],
        )
        for o in rows[:LIMIT]
    ]


def register_sources() -> None:
    register(
        Source("approvals", "待批复的请示和报告", lambda u: pending_approvals(u).count(), approval_items, 10)
    )
    register(
        Source("objections", "待答复的公示反映", lambda u: open_objections(u).count(), objection_items, 20)
    )
