"""Delegates from the units' elections, the composition, the credentials review and the opening
(R-DEL-3, R-DEL-6)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.congress.world import TODAY, approve_plan, county_congress, elect_delegates
from xuanju.congress import actions, services
from xuanju.congress.composition import CompositionTargets, Target, UnitOutlook, as_targets, composition_rows
from xuanju.congress.hooks import CongressFlow
from xuanju.congress.models import Delegate, DelegateStatus, UnitElection
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Restriction
from xuanju.rules.structure import StructurePerson

pytestmark = pytest.mark.django_db


def person(key: str, female: bool = False, front_line: bool = False, born: int = 1980) -> StructurePerson:
    return StructurePerson(key, female, False, date(born, 1, 1), None, "", front_line, False)


def test_R_DEL_3_shares_become_counts_of_the_quota():
    targets = as_targets(150, CompositionTargets(front_line_percent=35, women_percent=25, min_under_35=10))
    assert (targets.min_front_line, targets.min_women, targets.min_under_age) == (53, 38, (35, 10))


def test_R_DEL_3_a_shortfall_is_flagged_while_seats_are_open():
    on = date(2026, 6, 1)
    elected = [person("a", female=True), person("b"), person("c")]
    targets = CompositionTargets(women_percent=50, front_line_percent=50, max_over_55_percent=20)
    open_units = [
        UnitOutlook(2, [person("d", female=True), person("e", born=1960), person("f", born=1960)]),
        UnitOutlook(1, None),
    ]
    rows = {r.target: r for r in composition_rows(elected, open_units, 6, targets, on)}
    women = rows[Target.WOMEN]  # 3 needed; 1 so far; best 1 + 1 (one woman among the candidates) + 1
    assert (women.required, women.actual, women.best, women.short) == (3, 1, 3, True)
    front = rows[Target.FRONT_LINE]  # no front-line candidate in the first unit: at most 1 more
    assert (front.required, front.best, front.reachable) == (3, 1, False)
    over = rows[Target.OVER_55]  # at most 1; the first unit must elect at least one of the two over 55
    assert (over.required, over.best, over.reachable) == (1, 1, True)


def _elected_world(**targets):
    world = county_congress(total=10, **targets)
    approve_plan(world)
    actions.start_unit_elections("county", world.congress, TODAY)
    school = UnitElection.objects.get(unit__name__contains="第一中学")
    elect_delegates(school, world.school_people[:5], 4)
    return world, school


def test_R_DEL_6_delegates_elected_creates_delegate_rows_awaiting_review():
    world, school = _elected_world()
    delegates = list(Delegate.objects.filter(unit=school.unit).order_by("-votes"))
    assert [(d.member, d.votes, d.status) for d in delegates] == [
        (p, v, DelegateStatus.ELECTED) for p, v in zip(world.school_people[:4], (20, 19, 18, 17), strict=True)
    ]
    assert all(d.election == school.election and d.round is not None for d in delegates)
    CongressFlow().delegates_elected(school.election)  # called twice: nothing doubled
    assert Delegate.objects.filter(unit=school.unit).count() == 4


def test_R_DEL_3_the_composition_counts_delegates_and_open_seats():
    world, _ = _elected_world(women_percent=60)
    table = services.composition(world.congress)
    assert (table["delegates"], table["open_seats"]) == (4, 6)
    (women,) = table["rows"]
    assert women["required"] == 6 and women["actual"] == 2 and women["best"] == 8
    assert "还差 4 名" in women["warning"]


def test_R_DEL_6_the_credentials_review_and_its_outcomes():
    world, school = _elected_world()
    first, second, _third, _fourth = Delegate.objects.filter(unit=school.unit).order_by("-votes")
    with pytest.raises(ActionError, match="审查小组"):
        actions.review_delegate("county", first, DelegateStatus.FORMAL)
    with pytest.raises(ActionError, match="组长"):
        actions.name_credentials_group("county", world.congress, [("甲", "member", "")])
    actions.name_credentials_group(
        "county", world.congress, [("李审", "leader", "县委组织部"), ("王查", "member", "")]
    )
    actions.review_delegate("county", first, DelegateStatus.FORMAL)
    first.refresh_from_db()
    assert first.status == DelegateStatus.FORMAL and "具有选举权和被选举权" in first.eligibility_review
    # rights lost before the congress day: cannot be formal; ineligible leaves a vacancy
    Restriction.objects.create(member=second.member, kind="detention", start=TODAY)
    with pytest.raises(ActionError, match=r"不能确认为正式代表.*R-VOTE-4"):
        actions.review_delegate("county", second, DelegateStatus.FORMAL)
    with pytest.raises(ActionError, match="审查发现的问题"):
        actions.review_delegate("county", second, DelegateStatus.INELIGIBLE)
    actions.review_delegate("county", second, DelegateStatus.INELIGIBLE, "被留置")
    assert actions.vacancies(school.unit) == [Delegate.objects.get(pk=second.pk)]
    by_election = actions.start_unit_by_election("county", school.unit, TODAY)
    assert by_election.seats == 1 and by_election.kind == UnitElection.Kind.BY_ELECTION
    assert actions.vacancies(school.unit) == []
    elect_delegates(by_election, world.school_people[4:6], 1)
    second.refresh_from_db()
    assert second.status == DelegateStatus.REPLACED


def test_R_DEL_6_a_procedural_defect_sends_the_unit_to_re_elect():
    world = county_congress(total=10)
    approve_plan(world)
    actions.start_unit_elections("county", world.congress, TODAY)
    school = UnitElection.objects.get(unit__name__contains="第一中学")
    elect_delegates(school, world.school_people[:4], 4, present=4, entitled=6)  # no quorum, no surplus
    findings = services.procedure_findings(school.election)
    assert any("R-MEET-1" in f for f in findings) and any("R-DEL-4" in f for f in findings)
    actions.name_credentials_group("county", world.congress, [("李审", "leader", "")])
    first = Delegate.objects.filter(unit=school.unit).first()
    with pytest.raises(ActionError, match="R-MEET-1"):
        actions.review_delegate("county", first, DelegateStatus.FORMAL)
    actions.review_delegate("county", first, DelegateStatus.PROCEDURE_DEFECT, "到会人数不足")
    school.unit.refresh_from_db()
    assert school.unit.needs_reelection
    assert set(Delegate.objects.filter(unit=school.unit).values_list("status", flat=True)) == {
        "procedure_defect"
    }
    again = actions.start_unit_reelection("county", school.unit, TODAY)
    assert again.seats == 4 and again.replaces.count() == 4


def test_R_DEL_6_congress_ready_blocks_until_formal_delegates_fill_the_seats():
    world, school = _elected_world()
    hooks = CongressFlow()
    actions.name_credentials_group("county", world.congress, [("李审", "leader", "")])
    assert "预备会议" in hooks.congress_ready(world.election)
    for delegate in Delegate.objects.filter(unit=school.unit):
        actions.review_delegate("county", delegate, DelegateStatus.FORMAL)
    meeting = actions.record_preparatory_meeting(
        "county", world.congress, TODAY, "一、听取报告\n二、选举", False
    )
    assert "资格审查报告" in hooks.congress_ready(world.election)
    actions.record_preparatory_meeting("county", world.congress, TODAY, "一、听取报告\n二、选举", True)
    assert "还有 6 个名额" in hooks.congress_ready(world.election)
    with pytest.raises(ActionError, match="五分之四"):
        actions.set_opening_decision("county", world.congress, "东乡镇来不及选举")
    town = UnitElection.objects.get(unit__name__contains="东乡镇")
    elect_delegates(town, world.village_people[:8], 6)
    for delegate in Delegate.objects.filter(unit=town.unit):
        actions.review_delegate("county", delegate, DelegateStatus.FORMAL)
    assert hooks.congress_ready(world.election) is None
    assert len(hooks.voters(world.election, TODAY)) == 10  # the formal delegates (R-DEL-6)
    formal = list(services.formal_delegates(world.congress))
    with pytest.raises(ActionError, match="半数"):
        actions.elect_presidium("county", meeting, formal[:3], 5, 3, 2)
    actions.elect_presidium("county", meeting, formal[:3], 9, 0, 1)
    head = next(d for d in formal if d.unit_id == school.unit_id)
    delegation = actions.form_delegation("county", world.congress, "学校代表团", [school.unit], head)
    assert delegation.head == head
    rows = services.report_rows(world.congress)
    assert [(r["unit"].name, len(r["delegates"]), r["vacant"]) for r in rows] == [
        (world.tree.town.name, 6, 0),
        (world.tree.school.name, 4, 0),
    ]
    sheet = load_workbook(io.BytesIO(services.report_xlsx(world.congress))).active
    assert sheet.max_row == 2 + 10
