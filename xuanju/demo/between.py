"""Demo of a sitting committee between elections (issue 22), loaded after the county, its demo
election and congress (``xuanju serve`` / ``xuanju demo``): a village branch with a member's seat
vacant for five months — flagged 补选不及时 — and a branch whose secretary resigned and whose
upper level appointed (指派) a new one. Done through the actions, so the audit trail and the
committee's history show the changes like any others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from xuanju.organizations import actions, vacancies
from xuanju.organizations.models import Committee, Member, Organization
from xuanju.rules.organizations import committee_size_range

VACANT_DAYS = 150  # five months: past the three-month 补选不及时 threshold
ACTOR = "system"


@dataclass(frozen=True)
class BetweenDemo:
    vacant_organization: str
    vacant_member: str
    appointed_organization: str
    appointed_member: str


def _candidates(today: date, sectors: list[str], exclude: list[str]) -> list[Committee]:
    """Current committees of branches in ``sectors`` with no election of their own, in term for a
    while yet, elected long enough ago, with a seat more than their minimum."""
    return list(
        Committee.objects.filter(
            is_current=True,
            has_committee=True,
            organization__kind="branch",
            organization__sector__in=sectors,
            organization__elections__isnull=True,
            elected_on__lte=today - timedelta(days=VACANT_DAYS + 60),
            term_end__gt=today + timedelta(days=180),
        )
        .exclude(organization__name__in=exclude)
        .annotate(seat_count=Count("seats"))
        .select_related("organization")
        .order_by("organization__path")
    )


def load_demo_between(today: date | None = None) -> BetweenDemo | None:
    """Open the two demo situations; None when the county has no committee that fits."""
    today = today or timezone.localdate()
    villages = [
        c
        for c in _candidates(today, ["village"], [])
        if getattr(c, "seat_count", 0)
        > committee_size_range(c.organization.kind_enum, c.organization.sector_enum).minimum
    ]
    others = _candidates(today, ["enterprise", "state_organ", "institution", "school"], [])
    if not villages or not others:
        return None
    village = villages[0]
    seat = village.seats.exclude(post__in=["secretary", "deputy_secretary"]).select_related("member").first()
    if seat is None:
        return None
    # The member's Party relationship moved to another county's organization: the roster keeps
    # the fact as leaving the system (转出本系统), and the seat falls vacant five months ago.
    left_on = today - timedelta(days=VACANT_DAYS)
    actions.remove_member(ACTOR, seat.member, left_on, "组织关系转出本县", "transferred_out")

    branch = others[0]
    org = branch.organization
    old = branch.seats.select_related("member").get(post="secretary")
    vacancies.accept_resignation(
        ACTOR,
        old,
        today - timedelta(days=60),
        f"{org.name}委员会会议记录（同意辞去书记职务，已报上级党组织）",
    )
    seated = set(branch.seats.values_list("member_id", flat=True))
    appointee = (
        Member.objects.filter(
            organization=org, status="full", left_on__isnull=True, restrictions__isnull=True
        )
        .exclude(pk__in=seated)
        .order_by("birth_date")
        .first()
    )
    if appointee is None:
        return None
    upper = Organization.objects.get_parent(org)
    vacancies.appoint(
        ACTOR,
        branch,
        appointee,
        "secretary",
        upper,
        f"{upper.name.removeprefix('中共').removesuffix('委员会')}组〔{today.year}〕15号",
        "原书记因工作调整辞去职务，支部工作需要加强，经研究由上级党组织指派书记",
        today - timedelta(days=30),
    )
    return BetweenDemo(village.organization.name, seat.member.name, org.name, appointee.name)
