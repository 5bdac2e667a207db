"""The campaign's structure figures (read in a few queries over the whole campaign, as plain values)
against a straightforward recount: organization by organization through the models, each person
read by vetting's ``structure_person``, on a campaign generated at random (R-CAND-1: 结构合理;
R-DEL-3: targets checked against the candidates and against those elected).

The generator writes rows directly and knows nothing of the campaign's code; the recount follows
the definitions (the voting meeting's day, or the planned day; the committee in office before that
day; those elected to the committee, the secretary and deputies; else the open slate) one
organization at a time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests import factories as f
from xuanju.campaigns.models import Campaign, CampaignEntry
from xuanju.campaigns.structure import Stage, campaign_structure
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
from xuanju.rules.structure import Targets, structure_of, target_gaps
from xuanju.rules.team_totals import TeamFigures, team_figures
from xuanju.vetting.models import MemberProfile
from xuanju.vetting.structure import structure_person

pytestmark = pytest.mark.django_db

TEAM_POSTS = [Post.COMMITTEE_MEMBER, Post.SECRETARY, Post.DEPUTY_SECRETARY]
PLANNED = date(2026, 3, 1)


def _generate(seed: int) -> Campaign:
    """Three townships of six villages; each village's members, profiles (some missing), one or two
    outgoing committees (or none), and an election elected, with an open slate, with nobody chosen,
    or none at all; a few branches without a committee (a secretary and a deputy only)."""
    rng = random.Random(seed)
    county = f.org(None, f"中共随机{seed}县委员会", "party_committee")
    campaign = Campaign.objects.create(
        organization=county,
        name="随机集中换届",
        requests_by=date(2026, 1, 10),
        candidates_by=date(2026, 2, 1),
        meetings_from=date(2026, 2, 20),
        meetings_until=date(2026, 3, 20),
        results_by=date(2026, 3, 31),
        min_women=1,
        min_minorities=1,
        max_average_age=48.5,
        under_age=35,
        min_under_age=1,
        min_college_or_above=2,
        min_front_line=1,
        min_new=1,
        max_returning=3,
        secretary_heads_committee=True,
        created_by="test",
    )
    for t in range(3):
        town = f.org(county, f"中共随机{t}镇委员会", "party_committee", "township")
        for v in range(6):
            sector = rng.choice(["village", "village", "community", "school"])
            village = f.org(town, f"中共随机{t}镇{v}支部委员会", "branch", sector)
            _village(rng, campaign, town, village)
    return campaign


def _village(rng: random.Random, campaign: Campaign, town: Organization, village: Organization) -> None:
    people = []
    for _ in range(rng.randint(4, 9)):
        person = f.member(
            village,
            gender=rng.choice("男女"),
            ethnicity=rng.choice(["汉族", "汉族", " 汉族 ", "回族", "壮族"]),
            birth_date=date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        )
        if rng.random() < 0.85:
            MemberProfile.objects.create(
                member=person,
                education=rng.choice(["primary", "high_school", "college", "bachelor", "postgraduate", ""]),
                occupation=rng.choice(["", "农民", "个体经营"]),
                front_line=rng.random() < 0.5,
                heads_residents_committee=rng.random() < 0.5,
            )
        people.append(person)
    for year in sorted(rng.sample([2011, 2016, 2021], rng.randint(0, 2))):
        f.committee_of(village, rng.sample(people, min(3, len(people))), date(year, 3, 1))
    stage = rng.choice(["elected", "elected", "slate", "nobody", "no_election"])
    election = None
    if stage != "no_election":
        has_committee = rng.random() > 0.2
        seats = rng.randint(3, min(5, len(people))) if has_committee else 0
        status = rng.choice(
            [ElectionStatus.COMPLETED, ElectionStatus.RESULTS_SUBMITTED, ElectionStatus.PLENARY]
        )
        election = Election.objects.create(
            organization=village,
            status=status if stage == "elected" else ElectionStatus.CANDIDATES_SUBMITTED,
            has_committee=has_committee,
            committee_seats=seats,
            deputy_seats=0 if has_committee else 1,
            term_years=5,
            planned_on=PLANNED,
        )
        contests = {}
        posts = [(Post.COMMITTEE_MEMBER, seats)] if has_committee else []
        posts += [(Post.SECRETARY, 1)] + ([] if has_committee else [(Post.DEPUTY_SECRETARY, 1)])
        for position, (post, number) in enumerate(posts):
            contests[post] = Contest.objects.create(
                election=election, post=post, seats=number, position=position
            )
        chosen = rng.sample(people, min(len(people), (seats or 2) + 1))
        if stage == "elected":
            # The voting meeting is sometimes held later than planned: ages count on its day.
            held = PLANNED + timedelta(days=rng.choice([0, 10, 20]))
            meeting = Meeting.objects.create(election=election, kind=Meeting.Kind.MEMBERS, held_on=held)
            Meeting.objects.create(
                election=election, kind=Meeting.Kind.PLENARY, held_on=held + timedelta(days=1)
            )
            team = chosen[: seats or 2]
            for post, contest in contests.items():
                who = team if post == Post.COMMITTEE_MEMBER else team[:1]
                if post == Post.DEPUTY_SECRETARY:
                    who = team[1:2]
                if post == Post.SECRETARY and has_committee and rng.random() < 0.3:
                    continue  # the plenary has not elected the secretary yet
                round_ = Round.objects.create(
                    contest=contest,
                    meeting=meeting,
                    number=1,
                    kind=Round.Kind.REGULAR,
                    seats=contest.seats,
                    closed=True,
                )
                for person in who:
                    Elected.objects.create(contest=contest, round=round_, member=person, votes=9)
        elif stage == "slate":
            first = next(iter(contests.values()))
            for person in chosen:
                Candidate.objects.create(
                    contest=first, member=person, stage=rng.choice(list(Candidate.Stage))
                )
            if has_committee and rng.random() < 0.7:
                Candidate.objects.create(
                    contest=contests[Post.SECRETARY], member=chosen[0], stage=Candidate.Stage.PROVISIONAL
                )
    CampaignEntry.objects.create(campaign=campaign, organization=village, township=town, election=election)


def _recount(entry: CampaignEntry) -> tuple[Stage, TeamFigures, list[str]]:
    """One organization's team, its figures and the targets an elected team misses."""
    election = entry.election
    if election is None:
        return Stage.NONE, TeamFigures(), []
    meeting = election.meetings.filter(kind=election.voting_meeting_kind).first()
    day = meeting.held_on if meeting else election.planned_on
    before = entry.organization.committees.filter(elected_on__lt=day).order_by("-elected_on").first()
    returning = set(before.seats.values_list("member_id", flat=True)) if before else set()
    elected = Elected.objects.filter(
        contest__election=election, contest__post__in=TEAM_POSTS, member__isnull=False
    )
    if elected.exists():
        stage = Stage.ELECTED
        people = Member.objects.filter(pk__in=elected.values("member_id"))
        secretaries = Member.objects.filter(
            pk__in=elected.filter(contest__post=Post.SECRETARY).values("member_id")
        )
    else:
        open_ = Candidate.objects.filter(
            contest__election=election,
            contest__post__in=TEAM_POSTS,
            stage__in=[Candidate.Stage.PROVISIONAL, Candidate.Stage.CANDIDATE],
        )
        committee = open_.filter(contest__post=Post.COMMITTEE_MEMBER)
        slate = committee if committee.exists() else open_
        if not slate.exists():
            return Stage.NONE, TeamFigures(), []
        stage = Stage.SLATE
        people = Member.objects.filter(pk__in=slate.values("member_id"))
        secretaries = Member.objects.filter(
            pk__in=open_.filter(contest__post=Post.SECRETARY).values("member_id")
        )
    structure = structure_of([structure_person(m, returning) for m in people.order_by("pk")], day)
    heading = sum(
        1
        for m in secretaries
        if MemberProfile.objects.filter(member=m, heads_residents_committee=True).exists()
    )
    figures = team_figures(structure, secretaries=secretaries.count(), secretaries_heading=heading)
    gaps = (
        [gap.gap.value for gap in target_gaps(structure, _targets(entry.campaign))]
        if stage is Stage.ELECTED
        else []
    )
    return stage, figures, gaps


def _targets(campaign: Campaign) -> Targets:
    return Targets(
        min_women=campaign.min_women,
        min_minorities=campaign.min_minorities,
        max_average_age=campaign.max_average_age,
        min_under_age=(campaign.under_age, campaign.min_under_age),
        min_college_or_above=campaign.min_college_or_above,
        min_front_line=campaign.min_front_line,
        min_new=campaign.min_new,
        max_returning=campaign.max_returning,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_R_CAND_1_R_DEL_3_the_campaigns_figures_equal_a_recount_organization_by_organization(seed):
    campaign = _generate(seed)
    found = campaign_structure(campaign)
    entries = CampaignEntry.objects.filter(campaign=campaign).select_related(
        "organization", "election", "campaign"
    )
    expected = {entry.organization_id: _recount(entry) for entry in entries}
    assert {team.organization_id for team in found.teams} == set(expected)
    stages = set()
    for team in found.teams:
        stage, figures, gaps = expected[team.organization_id]
        assert (team.stage, team.figures) == (stage, figures), team.organization
        stages.add(stage)
        if stage is Stage.ELECTED:
            # Each missed target is worded once; the “一肩挑” requirement comes on top.
            assert len(team.misses) - (
                team.figures.secretaries_heading < team.figures.secretaries
                and team.figures.secretaries > 0
                and entries.get(organization_id=team.organization_id).organization.sector
                in ("village", "community")
            ) == len(gaps), team.organization
    assert stages == {Stage.ELECTED, Stage.SLATE, Stage.NONE}  # the generator reached every stage
    # Townships and the total: the recount's elected and slate teams added one by one.
    for township in found.townships:
        mine = [e for e in entries if e.township_id == township.township_id]
        elected = slates = TeamFigures()
        for entry in mine:
            stage, figures, _ = expected[entry.organization_id]
            if stage is Stage.ELECTED:
                elected = elected + figures
            elif stage is Stage.SLATE:
                slates = slates + figures
        assert (township.entries, township.elected, township.slates) == (len(mine), elected, slates)
    everyone_elected = TeamFigures()
    for stage, figures, _ in expected.values():
        if stage is Stage.ELECTED:
            everyone_elected = everyone_elected + figures
    assert found.elected == everyone_elected
