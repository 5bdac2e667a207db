"""Marks people actually draw, one kind at a time (issue 13, item 2): a × slanted well off the
diagonals is still a ×, and the faint rim of a coffee stain across an empty write-in line is not
writing, while a name on the same sheet still goes to a person (R-BAL-4).

The ink is laid with tests/paper/handdrawn.py's strokes and pen model, which share no code with
the reader; the stain rim is drawn here.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from tests.paper.handdrawn import cross_strokes, ellipse_stroke, name_strokes, stamp
from xuanju.paper import render, synthetic
from xuanju.paper.layout import BoxKind, SheetLayout, layout_sheet
from xuanju.paper.read import Doubt, MarkValue, SheetReading, read_sheet
from xuanju.paper.sheet_id import SheetId

DPI = 200
PPM = DPI / 25.4


def layout() -> SheetLayout:
    return layout_sheet(synthetic.committee_spec(11, 3, seed=3))


def paper(lay: SheetLayout) -> np.ndarray:
    gray = render.sheet_image(lay, SheetId("t", "r1", 3, lay.code), dpi=DPI).astype(np.float32) / 255
    return np.repeat(gray[:, :, None], 3, axis=2) * np.float32(0.95)


def scan(page: np.ndarray, lay: SheetLayout) -> SheetReading:
    out = np.clip(cv2.GaussianBlur(page, (0, 0), 0.6) * 255, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    gray = cv2.imdecode(np.frombuffer(jpeg.tobytes(), np.uint8), cv2.IMREAD_GRAYSCALE)
    return read_sheet(np.asarray(gray), lambda _sheet: lay)


def centre(lay: SheetLayout, kind: BoxKind, index: int) -> tuple[float, float]:
    box = next(b for b in lay.boxes if b.kind is kind and b.index == index)
    return box.rect.x + box.rect.w / 2, box.rect.y + box.rect.h / 2


def reading_of(reading: SheetReading, kind: BoxKind, index: int) -> tuple[MarkValue, Doubt | None]:
    mark = next(m for m in reading.marks if m.box.kind is kind and m.box.index == index)
    return mark.value, mark.doubt


@pytest.mark.parametrize("skew", [-28.0, -18.0, 18.0, 28.0])
def test_R_BAL_4_a_slanted_cross_is_read_as_against(skew: float) -> None:
    lay = layout()
    page = paper(lay)
    rng = np.random.default_rng([13, 77, int(skew) + 90])
    side = lay.rows[0].mark.rect.w
    # Four ordinary ○ tell the reader this voter's pen; the × are slanted by ``skew``.
    for i in range(4):
        ring = ellipse_stroke(rng, side * 0.4, side * 0.38, 0, 0.0)
        stamp(page, [ring], centre(lay, BoxKind.CANDIDATE, i), PPM, "ballpoint_black", 0.95, rng)
    for i in range(4, 8):
        cross = cross_strokes(rng, side * 0.45, skew, 0.1)
        stamp(page, cross, centre(lay, BoxKind.CANDIDATE, i), PPM, "ballpoint_black", 0.95, rng)
    reading = scan(page, lay)
    assert reading.problem is None
    for i in range(4):
        assert reading_of(reading, BoxKind.CANDIDATE, i) == (MarkValue.FOR, None)
    for i in range(4, 8):
        assert reading_of(reading, BoxKind.CANDIDATE, i) == (MarkValue.AGAINST, None), f"box {i}, {skew}°"


def stain_rim(page: np.ndarray, at_mm: tuple[float, float], radius_mm: float) -> None:
    """The dried edge of a coffee ring: a thin, faint, brownish circle."""
    h, w = page.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.hypot(xs / PPM - at_mm[0], ys / PPM - at_mm[1])
    rim = np.exp(-(((r - radius_mm) / 0.3) ** 2))
    tint = np.array([0.8, 0.88, 0.95], np.float32)
    page *= 1 - rim[:, :, None] * (1 - tint)


def test_R_BAL_4_stain_rim_on_an_empty_write_in_line_is_not_writing() -> None:
    lay = layout()
    page = paper(lay)
    rng = np.random.default_rng([13, 78])
    side = lay.rows[0].mark.rect.w
    for i in range(5):
        ring = ellipse_stroke(rng, side * 0.4, side * 0.38, 0, 0.0)
        stamp(page, [ring], centre(lay, BoxKind.CANDIDATE, i), PPM, "gel_black", 0.95, rng)
    empty = centre(lay, BoxKind.WRITE_IN_NAME, 0)
    stain_rim(page, (empty[0] + 20, empty[1] + 4), 9.0)
    named = next(b for b in lay.boxes if b.kind is BoxKind.WRITE_IN_NAME and b.index == 1)
    strokes = name_strokes(rng, named.rect.w, named.rect.h)
    stamp(page, strokes, centre(lay, BoxKind.WRITE_IN_NAME, 1), PPM, "gel_black", 0.95, rng)
    reading = scan(page, lay)
    assert reading.problem is None
    assert reading_of(reading, BoxKind.WRITE_IN_NAME, 0) == (MarkValue.BLANK, None)
    assert reading_of(reading, BoxKind.WRITE_IN_NAME, 1) == (MarkValue.INK, Doubt.WRITING)


def test_R_BAL_4_a_light_pencil_name_on_a_pen_sheet_still_goes_to_a_person() -> None:
    """Lighter than the sheet's pen is not the same as nothing: a pencilled name is writing."""
    lay = layout()
    page = paper(lay)
    rng = np.random.default_rng([13, 79])
    side = lay.rows[0].mark.rect.w
    for i in range(5):
        cross = cross_strokes(rng, side * 0.45, 0.0, 0.1)
        stamp(page, cross, centre(lay, BoxKind.CANDIDATE, i), PPM, "gel_black", 1.0, rng)
    named = next(b for b in lay.boxes if b.kind is BoxKind.WRITE_IN_NAME and b.index == 2)
    strokes = name_strokes(rng, named.rect.w, named.rect.h)
    stamp(page, strokes, centre(lay, BoxKind.WRITE_IN_NAME, 2), PPM, "pencil", 0.3, rng)
    reading = scan(page, lay)
    assert reading.problem is None
    value, doubt = reading_of(reading, BoxKind.WRITE_IN_NAME, 2)
    assert doubt is Doubt.WRITING and value is MarkValue.INK
    assert math.isfinite(next(m.confidence for m in reading.marks if m.box.kind is BoxKind.WRITE_IN_NAME))
