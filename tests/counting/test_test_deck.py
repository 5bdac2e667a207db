"""The test deck (测试票检验) of a round counted by scanning: printed with known marks, scanned, compared;
only an exact match unlocks the upload of real sheets, and nothing of the deck is ever counted."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.counting.scans import (
    DECK_6_OF_5,
    print_round,
    scanned_deck,
    scanned_deck_sheet,
    scanned_sheet,
)
from tests.counting.world import World, open_round_world
from tests.documents.reading import docx_text
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.counting import scanning, testdeck
from xuanju.counting.models import DeckRun, ScanPage
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections import actions
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.paper.synthetic import Drawn

pytestmark = [pytest.mark.django_db, pytest.mark.rule("R-BAL-4")]


@built_once
def world() -> World:
    return open_round_world(timezone.localdate(), method=CountingMethod.SCAN)


def _pdf_pages_as_tiff(pdf: bytes, dpi: int = 200) -> bytes:
    """The printed deck as a scanner would return it: each PDF page rasterized, one multi-page TIFF."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [
            np.asarray(page.render(scale=dpi / 72, grayscale=True).to_numpy(), dtype=np.uint8).copy()
            for page in document
        ]
    finally:
        document.close()
    return bytes(cv2.imencodemulti(".tiff", [p.reshape(p.shape[0], p.shape[1]) for p in pages])[1])


def test_real_sheets_are_refused_until_the_deck_passed(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    with pytest.raises(ActionError, match="还没有通过测试票检验"):
        scanning.scan_upload("counter1", world.round, "a.jpg", scanned_sheet(printed, 1, {0: Drawn.CIRCLE}))
    assert not ScanPage.objects.exists() and not BallotEntry.objects.exists()


def test_the_printed_deck_read_back_passes_unlocks_scanning_and_counts_nothing(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    pdf, deck = testdeck.print_test_deck("counter1", world.round)
    assert len(pypdfium2.PdfDocument(pdf)) == 5 == len(deck)
    assert AuditRecord.objects.filter(action="print_test_deck").exists()
    run = testdeck.run_test_deck("scrutineer", world.round, [("deck.tiff", _pdf_pages_as_tiff(pdf))])
    assert run.differences == [] and run.passed and (run.sheets, run.pages) == (5, 5)
    assert AuditRecord.objects.filter(action="run_test_deck").exists()
    # the deck's sheets are nowhere in the count
    assert not BallotEntry.objects.exists() and not ScanPage.objects.exists()
    outcome = scanning.scan_upload(
        "counter1", world.round, "a.jpg", scanned_sheet(printed, 1, {0: Drawn.CIRCLE})
    )
    assert outcome.counted == 1 and BallotEntry.objects.get().sheet == 1
    with pytest.raises(ActionError, match="已经通过"):
        testdeck.run_test_deck("scrutineer", world.round, [("deck.tiff", _pdf_pages_as_tiff(pdf))])


def test_a_hand_marked_deck_passes(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    run = testdeck.run_test_deck("scrutineer", world.round, [("deck.tiff", scanned_deck(printed))])
    assert run.passed, run.differences
    assert testdeck.passed_run(world.round) == run


def test_a_deck_read_otherwise_fails_lists_the_differences_and_keeps_scanning_locked(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    wrong = dict(DECK_6_OF_5)
    wrong[3] = ("o.....", ".....", False)  # a ○ where the deck has none
    del wrong[5]  # and the last sheet not scanned
    run = testdeck.run_test_deck("scrutineer", world.round, [("deck.tiff", scanned_deck(printed, wrong))])
    first = world.names()[0]
    assert not run.passed
    assert run.differences == [f"测试票3号 · {first}：应为空白，识别为“○”", "测试票5号没有扫描到"]
    with pytest.raises(ActionError, match="还没有通过测试票检验"):
        scanning.scan_upload("counter1", world.round, "a.jpg", scanned_sheet(printed, 1, {}))
    # a real sheet in the deck's scan is a difference, never read as a deck sheet or counted
    pages = [scanned_deck_sheet(printed, s) for s in sorted(DECK_6_OF_5)]
    real = cv2.imdecode(
        np.frombuffer(scanned_sheet(printed, 2, {0: Drawn.CIRCLE}), np.uint8), cv2.IMREAD_GRAYSCALE
    )
    batch = bytes(cv2.imencodemulti(".tiff", [*pages, real])[1])
    again = testdeck.run_test_deck("scrutineer", world.round, [("deck2.tiff", batch)])
    assert again.differences == ["deck2.tiff 第6页：不是本轮的测试票（可能是正式选票或其他轮次的票）"]
    assert not BallotEntry.objects.exists()
    # the round's page lists the differences of the last run
    page = (
        client_for(world.accounts["counter1"])
        .get(reverse("round_entry", args=[world.round.pk]))
        .content.decode()
    )
    assert "测试票检验：<b>未通过</b>" in page and "不是本轮的测试票" in page


def test_a_deck_sheet_uploaded_as_a_real_ballot_is_not_counted(world: World) -> None:
    printed = print_round(world.round)  # deck passed
    deck_sheet = bytes(cv2.imencode(".png", scanned_deck_sheet(printed, 1))[1])
    outcome = scanning.scan_upload("counter1", world.round, "t1.png", deck_sheet)
    assert outcome.rejected == 1 and not BallotEntry.objects.exists()
    assert ScanPage.objects.get().status == ScanPage.Status.REJECTED


@pytest.mark.rule("R-MEET-4")
def test_R_MEET_4_the_deck_is_checked_by_a_scrutineer_not_a_counter(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    with pytest.raises(ActionError, match="只有监票人"):
        testdeck.run_test_deck(world.accounts["counter1"], world.round, [("d.tiff", scanned_deck(printed))])
    assert not DeckRun.objects.exists()


def test_a_file_far_longer_than_the_deck_is_refused(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    page = scanned_deck_sheet(printed, 1)
    many = bytes(cv2.imencodemulti(".tiff", [page] * 11)[1])
    with pytest.raises(ActionError, match="超过 10 页"):
        testdeck.run_test_deck("scrutineer", world.round, [("many.tiff", many)])
    assert not DeckRun.objects.exists()


def test_the_deck_pages_print_upload_and_show_the_result(world: World) -> None:
    printed = print_round(world.round, deck_passed=False)
    counter = client_for(world.accounts["counter1"])
    scan_page = counter.get(reverse("scan_round", args=[world.round.pk])).content.decode()
    assert "通过测试票检验之后才能上传正式选票" in scan_page and "上传并识别" not in scan_page
    response = counter.post(reverse("print_test_deck", args=[world.round.pk]))
    assert response["Content-Type"] == "application/pdf" and len(pypdfium2.PdfDocument(response.content)) == 5
    deck_page = counter.get(reverse("test_deck", args=[world.round.pk])).content.decode()
    assert "测试票由监票人扫描上传和检验" in deck_page and "全部画“○”" in deck_page
    scrutineer = client_for(world.accounts["scrutineer"])
    upload = SimpleUploadedFile("deck.tiff", scanned_deck(printed), "image/tiff")
    answer = scrutineer.post(reverse("test_deck", args=[world.round.pk]), {"scans": [upload]}, follow=True)
    assert "测试票检验通过" in answer.content.decode()
    scan_page = counter.get(reverse("scan_round", args=[world.round.pk])).content.decode()
    assert "测试票检验：<b>通过</b>" in scan_page and "上传并识别" in scan_page


def test_the_count_report_document_states_the_deck_result(world: World) -> None:
    world.round.issued = 2
    world.round.save(update_fields=["issued"])
    printed = print_round(world.round, reserve=0, deck_passed=False)
    wrong = dict(DECK_6_OF_5)
    wrong[2] = ("xxxxx.", "ooooo", True)
    testdeck.run_test_deck("scrutineer", world.round, [("first.tiff", scanned_deck(printed, wrong))])
    testdeck.run_test_deck("scrutineer", world.round, [("second.tiff", scanned_deck(printed))])
    for serial in (1, 2):
        scanning.scan_upload(
            "counter1", world.round, f"{serial}.jpg", scanned_sheet(printed, serial, {0: Drawn.CIRCLE})
        )
    actions.close_round("scrutineer", world.round, 2)
    paragraphs, _ = docx_text(document_file(world.election, Kind.ROUND_RESULT, world.round.pk, "docx").data)
    text = "".join(paragraphs)
    today = timezone.localdate()
    assert "四、测试票检验" in text
    assert (
        f"于{today.year}年{today.month}月{today.day}日用测试票5张进行检验（检验人：scrutineer，读取5页），"
        "识别结果与测试票完全一致，检验通过。"
    ) in text
    assert "此前检验未通过1次" in text and "差异1处" in text
