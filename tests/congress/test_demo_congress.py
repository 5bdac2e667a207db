"""The demo congress ``xuanju serve`` loads after the demo election: the development zone's 2,400
members in 30 units elected 150 delegates, all found formal; the committee's 11 candidates for 9
seats are approved and the congress is ready to open."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import client_for
from xuanju.accounts.models import Role, User
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.congress import services
from xuanju.congress.hooks import CongressFlow
from xuanju.congress.models import Congress, Delegate, DelegateStatus
from xuanju.demo.congress import ORGANIZER, ZONE, DemoCongress, load_demo_congress
from xuanju.demo.county import load_demo
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus, Post
from xuanju.organizations.models import Member, Organization

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)  # as tests/counting/test_demo_election.py


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> tuple[DemoCongress, float]:
    """The demo county and its congress, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(TODAY)
        started = time.perf_counter()
        summary = load_demo_congress(TODAY)
        yield summary, time.perf_counter() - started
        transaction.set_rollback(True)


@pytest.fixture
def congress(demo) -> Congress:
    return Congress.objects.get(pk=demo[0].congress_id)


def test_the_loader_builds_2400_members_in_30_units_electing_150(demo):
    # Its wall time is read in benchmarks/demo.py, not asserted here (the machine may be busy).
    summary, _ = demo
    assert (summary.members, summary.units, summary.delegates_total) == (2400, 30, 150)


def test_the_zone_has_2400_members_in_30_subordinate_organizations(demo):
    zone = Organization.objects.get(name=ZONE)
    assert (zone.kind, zone.depth) == ("party_committee", 2)
    assert Member.objects.filter(organization__path__startswith=zone.path).count() == 2400
    assert Organization.objects.filter(path__startswith=zone.path, depth=3).count() == 30
    assert zone.subtree_full_member_count >= 2200
    assert zone.committees.get(is_current=True).seats.count() == 9
    account = User.objects.get(username=ORGANIZER)
    assert account.organization == zone and account.role == Role.ORGANIZATION_DEPARTMENT


def test_150_formal_delegates_across_30_units_summing_to_the_quota(congress):
    units = list(congress.units.all())
    assert len(units) == 30 and sum(u.seats for u in units) == congress.delegates_total == 150
    assert Delegate.objects.filter(congress=congress).count() == 150
    assert services.formal_delegates(congress).count() == 150
    for unit in units:
        assert unit.delegates.filter(status=DelegateStatus.FORMAL).count() == unit.seats
        (unit_election,) = unit.elections.all()
        assert unit_election.election.status == ElectionStatus.COMPLETED
        assert services.procedure_findings(unit_election.election) == []
        contest = unit_election.election.contests.get()
        assert contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).count() > contest.seats  # R-DEL-4


def test_the_composition_has_numbers(congress):
    table = services.composition(congress)
    assert (table["delegates"], table["open_seats"]) == (150, 0)
    rows = {row["name"]: row for row in table["rows"]}
    assert len(rows) == 5 and all(row["actual"] > 0 for row in rows.values())


def test_11_provisional_candidates_for_9_seats_approved_and_ready_to_open(congress):
    election = Election.objects.get(pk=congress.election_id)
    assert election.status == ElectionStatus.CANDIDATES_APPROVED
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    assert committee.seats == 9
    assert committee.candidates.filter(stage=Candidate.Stage.CANDIDATE).count() == 11  # approved
    approval = election.approvals.get(kind=Approval.Kind.CANDIDATES)
    assert approval.decision == Approval.Decision.APPROVED and approval.decided_by == "county_org"
    assert CongressFlow().congress_ready(election) is None
    assert congress.preparatory_meeting.presidium.count() > 0
    assert congress.delegations.count() == 5


def test_the_audit_chain_verifies(demo):
    assert AuditRecord.objects.filter(action="review_delegate").count() == 150
    assert AuditRecord.objects.filter(action="close_round").count() == 30
    checked, broken = verify_chain()
    assert checked > 0 and broken is None


def test_the_congress_pages_answer_the_zones_organization_department(congress):
    client = client_for(User.objects.get(username=ORGANIZER))
    for name in ("congress_detail", "congress_allocation", "congress_composition", "congress_report"):
        assert client.get(reverse(name, args=[congress.pk])).status_code == 200, name


def test_the_units_write_ins_are_real_members_never_a_candidates_id_or_name(congress):
    """Issue 23: the demo once passed a candidate's id ("c11") as a write-in name."""
    for unit in congress.units.all():
        (unit_election,) = unit.elections.all()
        (round_,) = unit_election.election.contests.get().rounds.all()
        candidates = list(round_.candidates.select_related("member"))
        taken = {c.key for c in candidates} | {c.member.name for c in candidates}
        written = {name for entry in round_.ballots.all() for name in entry.write_ins}
        assert written and not written & taken, unit
        names = {
            name
            for org in unit.organizations.all()
            for name in Member.objects.filter(organization__path__startswith=org.path).values_list(
                "name", flat=True
            )
        }
        assert written <= names, unit  # a member of the unit who does not stand
