"""Scanned ballots in the web application: printed sheets filled in, scanned, read, decided, counted."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import confirm, pass_deck, print_round, scanned_sheet
from tests.counting.world import World, open_round_world
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.counting import actions, scanning
from xuanju.counting.models import BallotPrint, MarkDoubt, ScanPage
from xuanju.counting.sheets import printed_layout, sheet_ids
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.paper.synthetic import Drawn

pytestmark = pytest.mark.django_db


@built_once
def world() -> World:
    """The round is counted by scanning with adjudication (R-MEET-4)."""
    return open_round_world(timezone.localdate(), method=CountingMethod.SCAN)


def _print(world: World, reserve: int = 2) -> BallotPrint:
    print_ = print_round(world.round, reserve)
    assert print_.sheets == world.round.issued + reserve
    return print_


def test_R_BAL_1_printed_sheets_carry_the_round_and_serials_in_ballot_order(world: World) -> None:
    print_ = _print(world)
    layout = printed_layout(print_)
    assert list(layout.spec.candidates) == world.names()
    assert [s.serial for s in sheet_ids(print_)] == list(range(1, 23))
    assert {s.round for s in sheet_ids(print_)} == {str(world.round.pk)}
    assert print_.layout_code == layout.code


def test_clear_sheet_is_counted_with_its_serial(world: World) -> None:
    print_ = _print(world)
    outcome = scanning.scan_upload(
        "counter1", world.round, "a.jpg", scanned_sheet(print_, 3, {0: Drawn.CIRCLE, 1: Drawn.CROSS})
    )
    assert (outcome.counted, outcome.review) == (1, 0)
    entry = BallotEntry.objects.get()
    keys = world.keys()
    assert (entry.sheet, entry.source) == (3, BallotEntry.Source.SCAN)
    assert entry.marks_for == [keys[0]] and entry.marks_against == [keys[1]]


def test_R_BAL_4_doubtful_mark_waits_for_a_scrutineer_and_is_never_guessed(world: World) -> None:
    print_ = _print(world)
    scanning.scan_upload(
        "counter1", world.round, "b.jpg", scanned_sheet(print_, 4, {0: Drawn.CHECK, 2: Drawn.CIRCLE})
    )
    page = ScanPage.objects.get()
    assert page.status == ScanPage.Status.REVIEW and not BallotEntry.objects.exists()
    doubt = page.doubts.get()
    assert (doubt.kind, doubt.index) == (MarkDoubt.Kind.CANDIDATE, 0)
    assert bytes(doubt.cutout).startswith(b"\x89PNG")
    confirm("scrutineer", page, {0: "for"})
    entry = BallotEntry.objects.get()
    keys = world.keys()
    assert entry.marks_for == [keys[0], keys[2]] and entry.sheet == 4
    page.refresh_from_db()
    assert page.status == ScanPage.Status.COUNTED and page.ballot == entry


def test_R_BAL_2_write_in_is_read_by_a_person_and_needs_an_against_mark(world: World) -> None:
    print_ = _print(world)
    scanning.scan_upload(
        "counter1", world.round, "c.jpg", scanned_sheet(print_, 5, {0: Drawn.CIRCLE}, write_in=True)
    )
    doubt = MarkDoubt.objects.get(kind=MarkDoubt.Kind.WRITE_IN)
    with pytest.raises(ActionError, match="不赞成"):
        confirm("scrutineer", doubt.page, names={0: "赵六"})  # no against-mark on this sheet
    doubt.refresh_from_db()
    assert doubt.decision == "" and not BallotEntry.objects.exists()  # nothing half-saved
    confirm("scrutineer", doubt.page, names={0: ""})  # the scrutineer reads no valid write-in
    assert BallotEntry.objects.get().write_ins == []


def test_same_sheet_scanned_twice_or_entered_at_the_desk_counts_once(world: World) -> None:
    print_ = _print(world)
    data = scanned_sheet(print_, 6, {1: Drawn.CIRCLE})
    scanning.scan_upload("counter1", world.round, "d.jpg", data)
    with pytest.raises(ActionError, match="已经上传并识别过"):
        scanning.scan_upload("counter1", world.round, "d-copy.jpg", data)
    # The same sheet scanned again makes another file: recognised by its serial.
    page = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    outcome = scanning.scan_upload("counter2", world.round, "e.png", bytes(cv2.imencode(".png", page)[1]))
    assert outcome.duplicate == 1 and BallotEntry.objects.count() == 1
    with pytest.raises(ActionError):
        actions.enter_at_desk("counter1", world.round, "6", 1, [], [], [], 1, "")
    assert BallotEntry.objects.count() == 1


def test_serial_noted_unused_is_refused_when_scanned(world: World) -> None:
    print_ = _print(world)
    actions.note_sheets("counter1", world.round, [21], "unused")
    outcome = scanning.scan_upload("counter1", world.round, "f.jpg", scanned_sheet(print_, 21, {}))
    assert outcome.rejected == 1 and not BallotEntry.objects.exists()
    assert "未发出" in ScanPage.objects.get().problem


def test_scanning_needs_a_recorded_printing_and_a_readable_file(world: World) -> None:
    with pytest.raises(ActionError, match="没有用本系统印制选票"):
        scanning.scan_upload("counter1", world.round, "g.jpg", b"whatever")
    _print(world)
    with pytest.raises(ActionError, match="无法识别为图片"):
        scanning.scan_upload("counter1", world.round, "h.jpg", b"not an image at all")


def test_scrutineer_voids_a_scanned_sheet_R_BAL_4(world: World) -> None:
    print_ = _print(world)
    scanning.scan_upload("counter1", world.round, "i.jpg", scanned_sheet(print_, 7, {0: Drawn.SCRIBBLE}))
    page = ScanPage.objects.get()
    scanning.void_scanned_sheet("scrutineer", page, "写有可辨认投票人的字样")
    assert BallotEntry.objects.get().void_reason == "写有可辨认投票人的字样"


def test_pages_and_queue_for_counters_decisions_for_scrutineers(world: World) -> None:
    print_ = _print(world)
    counter = client_for(world.accounts["counter1"])
    upload = [
        SimpleUploadedFile("s1.jpg", scanned_sheet(print_, 1, {0: Drawn.CIRCLE}), "image/jpeg"),
        SimpleUploadedFile("s2.jpg", scanned_sheet(print_, 2, {1: Drawn.FAINT_CROSS}), "image/jpeg"),
    ]
    response = counter.post(reverse("scan_round", args=[world.round.pk]), {"scans": upload})
    assert response.status_code == 302
    listing = counter.get(reverse("scan_round", args=[world.round.pk])).content.decode()
    assert "计入 1 张，待裁定 1 张" in listing and "s2.jpg" in listing
    queue = counter.get(reverse("doubt_queue", args=[world.round.pk])).content.decode()
    doubt = MarkDoubt.objects.get()
    assert "笔迹过淡" in queue and "只有监票人可以确认" in queue
    assert counter.get(reverse("doubt_cutout", args=[doubt.pk]))["Content-Type"] == "image/png"
    image = counter.get(reverse("scan_page_image", args=[doubt.page.pk]) + "?boxes=1")
    assert image["Content-Type"] == "image/jpeg"
    review = reverse("scan_sheet_review", args=[doubt.page.pk])
    assert "只有监票人可以确认这张选票" in counter.get(review).content.decode()
    answer = {f"c{i}": "blank" for i in range(6)} | {f"w{r}": "" for r in range(5)} | {"c1": "against"}
    refused = counter.post(review, answer, follow=True)
    assert "只有监票人才能确认存疑的选票" in refused.content.decode()  # R-MEET-4
    assert BallotEntry.objects.count() == 1
    scrutineer = client_for(world.accounts["scrutineer"])
    scrutineer.post(review, answer)
    assert BallotEntry.objects.count() == 2
    member = client_for(world.accounts["member"])
    assert member.get(reverse("scan_round", args=[world.round.pk])).status_code == 403


def test_print_view_downloads_the_pdf_and_records_the_printing(world: World) -> None:
    client = client_for(world.accounts["secretary"])
    response = client.post(reverse("print_ballots", args=[world.round.pk]), {"reserve": "3", "paper": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(pypdfium2.PdfDocument(response.content)) == 23
    assert BallotPrint.objects.get().sheets == 23
    again = client.post(reverse("print_ballots", args=[world.round.pk]), {"reserve": "5", "paper": ""})
    assert "重印只能印同样的张数" in again.content.decode()


def test_interrupted_batch_keeps_what_was_read_and_resumes_on_upload_again(world: World, monkeypatch) -> None:
    print_ = _print(world)
    pages = [
        cv2.imdecode(
            np.frombuffer(scanned_sheet(print_, serial, {0: Drawn.CIRCLE}), np.uint8), cv2.IMREAD_GRAYSCALE
        )
        for serial in (8, 9, 10)
    ]
    batch = bytes(cv2.imencodemulti(".tiff", pages)[1])
    real_read = scanning.read_sheet
    calls = []

    def crash_on_third(page, find):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return real_read(page, find)

    monkeypatch.setattr(scanning, "read_sheet", crash_on_third)
    with pytest.raises(RuntimeError):
        scanning.scan_upload("counter1", world.round, "batch.tiff", batch)
    assert sorted(BallotEntry.objects.values_list("sheet", flat=True)) == [8, 9]
    monkeypatch.setattr(scanning, "read_sheet", real_read)
    outcome = scanning.scan_upload("counter1", world.round, "batch.tiff", batch)
    assert (outcome.pages, outcome.counted) == (1, 1)
    assert sorted(BallotEntry.objects.values_list("sheet", flat=True)) == [8, 9, 10]
    with pytest.raises(ActionError, match="已经上传并识别过"):
        scanning.scan_upload("counter1", world.round, "batch-again.tiff", batch)


def test_reprint_in_another_layout_is_refused_once_counting_started(world: World) -> None:
    first = _print(world)
    scanning.print_round("village", world.round, 2, None, True)  # large print instead, before counting
    assert (
        BallotPrint.objects.get().large_print and BallotPrint.objects.get().layout_code != first.layout_code
    )
    sheet = scanned_sheet(BallotPrint.objects.get(), 1, {})
    with pytest.raises(ActionError, match="还没有通过测试票检验"):  # the deck passed for the old layout
        scanning.scan_upload("counter1", world.round, "j.jpg", sheet)
    pass_deck(BallotPrint.objects.get())
    scanning.scan_upload("counter1", world.round, "j.jpg", sheet)
    with pytest.raises(ActionError, match="重印只能用原来的版面"):
        scanning.print_round("village", world.round, 2, None, False)
    scanning.print_round("village", world.round, 2, None, True)  # the same sheets again: allowed
