"""The congress's plan: grounds, quota, units, allocation and adjustments, and what the request
to the upper level carries (R-DEL-1/2/3, R-RPT-1/4)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests import factories as f
from tests.congress.world import TODAY, approve_plan, county_congress
from xuanju.congress import actions, services
from xuanju.congress.hooks import CongressFlow
from xuanju.congress.models import UnitElection
from xuanju.elections import actions as election_actions
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db


def _election():
    tree = f.county_tree()
    for _ in range(8):
        f.member(tree.village)
    tree.county.refresh_from_db()
    return tree, election_actions.start_election(
        "county", tree.county, TODAY, 7, 1, readiness="就绪", form="congress"
    )


def test_R_DEL_2_a_quota_above_300_is_refused_and_250_needs_a_reason():
    _, election = _election()
    with pytest.raises(ActionError, match="300") as refused:
        actions.propose_congress("county", election, 301, "scattered", grounds_note="分散")
    assert refused.value.field == "delegates_total"
    with pytest.raises(ActionError, match="R-DEL-2") as unexplained:
        actions.propose_congress("county", election, 250, "scattered", grounds_note="分散")
    assert unexplained.value.field == "quota_reason"
    congress = actions.propose_congress(
        "county", election, 250, "scattered", grounds_note="分散", quota_reason="所属单位多、覆盖面广"
    )
    assert "250" in services.quota_note(congress) and "所属单位多" in services.quota_note(congress)
    assert services.quota_note(actions.revise_congress("county", congress, 150, "scattered", "分散")) == ""


def test_R_DEL_1_a_congress_by_member_count_needs_500_full_members():
    _, election = _election()
    with pytest.raises(ActionError, match="不足 500 人"):
        actions.propose_congress("county", election, 150, "members_500")
    with pytest.raises(ActionError, match="分散"):
        actions.propose_congress("county", election, 150, "scattered")


def test_R_DEL_1_only_an_election_at_a_congress_has_one():
    tree = f.county_tree()
    for _ in range(8):
        f.member(tree.village)
    tree.county.refresh_from_db()
    election = election_actions.start_election("county", tree.county, TODAY, 7, 1, readiness="就绪")
    with pytest.raises(ActionError, match="R-DEL-1"):
        actions.propose_congress("county", election, 150, "scattered", grounds_note="分散")


def test_R_DEL_3_units_default_to_the_direct_children_and_seats_add_up():
    world = county_congress(total=10)
    units = list(world.congress.units.all())
    assert [u.name for u in units] == [world.tree.town.name, world.tree.school.name]
    assert [list(u.organizations.all()) for u in units] == [[world.tree.town], [world.tree.school]]
    # base 1 each, the other 8 by 12 : 6 full members → 5.33 and 2.67; the larger remainder wins
    assert [(u.full_members, u.allocated, str(u.quota)) for u in units] == [(12, 6, "6.33"), (6, 4, "3.67")]
    assert services.allocation_total(world.congress) == 10
    assert services.allocation_problem(world.congress) is None


def test_R_DEL_3_adjustments_need_a_reason_and_must_balance():
    world = county_congress(total=10)
    town, school = world.unit("东乡镇"), world.unit("第一中学")
    with pytest.raises(ActionError, match="理由"):
        actions.adjust_allocation("county", world.congress, {town.pk: (-1, ""), school.pk: (1, "")})
    with pytest.raises(ActionError, match=r"合计 11 名.*代表名额 10 名") as unbalanced:
        actions.adjust_allocation("county", world.congress, {school.pk: (1, "学校一线教师多")})
    assert "增加的名额须从其他选举单位相应减少" in unbalanced.value.message
    actions.adjust_allocation(
        "county", world.congress, {town.pk: (-1, "兼顾学校"), school.pk: (1, "学校一线教师多")}
    )
    town.refresh_from_db()
    school.refresh_from_db()
    assert (town.seats, school.seats, school.adjustment_reason) == (5, 5, "学校一线教师多")
    rows = services.allocation_rows(world.congress)
    assert [(r["allocated"], r["adjustment"], r["seats"]) for r in rows] == [(6, -1, 5), (4, 1, 5)]


def test_R_DEL_3_a_group_of_organizations_becomes_one_unit_and_is_reallocated():
    world = county_congress(total=10)
    unit = actions.define_unit(
        "county", world.congress, "县直联合选举单位", [world.tree.town, world.tree.school]
    )
    assert list(world.congress.units.all()) == [unit]
    assert "还没有分配" in services.allocation_problem(world.congress)
    actions.allocate_seats("county", world.congress)
    unit.refresh_from_db()
    assert (unit.full_members, unit.seats) == (18, 10)
    with pytest.raises(ActionError, match="不是"):
        actions.define_unit("county", world.congress, "外单位", [world.tree.county])


def test_R_DEL_3_the_allocation_table_exports_to_xlsx():
    world = county_congress(total=10)
    sheet = load_workbook(io.BytesIO(services.allocation_xlsx(world.congress))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "选举单位"
    assert rows[2][:7] == (world.tree.town.name, world.tree.town.name, 12, 6.33, 6, 0, 6)
    assert rows[-1][0] == "合计" and rows[-1][6] == 10


def test_R_RPT_1_the_request_carries_quota_composition_and_allocation():
    world = county_congress(total=10, front_line_percent=40, women_percent=30, min_under_35=2)
    content = election_actions.plan_content(world.election)["congress"]
    assert content["delegates_total"] == 10 and "测试用" in content["quota_reason"]
    assert content["grounds"] == "所属党组织驻地分散"
    assert "生产和工作一线代表不少于 40%" in content["composition"]
    assert content["composition_counts"] == {"front_line": 4, "women": 3, "under_35": 2}
    assert [(a["unit"], a["seats"]) for a in content["allocation"]] == [
        (world.tree.town.name, 6),
        (world.tree.school.name, 4),
    ]
    assert content["problem"] == ""
    approve_plan(world)
    with pytest.raises(ActionError, match="R-RPT-1"):
        actions.revise_congress("county", world.congress, 12, "scattered", "分散", "测试")


def test_R_RPT_4_R_DEL_5_unit_elections_start_after_the_plan_is_approved():
    world = county_congress(total=10)
    with pytest.raises(ActionError, match="R-RPT-4"):
        actions.start_unit_elections("county", world.congress, TODAY)
    approve_plan(world)
    started = actions.start_unit_elections("county", world.congress, TODAY)
    assert [(u.election.organization, u.seats, u.election.kind) for u in started] == [
        (world.tree.town, 6, "delegates"),
        (world.tree.school, 4, "delegates"),
    ]
    hooks = CongressFlow()
    school = UnitElection.objects.get(unit__name__contains="第一中学").election
    assert hooks.approving_organization(school) == world.tree.county  # R-DEL-5
    assert set(hooks.nominees(school)) == set(world.school_people)
    assert {m.pk for m in hooks.voters(school, TODAY)} == {m.pk for m in world.school_people}
    assert hooks.plan_content(school) is None and hooks.congress_ready(school) is None
    with pytest.raises(ActionError, match="都已开始"):
        actions.start_unit_elections("county", world.congress, TODAY)


def test_R_DEL_3_an_election_without_a_congress_is_left_alone():
    _tree, election = _election()
    hooks = CongressFlow()
    assert hooks.voters(election, TODAY) is None and hooks.nominees(election) is None
    assert "尚未提出" in hooks.plan_content(election)["problem"]
    assert "尚未提出" in hooks.congress_ready(election)


def test_R_RPT_1_a_congress_request_waits_for_a_quota_and_a_balanced_allocation():
    _, election = _election()
    with pytest.raises(ActionError, match="尚未提出党员代表大会的代表名额"):
        election_actions.submit_plan("county", election)
    world = county_congress(total=10)
    unit = world.congress.units.order_by("position").first()
    type(unit).objects.filter(pk=unit.pk).update(adjustment=1)  # out of balance, as a stale table would be
    with pytest.raises(ActionError, match="请示前须先理顺代表名额分配方案"):
        election_actions.submit_plan("county", world.election)
    type(unit).objects.filter(pk=unit.pk).update(adjustment=0)
    approve_plan(world)


def test_R_DEL_3_a_unit_without_full_members_gets_no_seat_and_the_table_says_why():
    world = county_congress(total=10)
    empty = f.org(world.tree.county, "中共示范县新设机构支部委员会", "branch")
    unit = actions.define_unit("county", world.congress, "新设机构", [empty])
    actions.allocate_seats("county", world.congress)
    unit.refresh_from_db()
    assert (unit.full_members, unit.seats) == (0, 0)
    assert sum(u.seats for u in world.congress.units.all()) == 10
    assert services.allocation_problem(world.congress) is None
    row = next(r for r in services.allocation_rows(world.congress) if r["name"] == "新设机构")
    assert "无正式党员，不分配基本名额" in row["note"]
    with pytest.raises(ActionError, match="没有正式党员"):
        actions.adjust_allocation("county", world.congress, {unit.pk: (1, "照顾代表性")})
    approve_plan(world)
    started = actions.start_unit_elections("county", world.congress, TODAY)
    assert unit.pk not in {u.unit_id for u in started}
