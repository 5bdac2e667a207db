"""Demo of a re-election campaign (集中换届, issue 19): the town of 城关镇 re-elects its village
organizations together. Loaded after the county, its demo election (东关村, at the counting desk),
congress and the between-elections demo, through the campaign's and the elections' own actions:
the town arranges and starts the campaign, and the villages stand at different steps — one with its
request returned for changes, one waiting for the town's reply past its time, some not yet asking,
one whose candidates wait for the town's approval, and two that have held their meetings, had their
results approved and seated their new committees (so the structure charts show elected teams).

The actions date every request and reply today; so that the board shows a campaign a few weeks
under way, the demo then moves the requests' and replies' dates back to the days named here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from xuanju.campaigns import actions as campaign_actions
from xuanju.campaigns.models import CampaignEntry
from xuanju.elections import actions
from xuanju.elections.actions import candidate_pool, meeting_contests
from xuanju.elections.models import (
    Approval,
    Candidate,
    Contest,
    CountingMethod,
    Election,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Post,
)
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import minimum_candidates

TOWN = "中共城关镇委员会"
TOWN_DEPARTMENT, SECRETARY = "town_org", "branch_sec"  # demo accounts (xuanju.demo.county.ACCOUNTS)
READINESS = "本届支部委员会已向党员大会报告工作，完成党员民主评议；换届工作方案已经支委会研究，报镇党委审批"

# Each village's step: (organization, days ago it requested, days ago the town replied, reply).
# None: the request or the reply has not happened. Those of ELECTED go on to elect their committee
# today, those of SLATE send their candidates up.
STAGES: list[tuple[str, int | None, int | None, str | None]] = [
    ("中共城关镇西关村支部委员会", None, None, None),  # not yet asked: late with its request
    ("中共城关镇南街村支部委员会", 16, None, None),  # waiting for the town's reply, past its time
    ("中共城关镇北街村支部委员会", 20, 15, Approval.Decision.APPROVED),
    ("中共城关镇河口村支部委员会", 18, 15, Approval.Decision.RETURNED),  # returned for changes
    ("中共城关镇新华村总支部委员会", 15, 10, Approval.Decision.APPROVED),
    ("中共城关镇新华村第一支部委员会", 3, None, None),  # waiting for the town's reply, in time
    ("中共城关镇新华村第三支部委员会", 13, 8, Approval.Decision.APPROVED),
]
# 北街村 only sends its candidates: its sitting committee is the between-elections demo's vacancy
# (xuanju.demo.between, loaded before), which a new committee would fill.
ELECTED = ("中共城关镇新华村总支部委员会", "中共城关镇新华村第三支部委员会")
SLATE = ("中共城关镇北街村支部委员会",)
CANDIDATES_ASKED, CANDIDATES_REPLIED = 6, 3  # days ago: the candidates' request and the town's reply
SEED = 20261205


@dataclass(frozen=True)
class DemoCampaign:
    campaign_id: int
    name: str
    organizations: int
    started: int
    linked: int


def load_demo_campaign(today: date | None = None) -> DemoCampaign:
    """Arrange, start and advance the town's campaign over its villages. Call once, after the demo
    county and its election, on the same database and with the same ``today``."""
    today = today or timezone.localdate()
    town = Organization.objects.get(name=TOWN)
    campaign = campaign_actions.create_campaign(
        TOWN_DEPARTMENT,
        town,
        f"城关镇{today.year}年村党组织集中换届",
        campaign_actions.Selection(sectors=["village"]),
        secretary_heads_committee=True,
        requests_by=today - timedelta(days=14),
        candidates_by=today,
        meetings_from=today,
        meetings_until=today + timedelta(days=21),
        results_by=today + timedelta(days=30),
        reply_days=7,
        min_party_age=2,
        sanction_free_years=5,
        other="政治素质好，热心为群众服务，在群众中有较高威信",
        min_women=1,
        under_age=35,
        min_under_age=1,
        min_college_or_above=1,
        max_average_age=50,
    )
    outcome = campaign_actions.start_campaign(TOWN_DEPARTMENT, campaign)
    elections = dict(
        CampaignEntry.objects.filter(campaign=campaign, election__isnull=False).values_list(
            "organization__name", "election_id"
        )
    )
    for name, asked, replied, decision in STAGES:
        if asked is None:
            continue
        election = Election.objects.get(pk=elections[name])
        actions.edit_plan(
            SECRETARY,
            election,
            election.planned_on,
            election.committee_seats,
            election.deputy_seats,
            readiness=READINESS,
            composition=election.composition,
        )
        approval = actions.submit_plan(SECRETARY, election)
        if decision is not None:
            comments = (
                ""
                if decision == Approval.Decision.APPROVED
                else "请补充本届委员会任期内工作情况和换届准备情况"
            )
            actions.decide(
                TOWN_DEPARTMENT, approval, decision, f"城关党字〔{today.year}〕{20 + asked}号", comments
            )
        Approval.objects.filter(pk=approval.pk).update(
            submitted_on=today - timedelta(days=asked),
            decided_on=today - timedelta(days=replied) if replied is not None else None,
        )
    rng = random.Random(SEED)
    for name in SLATE:
        propose_candidates(Election.objects.get(pk=elections[name]), SECRETARY, rng)
    for name in ELECTED:
        election = Election.objects.get(pk=elections[name])
        approval = propose_candidates(election, SECRETARY, rng)
        actions.decide(
            TOWN_DEPARTMENT, approval, Approval.Decision.APPROVED, f"城关党字〔{today.year}〕40号", ""
        )
        Approval.objects.filter(pk=approval.pk).update(
            submitted_on=today - timedelta(days=CANDIDATES_ASKED),
            decided_on=today - timedelta(days=CANDIDATES_REPLIED),
        )
        hold_election(election, SECRETARY, today)
        actions.decide(
            TOWN_DEPARTMENT,
            actions.submit_results(SECRETARY, election),
            Approval.Decision.APPROVED,
            f"城关党字〔{today.year}〕41号",
            "",
        )
    return DemoCampaign(
        campaign_id=campaign.pk,
        name=campaign.name,
        organizations=CampaignEntry.objects.filter(campaign=campaign).count(),
        started=outcome.started,
        linked=outcome.linked,
    )


def propose_candidates(election: Election, actor: str, rng: random.Random) -> Approval:
    """The branch nominates, vets and sends up its provisional candidates (R-CAND-2: the seats and
    the legal surplus for the committee; one each for the secretary and deputies, R-CAND-3),
    drawn with ``rng`` from the members who may stand; the request to the town."""
    contests = {c.post: c for c in election.contests.all()}
    pool = [m for m in candidate_pool(election).order_by("pk") if rights_of(m, election.planned_on).can_stand]
    committee = contests.get(Post.COMMITTEE_MEMBER)
    seats = committee.seats if committee else 1 + election.deputy_seats
    chosen = rng.sample(pool, minimum_candidates(seats) if committee else seats)
    if committee is not None:
        for number, person in enumerate(chosen):
            actions.record_nomination(actor, committee, person, "支部党员推荐", 20 - number)
            actions.set_candidate(
                actor, committee, person, Candidate.Stage.PROVISIONAL, vetting="经考察，符合候选人条件"
            )
    leaders = [(Post.SECRETARY, chosen[0])]
    if Post.DEPUTY_SECRETARY in contests:
        leaders.append((Post.DEPUTY_SECRETARY, chosen[1]))
    for post, person in leaders:
        actions.set_candidate(actor, contests[post], person, Candidate.Stage.PROVISIONAL)
    return actions.submit_candidates(actor, election)


def _vote(actor: str, meeting: Meeting, contest: Contest, present: int) -> None:
    """One round in which every ballot is for the first candidates on the list, up to the seats;
    entered once and confirmed by the scrutineer (the procedure counts by single entry)."""
    round_ = actions.open_round(actor, contest, meeting, issued=present)
    keys = [c.key for c in round_.candidates.order_by("pk")][: contest.seats]
    entry = actions.record_ballot(f"{actor}·计票人", round_, keys, [], [], count=present)
    actions.confirm_ballot(f"{actor}·监票人", entry)
    actions.close_round(f"{actor}·监票人", round_, present)


def _meeting(actor: str, election: Election, kind: str, today: date) -> Meeting:
    """A meeting with everyone on its roll present, its procedure, and a scrutineer and a counter
    who stand for nothing in it (R-MEET-4)."""
    meeting = actions.open_meeting(actor, election, kind, today)
    present = sorted(meeting.attendance.values_list("member_id", flat=True))
    actions.mark_present(actor, meeting, present)
    meeting = actions.close_roll(actor, meeting)
    actions.adopt_procedure(
        actor,
        meeting,
        "present",
        False,
        votes_for=meeting.present,
        counting_method=CountingMethod.SINGLE_ENTRY,
    )
    voted_on = [c.pk for c in meeting_contests(meeting)]
    standing = set(Candidate.objects.filter(contest__in=voted_on).values_list("member_id", flat=True))
    helpers = Member.objects.in_bulk([pk for pk in present if pk not in standing][:2])
    scrutineer, counter = helpers.values()
    actions.appoint(actor, meeting, scrutineer, MeetingRole.Role.SCRUTINEER)
    actions.appoint(actor, meeting, counter, MeetingRole.Role.COUNTER)
    return meeting


def hold_election(election: Election, actor: str, today: date) -> None:
    """The members' meeting today elects the committee (then its first plenary the secretary and
    deputies), or — without a committee — the secretary and deputies directly; every ballot is for
    the first candidates up to the seats. The results are then ready to be reported. Done through
    the elections' actions, audited like any meeting."""
    meeting = _meeting(actor, election, Meeting.Kind.MEMBERS, today)
    for contest in meeting_contests(meeting):
        _vote(actor, meeting, contest, meeting.present)
    election.refresh_from_db()
    if election.status == ElectionStatus.PLENARY:
        plenary = _meeting(actor, election, Meeting.Kind.PLENARY, today)
        for contest in meeting_contests(plenary):
            _vote(actor, plenary, contest, plenary.present)
