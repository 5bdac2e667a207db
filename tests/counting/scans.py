"""Printed sheets of a test round, filled in and scanned by the synthetic generator; the round's
test deck (测试票), filled in the same way from the tests' own table of what each deck sheet holds."""

from __future__ import annotations

import cv2
import numpy as np
from django.utils import timezone

from xuanju.counting import scanning
from xuanju.counting.models import BallotPrint, DeckRun, ScanPage
from xuanju.counting.sheets import printed_layout, sheet_ids
from xuanju.elections.models import CountingMethod, Round
from xuanju.paper.layout import BoxKind
from xuanju.paper.sheet_id import SheetId
from xuanju.paper.synthetic import Drawn, Scan, filled_sheet

# A feeder scan a quarter turn round and a little skewed: the reader must undo both.
CLEAN = Scan(
    dpi=150,
    quarter_turns=1,
    skew_deg=-2.0,
    scale=1.0,
    blur_sigma=0.5,
    noise_sigma=2.0,
    paper_level=246,
    black_level=20,
)


def print_round(round_: Round, reserve: int = 2, deck_passed: bool = True) -> BallotPrint:
    """Print the round's sheets; a round counted by scanning also gets a passed test deck run
    (stored directly: the deck itself is tested in tests/counting/test_test_deck.py), unless
    ``deck_passed`` is False."""
    print_ = scanning.print_round("village", round_, reserve, None, False)[1]
    if deck_passed and round_.counting_method == CountingMethod.SCAN:
        pass_deck(print_)
    return print_


def pass_deck(print_: BallotPrint) -> DeckRun:
    """A passed test deck run for the layout ``print_`` was printed with, stored directly."""
    return DeckRun.objects.create(
        round=print_.round,
        layout_code=print_.layout_code,
        sheets=5,
        pages=5,
        passed=True,
        run_by="scrutineer",
        run_at=timezone.now(),
    )


def _jpeg(image: np.ndarray) -> bytes:
    return bytes(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 88])[1])


def scanned_sheet(print_: BallotPrint, serial: int, marks: dict[int, Drawn], write_in: bool = False) -> bytes:
    """A JPEG of sheet ``serial`` with ``marks`` by candidate index in ballot order; ``write_in``
    adds a handwritten name with a ○ on the first write-in line."""
    layout = printed_layout(print_)
    boxes = {row.mark.index: row.mark for row in layout.rows if row.name is not None}
    drawn = {boxes[i]: what for i, what in marks.items()}
    if write_in:
        drawn[next(b for b in layout.boxes if b.kind == BoxKind.WRITE_IN_NAME)] = Drawn.NAME
        drawn[next(b for b in layout.boxes if b.kind == BoxKind.WRITE_IN_MARK)] = Drawn.CIRCLE
    image, _ = filled_sheet(
        layout, sheet_ids(print_)[serial - 1], seed=serial, drawn=drawn, scan_params=CLEAN
    )
    return _jpeg(image)


# The deck of the test round (6 candidates, 5 seats, 5 write-in rows) as the tests expect it:
# per sheet, the candidates' marks as a string (o ○, x ×, . nothing), then per write-in row the
# mark box and whether a name is written. Written here by hand, not taken from the code under test.
DECK_6_OF_5: dict[int, tuple[str, str, bool]] = {
    1: ("oooooo", ".....", False),  # every ○: 6 for 5 seats, the over-vote sheet
    2: ("xxxxxx", "ooooo", True),  # every ×, every write-in row filled in with a name and ○
    3: ("......", ".....", False),  # nothing at all
    4: ("x.....", "ooooo", False),  # ○ beside every write-in line, no name written
    5: ("ox.ox.", ".....", False),  # ○ × nothing in turn
}
_SIGNS = {"o": Drawn.CIRCLE, "x": Drawn.CROSS, ".": Drawn.NOTHING}


def deck_sheet_id(print_: BallotPrint, serial: int) -> SheetId:
    """A deck sheet's id as the QR code format defines it: the round reference ``<round>-test``."""
    round_ = print_.round
    return SheetId(str(round_.contest.election_id), f"{round_.pk}-test", serial, print_.layout_code)


def scanned_deck_sheet(
    print_: BallotPrint, serial: int, deck: dict[int, tuple[str, str, bool]] = DECK_6_OF_5
) -> np.ndarray:
    """Deck sheet ``serial`` as a scanner sees it: the marks of ``deck`` drawn on the blank sheet."""
    layout = printed_layout(print_)
    candidates, write_marks, named = deck[serial]
    drawn = {}
    for box in layout.boxes:
        if box.kind == BoxKind.CANDIDATE:
            drawn[box] = _SIGNS[candidates[box.index]]
        elif box.kind == BoxKind.WRITE_IN_MARK:
            drawn[box] = _SIGNS[write_marks[box.index]]
        elif named:
            drawn[box] = Drawn.NAME
    image, _ = filled_sheet(
        layout, deck_sheet_id(print_, serial), seed=100 + serial, drawn=drawn, scan_params=CLEAN
    )
    return image


def scanned_deck(print_: BallotPrint, deck: dict[int, tuple[str, str, bool]] = DECK_6_OF_5) -> bytes:
    """The whole deck as one multi-page TIFF, as a feeder scanner would send it."""
    pages = [scanned_deck_sheet(print_, serial, deck) for serial in sorted(deck)]
    return bytes(cv2.imencodemulti(".tiff", pages)[1])


def machine_reading(page: ScanPage) -> tuple[dict[int, str], dict[int, str]]:
    """What the scrutineer confirms when the machine read every box as it should: the candidates'
    values as read (a doubtful box as ``decided``), no write-in names."""
    candidates = {m["index"]: m["value"] for m in page.reading if m["kind"] == "candidate"}
    rows = {m["index"]: "" for m in page.reading if m["kind"] != "candidate"}
    return candidates, rows


def confirm(
    actor: object,
    page: ScanPage,
    decisions: dict[int, str] | None = None,
    names: dict[int, str] | None = None,
):
    """A scrutineer confirms the whole flagged ``page``: ``decisions`` by candidate index and
    ``names`` by write-in row; every other box as the machine read it (its guess for a doubt)."""
    from xuanju.counting import adjudication

    page.refresh_from_db()
    candidates, rows = machine_reading(page)
    candidates |= decisions or {}
    rows |= names or {}
    return adjudication.confirm_sheet(actor, page, candidates, rows)
