"""A flagged scanned sheet is confirmed whole by a scrutineer (R-BAL-4, R-MEET-4): nothing of it counts
before, the machine's confident readings included; the scrutineer may correct any box; every
decision is audited; the round does not close while a flagged sheet waits."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import confirm, print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.counting import adjudication, scanning
from xuanju.counting.models import MarkDoubt, ScanPage
from xuanju.counting.sheets import printed_layout
from xuanju.elections import actions
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.paper.layout import BoxKind
from xuanju.paper.synthetic import Drawn

pytestmark = [pytest.mark.django_db, pytest.mark.rule("R-BAL-4")]


@built_once
def world() -> World:
    return open_round_world(timezone.localdate(), issued=3, method=CountingMethod.SCAN)


def _flagged(world: World, serial: int = 1) -> ScanPage:
    """Sheet ``serial``: a √ (doubtful) for the first candidate, a clear ○ for the third."""
    printed = print_round(world.round, 0)
    sheet = scanned_sheet(printed, serial, {0: Drawn.CHECK, 2: Drawn.CIRCLE})
    scanning.scan_upload(world.accounts["counter1"], world.round, f"{serial}.jpg", sheet)
    return ScanPage.objects.get(serial=serial)


def test_a_flagged_sheet_counts_nothing_and_blocks_the_close_until_confirmed(world: World) -> None:
    page = _flagged(world)
    assert page.status == ScanPage.Status.REVIEW
    # the machine read the third candidate's ○ with confidence: still not counted
    third = next(m for m in page.reading if m["kind"] == "candidate" and m["index"] == 2)
    assert (third["value"], third["doubt"]) == ("for", None)
    assert not BallotEntry.objects.exists()
    assert any("待监票人整张确认" in b for b in actions.close_blockers(world.round, 1))
    with pytest.raises(ActionError, match="待监票人整张确认"):
        actions.close_round(world.accounts["scrutineer"], world.round, 1)


def test_a_scrutineers_correction_of_a_confident_box_is_what_counts(world: World) -> None:
    page = _flagged(world)
    k = world.keys()
    # the √ was meant as ○; the third candidate's “○” is, on the paper, a ×
    candidates = {0: "for", 1: "blank", 2: "against", 3: "blank", 4: "blank", 5: "blank"}
    entry = adjudication.confirm_sheet(
        world.accounts["scrutineer"], page, candidates, dict.fromkeys(range(5), "")
    )
    assert (entry.marks_for, entry.marks_against, entry.sheet) == ([k[0]], [k[2]], 1)
    assert (entry.entered_by, entry.confirmed_by) == ("counter1", "scrutineer")
    page.refresh_from_db()
    assert page.status == ScanPage.Status.COUNTED and page.ballot == entry
    assert page.confirmed_by == "scrutineer" and page.confirmed_reading["candidates"][2] == "against"
    assert MarkDoubt.objects.get().decision == "for" and MarkDoubt.objects.get().decided_by == "scrutineer"
    audit = AuditRecord.objects.get(action="confirm_scanned_sheet")
    assert audit.after["corrected"] == [2] and audit.actor == "scrutineer"
    assert actions.close_blockers(world.round, 1) == []


def test_every_box_must_be_confirmed_and_a_refused_reading_saves_nothing(world: World) -> None:
    page = _flagged(world)
    with pytest.raises(ActionError, match="还没有选择"):
        adjudication.confirm_sheet(world.accounts["scrutineer"], page, {0: "for"}, {})
    with pytest.raises(ActionError, match="不赞成"):  # R-BAL-2: a write-in needs an against-mark
        confirm(world.accounts["scrutineer"], page, {0: "for"}, {0: "赵六"})
    page.refresh_from_db()
    assert page.status == ScanPage.Status.REVIEW and page.confirmed_by == ""
    assert MarkDoubt.objects.get().decision == "" and not BallotEntry.objects.exists()


@pytest.mark.rule("R-MEET-4")
def test_R_MEET_4_the_account_that_uploaded_a_sheet_never_confirms_it(world: World) -> None:
    printed = print_round(world.round, 0)
    sheet = scanned_sheet(printed, 2, {0: Drawn.CHECK})
    scanning.scan_upload(world.accounts["scrutineer"], world.round, "2.jpg", sheet)  # entered as counter
    page = ScanPage.objects.get()
    with pytest.raises(ActionError, match="录入过选票"):
        confirm(world.accounts["scrutineer"], page, {0: "for"})
    assert not BallotEntry.objects.exists()
    confirm(world.accounts["secretary"], page, {0: "for"})  # the organizer, who uploaded nothing
    assert BallotEntry.objects.get().confirmed_by == "village"


def test_a_doubt_decided_before_whole_sheet_confirmation_still_needs_the_sheet_confirmed(
    world: World,
) -> None:
    page = _flagged(world)
    # as an earlier version stored it: the box decided alone, the sheet left in review
    MarkDoubt.objects.update(decision="against", decided_by="scrutineer")
    boxes = adjudication.sheet_boxes(page)
    assert (boxes[0].label, boxes[0].value) == (world.names()[0], "against")  # doubtful first
    assert not BallotEntry.objects.exists()
    client = client_for(world.accounts["scrutineer"])
    review = reverse("scan_sheet_review", args=[page.pk])
    html = client.get(review).content.decode()
    assert re.search(r'name="c0" value="against"[^>]*checked', html)  # the earlier decision, pre-set
    assert not re.search(r'name="c0" value="for"[^>]*checked', html)
    form = (
        {f"c{i}": "blank" for i in range(6)}
        | {f"w{r}": "" for r in range(5)}
        | {"c0": "against", "c2": "for"}
    )
    client.post(review, form)
    entry = BallotEntry.objects.get()
    assert entry.marks_against == [world.keys()[0]] and entry.marks_for == [world.keys()[2]]


def test_the_page_lists_every_box_doubtful_first_and_draws_the_reading_on_the_sheet(world: World) -> None:
    page = _flagged(world)
    client = client_for(world.accounts["counter1"])
    html = client.get(reverse("scan_sheet_review", args=[page.pk])).content.decode()
    names = world.names()
    rows = html.split('<tr class="')[1:]
    assert len(rows) == 6 + 5  # every candidate box and every write-in row
    assert rows[0].startswith("doubtful") and names[0] in rows[0] and "存疑" in rows[0]
    assert names[2] in rows[2] and "○ 赞成" in rows[2]  # then in sheet order, with the reading
    image = client.get(reverse("scan_sheet_overlay", args=[page.pk]))
    assert image["Content-Type"] == "image/png"
    picture = cv2.imdecode(np.frombuffer(image.content, np.uint8), cv2.IMREAD_COLOR)
    layout = printed_layout(page.round.ballot_print)
    assert picture.shape[:2] == (round(layout.height * 8), round(layout.width * 8))
    boxes = {b.index: b.rect for b in layout.boxes if b.kind == BoxKind.CANDIDATE}

    def outline(index: int) -> np.ndarray:
        r = boxes[index]
        return picture[round((r.y - 0.8) * 8), round((r.x + r.w / 2) * 8)].astype(int)

    blue, green, red = outline(0)
    assert red > 150 and green < 80 and blue < 80  # the doubtful box in red
    blue, green, red = outline(2)
    assert green > 100 and red < 80  # a confident reading in green
