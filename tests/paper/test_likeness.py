"""Telling a rescanned unnumbered sheet by its marks (xuanju.paper.likeness), on sheets marked and
scanned by the independent hand-drawn generator: two scans of one sheet match, two hands that voted
alike do not, and a sheet with nothing drawn on it cannot be told from another."""

from __future__ import annotations

import cv2
import numpy as np

from tests.paper.handdrawn import BLANK, choices_for, marked_page, rescanned, unnumbered_layout
from xuanju.paper.layout import SheetLayout
from xuanju.paper.likeness import ASK, SAME_SHEET, best_match, fingerprint, likeness
from xuanju.paper.read import read_sheet


def _print(jpeg: bytes, layout: SheetLayout) -> bytes:
    page = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    reading = read_sheet(page, lambda sheet: layout)
    assert reading.problem is None and reading.sheet is not None and reading.sheet.serial is None
    return fingerprint(reading.ink)


def test_R_BAL_5_two_scans_of_one_sheet_match_and_two_hands_with_the_same_choices_do_not():
    layout, sheet = unnumbered_layout(901)
    choices = choices_for(901, len(layout.spec.candidates))
    first = marked_page(layout, sheet, choices, hand=9011)
    second = marked_page(layout, sheet, choices, hand=9012)
    a1, a2 = _print(rescanned(first, 1), layout), _print(rescanned(first, 2), layout)
    b1 = _print(rescanned(second, 3), layout)
    same, different = likeness(a1, a2), likeness(a1, b1)
    assert same is not None and same >= SAME_SHEET
    assert different is not None and different < ASK
    found = best_match(a2, [b1, a1])
    assert found is not None and found[0] == 1 and abs(found[1] - same) < 1e-4


def test_a_sheet_with_nothing_drawn_has_nothing_to_compare():
    layout, sheet = unnumbered_layout(902)
    empty = marked_page(layout, sheet, [BLANK] * len(layout.spec.candidates), hand=9021)
    a, b = _print(rescanned(empty, 1), layout), _print(rescanned(empty, 2), layout)
    assert likeness(a, b) is None and best_match(a, [b]) is None
    assert likeness(a, a[:-1]) is None  # printed from different layouts
