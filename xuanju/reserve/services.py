"""Read-side questions about the reserve talent pool, answered by the rules over stored data.

The condition checks are xuanju.rules.conditions.check_conditions (R-CAND-1, R-CAND-6); the rules'
``Person`` of a member and an election's ``Conditions`` come from xuanju.vetting.services, so the
pool, the nominations and vetting judge a person alike. This module loads and collects verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from xuanju.elections.models import Candidate, Contest, Nomination
from xuanju.organizations.models import Committee, Member, Organization
from xuanju.reserve.models import ACTIVE_STATUSES, ReserveAssessment, ReservePerson, ReserveTraining
from xuanju.rules.conditions import ConditionFailure, Conditions, check_conditions
from xuanju.rules.voting import completed_years
from xuanju.vetting.models import MemberProfile
from xuanju.vetting.services import conditions_of, person_of

YOUTH_AGE = 35  # "under 35": the age rural organizations most need in their pools


def profile_of(member: Member) -> MemberProfile | None:
    """The member's profile, or None when vetting has not recorded one."""
    try:
        return member.profile
    except MemberProfile.DoesNotExist:
        return None


def with_member_data(people: QuerySet[ReservePerson]) -> QuerySet[ReservePerson]:
    return people.select_related("member__organization", "member__profile", "organization").prefetch_related(
        "member__sanctions", "member__restrictions"
    )


@dataclass(frozen=True)
class Verdict:
    person: ReservePerson
    failures: tuple[ConditionFailure, ...]

    @property
    def passes(self) -> bool:
        return not self.failures


def check_people(people: QuerySet[ReservePerson], conditions: Conditions, on: date) -> list[Verdict]:
    """Each person of ``people`` against ``conditions`` on ``on`` (R-CAND-1, R-CAND-6)."""
    return [
        Verdict(p, check_conditions(person_of(p.member, on), conditions, on))
        for p in with_member_data(people)
    ]


def pool_of(org: Organization, subtree: bool = False) -> QuerySet[ReservePerson]:
    if subtree:
        return ReservePerson.objects.filter(organization__path__startswith=org.path)
    return ReservePerson.objects.filter(organization=org)


def suggestions_for(contest: Contest) -> list[tuple[ReservePerson, tuple[ConditionFailure, ...]]]:
    """Pool people of the election's organization and its subtree not yet nominated for ``contest``,
    each with the conditions they fail on the election day (empty: they may be nominated).

    Those who pass come first; a member in several pools appears once (the nearest pool)."""
    election = contest.election
    taken = Nomination.objects.filter(contest=contest).values("nominee")
    on_list = Candidate.objects.filter(contest=contest).values("member")
    people = (
        pool_of(election.organization, subtree=True)
        .filter(status__in=ACTIVE_STATUSES, member__left_on__isnull=True)
        .exclude(member__in=taken)
        .exclude(member__in=on_list)
        .order_by("-organization__depth", "put_forward_on", "pk")
    )
    seen: set[int] = set()
    result: list[tuple[ReservePerson, tuple[ConditionFailure, ...]]] = []
    for verdict in check_people(people, conditions_of(election), election.planned_on):
        if verdict.person.member_id in seen:
            continue
        seen.add(verdict.person.member_id)
        result.append((verdict.person, verdict.failures))
    result.sort(key=lambda row: (bool(row[1]), row[0].member.name))
    return result


# --- the pool page ------------------------------------------------------------------------


def pool_rows(people: QuerySet[ReservePerson]) -> QuerySet[ReservePerson]:
    """People with their latest assessment and their training hours, in one query."""
    latest = ReserveAssessment.objects.filter(person=OuterRef("pk")).order_by("-assessed_on", "-pk")
    return people.select_related("member__organization", "member__profile").annotate(
        latest_rating=Subquery(latest.values("rating")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
        training_hours=Coalesce(
            Subquery(
                ReserveTraining.objects.filter(person=OuterRef("pk"))
                .values("person")
                .annotate(total=Sum("hours"))
                .values("total")[:1]
            ),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        ),
    )


def age_on(member: Member, on: date) -> int:
    return completed_years(member.birth_date, on)


# --- pool depth for the upper level -------------------------------------------------------


def years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return date(on.year - years, 2, 28)


def youth_born_after(on: date) -> date:
    """Members born after this day are under YOUTH_AGE on ``on`` (completed years, as the rules count)."""
    return years_before(on, YOUTH_AGE)


def depth_rows(root: Organization, on: date) -> QuerySet[Organization]:
    """Every active organization at and beneath ``root`` with its pool's size, how many are under
    35, how many are women, and its current committee's re-election dates — one query."""
    active = Q(reserve_people__status__in=ACTIVE_STATUSES)
    committee = Committee.objects.filter(organization=OuterRef("pk"), is_current=True)
    return (
        Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True)
        .annotate(
            pool=Count("reserve_people", filter=active),
            young=Count(
                "reserve_people",
                filter=active & Q(reserve_people__member__birth_date__gt=youth_born_after(on)),
            ),
            women=Count("reserve_people", filter=active & Q(reserve_people__member__gender="女")),
            reelection_due=Subquery(committee.values("reelection_due")[:1]),
            remind_from=Subquery(committee.values("remind_from")[:1]),
        )
        .order_by("path")
    )


def needs_attention(row: Any, on: date) -> bool:
    """An empty pool with the committee's re-election due soon or overdue (R-TERM-3's reminder window)."""
    return row.pool == 0 and row.remind_from is not None and row.remind_from <= on


@dataclass(frozen=True)
class DepthSummary:
    organizations: int
    empty: int
    empty_and_due: int
    people: int
    young: int
    women: int


DEPTH_HEADERS = ["党组织", "类型", "在库人数", f"{YOUTH_AGE}岁以下", "女性", "应换届日期", "情况"]


def depth_remark(row: Any, on: date) -> str:
    if needs_attention(row, on):
        return "库中无人，且即将或已经到期换届"
    if row.pool == 0:
        return "库中无人"
    return ""
