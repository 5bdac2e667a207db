"""The pool's actions: who can be put forward, status changes with their history, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests import factories as f
from xuanju.audit.models import AuditRecord
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Contest, Elected, Meeting, Post, Round
from xuanju.organizations.actions import ActionError, add_restriction
from xuanju.reserve import actions
from xuanju.reserve.models import ReservePerson, ReserveStatus

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_R_CAND_6_a_member_under_probation_within_the_party_cannot_be_put_forward(world):
    member = world.people[1]
    add_restriction(
        "village", member, "probation_within_party", TODAY - timedelta(days=30), None, "纪决〔2025〕3号"
    )
    with pytest.raises(ActionError) as refused:
        actions.put_forward("village", world.tree.village, member, TODAY, "工作积极")
    assert "没有被选举权" in refused.value.message and "留党察看" in refused.value.message
    assert refused.value.field == "member"
    assert not ReservePerson.objects.filter(member=member).exists()


def test_R_CAND_6_a_probationary_member_cannot_be_put_forward(world):
    member = f.member(world.tree.village, "林小雨", full=False)
    with pytest.raises(ActionError) as refused:
        actions.put_forward("village", world.tree.village, member, TODAY, "年轻有干劲")
    assert "预备党员" in refused.value.message


def test_a_member_outside_the_subtree_cannot_be_put_forward(world):
    teacher = f.member(world.tree.school_branch, "钱老师")
    with pytest.raises(ActionError) as refused:
        actions.put_forward("village", world.tree.village, teacher, TODAY, "教学骨干")
    assert "不属于“中共东村支部委员会”及其下级组织" in refused.value.message


def test_the_upper_levels_pool_takes_members_of_the_organizations_beneath(world):
    person = actions.put_forward("town", world.tree.town, world.people[2], TODAY, "可作为镇党委委员培养")
    assert person.organization == world.tree.town and person.status == ReserveStatus.IN_POOL


def test_a_member_is_in_a_pool_once_and_may_return_after_leaving(world):
    with pytest.raises(ActionError, match="已在"):
        actions.put_forward("village", world.tree.village, world.people[0], TODAY, "再次推荐")
    actions.change_status("village", world.person, ReserveStatus.LEFT, TODAY, "外出务工，不再适合培养")
    again = actions.put_forward("village", world.tree.village, world.people[0], TODAY, "返乡创业")
    assert again.pk != world.person.pk


def test_leaving_needs_a_reason_and_is_final_and_the_history_is_kept(world):
    with pytest.raises(ActionError, match="出库须写明原因"):
        actions.change_status("village", world.person, ReserveStatus.LEFT, TODAY, "")
    actions.change_status("village", world.person, ReserveStatus.LEFT, TODAY, "调离本村")
    world.person.refresh_from_db()
    assert (world.person.left_on, world.person.left_reason) == (TODAY, "调离本村")
    with pytest.raises(ActionError, match="重新推荐"):
        actions.change_status("village", world.person, ReserveStatus.IN_POOL, TODAY)
    changes = [(c.from_status, c.to_status) for c in world.person.status_changes.all()]
    assert changes == [("", "in_pool"), ("in_pool", "left")]


def test_assessments_and_training_are_recorded_and_audited(world):
    before = AuditRecord.objects.count()
    actions.assess("village", world.person, date(2024, 12, 1), "good", "表现良好", "镇组织办")
    actions.assess("village", world.person, date(2025, 12, 1), "excellent", "")
    actions.record_training(
        "village",
        world.person,
        "村级后备干部培训班",
        date(2025, 5, 1),
        date(2025, 5, 3),
        Decimal("24"),
        "县委党校",
    )
    with pytest.raises(ActionError, match="早于"):
        actions.assess("village", world.person, date(2024, 1, 1), "good")
    with pytest.raises(ActionError, match="结束日期"):
        actions.record_training("village", world.person, "x", date(2025, 5, 3), date(2025, 5, 1), Decimal(1))
    assert [a.rating for a in world.person.assessments.all()] == ["excellent", "good"]
    assert world.person.assessments.last().assessed_by == "镇组织办"
    assert AuditRecord.objects.count() == before + 3
    assert AuditRecord.objects.filter(action="reserve_put_forward").exists()


def test_sync_elected_marks_the_elected_pool_people(world):
    tree, people = world.tree, world.people
    upper = actions.put_forward("town", tree.town, people[0], TODAY, "镇级后备")
    other = actions.put_forward("village", tree.village, people[5], TODAY, "未当选")
    election = election_actions.start_election("village", tree.village, TODAY + timedelta(days=30), 5, 1)
    contest = Contest.objects.get(election=election, post=Post.COMMITTEE_MEMBER)
    meeting = Meeting.objects.create(election=election, kind=Meeting.Kind.MEMBERS, held_on=TODAY)
    round_ = Round.objects.create(contest=contest, meeting=meeting, number=1, kind="regular", seats=5)
    Elected.objects.create(contest=contest, round=round_, member=people[0], votes=18)
    assert actions.sync_elected(election) == 2
    for person in (world.person, upper, other):
        person.refresh_from_db()
    assert (world.person.status, upper.status, other.status) == ("elected", "elected", "in_pool")
    assert actions.sync_elected(election) == 0  # idempotent
    assert world.person.status_changes.last().to_status == "elected"
