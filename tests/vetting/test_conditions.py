"""The upper level's conditions checked through the service, on exact-date boundaries (R-CAND-1,
R-CAND-6), and who may set them."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from xuanju.elections import actions as election_actions
from xuanju.elections.models import ElectionStatus
from xuanju.organizations import actions as organization_actions
from xuanju.organizations.actions import ActionError
from xuanju.vetting import actions
from xuanju.vetting.models import ElectionConditions
from xuanju.vetting.services import condition_failures, conditions_of, election_checks, require_conditions

pytestmark = pytest.mark.django_db


def person(village, **extra):
    return f.member(village.tree.village, **extra)


def test_R_CAND_1_age_counts_on_the_planned_election_day(village):
    actions.set_conditions("town", village.election, min_age=25, max_age=55)
    turns_25_on_the_day = person(village, birth_date=date(2001, 6, 1))
    turns_25_the_day_after = person(village, birth_date=date(2001, 6, 2))
    turns_56_on_the_day = person(village, birth_date=date(1970, 6, 1))
    turns_56_the_day_after = person(village, birth_date=date(1970, 6, 2))
    assert condition_failures(turns_25_on_the_day, village.election) == []
    assert condition_failures(turns_25_the_day_after, village.election) == [
        "选举日年龄 24 岁，不满 25 周岁，2026年6月2日才满（R-CAND-1）"
    ]
    assert condition_failures(turns_56_on_the_day, village.election) == [
        "选举日年龄 56 岁，超过 55 周岁（R-CAND-1）"
    ]
    assert condition_failures(turns_56_the_day_after, village.election) == []


def test_R_CAND_1_party_age_counts_from_full_membership_to_the_planned_day(village):
    actions.set_conditions("town", village.election, min_party_age=3)
    three_years_on_the_day = person(village, joined_on=date(2022, 6, 1), full_member_on=date(2023, 6, 1))
    one_day_short = person(village, joined_on=date(2022, 6, 2), full_member_on=date(2023, 6, 2))
    assert condition_failures(three_years_on_the_day, village.election) == []
    assert condition_failures(one_day_short, village.election) == [
        "党龄 2 年，不足 3 年，2026年6月2日才满 3 年（R-CAND-1）"
    ]


def test_R_CAND_1_the_sanction_window_ends_on_the_anniversary(village):
    actions.set_conditions("town", village.election, sanction_free_years=5)
    cleared = person(village)
    within = person(village)
    actions.add_sanction("village", cleared, "warning", date(2021, 6, 1))
    actions.add_sanction("village", within, "serious_warning", date(2021, 6, 2))
    assert condition_failures(cleared, village.election) == []
    assert condition_failures(within, village.election) == [
        "2021年6月2日受严重警告处分，未满 5 年（R-CAND-1）"
    ]


def test_R_CAND_1_education_and_residence_unknown_are_not_passed_silently(village):
    actions.set_conditions("town", village.election, min_education="college", must_reside_locally=True)
    unknown = person(village)
    low = person(village)
    fine = person(village)
    actions.save_profile("village", low, education="high_school", resides_locally=False)
    actions.save_profile("village", fine, education="bachelor", resides_locally=True)
    assert condition_failures(unknown, village.election) == [
        "学历未登记，无法判断是否符合“大专以上”（R-CAND-1）",
        "居住情况未登记，无法判断是否在本地居住（R-CAND-1）",
    ]
    assert condition_failures(low, village.election) == [
        "学历为高中、中专，不符合“大专以上”（R-CAND-1）",
        "不在本地居住，不符合“在本地居住”的条件（R-CAND-1）",
    ]
    assert condition_failures(fine, village.election) == []


def test_R_CAND_6_R_VOTE_3_no_right_to_stand_on_the_election_day(village):
    sanctioned = person(village)
    organization_actions.add_restriction(
        "village", sanctioned, "probation_within_party", date(2025, 6, 2), date(2026, 6, 1), "文号"
    )
    ended_the_day_before = person(village)
    organization_actions.add_restriction(
        "village", ended_the_day_before, "probation_within_party", date(2025, 6, 1), date(2026, 5, 31), "文号"
    )
    assert condition_failures(sanctioned, village.election) == [
        "选举日（2026年6月1日）正受留党察看处分，没有被选举权（R-VOTE-3、R-CAND-6）"
    ]
    assert condition_failures(ended_the_day_before, village.election) == []


def test_R_CAND_6_R_VOTE_2_a_probationary_member_fails_and_has_no_party_age(village):
    actions.set_conditions("town", village.election, min_party_age=1)
    probationary = person(village, full=False)
    assert condition_failures(probationary, village.election) == [
        "选举日（2026年6月1日）是预备党员，没有被选举权（R-VOTE-2、R-CAND-6）",
        "尚未转为正式党员，没有党龄，不足 1 年（R-CAND-1）",
    ]
    with pytest.raises(ActionError, match="不符合条件：选举日"):
        require_conditions(probationary, village.election)


def test_R_CAND_1_the_plan_s_minimum_party_age_is_the_default(village):
    village.election.minimum_party_age = 30
    village.election.save()
    assert conditions_of(village.election).min_party_age == 30
    young = person(village, joined_on=date(2000, 1, 1), full_member_on=date(2001, 1, 1))
    assert condition_failures(young, village.election)[0].startswith("党龄 25 年，不足 30 年")
    conditions = actions.set_conditions("town", village.election, max_age=70)
    assert conditions.min_party_age == 30  # taken over from the plan


def test_R_CAND_1_the_check_page_lists_every_nominee_with_reasons(village):
    actions.set_conditions("town", village.election, min_education="college")
    nominee = person(village, name="赵新")
    committee = village.contest()
    election_actions.record_nomination("village", committee, nominee, "党员个人推荐", 3)
    rows = {r.member.name: r for r in election_checks(village.election)}
    assert set(rows) == {p.name for p in village.people[:6]} | {"赵新"}
    client = f.client_for(village.accounts["secretary"])
    page = client.get(f"/elections/{village.election.pk}/conditions/").content.decode()
    assert (
        "赵新" in page
        and '学历未登记，无法判断是否符合“大专以上”<span class="rule-ref" title="R-CAND-1">（' in page
    )
    assert "学历大专以上" in page


def test_R_CAND_1_the_organization_cannot_set_its_own_conditions(village):
    election = village.election
    for name in ("secretary", "village_department", "town_secretary", "member", "counter"):
        client = f.client_for(village.accounts[name])
        for url in (
            f"/elections/{election.pk}/conditions/edit/",
            f"/elections/{election.pk}/structure/targets/",
        ):
            assert client.get(url).status_code == 403, (name, url)
            assert client.post(url, {"min_party_age": "9", "min_women": "3"}).status_code == 403, (name, url)
    assert not ElectionConditions.objects.exists()
    town = f.client_for(village.accounts["town"])
    response = town.post(
        f"/elections/{election.pk}/conditions/edit/", {"min_party_age": "3", "max_age": "55"}
    )
    assert response.status_code == 302
    assert conditions_of(election).min_party_age == 3 and conditions_of(election).max_age == 55


def test_R_CAND_1_conditions_are_fixed_once_the_candidates_are_submitted(village):
    election = village.election
    election.status = ElectionStatus.CANDIDATES_SUBMITTED
    election.save()
    with pytest.raises(ActionError, match="不能再修改"):
        actions.set_conditions("town", election, min_party_age=3)
    with pytest.raises(ActionError, match="不能再修改"):
        actions.set_structure_targets("town", election, min_women=1)
