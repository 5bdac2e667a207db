"""The structure of the new teams across a campaign (集中换届): of the committees elected so far and
of the slates still open, their figures by township and in total against the campaign's targets,
and the organizations that miss one (R-CAND-1: 结构合理; R-DEL-3: targets checked against the
candidates and those elected).

Everything is read in a fixed number of queries whatever the campaign's size (entries, those
elected, the slates, the meetings, the outgoing committees and their seats, the people): the
figures come from :mod:`xuanju.rules.team_totals`, the wording of a missed target from
:mod:`xuanju.vetting.services`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from xuanju.campaigns.models import Campaign, CampaignEntry
from xuanju.elections.models import (
    Candidate,
    Elected,
    ElectionForm,
    ElectionKind,
    ElectionStatus,
    Meeting,
    Post,
)
from xuanju.organizations.models import Committee, CommitteeSeat
from xuanju.rules.conditions import education_from_code
from xuanju.rules.structure import (
    Structure,
    StructurePerson,
    Targets,
    structure_of,
    target_gaps,
    unreachable_targets,
)
from xuanju.rules.team_totals import Attainment, TeamFigures, add_up, attainment, team_figures
from xuanju.rules.terms import Sector
from xuanju.vetting.services import HAN, gap_text, unreachable_text

#: The contests whose people make up the committee (or, for a branch without one, the secretary).
TEAM_POSTS = (Post.COMMITTEE_MEMBER, Post.SECRETARY, Post.DEPUTY_SECRETARY)
SLATE_STAGES = (Candidate.Stage.PROVISIONAL, Candidate.Stage.CANDIDATE)
#: Where a secretary may also head the villagers' or residents' committee (书记、主任“一肩挑”).
HEADING_SECTORS = (Sector.VILLAGE.value, Sector.COMMUNITY.value)
PERSON_FIELDS = (
    "pk",
    "gender",
    "ethnicity",
    "birth_date",
    "profile__education",
    "profile__occupation",
    "profile__front_line",
    "profile__heads_residents_committee",
)
SECRETARY_HEADING_MISSED = "书记未担任村（居）民委员会主任，未达到“一肩挑”的要求"


class Stage(StrEnum):
    ELECTED = "elected"  # the committee (or the secretary) has been elected
    SLATE = "slate"  # provisional candidates or candidates fixed, not yet elected
    NONE = "none"  # nobody chosen yet


@dataclass(frozen=True)
class Team:
    """One organization of the campaign and where its new team stands."""

    entry_id: int
    organization_id: int
    organization: str
    township_id: int
    township: str
    election_id: int | None
    completed: bool  # the upper level approved the results: the new committee is in office
    stage: Stage
    on: date | None
    structure: Structure | None
    figures: TeamFigures
    seats: int
    misses: tuple[str, ...]  # the targets missed (elected) or out of reach (slate), worded


@dataclass(frozen=True)
class Township:
    """The teams of one township: ``entries`` organizations, ``elected`` their elected figures."""

    township_id: int
    name: str
    entries: int
    elected: TeamFigures
    slates: TeamFigures


@dataclass(frozen=True)
class CampaignStructure:
    campaign: Campaign
    targets: Targets | None
    heading_required: bool
    teams: list[Team]
    townships: list[Township]
    elected: TeamFigures
    slates: TeamFigures
    attainment: tuple[Attainment, ...]
    heading_judged: int  # elected village and community teams the “一肩挑” requirement applies to
    heading_missed: int
    not_started: int = field(default=0)

    @property
    def entries(self) -> int:
        return len(self.teams)

    @property
    def missing(self) -> list[Team]:
        return [team for team in self.teams if team.misses]


def campaign_targets(campaign: Campaign) -> Targets | None:
    """The campaign's structure targets (the fields of vetting's StructureTargets), or None."""
    targets = Targets(
        min_women=campaign.min_women,
        min_minorities=campaign.min_minorities,
        max_average_age=campaign.max_average_age,
        min_under_age=(campaign.under_age, campaign.min_under_age)
        if campaign.under_age is not None and campaign.min_under_age is not None
        else None,
        min_college_or_above=campaign.min_college_or_above,
        min_front_line=campaign.min_front_line,
        min_new=campaign.min_new,
        max_returning=campaign.max_returning,
    )
    return None if targets == Targets() else targets


@dataclass(frozen=True)
class _Entry:
    """An entry of the campaign as the structure reads it: plain values, no model rows (building
    the entry, organization, township and election of 2,000 entries was a quarter of the time)."""

    pk: int
    organization_id: int
    organization: str
    sector: str
    township_id: int
    township: str
    election_id: int | None
    status: str | None
    planned_on: date | None
    voting_meeting_kind: str
    seats: int  # the team's: the committee's, or the secretary's and deputies'


ENTRY_FIELDS = (
    "pk",
    "organization_id",
    "organization__name",
    "organization__sector",
    "township_id",
    "township__name",
    "election_id",
    "election__status",
    "election__planned_on",
    "election__kind",
    "election__form",
    "election__has_committee",
    "election__committee_seats",
    "election__deputy_seats",
)


def _entries(campaign: Campaign) -> list[_Entry]:
    rows = (
        CampaignEntry.objects.filter(campaign=campaign)
        .order_by("township__path", "organization__path")
        .values_list(*ENTRY_FIELDS)
    )
    found = []
    for pk, org_id, org, sector, town_id, town, election_id, status, planned_on, *plan in rows:
        kind, form, has_committee, committee_seats, deputy_seats = plan
        # Election.voting_meeting_kind and the seats of the team, from the same fields.
        at_congress = kind == ElectionKind.COMMITTEE and form == ElectionForm.CONGRESS
        seats = (committee_seats if has_committee else 1 + deputy_seats) if election_id else 0
        found.append(
            _Entry(
                pk,
                org_id,
                org,
                sector,
                town_id,
                town,
                election_id,
                status,
                planned_on,
                Meeting.Kind.CONGRESS if at_congress else Meeting.Kind.MEMBERS,
                seats,
            )
        )
    return found


def _election_days(campaign: Campaign, entries: list[_Entry]) -> dict[int, date]:
    """The day ages are counted on, per election: its voting meeting if held, else the plan."""
    # Every election has its planned day (a required field): only entries without one have none.
    days = {e.election_id: e.planned_on for e in entries if e.election_id is not None and e.planned_on}
    voting = {e.election_id: e.voting_meeting_kind for e in entries if e.election_id is not None}
    meetings = Meeting.objects.filter(election__campaign_entries__campaign=campaign)
    for election_id, kind, held_on in meetings.values_list("election_id", "kind", "held_on"):
        if voting.get(election_id) == kind:
            days[election_id] = held_on
    return days


def _outgoing(campaign: Campaign, entries: list[_Entry], days: dict[int, date]) -> dict[int, set[int]]:
    """Per election, the members of the committee in office before it (for 连任 and 新进). The
    committees are read once with their dates and the seats without (ten thousand dates parsed
    for nothing at 2,000 organizations)."""
    by_org: dict[int, list[tuple[date, int]]] = defaultdict(list)
    # Joined through the campaign's entries rather than a list of thousands of ids in the query.
    committees = Committee.objects.filter(organization__campaign_entries__campaign=campaign)
    for org_id, elected_on, committee_id in committees.values_list("organization_id", "elected_on", "pk"):
        by_org[org_id].append((elected_on, committee_id))
    wanted: dict[int, int] = {}  # the outgoing committee of each election
    for entry in entries:
        if entry.election_id is None:
            continue
        day = days[entry.election_id]
        before = [(on, committee) for on, committee in by_org[entry.organization_id] if on < day]
        if before:
            wanted[entry.election_id] = max(before)[1]
    members: dict[int, set[int]] = defaultdict(set)
    seats = CommitteeSeat.objects.filter(committee__organization__campaign_entries__campaign=campaign)
    for committee_id, member_id in seats.values_list("committee_id", "member_id"):
        members[committee_id].add(member_id)
    return {election: members[committee] for election, committee in wanted.items()}


def _people(
    campaign: Campaign,
) -> tuple[dict[int, set[int]], dict[int, set[int]], dict[int, set[int]], dict[int, _Person]]:
    """Per election: those elected to the team, its secretaries elected, and its open slate with the
    secretary candidates (the slate's people under key ``-pk``, its secretaries under ``pk``); and
    every one of these people. Each query reads the person's fields with the row that names them:
    a separate query for the people took a list of thousands of ids, whose preparation alone cost
    more than reading the rows (benchmarks/campaign_structure.py)."""
    people: dict[int, _Person] = {}
    person_fields = [f"member__{name}" for name in PERSON_FIELDS]
    elected: dict[int, set[int]] = defaultdict(set)
    secretaries: dict[int, set[int]] = defaultdict(set)
    for election_id, post, *person in Elected.objects.filter(
        contest__election__campaign_entries__campaign=campaign,
        contest__post__in=TEAM_POSTS,
        member__isnull=False,
    ).values_list("contest__election_id", "contest__post", *person_fields):
        member_id = _person(people, person)
        elected[election_id].add(member_id)
        if post == Post.SECRETARY:
            secretaries[election_id].add(member_id)
    slates: dict[int, set[int]] = defaultdict(set)
    slate_rows = Candidate.objects.filter(
        contest__election__campaign_entries__campaign=campaign,
        contest__post__in=TEAM_POSTS,
        stage__in=SLATE_STAGES,
    ).values_list("contest__election_id", "contest__post", *person_fields)
    by_post: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for election_id, post, *person in slate_rows:
        by_post[election_id][post].add(_person(people, person))
    for election_id, posts in by_post.items():
        # The committee's slate; a branch without a committee: the secretary's and deputies'.
        slates[-election_id] = posts.get(Post.COMMITTEE_MEMBER) or set().union(*posts.values())
        slates[election_id] = posts.get(Post.SECRETARY, set())
    return elected, secretaries, slates, people


def campaign_structure(campaign: Campaign) -> CampaignStructure:
    """Every organization of ``campaign`` with its new team's figures, summed by township (in the
    tree's order) and in total, against the campaign's targets."""
    entries = _entries(campaign)
    days = _election_days(campaign, entries)
    outgoing = _outgoing(campaign, entries, days)
    elected, secretaries, slates, members = _people(campaign)
    targets = campaign_targets(campaign)
    heading_required = campaign.secretary_heads_committee
    teams: list[Team] = []
    judged_teams: list[tuple[Structure, Targets | None]] = []
    heading_judged = heading_missed = 0
    for entry in entries:
        teams.append(
            _team(entry, targets, heading_required, days, outgoing, elected, secretaries, slates, members)
        )
        team = teams[-1]
        if team.stage is Stage.ELECTED and team.structure is not None:
            judged_teams.append((team.structure, targets))
            if heading_required and entry.sector in HEADING_SECTORS and team.figures.secretaries:
                heading_judged += 1
                heading_missed += team.figures.secretaries_heading < team.figures.secretaries
    townships: dict[int, list[Team]] = {}
    for team in teams:
        townships.setdefault(team.township_id, []).append(team)
    township_rows = [
        Township(
            township_id,
            members_of[0].township,
            len(members_of),
            add_up(t.figures for t in members_of if t.stage is Stage.ELECTED),
            add_up(t.figures for t in members_of if t.stage is Stage.SLATE),
        )
        for township_id, members_of in townships.items()
    ]
    return CampaignStructure(
        campaign=campaign,
        targets=targets,
        heading_required=heading_required,
        teams=teams,
        townships=township_rows,
        elected=add_up(t.elected for t in township_rows),
        slates=add_up(t.slates for t in township_rows),
        attainment=attainment(judged_teams),
        heading_judged=heading_judged,
        heading_missed=heading_missed,
        not_started=sum(1 for t in teams if t.stage is Stage.NONE),
    )


@dataclass(frozen=True)
class _Person:
    """A member as the structure reads them, before knowing whether they are returning."""

    person: StructurePerson
    heads: bool  # heads the villagers' or residents' committee


def _person(found: dict[int, _Person], row: list[Any]) -> int:
    """Read the member of ``row`` (the values of PERSON_FIELDS) into ``found`` once; their id.
    The fields and their reading are those of vetting's ``structure_person``; plain values rather
    than model rows, whose building took most of the time at 2,000 organizations."""
    pk, gender, ethnicity, birth_date, education, occupation, front_line, heads = row
    if pk not in found:
        found[pk] = _Person(
            StructurePerson(
                key=str(pk),
                female=gender == "女",
                minority=ethnicity.strip() not in HAN,
                birth_date=birth_date,
                education=education_from_code(education),
                occupation=(occupation or "").strip() or "未登记",
                front_line=bool(front_line),
                returning=False,
            ),
            bool(heads),
        )
    return int(pk)


def _team(
    entry: _Entry,
    targets: Targets | None,
    heading_required: bool,
    days: dict[int, date],
    outgoing: dict[int, set[int]],
    elected: dict[int, set[int]],
    secretaries: dict[int, set[int]],
    slates: dict[int, set[int]],
    members: dict[int, _Person],
) -> Team:
    election_id = entry.election_id
    base: dict[str, Any] = {
        "entry_id": entry.pk,
        "organization_id": entry.organization_id,
        "organization": entry.organization,
        "township_id": entry.township_id,
        "township": entry.township,
        "election_id": election_id,
        "completed": entry.status == ElectionStatus.COMPLETED,
    }
    if election_id is None:
        return Team(
            **base, stage=Stage.NONE, on=None, structure=None, figures=TeamFigures(), seats=0, misses=()
        )
    on, returning = days[election_id], outgoing.get(election_id, set())
    if elected[election_id]:
        stage, ids, heads_of = Stage.ELECTED, elected[election_id], secretaries[election_id]
    elif slates[-election_id]:
        stage, ids, heads_of = Stage.SLATE, slates[-election_id], slates[election_id]
    else:
        return Team(
            **base, stage=Stage.NONE, on=on, structure=None, figures=TeamFigures(), seats=0, misses=()
        )
    # Read with returning=False: only those of the outgoing committee need a copy that says so.
    people = [
        replace(members[pk].person, returning=True) if pk in returning else members[pk].person
        for pk in sorted(ids)
        if pk in members
    ]
    structure = structure_of(people, on)
    heading = sum(1 for pk in heads_of if pk in members and members[pk].heads)
    figures = team_figures(structure, secretaries=len(heads_of), secretaries_heading=heading)
    misses: list[str] = []
    if stage is Stage.ELECTED:
        if targets is not None:
            misses = [gap_text(gap) for gap in target_gaps(structure, targets)]
        in_sector = entry.sector in HEADING_SECTORS
        if heading_required and in_sector and figures.secretaries and heading < figures.secretaries:
            misses.append(SECRETARY_HEADING_MISSED)
    elif targets is not None and entry.seats:
        misses = [
            unreachable_text(gap, entry.seats)
            for gap in unreachable_targets(people, entry.seats, targets, on)
        ]
    return Team(
        **base,
        stage=stage,
        on=on,
        structure=structure,
        figures=figures,
        seats=entry.seats,
        misses=tuple(misses),
    )
