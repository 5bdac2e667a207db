"""Whether two scans show the same physical sheet, told by the hand's ink in the mark areas.

Unnumbered sheets are all alike until they are marked, so the only thing that tells one sheet from
another is what the voter drew. After registration (xuanju.paper.read), the ink around every box —
printed lines removed — is smoothed and shrunk to a small grid: the sheet's *fingerprint*, one grid
per box. Two scans of one sheet give nearly the same grids whatever the scanner did (resolution,
turn, JPEG, blur); two people who voted the same way still drew their ○ and × with different size,
tilt, pressure and stroke, so their grids differ.

``likeness`` compares two fingerprints box by box — the correlation of the two grids of every box
that has ink in either scan (a box inked in one and empty in the other counts 0) — and takes the
median: a shadow or a speck in one box of one scan does not make a rescan look like another sheet,
and one box where two hands happened to draw alike does not make two sheets look like one.
benchmarks/rescan.py measures both errors.

A sheet with no ink in any box (everyone abstained, nothing written) has nothing to compare:
``likeness`` gives None, and only the batch's sheet count catches a rescan of it (docs/ballots.md).
"""

from __future__ import annotations

import math
import statistics
import struct
from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from xuanju.paper.read import PX_PER_MM

CELL_MM = 0.25  # the fingerprint's grid: 4 cells per millimetre
SMOOTH_MM = 0.35  # blur before shrinking: what registration leaves of a shift is smoothed away
MIN_INK_MM2 = 1.0  # mm² of dark cells below which a box counts as empty
# A cell this dark (0 paper … 1 black) is ink; fainter ones are scanner noise, JPEG ringing or a
# shadow's edge, which spread over a long write-in line add up to as much as a real mark.
INK_CELL = 0.15
# Likeness at or above which a page is taken for a sheet already scanned and refused, and at or
# above which the scrutineers are asked (benchmarks/README.md).
SAME_SHEET = 0.97
ASK = 0.90

Grid = npt.NDArray[np.float32]
_HEADER = struct.Struct(">HH")


def fingerprint(ink: Sequence[npt.NDArray[np.uint8]]) -> bytes:
    """The fingerprint of a sheet from its reading's ``ink`` maps, as bytes to store: per box its
    grid's height and width, then the grid (0 paper … 255 black)."""
    scale = CELL_MM * PX_PER_MM
    sigma = SMOOTH_MM * PX_PER_MM
    parts = []
    for box in ink:
        smooth = cv2.GaussianBlur(box.astype(np.float32), (0, 0), sigma)
        h = max(1, math.floor(box.shape[0] / scale))
        w = max(1, math.floor(box.shape[1] / scale))
        grid = cv2.resize(smooth, (w, h), interpolation=cv2.INTER_AREA)
        parts.append(_HEADER.pack(h, w) + np.clip(grid, 0, 255).astype(np.uint8).tobytes())
    return b"".join(parts)


def _grids(print_: bytes) -> list[Grid] | None:
    grids: list[Grid] = []
    at = 0
    try:
        while at < len(print_):
            h, w = _HEADER.unpack_from(print_, at)
            at += _HEADER.size
            cells = np.frombuffer(print_, dtype=np.uint8, count=h * w, offset=at)
            grids.append((cells.astype(np.float32) / np.float32(255)).reshape(h, w))
            at += h * w
    except (struct.error, ValueError):
        return None  # not a fingerprint of this format (an older or damaged row)
    return grids


def _inked(grid: Grid) -> bool:
    return int(np.count_nonzero(grid >= INK_CELL)) * CELL_MM * CELL_MM >= MIN_INK_MM2


def _correlation(a: Grid, b: Grid) -> float:
    x, y = a.ravel() - a.mean(), b.ravel() - b.mean()
    denominator = math.sqrt(float((x * x).sum()) * float((y * y).sum()))
    return float((x * y).sum()) / denominator if denominator > 0 else 0.0


def _compare(a: list[Grid], b: list[Grid]) -> float | None:
    if len(a) != len(b) or any(x.shape != y.shape for x, y in zip(a, b, strict=True)):
        return None  # printed from different layouts
    # A box inked in either scan is compared whatever the other shows: a mark against a blank box
    # correlates near 0 by itself, and a faint pencil mark just under the ink line in one scan still
    # matches itself in the other.
    scores = [_correlation(x, y) for x, y in zip(a, b, strict=True) if _inked(x) or _inked(y)]
    return statistics.median(scores) if scores else None


def likeness(a: bytes, b: bytes) -> float | None:
    """How alike two fingerprints are (−1 … 1, near 1 for two scans of one sheet); None when they
    cannot be compared: printed from different layouts, or neither has ink in any box."""
    ga, gb = _grids(a), _grids(b)
    if not ga or not gb:
        return None
    return _compare(ga, gb)


def parse(print_: bytes) -> list[Grid] | None:
    """A stored fingerprint's grids, for comparing one page with many (:func:`best_match`)."""
    return _grids(print_)


def best_match(print_: bytes, others: Sequence[bytes | list[Grid] | None]) -> tuple[int, float] | None:
    """The index of the fingerprint in ``others`` (stored bytes, or grids from :func:`parse`) most
    like ``print_`` and its likeness; None when none can be compared."""
    grids = _grids(print_)
    if not grids or not any(_inked(g) for g in grids):
        return None
    best: tuple[int, float] | None = None
    for k, other in enumerate(others):
        theirs = _grids(other) if isinstance(other, bytes) else other
        score = _compare(grids, theirs) if theirs else None
        if score is not None and (best is None or score > best[1]):
            best = (k, score)
    return best
