"""The desk, dispute, accounting, board and report pages, as the counters and scrutineers use them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.counting.world import World
from tests.counts import close_counted
from tests.factories import client_for
from xuanju.accounts.models import User
from xuanju.counting import actions
from xuanju.counting.models import BallotPrint, DeskEntry, SheetNote
from xuanju.elections.models import Attendance, BallotEntry, Member

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def desk(world: World, slot: int) -> str:
    return reverse("counting_desk", args=[world.round.pk, slot])


def post_reading(client, world: World, slot: int, key: str, reading: str, **extra):
    data = {"key": key, "reading": reading, "write_ins": "", "count": "1", "void_reason": ""} | extra
    return client.post(desk(world, slot), data)


def test_R_BAL_2_two_counters_type_the_same_keys_and_the_ballot_is_counted(world):
    one, two = client_for(world.accounts["counter1"]), client_for(world.accounts["counter2"])
    first = one.get(desk(world, 1))
    assert first.status_code == 200
    assert 'value="1"' in page(first) and all(name in page(first) for name in world.names())
    response = post_reading(one, world, 1, "1", "ox.o..")
    assert response.status_code == 302 and response.url == desk(world, 1)
    followed = page(one.get(desk(world, 1)))
    assert "第1号选票已录入（甲录入），等待另一席录入" in followed and 'value="2"' in followed
    assert "1" in page(two.get(desk(world, 2)))  # waiting for this slot: its number only
    post_reading(two, world, 2, "1", "1x 1  ")  # the same reading with the other keys
    entry = BallotEntry.objects.get()
    keys = world.keys()
    assert entry.marks_for == [keys[0], keys[3]] and entry.marks_against == [keys[1]]
    assert "第1号选票两次录入一致，已计入" in page(two.get(desk(world, 2)))


def test_the_keyboard_reading_is_checked_and_refused_in_chinese(world):
    one = client_for(world.accounts["counter1"])
    short = page(post_reading(one, world, 1, "1", "ox."))
    assert "标记读数有 3 位，候选人有 6 位" in short
    wrong = page(post_reading(one, world, 1, "1", "oxq..."))
    assert "第 3 位“q”不是标记键" in wrong
    void = page(post_reading(one, world, 1, "1", "", void="on"))
    assert "请写明废票原因" in void
    write_in = page(post_reading(one, world, 1, "1", "o.....", write_ins="赵磊"))
    assert "另选他人" in write_in and DeskEntry.objects.count() == 0
    post_reading(one, world, 1, "1", "x.....", write_ins="赵磊")
    post_reading(one, world, 1, "2", "", void="on", void_reason="撕损无法辨认")
    post_reading(one, world, 1, "组1", "ooooo.", count="9")
    assert DeskEntry.objects.get(key="1").write_ins == ["赵磊"]
    assert DeskEntry.objects.get(key="2").void_reason == "撕损无法辨认"
    assert DeskEntry.objects.get(key="组1").count == 9
    assert client_for(world.accounts["counter1"]).get(desk(world, 3)).status_code == 404


def test_a_dispute_stops_both_desks_and_only_a_scrutineer_decides_it(world):
    one, two = client_for(world.accounts["counter1"]), client_for(world.accounts["counter2"])
    post_reading(one, world, 1, "12", "o.....")
    post_reading(two, world, 2, "12", "x.....")
    stopped_desk = page(two.get(desk(world, 2)))
    assert "第12号选票两次录入不一致" in stopped_desk and "两次不一致，待监票人裁定" in stopped_desk
    assert reverse("desk_withdraw", args=[DeskEntry.objects.get(slot=2).pk]) not in stopped_desk
    stopped = page(post_reading(one, world, 1, "13", "o....."))
    assert "第12号选票两次录入不一致，请监票人核对原票后裁定，之后才能继续录入" in stopped
    url = reverse("desk_conflict", args=[world.round.pk, "12"])
    seen = page(one.get(url))
    assert "不一致" in seen and "counter1" in seen and "counter2" in seen and "按原票计入" not in seen
    refused = page(one.post(url, {"reading": "o.....", "count": "1", "write_ins": "", "void_reason": ""}))
    assert "只有监票人才能裁定两次录入不一致的选票" in refused  # R-MEET-4
    assert not BallotEntry.objects.exists()
    scrutineer = client_for(world.accounts["scrutineer"])
    assert "按原票计入" in page(scrutineer.get(url))
    response = scrutineer.post(url, {"reading": "o.....", "count": "1", "write_ins": "", "void_reason": ""})
    assert response.status_code == 302
    assert BallotEntry.objects.get().source == "scrutineer"
    post_reading(one, world, 1, "13", "o.....")
    assert DeskEntry.objects.filter(key="13").exists()


def test_a_counter_withdraws_their_pending_reading_from_the_desk(world):
    one, two = client_for(world.accounts["counter1"]), client_for(world.accounts["counter2"])
    post_reading(one, world, 1, "5", "o.....")
    entry = DeskEntry.objects.get()
    assert two.post(reverse("desk_withdraw", args=[entry.pk])).status_code == 302
    assert DeskEntry.objects.filter(pk=entry.pk).exists()  # not theirs
    one.post(reverse("desk_withdraw", args=[entry.pk]))
    assert not DeskEntry.objects.exists()


def test_R_BAL_5_the_accounting_block_and_the_notes_form(world):
    actions.record_print("village", world.round, 5, "A4", False, "3fa2b9c0")
    client = client_for(world.accounts["counter1"])
    url = reverse("counting_overview", args=[world.round.pk])
    notes = reverse("sheet_notes", args=[world.round.pk])
    assert "还有 5 张没有说明去向" in page(client.get(url))
    assert client.post(notes, {"serials": "21-24、25", "state": "unused"}).status_code == 302
    assert SheetNote.objects.count() == 5
    overview = page(client.get(url))
    assert "编号清点相符" in overview and "21-25" in overview
    refused = page(client.post(notes, {"serials": "30", "state": "spoiled"}))
    assert "超出本轮印制的选票编号 1-25" in refused
    assert "不是编号或编号范围" in page(client.post(notes, {"serials": "a-b", "state": "spoiled"}))
    client.post(notes, {"serials": "25", "state": "clear"})
    assert SheetNote.objects.count() == 4


def test_R_BAL_3_R_BAL_4_R_CNT_2_the_board_counts_and_never_names_a_winner(world):
    k = world.keys()
    readings = [
        ("1", k[:3], [k[3]], ["赵磊"], 1, ""),
        ("组1", k[:5], [], [], 7, ""),
        ("2", k[:5], [k[5]], ["赵磊"], 1, ""),  # six people for five seats: invalid (R-BAL-3)
        ("3", [], [], [], 1, "撕损无法辨认"),  # void (R-BAL-4)
        ("4", [], k[:2], [], 1, ""),
    ]
    for key, for_, against, write_ins, count, void in readings:
        for who, slot in (("counter1", 1), ("counter2", 2)):
            actions.enter_at_desk(
                world.accounts[who], world.round, key, slot, for_, against, write_ins, count, void
            )
    client = client_for(world.accounts["counter1"])
    data = json.loads(client.get(reverse("count_board_data", args=[world.round.pk])).content)
    assert (data["issued"], data["entered"], data["valid"], data["invalid"], data["void"]) == (
        20,
        11,
        9,
        1,
        1,
    )
    assert data["returned"] is None and data["closed"] is False
    for person in data["candidates"] + data["write_ins"]:
        assert person["for"] + person["against"] + person["abstain"] == data["valid"], person
    assert [p["name"] for p in data["candidates"]] == world.names()  # ballot order, not ranked
    assert data["write_ins"] == [{"id": "w:赵磊", "name": "赵磊", "for": 1, "against": 0, "abstain": 8}]
    assert data["candidates"][0] == {
        "id": k[0],
        "name": world.names()[0],
        "for": 8,
        "against": 1,
        "abstain": 0,
    }
    assert "elected" not in json.dumps(data) and "当选" not in json.dumps(data, ensure_ascii=False)
    board = page(client.get(reverse("count_board", args=[world.round.pk])))
    assert "当选" not in board and world.names()[0] in board
    assert reverse("count_board_data", args=[world.round.pk]) in board


def test_R_CNT_7_the_count_report_to_sign(world):
    k = world.keys()
    actions.record_print("village", world.round, 2, "A4", False, "3fa2b9c0")
    actions.note_sheets("village", world.round, [21, 22], "unused")
    for who, slot in (("counter1", 1), ("counter2", 2)):
        actions.enter_at_desk(world.accounts[who], world.round, "组1", slot, k[:5], [], [], 20)
    client = client_for(world.accounts["counter1"])
    url = reverse("count_report", args=[world.round.pk])
    before = page(client.get(url))
    assert "计票尚未结束" in before and "当选人" not in before
    close_counted(world.round, returned=20)
    report = page(client.get(url))
    assert "计票结果报告" in report and "计票尚未结束" not in report
    assert "总监票人" in report and "徐丽" in report  # names from the meeting's roles
    assert "马超" in report and "孙涛" in report and "朱红" in report
    assert report.count("签名：") == 4  # one line for each of them
    elected = [p["name"] for p in world.round.result["tally"] if p["elected"]]
    assert len(elected) == 5 and all(name in report for name in elected)
    assert "当选人（按姓氏笔画为序）" in report and "编号清点相符" in report
    assert "@page { size: A4" in report


def test_who_may_use_the_desk(world):
    member = client_for(world.accounts["member"])
    outsider = client_for(world.accounts["outsider"])
    for name, args in [
        ("counting_overview", [world.round.pk]),
        ("counting_desk", [world.round.pk, 1]),
        ("count_board", [world.round.pk]),
        ("count_board_data", [world.round.pk]),
        ("count_report", [world.round.pk]),
    ]:
        url = reverse(name, args=args)
        assert member.get(url).status_code == 403, url
        assert outsider.get(url).status_code == 403, url
    assert member.post(desk(world, 1), {"key": "1", "reading": "o.....", "count": "1"}).status_code == 403
    assert DeskEntry.objects.count() == 0
    entry_page = page(
        client_for(world.accounts["counter1"]).get(reverse("round_entry", args=[world.round.pk]))
    )
    assert desk(world, 1) in entry_page and reverse("count_board", args=[world.round.pk]) in entry_page


def test_R_SUP_1_the_desk_and_the_board_store_and_show_nothing_of_a_voter(world):
    for model in (DeskEntry, SheetNote, BallotPrint):
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert not related & {Member, Attendance, User}, model
    k = world.keys()
    for who, slot in (("counter1", 1), ("counter2", 2)):
        actions.enter_at_desk(world.accounts[who], world.round, "1", slot, [k[0]], [], [])
    client = client_for(world.accounts["counter1"])
    present_only = world.people[7].name  # present at the meeting, neither candidate nor written in
    assert Attendance.objects.filter(member=world.people[7], present=True).exists()
    for url in (
        desk(world, 1),
        reverse("count_board", args=[world.round.pk]),
        reverse("count_board_data", args=[world.round.pk]),
        reverse("counting_overview", args=[world.round.pk]),
    ):
        text = page(client.get(url))
        assert present_only not in text and "点名" not in text, url
