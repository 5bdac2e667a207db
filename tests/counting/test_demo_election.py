"""The demo election that ``xuanju serve`` loads after the demo county: the 东关村 branch's members'
meeting with round 1 open, its sheets printed and a few read at the double-entry desk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.factories import client_for
from xuanju.accounts.models import Role, User
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.counting import actions as desk
from xuanju.counting.desk import conflict_keys, next_serial, pending, sheet_account
from xuanju.counting.models import BallotPrint, DeskEntry
from xuanju.demo.county import load_demo
from xuanju.demo.election import DemoElection, load_demo_election
from xuanju.elections.actions import slate_check
from xuanju.elections.models import (
    Approval,
    BallotEntry,
    Candidate,
    Election,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Post,
    Round,
)
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.organizations.services import rights_of
from xuanju.reserve.models import ReservePerson, ReserveStatus
from xuanju.rules.organizations import committee_size_range
from xuanju.rules.voting import completed_years, party_age
from xuanju.vetting.models import ElectionConditions, MemberProfile, StructureTargets, Verdict, VettingRecord
from xuanju.vetting.services import check_member, slate_structure

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)  # as tests/organizations/test_demo.py
ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> tuple[DemoElection, float]:
    """The demo county and its election, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(TODAY)
        started = time.perf_counter()
        summary = load_demo_election(TODAY)
        yield summary, time.perf_counter() - started
        transaction.set_rollback(True)


@pytest.fixture
def election(demo) -> Election:
    return Election.objects.get()


@pytest.fixture
def round_(demo) -> Round:
    return Round.objects.get()


def keys(round_: Round) -> list[str]:
    return [c.key for c in ballot_order(list(round_.candidates.select_related("member")))]


@pytest.mark.rule("R-ORG-2")
@pytest.mark.rule("R-RPT-4")
def test_the_branch_is_at_its_members_meeting_with_round_1_open(demo, election, round_):
    summary, _ = demo
    org = election.organization
    assert org.name == summary.organization == "中共城关镇东关村支部委员会"
    assert election.status == ElectionStatus.MEETING and election.has_committee
    sizes = committee_size_range(org.kind_enum, org.sector_enum)
    assert org.full_member_count >= 7 and sizes.minimum <= election.committee_seats <= sizes.normal_max
    assert election.committee_seats == summary.seats == org.approved_committee_size  # R-ORG-4
    approvals = list(election.approvals.order_by("pk"))
    assert [a.kind for a in approvals] == [Approval.Kind.PLAN, Approval.Kind.CANDIDATES]
    assert all(a.decision == Approval.Decision.APPROVED and a.decided_by == "town_org" for a in approvals)
    assert {a.submitted_by for a in approvals} == {"branch_sec"}
    meeting = Meeting.objects.get()
    assert meeting.kind == Meeting.Kind.MEMBERS and meeting.held_on == TODAY and not meeting.closed
    assert meeting.roll_closed and meeting.procedure_adopted
    assert round_.number == 1 and round_.kind == Round.Kind.REGULAR and not round_.closed
    assert round_.contest.post == Post.COMMITTEE_MEMBER and round_.seats == election.committee_seats
    assert round_.issued == meeting.present == summary.issued == summary.present


@pytest.mark.rule("R-CAND-2")
@pytest.mark.rule("R-CAND-3")
@pytest.mark.rule("R-CAND-5")
@pytest.mark.rule("R-VOTE-1")
def test_the_candidates_are_a_lawful_slate_of_members_who_may_stand(demo, election, round_):
    summary, _ = demo
    contests = {c.post: c for c in election.contests.all()}
    committee = contests[Post.COMMITTEE_MEMBER]
    finals = list(committee.candidates.filter(stage=Candidate.Stage.CANDIDATE).select_related("member"))
    assert len(finals) >= committee.seats + 1 and set(round_.candidates.all()) == set(finals)
    assert [c.member.name for c in ballot_order(finals)] == summary.candidates
    for candidate in finals:
        member = candidate.member
        assert member.organization_id == election.organization_id and member.is_full
        assert rights_of(member, TODAY).can_stand
    committee_members = {c.member_id for c in finals}
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        (only,) = contests[post].candidates.filter(stage=Candidate.Stage.CANDIDATE)
        assert only.member_id in committee_members  # R-CAND-5, equal election R-CAND-3
    secretary = contests[Post.SECRETARY].candidates.get().member.name
    assert secretary == summary.secretary == User.objects.get(username="branch_sec").display_name
    # The slate checks pass for the stage they were made at (provisional, before approval).
    Candidate.objects.filter(contest__election=election).update(stage=Candidate.Stage.PROVISIONAL)
    assert all(slate_check(c) is None for c in contests.values())


@pytest.mark.rule("R-MEET-1")
@pytest.mark.rule("R-MEET-4")
def test_most_members_are_present_and_the_counting_accounts_hold_the_roles(election):
    meeting = Meeting.objects.get()
    assert meeting.entitled == election.organization.full_member_count
    assert meeting.entitled > meeting.present > meeting.entitled * 4 / 5
    roles = {r.member.name: r.role for r in MeetingRole.objects.select_related("member")}
    assert sorted(roles.values()) == ["chief_scrutineer", "counter", "counter", "scrutineer"]
    for username, role in (("counter", "counter"), ("counter2", "counter"), ("scrutineer", "scrutineer")):
        assert roles[User.objects.get(username=username).display_name] == role
    standing = set(
        Candidate.objects.filter(contest__election=election).values_list("member__name", flat=True)
    )
    assert not standing & set(roles)


def test_counter2_is_a_second_counter_account_with_the_demo_password(demo):
    summary, _ = demo
    assert [u for u, _ in summary.accounts] == ["counter2"]
    counter2 = User.objects.get(username="counter2")
    assert counter2.role == Role.COUNTER and counter2.organization.name == summary.organization
    assert User.objects.filter(role=Role.COUNTER).count() == 2
    assert Client().login(request=HttpRequest(), username="counter2", password="xuanju-demo-2026")


@pytest.mark.rule("R-BAL-5")
def test_the_sheets_are_printed_and_some_are_at_the_desk(demo, round_):
    summary, _ = demo
    printed = BallotPrint.objects.get(round=round_)
    assert printed.sheets == round_.issued + printed.reserve == summary.printed and printed.reserve > 0
    account = sheet_account(round_)
    assert account.printed == printed.sheets and account.counted == summary.counted == 6
    entries = list(BallotEntry.objects.filter(round=round_).order_by("sheet"))
    assert [e.sheet for e in entries] == [1, 2, 3, 4, 5, 6]
    assert {e.source for e in entries} == {BallotEntry.Source.DOUBLE_ENTRY}
    assert {e.entered_by for e in DeskEntry.objects.all()} == {"counter", "counter2"}
    assert [e.key for e in pending(round_, 1)] == summary.waiting == ["7"]
    assert conflict_keys(round_) == summary.conflicts == ["8"]
    assert next_serial(round_, 1) == 9


@pytest.mark.rule("R-BAL-4")
def test_the_desk_stops_until_the_scrutineer_decides_then_goes_on(round_):
    counter, counter2 = User.objects.get(username="counter"), User.objects.get(username="counter2")
    k = keys(round_)
    with pytest.raises(ActionError, match="第8号选票两次录入不一致"):
        desk.enter_at_desk(counter2, round_, "7", 2, k[:5], [k[5]], [])
    scrutineer = User.objects.get(username="scrutineer")
    desk.resolve_conflict(scrutineer, round_, "8", k[:4], [k[5]], [])
    entry = desk.enter_at_desk(counter2, round_, "7", 2, k[:5], [k[5]], [])
    assert entry.ballot is not None and entry.ballot.sheet == 7
    desk.enter_at_desk(counter, round_, "9", 1, k[:5], [], [])
    assert round_.ballots.count() == 8


def test_the_counting_accounts_open_the_counting_pages(demo, round_):
    summary, _ = demo
    overview = reverse("counting_overview", args=[round_.pk])
    assert summary.round_id == round_.pk
    for username in ("counter", "counter2", "scrutineer", "branch_sec"):
        client = client_for(User.objects.get(username=username))
        response = client.get(overview)
        assert response.status_code == 200, username
        assert "第8号" in response.content.decode()
    client = client_for(User.objects.get(username="counter2"))
    assert client.get(reverse("counting_desk", args=[round_.pk, 2])).status_code == 200
    assert client_for(User.objects.get(username="member")).get(overview).status_code == 403


@pytest.mark.rule("R-SUP-4")
def test_every_step_is_in_the_audit_chain_and_it_verifies():
    actions = list(AuditRecord.objects.order_by("pk").values_list("action", "actor"))
    assert actions[0] == ("load_demo", "system") and actions[-1] == ("load_demo_election", "system")
    done = {action for action, _ in actions}
    assert {
        "start_election",
        "submit_plan",
        "decide",
        "set_candidate",
        "submit_candidates",
        "open_meeting",
        "mark_present",
        "close_roll",
        "adopt_procedure",
        "appoint",
        "open_round",
        "print_ballots",
        "enter_at_desk",
        "record_ballot",
        "set_conditions",
        "set_structure_targets",
        "save_profile",
        "save_vetting",
        "add_talk",
        "reserve_put_forward",
        "reserve_assess",
        "reserve_training",
        "reserve_nominated",
    } <= done
    assert {actor for _, actor in actions} == {
        "system",
        "branch_sec",
        "town_org",
        "county_org",
        "counter",
        "counter2",
    }
    assert verify_chain() == (len(actions), None)


def test_the_demo_command_loads_the_election_and_the_chain_verifies(tmp_path):
    """The whole ``xuanju demo`` path in its own process, on a fresh data folder."""
    # Never the PostgreSQL database the suite may be running against: a fresh SQLite file.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"XUANJU_DATA": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xuanju.settings"}

    def xuanju(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xuanju.cli", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = xuanju("demo")
    assert done.returncode == 0, done.stderr
    assert "counter2" in done.stdout and "xuanju-demo-2026" in done.stdout
    assert "演示选举：中共城关镇东关村支部委员会换届" in done.stdout
    assert "第8号两次录入不一致" in done.stdout and "/rounds/1/counting/" in done.stdout
    assert (
        "演示党员代表大会：中共示范县经济开发区委员会（2400 名党员），30 个选举单位选出代表 150 名"
        in done.stdout
    )
    assert "kaifa_org" in done.stdout and "/congress/1/" in done.stdout
    assert "缺额已 5 个月（补选不及时）" in done.stdout and "书记由上级党组织指派" in done.stdout
    verified = xuanju("audit", "verify")
    assert verified.returncode == 0 and "审计链完整" in verified.stdout, verified.stderr
    again = xuanju("demo")
    assert again.returncode == 2 and "只能载入空数据库" in again.stderr


# --- what the choice rests on (R-CAND-1): conditions, targets, profiles, vetting, the pool ------


@pytest.mark.rule("R-CAND-1")
def test_the_town_set_conditions_the_slate_meets_and_structure_targets(demo, election):
    summary, _ = demo
    conditions = ElectionConditions.objects.get(election=election)
    targets = StructureTargets.objects.get(election=election)
    assert conditions.set_by == targets.set_by == "town_org"
    assert conditions.min_party_age == 2 and conditions.max_age is not None and conditions.max_age >= 65
    assert summary.conditions[:2] == ["党龄不少于 2 年", f"选举日不超过 {conditions.max_age} 周岁"]
    assert (targets.min_women, targets.min_front_line, targets.max_average_age) == (1, 2, 55)
    finals = Candidate.objects.filter(contest__election=election).select_related("member")
    for candidate in finals:
        member = candidate.member
        assert check_member(member, election).passed, member.name
        assert completed_years(member.birth_date, TODAY) <= conditions.max_age
        assert (party_age(member.full_member_on, TODAY) or 0) >= conditions.min_party_age
    team = slate_structure(election)
    rows = {row["gap"]: row for row in team.target_rows}
    assert rows["min_front_line"]["met"] and rows["min_college_or_above"]["met"]
    assert len(team.people) == len(summary.candidates)


def test_candidates_and_most_members_have_profiles(demo, election):
    summary, _ = demo
    roster = election.organization.members.filter(left_on__isnull=True)
    profiles = MemberProfile.objects.filter(member__in=roster)
    assert summary.profiles == profiles.count() >= roster.count() // 2
    standing = Candidate.objects.filter(contest__election=election).values_list("member", flat=True)
    assert set(standing) <= set(profiles.values_list("member", flat=True))
    occupations = set(profiles.values_list("occupation", flat=True))
    assert "村干部" in occupations and "农民" in occupations
    assert profiles.filter(front_line=True).exists() and profiles.exclude(education="").count() == len(
        profiles
    )


@pytest.mark.rule("R-CAND-1")
def test_every_committee_candidate_was_vetted(demo, election):
    summary, _ = demo
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    records = list(VettingRecord.objects.filter(candidate__contest=committee).prefetch_related("talks"))
    assert len(records) == summary.vetted == len(summary.candidates)
    for record in records:
        verdicts = {
            record.political_verdict,
            record.ability_verdict,
            record.conduct_verdict,
            record.integrity_verdict,
        }
        assert verdicts == {Verdict.PASS} and record.conclusion == "符合候选人条件"
        assert 25 <= record.assessment_participants <= 35 and record.team and record.vetted_on < TODAY
        rated = record.rated_excellent + record.rated_competent
        rated += record.rated_basically_competent + record.rated_incompetent
        assert rated <= record.assessment_participants and record.rated_incompetent <= 1
        assert 1 <= len(record.talks.all()) <= 2
    # The secretary's and deputy's candidates were vetted with the committee's: the same record.
    for other in VettingRecord.objects.exclude(candidate__contest=committee).select_related("candidate"):
        same = next(r for r in records if r.candidate.member_id == other.candidate.member_id)
        assert other.conclusion == same.conclusion and other.rated_excellent == same.rated_excellent
    assert VettingRecord.objects.count() == len(records) + (2 if summary.deputy else 1)


@pytest.mark.rule("R-CAND-1")
def test_a_candidate_came_from_the_branchs_reserve_pool(demo, election):
    summary, _ = demo
    (name,) = summary.from_pool
    assert name in summary.candidates and name not in (summary.secretary, summary.deputy)
    person = ReservePerson.objects.get(organization=election.organization, member__name=name)
    assert person.status == ReserveStatus.NOMINATED
    assert person.assessments.exists() and person.trainings.exists()
    nomination = election.contests.get(post=Post.COMMITTEE_MEMBER).nominations.get(nominee=person.member)
    assert "后备人才库" in nomination.source


@pytest.mark.parametrize("page", ["election_structure", "election_vetting", "election_conditions"])
def test_the_vetting_pages_answer_the_organizers_not_the_members(demo, election, page):
    summary, _ = demo
    url = reverse(page, args=[summary.election_id])
    assert summary.election_id == election.pk
    for username in ("branch_sec", "town_org"):
        response = client_for(User.objects.get(username=username)).get(url)
        assert response.status_code == 200, username
    for username in ("member", "counter", "scrutineer"):
        assert client_for(User.objects.get(username=username)).get(url).status_code == 403, username


def test_the_structure_and_vetting_pages_show_the_demo(demo, election):
    client = client_for(User.objects.get(username="branch_sec"))
    structure = client.get(reverse("election_structure", args=[election.pk])).content.decode()
    assert "生产、工作一线至少 2 名" in structure and "女性至少 1 名" in structure
    vetting = client.get(reverse("election_vetting", args=[election.pk])).content.decode()
    assert vetting.count("符合候选人条件") >= len(demo[0].candidates) and "未考察" not in vetting
