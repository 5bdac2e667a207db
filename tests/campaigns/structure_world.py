"""A small campaign whose new teams' structure is known by hand: two townships, five villages in
every stage (elected and approved, elected awaiting approval, elected before the plenary has a
secretary... see ``build_structure_world``). Elections are written as rows (the campaign's own
actions are not under test here), so the expected figures in the tests come from this file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests import factories as f
from xuanju.accounts.models import Role, User
from xuanju.campaigns.models import Campaign, CampaignEntry
from xuanju.elections.models import (
    Candidate,
    Contest,
    Elected,
    Election,
    ElectionStatus,
    Meeting,
    Post,
    Round,
)
from xuanju.organizations.models import Member, Organization
from xuanju.vetting.models import MemberProfile

DAY = date(2026, 3, 1)  # every voting meeting; ages below are completed years on this day
OUTGOING_ON = date(2021, 3, 1)


def born(age: int) -> date:
    """A birth date giving ``age`` completed years on DAY."""
    return date(DAY.year - age, 1, 15)


@dataclass
class Person:
    name: str
    age: int
    female: bool = False
    minority: bool = False
    education: str = "high_school"
    front_line: bool = False
    heads: bool = False


@dataclass
class StructureWorld:
    county: Organization
    towns: dict[str, Organization]
    villages: dict[str, Organization]
    campaign: Campaign
    accounts: dict[str, User]
    elections: dict[str, Election]
    people: dict[str, Member]


def _member(org: Organization, person: Person) -> Member:
    member = f.member(
        org,
        person.name,
        gender="女" if person.female else "男",
        ethnicity="回族" if person.minority else "汉族",
        birth_date=born(person.age),
    )
    MemberProfile.objects.create(
        member=member,
        education=person.education,
        front_line=person.front_line,
        heads_residents_committee=person.heads,
    )
    return member


def _election(org: Organization, status: str, seats: int = 3) -> tuple[Election, Contest, Contest]:
    election = Election.objects.create(
        organization=org,
        status=status,
        has_committee=True,
        committee_seats=seats,
        term_years=5,
        planned_on=DAY,
    )
    committee = Contest.objects.create(election=election, post=Post.COMMITTEE_MEMBER, seats=seats, position=0)
    secretary = Contest.objects.create(election=election, post=Post.SECRETARY, seats=1, position=1)
    return election, committee, secretary


def _elect(contest: Contest, meeting: Meeting, members: list[Member]) -> None:
    round_ = Round.objects.create(
        contest=contest, meeting=meeting, number=1, kind=Round.Kind.REGULAR, seats=contest.seats, closed=True
    )
    for member in members:
        Elected.objects.create(contest=contest, round=round_, member=member, votes=10)


def build_structure_world() -> StructureWorld:
    county = f.org(None, "中共示范县委员会", "party_committee")
    towns = {
        "east": f.org(county, "中共东乡镇委员会", "party_committee", "township"),
        "west": f.org(county, "中共西乡镇委员会", "party_committee", "township"),
    }
    names = {"a1": "east", "a2": "east", "a3": "east", "b1": "west", "b2": "west"}
    villages = {
        key: f.org(towns[town], f"中共{key.upper()}村支部委员会", "branch", "village")
        for key, town in names.items()
    }
    people: dict[str, Member] = {}

    def add(village: str, *persons: Person) -> list[Member]:
        made = [_member(villages[village], p) for p in persons]
        people.update({p.name: m for p, m in zip(persons, made, strict=True)})
        return made

    # a1: elected and approved. 王芳 (30, woman, college, front line) is secretary and heads the
    # villagers' committee; 李强 sat on the outgoing committee.
    a1 = add(
        "a1",
        Person("王芳", 30, female=True, education="college", front_line=True, heads=True),
        Person("李强", 50, education="bachelor"),
        Person("张伟", 40, front_line=True),
        Person("陈旧", 66),
    )
    f.committee_of(villages["a1"], [a1[1], a1[3]], OUTGOING_ON)
    # a2: elected, the plenary has elected 刘洋 secretary; no woman, nobody 35 or under, and the
    # secretary does not head the villagers' committee. All three sat on the outgoing committee.
    a2 = add(
        "a2",
        Person("刘洋", 60, education="primary"),
        Person("杨帆", 58),
        Person("赵磊", 45, education="postgraduate", front_line=True),
    )
    f.committee_of(villages["a2"], a2, OUTGOING_ON)
    # a3: four provisional candidates for three seats, none a woman (women target out of reach).
    a3 = add("a3", Person("周杰", 33), Person("吴军", 41), Person("孙涛", 52), Person("马超", 29, heads=True))
    # b1: elected (results reported, not yet approved); 徐丽 is a Hui woman of 34 and secretary.
    b1 = add(
        "b1",
        Person("徐丽", 34, female=True, minority=True, education="bachelor", heads=True),
        Person("朱红", 47, female=True, front_line=True),
        Person("胡斌", 56, education=""),
    )
    f.committee_of(villages["b1"], [b1[2]], OUTGOING_ON)
    # b2: planning, nobody chosen yet.
    add("b2", Person("郭靖", 44))

    campaign = Campaign.objects.create(
        organization=county,
        name="示范县2026年村党组织集中换届",
        requests_by=date(2026, 1, 10),
        candidates_by=date(2026, 2, 1),
        meetings_from=date(2026, 2, 20),
        meetings_until=date(2026, 3, 10),
        results_by=date(2026, 3, 20),
        min_women=1,
        under_age=35,
        min_under_age=1,
        secretary_heads_committee=True,
        created_by="test",
    )
    elections: dict[str, Election] = {}
    for key, status in (
        ("a1", ElectionStatus.COMPLETED),
        ("a2", ElectionStatus.PLENARY),
        ("a3", ElectionStatus.CANDIDATES_SUBMITTED),
        ("b1", ElectionStatus.RESULTS_SUBMITTED),
        ("b2", ElectionStatus.PLANNING),
    ):
        elections[key] = _election(villages[key], status)[0]
    for key, team in (("a1", a1[:3]), ("a2", a2), ("b1", b1)):
        election = elections[key]
        meeting = Meeting.objects.create(election=election, kind=Meeting.Kind.MEMBERS, held_on=DAY)
        plenary = Meeting.objects.create(election=election, kind=Meeting.Kind.PLENARY, held_on=DAY)
        committee, secretary = election.contests.order_by("position")
        _elect(committee, meeting, team)
        _elect(secretary, plenary, team[:1])
    committee = elections["a3"].contests.get(post=Post.COMMITTEE_MEMBER)
    for member in a3:
        Candidate.objects.create(contest=committee, member=member, stage=Candidate.Stage.PROVISIONAL)
    for key, village in villages.items():
        CampaignEntry.objects.create(
            campaign=campaign, organization=village, township=towns[names[key]], election=elections[key]
        )
    accounts = {
        "county": f.account("cs_county", county, Role.ORGANIZATION_DEPARTMENT),
        "inspector": f.account("cs_inspector", county, Role.INSPECTOR),
        "town": f.account("cs_town", towns["east"], Role.ORGANIZATION_DEPARTMENT),
        "secretary": f.account("cs_secretary", villages["a1"], Role.SECRETARY),
    }
    return StructureWorld(county, towns, villages, campaign, accounts, elections, people)
