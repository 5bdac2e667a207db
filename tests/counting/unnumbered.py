"""Unnumbered sheets of a test round, marked by hand and scanned by the independent hand-drawn
generator (tests/paper/handdrawn.py): each voter's sheet is marked once and may be scanned more than
once, as the same paper fed through a scanner again."""

from __future__ import annotations

import cv2
import numpy as np

from tests.paper.handdrawn import AGAINST, BLANK, FOR, marked_page, rescanned
from xuanju.counting.models import BallotPrint
from xuanju.counting.sheets import printed_layout, sheet_ids

SIGNS = {"o": FOR, "x": AGAINST, ".": BLANK}


class Voter:
    """One voter's marked sheet: ``reading`` one sign per candidate (o ○, x ×, . nothing)."""

    def __init__(self, print_: BallotPrint, reading: str, hand: int) -> None:
        layout = printed_layout(print_)
        self.reading = reading
        self.page = marked_page(layout, sheet_ids(print_)[0], [SIGNS[c] for c in reading], hand, plain=True)

    def scan(self, scan: int) -> np.ndarray:
        data = rescanned(self.page, scan)
        return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)


def batch_file(pages: list[np.ndarray]) -> bytes:
    """Scanned pages as one multi-page TIFF, as a feeder scanner sends a batch."""
    return bytes(cv2.imencodemulti(".tiff", pages)[1])
