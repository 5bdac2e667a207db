"""Between elections: seats fall vacant by themselves; resignation, removal and appointment are
recorded with their decisions (《中国共产党支部工作条例（试行）》, xuanju/rules/vacancies.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.organizations import actions, vacancies
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import CommitteeChange, Vacancy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@built_once
def village():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES[:9]]
    committee = f.committee_of(tree.village, people[:3], TODAY - timedelta(days=400))
    return tree, people, committee


def test_a_committee_member_transferred_out_leaves_a_vacancy(village):
    tree, people, committee = village
    actions.transfer_member("t", people[1], tree.school_branch, TODAY)
    vacancy = Vacancy.objects.get()
    assert (vacancy.committee, vacancy.post, vacancy.former_member) == (committee, "member", people[1])
    assert vacancy.reason == "transferred_out" and vacancy.opened_on == TODAY
    assert list(committee.seats.values_list("member__name", flat=True).order_by("id")) == ["王芳", "张伟"]
    assert CommitteeChange.objects.get().kind == "vacated"
    assert AuditRecord.objects.filter(action="open_vacancy").count() == 1


def test_a_transfer_within_the_organization_keeps_the_seat():
    tree = f.county_tree()
    sub = f.org(tree.town, "中共东乡镇第二村支部委员会", "branch", "village")
    town_people = [f.member(tree.village) for _ in range(3)]
    f.committee_of(tree.town, town_people, TODAY - timedelta(days=100))
    actions.transfer_member("t", town_people[2], sub, TODAY)  # still beneath the township
    assert not Vacancy.objects.exists()


@pytest.mark.rule("R-VOTE-3")
def test_probation_within_the_party_vacates_the_seat(village):
    _, people, _ = village
    actions.add_restriction("t", people[0], "probation_within_party", TODAY, None, "县纪委〔2026〕1号")
    vacancy = Vacancy.objects.get()
    assert (vacancy.post, vacancy.reason, vacancy.document) == (
        "secretary",
        "lost_rights",
        "县纪委〔2026〕1号",
    )


@pytest.mark.rule("R-VOTE-4")
def test_detention_vacates_but_a_past_restriction_does_not(village):
    _, people, _ = village
    actions.add_restriction(
        "t", people[2], "detention", TODAY - timedelta(days=90), TODAY - timedelta(days=60), ""
    )
    assert not Vacancy.objects.exists()
    actions.add_restriction("t", people[2], "detention", TODAY - timedelta(days=3), None, "")
    assert Vacancy.objects.get().reason == "rights_suspended"


def test_death_vacates_the_seat(village):
    _, people, _ = village
    actions.remove_member("t", people[1], TODAY, "病故", "death")
    assert Vacancy.objects.get().reason == "death"


def test_resignation_needs_the_committee_acceptance_recorded(village):
    _, people, committee = village
    seat = committee.seats.get(member=people[2])
    with pytest.raises(ActionError, match="决定或文件"):
        vacancies.accept_resignation("t", seat, TODAY, " ")
    assert committee.seats.count() == 3
    vacancies.accept_resignation("t", seat, TODAY, "支委会会议纪要（2026年第5次）")
    assert Vacancy.objects.get().reason == "resignation"
    assert CommitteeChange.objects.get().kind == "resigned"


def test_removal_only_with_the_decision_of_the_competent_body(village):
    _, people, committee = village
    seat = committee.seats.get(member=people[1])
    with pytest.raises(ActionError):
        vacancies.remove_from_committee("t", seat, TODAY, "")
    vacancies.remove_from_committee("t", seat, TODAY, "东乡镇党委〔2026〕9号决定")
    assert Vacancy.objects.get().reason == "removal"


def test_the_upper_level_appoints_a_secretary_into_the_vacancy(village):
    tree, people, committee = village
    actions.remove_member("t", people[0], TODAY - timedelta(days=10), "病故", "death")
    seat = vacancies.appoint(
        "t", committee, people[5], "secretary", tree.town, "东组〔2026〕7号", "原书记病故", TODAY
    )
    assert (seat.source, seat.post, seat.decision) == ("appointed", "secretary", "东组〔2026〕7号")
    vacancy = Vacancy.objects.get()
    assert (vacancy.filled_by, vacancy.filled_how, vacancy.filled_on) == (people[5], "appointed", TODAY)
    assert AuditRecord.objects.filter(action="appoint_leader").count() == 1


def test_an_ordinary_member_is_never_appointed(village):
    tree, people, committee = village
    actions.transfer_member("t", people[1], tree.school_branch, TODAY)
    with pytest.raises(ActionError, match="只能指派书记或副书记"):
        vacancies.appoint("t", committee, people[5], "member", tree.town, "东组〔2026〕7号", "需要", TODAY)
    assert committee.seats.count() == 2 and Vacancy.objects.get().filled_on is None


def test_only_the_upper_level_appoints_with_a_decision_and_reason(village):
    tree, people, committee = village
    actions.remove_member("t", people[0], TODAY, "病故", "death")
    with pytest.raises(ActionError, match="只有上级党组织"):
        vacancies.appoint("t", committee, people[5], "secretary", tree.village, "文号", "理由", TODAY)
    with pytest.raises(ActionError, match="文号"):
        vacancies.appoint("t", committee, people[5], "secretary", tree.town, "", "理由", TODAY)
    with pytest.raises(ActionError, match="理由"):
        vacancies.appoint("t", committee, people[5], "deputy_secretary", tree.town, "文号", "", TODAY)
    assert not committee.seats.filter(member=people[5]).exists()


def test_a_secretary_is_not_appointed_over_a_sitting_one(village):
    tree, people, committee = village
    with pytest.raises(ActionError, match="已有书记"):
        vacancies.appoint("t", committee, people[5], "secretary", tree.town, "文号", "理由", TODAY)


def test_vacancies_flagged_late_after_the_threshold(village, settings):
    tree, people, _ = village
    actions.transfer_member("t", people[1], tree.school_branch, TODAY - timedelta(days=150))
    actions.remove_member("t", people[2], TODAY - timedelta(days=20), "病故", "death")
    rows = vacancies.rows(vacancies.open_vacancies_under(tree.county))
    assert [(r.vacancy.former_member.name, r.overdue) for r in rows] == [("李强", True), ("张伟", False)]
    settings.XUANJU_BY_ELECTION_OVERDUE_MONTHS = 6
    assert not any(r.overdue for r in vacancies.rows(vacancies.open_vacancies_under(tree.county)))


def test_inbox_items_for_the_upper_levels_department_only(village):
    tree, people, _ = village
    actions.transfer_member("t", people[1], tree.school_branch, TODAY)
    town_dept = f.account("town", tree.town, "org_department")
    school_dept = f.account("school", tree.school, "org_department")
    secretary = f.account("sec", tree.village, "secretary")
    assert [r.vacancy.former_member for r in vacancies.vacancy_inbox_items(town_dept)] == [people[1]]
    assert vacancies.vacancy_inbox_items(school_dept) == []
    assert vacancies.vacancy_inbox_items(secretary) == []
    from xuanju.accounts import inbox

    waiting = {section.source.key: section.items for section in inbox.sections(town_dept)}
    assert [item.organization for item in waiting["vacancies"]] == [tree.village.name]
    school_waiting = {section.source.key: section.items for section in inbox.sections(school_dept)}
    assert inbox.waiting_count(town_dept) >= 1 and school_waiting["vacancies"] == []


def test_a_division_of_work_after_a_by_election_enters_the_history(village):
    _, people, committee = village
    actions.assign_divisions("t", committee, {people[1].pk: "organization", people[2].pk: "member"})
    change = CommitteeChange.objects.get()
    assert (change.kind, change.member, change.post) == ("division", people[1], "organization")
