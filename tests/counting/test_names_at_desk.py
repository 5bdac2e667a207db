"""Write-in names as people, not spellings, through the shell (R-NAME-5, R-CNT-2): the desk, the
close of the count, the confirmation of the person written in, and scanning's adjudication."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import confirm, print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from tests.counts import close_counted
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.counting import actions, scanning
from xuanju.counting.desk import conflict_keys
from xuanju.counting.models import DeskEntry, MarkDoubt
from xuanju.counting.readings import parse_names
from xuanju.elections import actions as election_actions
from xuanju.elections.models import BallotEntry, CountingMethod, Elected
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member
from xuanju.organizations.services import members_named
from xuanju.paper.synthetic import Drawn

pytestmark = pytest.mark.django_db


@built_once
def scan_world() -> World:
    """The same round, counted by scanning (R-MEET-4: the method the procedure adopted)."""
    return open_round_world(timezone.localdate(), method=CountingMethod.SCAN)


# The candidates are people[:6] (王芳 李强 张伟 刘洋 陈静 杨帆); 胡斌 is people[14], a member
# who is not a candidate; 20 voters present, 5 seats.


def enter(world: World, who: str, key: str, slot: int, for_=(), against=(), write_ins=(), count=1):
    return actions.enter_at_desk(
        world.accounts[who], world.round, key, slot, list(for_), list(against), list(write_ins), count
    )


def test_R_NAME_5_two_readings_differing_only_in_spacing_agree_at_the_desk(world):
    assert world.people[14].name == "胡斌"
    one, two = client_for(world.accounts["counter1"]), client_for(world.accounts["counter2"])
    form = {"key": "7", "reading": "x.....", "count": "1", "void_reason": ""}
    one.post(reverse("counting_desk", args=[world.round.pk, 1]), form | {"write_ins": "胡 斌"})
    assert DeskEntry.objects.get(slot=1).write_ins == ["胡 斌"]  # one name, as typed
    two.post(reverse("counting_desk", args=[world.round.pk, 2]), form | {"write_ins": "胡\u3000斌\u200b"})
    entry = BallotEntry.objects.get()
    assert entry.sheet == 7 and entry.source == "double_entry" and conflict_keys(world.round) == []
    assert len(entry.write_ins) == 1


def test_R_NAME_5_readings_naming_different_people_still_disagree(world):
    k = world.keys()
    enter(world, "counter1", "8", 1, against=[k[0]], write_ins=["胡斌"])
    enter(world, "counter2", "8", 2, against=[k[0]], write_ins=["胡兵"])
    assert conflict_keys(world.round) == ["8"] and BallotEntry.objects.count() == 0


def test_R_NAME_5_write_in_names_are_separated_by_punctuation_not_spaces():
    assert parse_names("胡 斌、郭靖，何 平") == ["胡 斌", "郭靖", "何 平"]
    assert parse_names(" 、\u200b，") == []


def test_R_CNT_2_R_NAME_5_a_write_in_that_is_a_candidate_with_a_space_is_refused_at_the_desk(world):
    k = world.keys()
    assert world.names()[0] == "王芳"
    with pytest.raises(ActionError, match="另选他人 “王 芳” 是本轮候选人"):
        enter(world, "counter1", "9", 1, against=[k[1]], write_ins=["王 芳"])
    assert DeskEntry.objects.count() == 0


def test_R_CNT_2_R_NAME_5_spellings_of_one_person_elect_them_and_the_member_is_confirmed(world):
    k = world.keys()
    hu = world.people[14]
    # 20 ballots: for four candidates, against two, and 胡斌 written in four ways (8 + 4 + 4 + 4).
    # No spelling alone has more than half of the 20 present; the person has all 20.
    for group, (spelling, count) in enumerate(
        [("胡 斌", 8), ("胡斌", 4), ("胡\u3000斌", 4), ("\u200b胡斌", 4)], start=1
    ):
        for who, slot in (("counter1", 1), ("counter2", 2)):
            enter(world, who, f"组{group}", slot, k[1:5], [k[0], k[5]], [spelling], count)
    close_counted(world.round, returned=20)
    world.round.refresh_from_db()
    tally = {p["id"]: p for p in world.round.result["tally"]}
    assert tally["w:胡斌"]["for"] == 20 and tally["w:胡斌"]["elected"]
    assert [p for p in tally if p.startswith("w:")] == ["w:胡斌"]
    elected = Elected.objects.get(round=world.round, member=None)
    assert (elected.write_in_name, elected.votes) == ("胡 斌", 20)  # the spelling written most

    # the member is found under the written spelling, and no one else is
    village = Member.objects.filter(organization=hu.organization)
    assert list(members_named(village, elected.write_in_name)) == [hu]
    chair = client_for(world.accounts["secretary"])
    result = chair.get(reverse("round_result", args=[world.round.pk])).content.decode()
    assert f'value="{hu.pk}"' in result and f'value="{world.people[15].pk}"' not in result

    with pytest.raises(ActionError, match="不一致"):
        election_actions.confirm_write_in("village", elected, world.people[15])
    chair.post(reverse("write_in_confirm", args=[elected.pk]), {"member": hu.pk})
    elected.refresh_from_db()
    assert elected.member == hu


def test_R_NAME_5_members_are_looked_up_by_name_as_people(world):
    village = Member.objects.filter(organization=world.people[0].organization)
    for spelling in ("王芳", "王 芳", " 王\u3000芳 ", "王\u200b芳", "王芳\ufeff"):
        assert list(members_named(village, spelling)) == [world.people[0]], spelling
    assert not members_named(village, "王").exists()
    assert not members_named(village, "\u3000").exists()


def test_R_CNT_2_R_NAME_5_scanning_adjudication_compares_the_written_name_as_a_person(scan_world):
    print_ = print_round(scan_world.round, 2)
    sheet = scanned_sheet(print_, 5, {0: Drawn.CROSS}, write_in=True)  # × on 王芳, a name written in
    scanning.scan_upload("counter1", scan_world.round, "w.jpg", sheet)
    doubt = MarkDoubt.objects.get(kind=MarkDoubt.Kind.WRITE_IN)
    with pytest.raises(ActionError, match="另选他人 “王 芳” 是本轮候选人"):
        confirm("scrutineer", doubt.page, names={0: "王 芳"})
    assert not BallotEntry.objects.exists()
    confirm("scrutineer", doubt.page, names={0: "胡\u3000斌"})
    assert BallotEntry.objects.get().write_ins == ["胡\u3000斌"]  # kept as read, counted as 胡斌


def test_R_NAME_5_a_scanned_write_in_with_nothing_visible_is_no_name(scan_world):
    print_ = print_round(scan_world.round, 2)
    scanning.scan_upload(
        "counter1", scan_world.round, "z.jpg", scanned_sheet(print_, 6, {0: Drawn.CIRCLE}, write_in=True)
    )
    doubt = MarkDoubt.objects.get(kind=MarkDoubt.Kind.WRITE_IN)
    confirm("scrutineer", doubt.page, names={0: "\u200b\u3000"})  # as if left blank
    doubt.refresh_from_db()
    assert doubt.write_in_name == "" and BallotEntry.objects.get().write_ins == []
