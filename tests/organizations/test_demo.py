"""The demo county that ``xuanju serve`` loads into an empty database."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from xuanju.accounts.models import Role, User
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.demo.county import DemoSummary, demo_is_loaded, load_demo
from xuanju.organizations.models import (
    Committee,
    CommitteeSeat,
    Member,
    Organization,
    Reminder,
    Restriction,
    TermAdjustment,
)
from xuanju.organizations.personal_data import id_check_digit
from xuanju.organizations.services import FINDING_TEXT, findings_for, status_of
from xuanju.rules.organizations import Finding, committee_size_range
from xuanju.rules.terms import TermState, adjustment_problem, term_end, term_years

pytestmark = pytest.mark.django_db

# A month's last day, so that the term arithmetic meets clamped dates (31 Mar - 6 months = 30 Sep).
TODAY = date(2026, 3, 31)


def test_demo_is_loaded_flips_and_loads_with_the_real_today():
    """Runs first in this module, before the shared demo below exists."""
    assert not demo_is_loaded()
    summary = load_demo()
    assert demo_is_loaded()
    assert Organization.objects.count() == summary.organizations
    assert AuditRecord.objects.filter(action="load_demo").count() == 1


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> DemoSummary:
    """One demo load shared by the tests below, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(TODAY)
        transaction.set_rollback(True)


def current_committees() -> list[Committee]:
    return list(Committee.objects.filter(is_current=True).select_related("organization"))


def test_counts_are_in_range(demo):
    assert 60 <= demo.organizations <= 120
    assert 2000 <= demo.members <= 4000
    assert Organization.objects.count() == demo.organizations
    assert Member.objects.count() == demo.members
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds["party_committee"] >= 12 and kinds["general_branch"] >= 2 and kinds["branch"] >= 50
    root = Organization.objects.get_first_root_node()
    assert root.name == "中共示范县委员会" and Organization.objects.get_root_nodes().count() == 1
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    probationary = Member.objects.filter(status="probationary").count() / demo.members
    assert 0.05 <= probationary <= 0.08


def test_stored_member_counts_match_the_roster(demo):
    for org in Organization.objects.all():
        members = Member.objects.filter(organization=org, left_on__isnull=True)
        assert org.member_count == members.count()
        assert org.full_member_count == members.filter(status="full").count()


@pytest.mark.rule("R-TERM-3")
def test_every_term_state_appears_among_current_committees(demo):
    states = Counter(status_of(c, TODAY).state for c in current_committees())
    assert set(states) == set(TermState)
    assert states[TermState.IN_TERM] > sum(states.values()) / 2  # most organizations are in term


@pytest.mark.rule("R-TERM-1")
def test_terms_are_computed_by_the_rules(demo):
    for committee in current_committees():
        org = committee.organization
        years = term_years(org.kind_enum, org.sector_enum)
        assert committee.term_years == years
        assert committee.term_end == term_end(committee.elected_on, years)
        assert committee.elected_on <= TODAY
    assert Committee.objects.count() == Organization.objects.count()  # one current committee each


@pytest.mark.rule("R-TERM-2")
def test_adjustments_stay_within_a_year_and_set_the_due_date(demo):
    adjustments = list(TermAdjustment.objects.select_related("committee__organization", "approved_by"))
    assert {a.kind for a in adjustments} == {"delay", "advance"}
    for adjustment in adjustments:
        committee = adjustment.committee
        assert adjustment_problem(committee.term_end, adjustment.new_date) is None
        assert not adjustment.exceptional
        assert committee.reelection_due == adjustment.new_date
        assert (adjustment.kind == "delay") == (adjustment.new_date > committee.term_end)
        assert adjustment.approved_by == Organization.objects.get_parent(
            committee.organization
        )  # the upper level
        assert adjustment.approved_on <= TODAY
    adjusted = {a.committee_id for a in adjustments}
    for committee in Committee.objects.exclude(pk__in=adjusted):
        assert committee.reelection_due == committee.term_end
    # One delay has used up the whole year the rules allow, and that year is running out.
    near = [c for c in current_committees() if status_of(c, TODAY).state is TermState.DELAY_LIMIT_NEAR]
    assert any(c.reelection_due == term_end(c.term_end, 1) for c in near)


@pytest.mark.rule("R-ORG-1")
@pytest.mark.rule("R-ORG-2")
def test_the_deliberate_organization_findings_appear_and_no_others(demo):
    found: dict[str, list[str]] = {}
    for committee in current_committees():
        findings = findings_for(committee.organization, committee)
        if findings:
            found[committee.organization.name] = findings
    assert sorted(found.values()) == sorted(
        [
            [FINDING_TEXT[Finding.COMMITTEE_MISSING]],
            [FINDING_TEXT[Finding.BRANCH_TOO_LARGE]],
            [FINDING_TEXT[Finding.TOO_FEW_FULL_MEMBERS]],
        ]
    )
    by_finding = {texts[0]: Organization.objects.get(name=name) for name, texts in found.items()}
    assert by_finding[FINDING_TEXT[Finding.COMMITTEE_MISSING]].full_member_count == 9
    assert by_finding[FINDING_TEXT[Finding.BRANCH_TOO_LARGE]].member_count > 50
    assert by_finding[FINDING_TEXT[Finding.TOO_FEW_FULL_MEMBERS]].full_member_count == 2


@pytest.mark.rule("R-ORG-2")
@pytest.mark.rule("R-VOTE-1")
def test_committee_seats_are_full_members_of_the_organization(demo):
    restricted = set(Restriction.objects.values_list("member_id", flat=True))
    for committee in current_committees():
        org = committee.organization
        seats = list(CommitteeSeat.objects.filter(committee=committee).select_related("member"))
        assert [s.post for s in seats].count("secretary") == 1
        for seat in seats:
            assert seat.member.organization_id == org.pk
            assert seat.member.is_full and seat.member.left_on is None
            assert seat.member_id not in restricted
        if committee.has_committee:
            sizes = committee_size_range(org.kind_enum, org.sector_enum)
            assert sizes.minimum <= len(seats) <= sizes.normal_max
            if org.approved_committee_size is not None:
                assert len(seats) == org.approved_committee_size
        else:
            assert org.kind == "branch" and len(seats) <= 2
            assert {s.post for s in seats} <= {"secretary", "deputy_secretary"}
        if org.kind == "branch" and org.full_member_count < 7:
            assert not committee.has_committee


def test_id_numbers_are_unique_and_valid(demo):
    rows = list(Member.objects.values_list("id_number", "birth_date", "gender", "phone"))
    numbers = [row[0] for row in rows]
    assert len(set(numbers)) == len(numbers)
    assert len({row[3] for row in rows}) == len(rows)
    for number, birth, gender, phone in rows:
        assert re.fullmatch(r"\d{17}[\dX]", number)
        assert id_check_digit(number[:17]) == number[17]
        assert number[6:14] == f"{birth:%Y%m%d}"
        assert int(number[16]) % 2 == (1 if gender == "男" else 0)
        assert re.fullmatch(r"1[3-9]\d{9}", phone)


def test_member_dates_and_people_are_plausible(demo):
    members = list(Member.objects.all())
    for m in members:
        assert (m.joined_on - m.birth_date).days >= 18 * 365
        assert m.joined_on <= TODAY
        if m.is_full:
            assert m.full_member_on is not None and m.joined_on < m.full_member_on <= TODAY
        else:
            assert m.full_member_on is None
    ethnicities = Counter(m.ethnicity for m in members)
    assert 0.8 < ethnicities["汉族"] / len(members) < 0.97 and len(ethnicities) >= 4
    genders = Counter(m.gender for m in members)
    assert genders["男"] > genders["女"] > len(members) / 5
    assert len({m.name[0] for m in members}) >= 60  # many surnames


@pytest.mark.rule("R-VOTE-3")
@pytest.mark.rule("R-VOTE-4")
def test_restrictions_and_reminders(demo):
    kinds = Counter(Restriction.objects.values_list("kind", flat=True))
    assert kinds["probation_within_party"] >= 3 and kinds["detention"] == 1
    reminders = list(Reminder.objects.select_related("organization", "sent_by"))
    assert len(reminders) >= 3
    for reminder in reminders:
        assert reminder.sent_by == Organization.objects.get_parent(reminder.organization)
        assert reminder.due == reminder.organization.committees.get(is_current=True).reelection_due
    assert any(r.read_at is None for r in reminders) and any(r.read_at for r in reminders)


@pytest.mark.rule("R-SUP-4")
def test_one_audit_record_for_the_whole_load(demo):
    records = list(AuditRecord.objects.all())
    assert [r.action for r in records] == ["load_demo"]
    assert records[0].actor == "system"
    assert records[0].after["members"] == demo.members
    assert verify_chain() == (1, None)


def test_each_account_logs_in_with_the_demo_password(demo):
    assert demo.password == "xuanju-demo-2026"
    assert len(demo.accounts) == 7
    roles = Counter(User.objects.values_list("role", flat=True))
    assert roles[Role.ORGANIZATION_DEPARTMENT] == 2
    for role in (Role.SECRETARY, Role.INSPECTOR, Role.MEMBER, Role.COUNTER, Role.SCRUTINEER):
        assert roles[role] == 1
    root = Organization.objects.get_first_root_node()
    assert User.objects.get(role=Role.INSPECTOR).organization == root
    for username, description in demo.accounts:
        assert description
        client = Client()
        # django-axes checks every login attempt and needs the request that makes it.
        assert client.login(request=HttpRequest(), username=username, password=demo.password), username
        assert not client.login(request=HttpRequest(), username=username, password="wrong-password")


def test_the_pages_render_for_the_county_department(demo):
    client = Client()
    client.force_login(User.objects.get(username="county_org"))
    root = Organization.objects.get_first_root_node()
    branch = Organization.objects.filter(kind="branch").order_by("-member_count").first()
    for url in [
        reverse("monitor"),
        reverse("monitor") + "?bucket=delay_limit_near",
        reverse("organization_list"),
        reverse("organization_detail", args=[root.pk]),
        reverse("organization_detail", args=[branch.pk]),
        reverse("member_list", args=[branch.pk]),
    ]:
        assert client.get(url).status_code == 200, url
