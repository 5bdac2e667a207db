"""Actions on organizations, members, committees and terms: rules applied, nothing half-saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from xuanju.audit.models import AuditRecord
from xuanju.organizations import actions
from xuanju.organizations.actions import ActionError, SeatInput
from xuanju.organizations.models import Committee, Member, Organization, Transfer
from xuanju.organizations.services import (
    MonitorFilters,
    findings_for,
    organizations_without_committee,
    status_of,
)
from xuanju.rules.terms import TermState

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_creating_an_organization_writes_an_audit_record():
    county = f.org(None, "中共示范县委员会", "party_committee")
    town = f.org(county, "中共东乡镇委员会", "party_committee", "township")
    assert Organization.objects.get_parent(town) == county
    assert AuditRecord.objects.filter(action="create_organization").count() == 2


def test_no_organization_beneath_a_branch():
    tree = f.county_tree()
    with pytest.raises(ActionError, match="党支部之下"):
        f.org(tree.village, "某某小组")


def test_move_refuses_own_subtree_and_moves_otherwise():
    tree = f.county_tree()
    with pytest.raises(ActionError):
        actions.move_organization("t", tree.town, tree.village)
    actions.move_organization("t", tree.village, tree.school)
    tree.village.refresh_from_db()
    assert Organization.objects.get_parent(tree.village).pk == tree.school.pk


def test_merge_transfers_members_moves_children_and_dissolves_the_source():
    tree = f.county_tree()
    people = [f.member(tree.village) for _ in range(3)]
    actions.merge_organizations("t", tree.village, tree.school_branch, TODAY)
    tree.village.refresh_from_db()
    tree.school_branch.refresh_from_db()
    assert tree.village.dissolved_on == TODAY
    assert {m.organization_id for m in Member.objects.filter(pk__in=[p.pk for p in people])} == {
        tree.school_branch.pk
    }
    assert tree.school_branch.member_count == 3 and tree.village.member_count == 0
    assert Transfer.objects.count() == 3


def test_dissolve_refuses_an_organization_with_members_or_children():
    tree = f.county_tree()
    f.member(tree.village)
    with pytest.raises(ActionError, match="在册党员"):
        actions.dissolve_organization("t", tree.village, TODAY)
    with pytest.raises(ActionError, match="下级组织"):
        actions.dissolve_organization("t", tree.school, TODAY)


def test_member_counts_follow_the_roster():
    tree = f.county_tree()
    f.member(tree.village)
    f.member(tree.village, full=False)
    tree.village.refresh_from_db()
    assert (tree.village.member_count, tree.village.full_member_count) == (2, 1)


def test_member_dates_and_status_must_agree():
    tree = f.county_tree()
    with pytest.raises(ActionError, match="转正日期"):
        f.member(tree.village, full_member_on=None, status="full")
    with pytest.raises(ActionError, match="入党日期不能早于出生日期"):
        f.member(tree.village, joined_on=date(1979, 1, 1))
    assert Member.objects.count() == 0


def test_id_numbers_are_unique():
    tree = f.county_tree()
    f.member(tree.village, id_number="11010519491231002X")
    with pytest.raises(ActionError, match="身份证号"):
        f.member(tree.school_branch, id_number="11010519491231002X")


def test_R_TERM_1_committee_terms_follow_the_kind_and_sector():
    tree = f.county_tree()
    village = f.committee(tree.village, date(2024, 3, 1))
    branch = f.committee(tree.school_branch, date(2024, 3, 1))
    town = f.committee(tree.town, date(2024, 3, 1), size=7)
    assert (village.term_years, branch.term_years, town.term_years) == (5, 3, 5)
    assert branch.term_end == branch.reelection_due == date(2027, 3, 1)


def test_a_new_committee_replaces_the_current_one():
    tree = f.county_tree()
    first = f.committee(tree.village, date(2021, 3, 1))
    second = f.committee(tree.village, date(2025, 3, 1))
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert Committee.objects.filter(organization=tree.village, is_current=True).count() == 1


def test_R_VOTE_2_a_probationary_member_cannot_sit_on_a_committee():
    tree = f.county_tree()
    probationary = f.member(tree.village, full=False)
    with pytest.raises(ActionError, match="R-VOTE-2"):
        actions.record_committee("t", tree.village, date(2024, 1, 1), [SeatInput(probationary, "secretary")])
    assert not Committee.objects.exists()


def test_R_TERM_2_a_delay_of_at_most_a_year_moves_the_due_date():
    tree = f.county_tree()
    committee = f.committee(tree.school_branch, TODAY - timedelta(days=3 * 365))
    new_date = committee.term_end + timedelta(days=200)
    actions.record_term_adjustment(
        "t", committee, "delay", new_date, TODAY, tree.school, "示范教委〔2026〕3号", "主要负责人变动"
    )
    committee.refresh_from_db()
    assert committee.reelection_due == new_date
    assert status_of(committee, TODAY).state in (TermState.DELAYED, TermState.DELAY_LIMIT_NEAR)


def test_R_TERM_2_more_than_a_year_needs_an_exceptional_approval():
    tree = f.county_tree()
    committee = f.committee(tree.school_branch, TODAY - timedelta(days=3 * 365))
    too_late = committee.term_end + timedelta(days=400)
    with pytest.raises(ActionError, match="R-TERM-2"):
        actions.record_term_adjustment("t", committee, "delay", too_late, TODAY, tree.school, "文号", "理由")
    actions.record_term_adjustment(
        "t", committee, "delay", too_late, TODAY, tree.school, "文号", "理由", exceptional=True
    )
    committee.refresh_from_db()
    assert committee.reelection_due == too_late


def test_R_TERM_2_only_an_upper_level_approves():
    tree = f.county_tree()
    committee = f.committee(tree.village, date(2022, 1, 1))
    with pytest.raises(ActionError, match="上级"):
        actions.record_term_adjustment(
            "t",
            committee,
            "delay",
            committee.term_end + timedelta(days=30),
            TODAY,
            tree.school,
            "文号",
            "理由",
        )


def test_R_TERM_3_the_monitor_buckets():
    tree = f.county_tree()
    overdue = f.committee(tree.village, TODAY.replace(year=TODAY.year - 6))
    due_soon = f.committee(tree.school_branch, TODAY.replace(year=TODAY.year - 3) + timedelta(days=60))
    in_term = f.committee(tree.town, TODAY - timedelta(days=30), size=7)
    filters = MonitorFilters(TODAY)
    base = filters.base(tree.county)
    assert list(filters.bucket(base, TermState.OVERDUE)) == [overdue]
    assert list(filters.bucket(base, TermState.DUE_SOON)) == [due_soon]
    assert list(filters.bucket(base, TermState.IN_TERM)) == [in_term]
    assert filters.counts(base)[TermState.OVERDUE] == 1
    assert list(filters.bucket(filters.base(tree.school), TermState.OVERDUE)) == []


def test_R_TERM_3_a_reminder_is_recorded_and_read():
    tree = f.county_tree()
    f.committee(tree.village, date(2020, 1, 1))
    reminder = actions.send_reminder("部长", tree.town, tree.village, "请按期换届")
    assert reminder.due == date(2025, 1, 1)
    actions.mark_reminder_read("书记", reminder)
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_R_ORG_2_findings_for_a_branch_without_a_committee():
    tree = f.county_tree()
    for _ in range(9):
        f.member(tree.village)
    tree.village.refresh_from_db()
    assert any("R-ORG-2" in text for text in findings_for(tree.village, None))
    assert tree.village in organizations_without_committee(tree.county)


def test_an_action_that_fails_midway_saves_nothing():
    tree = f.county_tree()
    people = [f.member(tree.village) for _ in range(2)]
    before = AuditRecord.objects.count()
    with pytest.raises(ActionError):
        actions.record_committee(
            "t",
            tree.village,
            date(2024, 1, 1),
            [SeatInput(people[0], "member"), SeatInput(people[1], "member")],
        )
    assert not Committee.objects.exists()
    assert AuditRecord.objects.count() == before
    assert Organization.objects.count() == 5


def subtree_counts(org: Organization) -> tuple[int, int]:
    org.refresh_from_db()
    return org.subtree_member_count, org.subtree_full_member_count


def test_subtree_counts_follow_adds_transfers_moves_and_merges():
    tree = f.county_tree()
    people = [f.member(tree.village) for _ in range(3)] + [f.member(tree.village, full=False)]
    f.member(tree.school_branch)
    assert subtree_counts(tree.county) == (5, 4)
    assert subtree_counts(tree.town) == (4, 3)
    actions.transfer_member("t", people[0], tree.school_branch, TODAY)
    assert subtree_counts(tree.town) == (3, 2) and subtree_counts(tree.school) == (2, 2)
    actions.move_organization("t", tree.village, tree.school)
    assert subtree_counts(tree.town) == (0, 0) and subtree_counts(tree.school) == (5, 4)
    assert subtree_counts(tree.county) == (5, 4)
    actions.merge_organizations("t", tree.school, tree.town, TODAY)
    assert subtree_counts(tree.town) == (5, 4) and subtree_counts(tree.county) == (5, 4)
    actions.remove_member("t", people[3], TODAY, "出党")
    assert subtree_counts(tree.county) == (4, 4)


def test_R_ORG_3_a_state_organ_committee_is_judged_by_all_the_members_beneath_it():
    county = f.org(None, "中共示范县委员会", "party_committee")
    organ = f.org(county, "中共示范县财政局总支部委员会", "general_branch", "state_organ")
    branch = f.org(organ, "中共示范县财政局第一支部委员会", "branch", "state_organ")
    for _ in range(101):
        f.member(branch)
    organ.refresh_from_db()
    assert organ.member_count == 0 and organ.subtree_member_count == 101
    assert any("R-ORG-3" in text for text in findings_for(organ, None))


def test_a_party_committee_is_made_of_members_of_the_branches_beneath_it():
    tree = f.county_tree()
    people = [f.member(tree.village) for _ in range(4)] + [f.member(tree.town)]
    committee = actions.record_committee(
        "t",
        tree.town,
        date(2024, 1, 1),
        [SeatInput(p, "member" if i else "secretary") for i, p in enumerate(people)],
    )
    assert committee.seats.count() == 5
    outsider = f.member(tree.school_branch)
    with pytest.raises(ActionError, match="不是本组织"):
        actions.record_committee("t", tree.village, date(2025, 1, 1), [SeatInput(outsider, "secretary")])


def test_R_CAND_5_divisions_are_assigned_but_elected_posts_stay():
    tree = f.county_tree()
    committee = f.committee(tree.village, date(2024, 1, 1), size=5)
    seats = {s.post: s for s in committee.seats.all()}
    secretary = seats["secretary"]
    others = [s for s in committee.seats.all() if s.post == "member"]
    actions.assign_divisions(
        "t", committee, {others[0].member_id: "organization", others[1].member_id: "discipline"}
    )
    posts = dict(committee.seats.values_list("member_id", "post"))
    assert posts[others[0].member_id] == "organization" and posts[others[1].member_id] == "discipline"
    with pytest.raises(ActionError, match="R-CAND-5"):
        actions.assign_divisions("t", committee, {secretary.member_id: "propaganda"})
    with pytest.raises(ActionError, match="R-CAND-5"):
        actions.assign_divisions("t", committee, {others[2].member_id: "secretary"})
    outsider = f.member(tree.village)
    with pytest.raises(ActionError, match="本届委员会委员"):
        actions.assign_divisions("t", committee, {outsider.pk: "propaganda"})


def test_R_ORG_4_a_recorded_approval_of_the_exception_clears_the_wrong_kind_finding():
    county = f.org(None, "中共示范县委员会", "party_committee")
    organ = f.org(county, "中共示范县财政局总支部委员会", "general_branch", "state_organ")
    branch = f.org(organ, "中共示范县财政局第一支部委员会", "branch", "state_organ")
    for _ in range(30):  # under 50: a branch would be expected (R-ORG-3)
        f.member(branch)
    organ.refresh_from_db()
    assert any("R-ORG-3" in text for text in findings_for(organ, None))
    actions.update_organization("t", organ, kind_approval="示组通〔2025〕8号")
    organ.refresh_from_db()
    assert not any("R-ORG-3" in text for text in findings_for(organ, None))


def test_R_TERM_1_a_township_branch_committee_serves_three_years():
    tree = f.county_tree()
    organs = f.org(tree.town, "中共东乡镇机关支部委员会", "branch", "township")
    people = [f.member(organs) for _ in range(3)]
    elected_on = date(2024, 3, 1)
    committee = actions.record_committee(
        "t", organs, elected_on, [actions.SeatInput(people[0], "secretary")], has_committee=False
    )
    assert committee.term_years == 3 and committee.reelection_due == date(2027, 3, 1)
    town_people = [f.member(tree.village) for _ in range(2)]
    town = actions.record_committee(
        "t", tree.town, elected_on, [actions.SeatInput(town_people[0], "secretary")], has_committee=True
    )
    assert town.term_years == 5  # a township's party committee: 5 (R-TERM-1)


def test_R_TERM_1_the_migration_corrects_township_branch_terms_recorded_as_five_years():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("xuanju.organizations.migrations.0003_township_branch_terms")
    tree = f.county_tree()
    organs = f.org(tree.town, "中共东乡镇机关支部委员会", "branch", "township")
    people = [f.member(organs) for _ in range(3)]
    committee = actions.record_committee(
        "t", organs, date(2024, 3, 1), [SeatInput(people[0], "secretary")], has_committee=False
    )
    town = actions.record_committee(
        "t", tree.town, date(2024, 3, 1), [SeatInput(f.member(tree.village), "secretary")]
    )
    Committee.objects.filter(pk=committee.pk).update(
        term_years=5, term_end=date(2029, 3, 1), reelection_due=date(2029, 3, 1), remind_from=date(2028, 9, 1)
    )
    migration.fix_terms(apps, None)
    committee.refresh_from_db()
    town.refresh_from_db()
    assert (committee.term_years, committee.reelection_due, committee.remind_from) == (
        3,
        date(2027, 3, 1),
        date(2026, 9, 1),
    )
    assert town.term_years == 5  # a township's party committee keeps its 5 years
