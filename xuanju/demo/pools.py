"""The demo reserve talent pools (后备人才库), loaded by ``xuanju.demo.election.load_demo_election``
on the demo county.

Three pools, each kept by its own demo account through the real actions (put forward, assessed,
trained): the 东关村 branch's (``branch_sec``), 城关镇's (``town_org``) and the county's
(``county_org``). Every other organization's pool stays empty, so the pool-depth page has empty
pools to show — among them 青山镇 and all its branches, whose re-election is due soon. The 东关村 pool
person who stands in the demo election is nominated from the pool by the election loader.

Choices follow a fixed seed and ``today``, like the county itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.reserve import actions
from xuanju.reserve.models import Rating, ReservePerson
from xuanju.rules.voting import completed_years

BRANCH_POOL = ("中共城关镇东关村支部委员会", "branch_sec")
TOWN_POOL = ("中共城关镇委员会", "town_org")
COUNTY_POOL = ("中共示范县委员会", "county_org")
#: Where the town's and the county's pools find their people (organizations at or beneath the pool).
TOWN_SOURCES = ("中共城关镇机关支部委员会", "中共城关镇西关村支部委员会", "中共城关镇南街村支部委员会")
COUNTY_SOURCES = (
    "中共青山镇委员会",
    "中共示范县农业农村局支部委员会",
    "中共示范县发展和改革局支部委员会",
)
EMPTY_TOWNSHIP = "中共青山镇委员会"  # it and its branches keep empty pools
MAX_AGE = 45  # pool people are members who can be groomed for a term or two

BRANCH_REASONS = [
    "返乡创业青年，带头发展特色种植，群众基础好，有带富能力",
    "退役军人，作风过硬，在村里疫情防控和防汛抢险中冲在前面",
    "担任村民小组长多年，处事公道，熟悉村情民意",
    "大学毕业后回村工作，熟悉电商和网络宣传，热心村务",
    "村级后备力量，参与人居环境整治表现突出",
]
TOWN_REASONS = [
    "在村“两委”岗位上锻炼多年，工作实绩突出，可进镇领导班子或任村党组织书记",
    "镇机关年轻干部，熟悉党建业务，综合素质好",
    "致富带头人，带动周边农户增收，群众公认度高",
    "驻村工作表现突出，善于做群众工作",
]
COUNTY_REASONS = [
    "乡镇党委班子成员，抓基层党建成效明显，可作为县管干部后备人选",
    "县直部门业务骨干，政治素质好，统筹协调能力强",
    "长期在乡镇工作，熟悉农村工作，敢于担当",
]
NOTES = {
    Rating.EXCELLENT: "政治立场坚定，工作主动，群众评价高，建议重点培养",
    Rating.GOOD: "工作踏实，有一定组织协调能力，需在复杂工作中多加历练",
    Rating.FAIR: "工作态度端正，但经验不足，需加强理论学习和实践锻炼",
}
TRAININGS = {
    BRANCH_POOL[0]: [
        ("城关镇村级后备干部培训班", 16, "中共城关镇委员会"),
        ("到镇便民服务中心跟班学习", 40, "城关镇人民政府"),
        ("乡村振兴专题网络培训", 12, "示范县委组织部"),
    ],
    TOWN_POOL[0]: [
        ("全县乡镇年轻干部能力提升培训班", 32, "中共示范县委党校"),
        ("驻村工作队挂职锻炼", 80, "中共城关镇委员会"),
    ],
    COUNTY_POOL[0]: [
        ("全县中青年干部培训班", 120, "中共示范县委党校"),
        ("省委党校乡村振兴专题研讨班", 40, "中共江西省委党校"),
    ],
}


@dataclass(frozen=True)
class DemoPools:
    organizations: list[str]  # the pools filled, by organization name
    people: int  # everyone put forward
    groomed: list[ReservePerson]  # the 东关村 pool people the election loader nominates
    empty_township: str  # a township whose organizations all keep empty pools


def _may_join(member: Member, on: date) -> bool:
    """On the roll, a full member with the right to stand on ``on`` (actions.check_may_put_forward)."""
    return (
        member.full_member_on is not None and member.full_member_on <= on and rights_of(member, on).can_stand
    )


def _forward_on(member: Member, today: date, rng: random.Random) -> date | None:
    """A day about one to two years ago when ``member`` could be put forward, or None."""
    assert member.full_member_on is not None
    on = max(today - timedelta(days=rng.randint(380, 720)), member.full_member_on + timedelta(days=30))
    return on if on <= today - timedelta(days=90) and _may_join(member, on) else None


def _fill(
    actor: str,
    org: Organization,
    people: Iterable[tuple[Member, date]],
    reasons: list[str],
    today: date,
    rng: random.Random,
) -> list[ReservePerson]:
    """Put ``people`` forward into ``org``'s pool, each assessed once or twice and trained once."""
    courses = TRAININGS[org.name]
    added = []
    for index, (member, on) in enumerate(people):
        person = actions.put_forward(actor, org, member, on, reasons[index % len(reasons)])
        span = (today - on).days
        first = rng.choice([Rating.EXCELLENT, Rating.GOOD, Rating.GOOD])
        actions.assess(actor, person, on + timedelta(days=span // 3), first, NOTES[first])
        if index % 2 == 0:
            later = (
                Rating.EXCELLENT if first == Rating.EXCELLENT else rng.choice([Rating.GOOD, Rating.EXCELLENT])
            )
            actions.assess(actor, person, today - timedelta(days=rng.randint(10, 40)), later, NOTES[later])
        course, hours, provider = courses[index % len(courses)]
        start = on + timedelta(days=span // 2)
        end = start + timedelta(days=max(1, hours // 8) - 1)
        actions.record_training(actor, person, course, start, min(end, today), Decimal(hours), provider)
        added.append(person)
    return added


def _young(members: Iterable[Member], today: date, rng: random.Random) -> list[tuple[Member, date]]:
    """The members under MAX_AGE who could be put forward, each with a day, youngest first."""
    out = []
    for member in sorted(members, key=lambda m: (m.birth_date, m.pk), reverse=True):
        if completed_years(member.birth_date, today) > MAX_AGE or member.full_member_on is None:
            continue
        on = _forward_on(member, today, rng)
        if on is not None:
            out.append((member, on))
    return out


def _roster(names: Iterable[str]) -> list[Member]:
    return list(
        Member.objects.filter(organization__name__in=list(names), left_on__isnull=True)
        .prefetch_related("restrictions")
        .order_by("pk")
    )


def load_demo_pools(
    today: date, groomed: list[Member], avoid: set[int], rng: random.Random, size: int = 4
) -> DemoPools:
    """Fill the three demo pools. ``groomed``: 东关村 members put forward first (the election loader
    nominates them); ``avoid``: 东关村 members kept out of its pool (the other candidates and the
    people behind the demo accounts). Call inside the loader's transaction."""
    branch_name, branch_actor = BRANCH_POOL
    branch = Organization.objects.get(name=branch_name)
    wanted = [(m, on) for m, on in ((m, _forward_on(m, today, rng)) for m in groomed) if on is not None]
    taken = {m.pk for m, _ in wanted} | avoid
    others = [(m, on) for m, on in _young(_roster([branch_name]), today, rng) if m.pk not in taken]
    branch_people = wanted + rng.sample(others, min(len(others), size - len(wanted)))
    added = _fill(branch_actor, branch, branch_people, BRANCH_REASONS, today, rng)
    groomed_people = added[: len(wanted)]

    filled = [branch_name]
    for (name, actor), sources, reasons in (
        (TOWN_POOL, TOWN_SOURCES, TOWN_REASONS),
        (COUNTY_POOL, COUNTY_SOURCES, COUNTY_REASONS),
    ):
        org = Organization.objects.get(name=name)
        candidates = _young(_roster(sources), today, rng)
        added += _fill(actor, org, rng.sample(candidates, min(len(candidates), size)), reasons, today, rng)
        filled.append(name)
    return DemoPools(filled, len(added), groomed_people, EMPTY_TOWNSHIP)
