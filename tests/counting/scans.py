"""Printed sheets of a test round, filled in and scanned by the synthetic generator."""

from __future__ import annotations

import cv2

from xuanju.counting import scanning
from xuanju.counting.models import BallotPrint
from xuanju.counting.sheets import printed_layout, sheet_ids
from xuanju.elections.models import Round
from xuanju.paper.layout import BoxKind
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


def print_round(round_: Round, reserve: int = 2) -> BallotPrint:
    return scanning.print_round("village", round_, reserve, None, False)[1]


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
    return bytes(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 88])[1])
