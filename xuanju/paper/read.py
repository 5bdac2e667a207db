"""Reading a scanned ballot sheet: one page in, a reading with confidences out (issue 5).

``read_sheet`` finds the four ArUco markers, reads the QR code, warps the page into layout space
(millimetres of ``layout.py`` at ``PX_PER_MM``) and scores every box of the layout. It rejects
rather than guesses (R-BAL-4): a mark is accepted only when it is clearly a ○ (for) or clearly a ×
(against), or when the box is clearly empty (abstain). Everything else — faint marks, ○ and ×
together, scribbles, ticks, any ink on a write-in name line — carries a ``Doubt`` and goes to the
counters and scrutineers, who look at ``SheetReading.cutout`` and decide.

Nothing here knows about Django or the database; the caller supplies ``layout_for``, which turns the
sheet id of the QR code into the layout it was printed from (or None for an unknown round).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from xuanju.paper.layout import MARKER_IDS, MARKER_SIZE_MM, QR_SIZE_MM, Box, BoxKind, Rect, SheetLayout
from xuanju.paper.sheet_id import SheetId, parse_sheet_id

Gray = npt.NDArray[np.uint8]

PX_PER_MM = 8.0  # the registered page: about 200 dpi, enough to see a 0.4 mm pen stroke whole


class MarkValue(StrEnum):
    FOR = "for"  # ○ 赞成
    AGAINST = "against"  # × 不赞成
    BLANK = "blank"  # no mark: abstain (弃权), or an empty write-in line
    INK = "ink"  # something written on a write-in name line


class Doubt(StrEnum):
    """Why a box goes to a human instead of being counted as read."""

    FAINT = "faint"
    BOTH = "both"
    SMUDGE = "smudge"
    UNEXPECTED_SHAPE = "unexpected_shape"
    WRITING = "writing"


DOUBT_TEXT: dict[Doubt, str] = {
    Doubt.FAINT: "笔迹过淡，无法确认是否画了符号",
    Doubt.BOTH: "同时有○和×，或符号经过涂改",
    Doubt.SMUDGE: "有污迹或涂抹，不是○也不是×",
    Doubt.UNEXPECTED_SHAPE: "所画符号不是规定的○或×（如√）",
    Doubt.WRITING: "另选他人栏内有书写，姓名须由计票人员辨认",
}


class SheetProblem(StrEnum):
    NO_QR = "no_qr"
    NOT_OURS = "not_ours"
    UNKNOWN_ROUND = "unknown_round"
    LAYOUT_MISMATCH = "layout_mismatch"
    NO_MARKERS = "no_markers"


SHEET_PROBLEM_TEXT: dict[SheetProblem, str] = {
    SheetProblem.NO_QR: "找不到或无法读取选票上的二维码",
    SheetProblem.NOT_OURS: "二维码不是本系统印制的选票",
    SheetProblem.UNKNOWN_ROUND: "二维码所指的选举轮次不存在或不是本次选举",
    SheetProblem.LAYOUT_MISMATCH: "选票版面与本轮次不符（可能印自旧版选票）",
    SheetProblem.NO_MARKERS: "找不到选票四角的定位标记，无法对准版面",
}


@dataclass(frozen=True)
class MarkReading:
    box: Box
    value: MarkValue  # the best guess, also when ``doubt`` is set
    confidence: float  # 0..1: how far the box is from every decision threshold
    doubt: Doubt | None  # None: accepted without a human


@dataclass(frozen=True)
class SheetReading:
    sheet: SheetId | None
    problem: SheetProblem | None
    marks: tuple[MarkReading, ...]
    registered: Gray | None  # the page in layout space, for cut-outs; None when it could not be aligned
    px_per_mm: float
    # The hand's ink around each box, printed lines removed (0 paper … 255 black), in the order of
    # ``marks``: what xuanju.paper.likeness compares to tell a rescanned sheet. Empty when not read.
    ink: tuple[Gray, ...] = ()

    @property
    def doubts(self) -> tuple[MarkReading, ...]:
        return tuple(m for m in self.marks if m.doubt is not None)

    @property
    def accepted(self) -> tuple[MarkReading, ...]:
        return tuple(m for m in self.marks if m.doubt is None)

    def cutout(self, box: Box, margin_mm: float = 2.0) -> Gray:
        """The box and ``margin_mm`` around it, as registered, for a scrutineer to look at."""
        if self.registered is None:
            raise ValueError("the sheet was not registered")
        y0, y1, x0, x1 = _pixel_span(box.rect, margin_mm, self.px_per_mm, self.registered.shape)
        return self.registered[y0:y1, x0:x1].copy()


def read_sheet(page: Gray, layout_for: Callable[[SheetId], SheetLayout | None]) -> SheetReading:
    """One scanned page (grayscale, any of the four orientations, 150–300 dpi) in, a reading out."""
    if page.ndim != 2 or page.dtype != np.uint8:
        raise ValueError("read_sheet expects a grayscale uint8 page")
    found = _find_markers(page)
    sheet = _read_qr_near_marker(page, found[1]) if 1 in found else None
    if sheet is None:
        sheet = _read_qr_anywhere(page)

    def fail(problem: SheetProblem, sheet_id: SheetId | None = None) -> SheetReading:
        return SheetReading(sheet_id, problem, (), None, PX_PER_MM)

    if sheet is None:
        return fail(SheetProblem.NO_QR if len(found) >= 3 else SheetProblem.NO_MARKERS)
    if isinstance(sheet, str):
        return fail(SheetProblem.NOT_OURS)
    layout = layout_for(sheet)
    if layout is None:
        return fail(SheetProblem.UNKNOWN_ROUND, sheet)
    if layout.code != sheet.layout:
        return fail(SheetProblem.LAYOUT_MISMATCH, sheet)
    transform = _transform(found, layout)
    if transform is None:
        return fail(SheetProblem.NO_MARKERS, sheet)
    registered = _register(page, transform, layout)
    levels = _levels(registered, layout)
    lines = _lines(layout)
    patches = [_patch(registered, box, levels, lines) for box in layout.boxes]
    calibration = _calibrate(patches)
    marks = tuple(
        _score_name(p, calibration) if p.box.kind is BoxKind.WRITE_IN_NAME else _score_mark(p, calibration)
        for p in patches
    )
    ink = tuple(np.round(p.dark * 255).astype(np.uint8) for p in patches)
    return SheetReading(sheet, None, marks, registered, PX_PER_MM, ink)


# --- registration ---------------------------------------------------------------------------

_DETECT_LONG_SIDE = 1000  # px: a 12 mm marker is then ≥ 28 px even on A3, plenty for a 4x4 code
_DICTIONARY = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)


def _detector(fast: bool) -> cv2.aruco.ArucoDetector:
    params = cv2.aruco.DetectorParameters()
    if fast:
        # On the downscaled copy a marker is 28–40 px whatever the dpi: one threshold window fits
        # that and costs half the default sweep. The default sweep is the fallback.
        params.adaptiveThreshWinSizeMin = 13
        params.adaptiveThreshWinSizeMax = 13
    params.minMarkerPerimeterRate = 0.05
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_NONE  # refined on the full page below
    return cv2.aruco.ArucoDetector(_DICTIONARY, params)


_DETECTORS = (_detector(fast=True), _detector(fast=False))
Corners = npt.NDArray[np.float32]  # 4x2, the marker's own top-left, top-right, bottom-right, bottom-left


def _find_markers(page: Gray) -> dict[int, Corners]:
    """Marker id → its four corners in page pixels. Ids seen twice are dropped: such a page is not
    one sheet and must not be aligned on a guess."""
    scale = min(1.0, _DETECT_LONG_SIDE / max(page.shape))
    # Linear, not area, interpolation: ten times faster, and the markers are far larger than the
    # aliasing it lets through.
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR) if scale < 1 else page
    found: dict[int, Corners] = {}
    for detector in _DETECTORS:
        found = _markers(detector, np.asarray(small, dtype=np.uint8), scale)
        if len(found) == len(MARKER_IDS):
            break
    if not found:
        return found
    points = np.concatenate(list(found.values())).astype(np.float32)
    side = float(np.linalg.norm(points[0] - points[1]))
    win = max(2, round(side / 12))  # about a twelfth of the marker: corners stay clear of each other
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.05)
    refined = cv2.cornerSubPix(page, points.reshape(-1, 1, 2), (win, win), (-1, -1), criteria).reshape(
        -1, 4, 2
    )
    return {i: refined[k] for k, i in enumerate(found)}


def _markers(detector: cv2.aruco.ArucoDetector, small: Gray, scale: float) -> dict[int, Corners]:
    corners, ids, _ = detector.detectMarkers(small)
    if ids is None:
        return {}
    seen: dict[int, list[Corners]] = {}
    for c, i in zip(corners, ids.ravel(), strict=True):
        if int(i) in MARKER_IDS:
            seen.setdefault(int(i), []).append(np.asarray(c.reshape(4, 2) / scale, dtype=np.float32))
    return {i: cs[0] for i, cs in seen.items() if len(cs) == 1}


def _rect_corners(r: Rect) -> npt.NDArray[np.float32]:
    return np.array([[r.x, r.y], [r.right, r.y], [r.right, r.bottom], [r.x, r.bottom]], dtype=np.float32)


_MAX_REPROJECTION_MM = 1.2  # a sheet bent or warped more than this is not read on a guess
_AFFINE_FIT_MM = 0.15  # a flatbed or feeder scan is affine to within this; a photo is not


def _transform(found: dict[int, Corners], layout: SheetLayout) -> npt.NDArray[np.float64] | None:
    """Page pixels → registered pixels (3x3) from every marker's four corners; needs three markers.

    Scanners move, turn and scale the sheet but do not tilt it: an affine fit usually holds, and an
    affine warp costs half a perspective one. A photographed sheet gets the full homography.
    """
    ids = sorted(found)
    if len(ids) < 3:
        return None
    src = np.concatenate([found[i] for i in ids]).astype(np.float64)
    dst = np.concatenate([_rect_corners(layout.markers[i]) for i in ids]).astype(np.float64) * PX_PER_MM
    ones = np.ones((len(src), 1))
    affine, *_ = np.linalg.lstsq(np.hstack([src, ones]), dst, rcond=None)
    h = np.vstack([affine.T, [0.0, 0.0, 1.0]])
    if _worst_error(h, src, dst) > _AFFINE_FIT_MM * PX_PER_MM:
        full, _ = cv2.findHomography(src, dst, 0)
        if full is None:
            return None
        h = np.asarray(full, dtype=np.float64)
    if _worst_error(h, src, dst) > _MAX_REPROJECTION_MM * PX_PER_MM:
        return None
    return h


def _worst_error(
    h: npt.NDArray[np.float64], src: npt.NDArray[np.float64], dst: npt.NDArray[np.float64]
) -> float:
    back = cv2.perspectiveTransform(src.reshape(-1, 1, 2), h).reshape(-1, 2)
    return float(np.abs(back - dst).max())


def _register(page: Gray, h: npt.NDArray[np.float64], layout: SheetLayout) -> Gray:
    size = (round(layout.width * PX_PER_MM), round(layout.height * PX_PER_MM))
    if h[2, 0] == 0.0 and h[2, 1] == 0.0:
        out = cv2.warpAffine(page, h[:2], size, flags=cv2.INTER_LINEAR, borderValue=255)
    else:
        out = cv2.warpPerspective(page, h, size, flags=cv2.INTER_LINEAR, borderValue=255)
    return np.asarray(out, dtype=np.uint8)


# --- the QR code ----------------------------------------------------------------------------

_QR_PX_PER_MM = 6.0  # 22 mm code of 29–33 modules: 4 px per module, enough for zxing
_QR_MARGIN_MM = 3.0
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
# The QR code's top-left corner from the top-right corner of marker 1, the same on every paper
# (layout._place puts the code's right edge under the marker's, 3 mm below it); a test holds the
# layout to this.
QR_FROM_MARKER_1_MM = (-QR_SIZE_MM, MARKER_SIZE_MM + 3.0)


def _decode(image: Gray) -> SheetId | str | None:
    """The sheet id, the raw text of a QR code that is not ours, or None when there is none."""
    results = zxingcpp.read_barcodes(image, formats=_QR_ONLY, try_rotate=True, try_downscale=False)
    texts = [r.text for r in results if r.valid]
    for text in texts:
        sheet = parse_sheet_id(text)
        if sheet is not None:
            return sheet
    return texts[0] if texts else None


def _read_qr_near_marker(page: Gray, marker: Corners) -> SheetId | str | None:
    """Decode the QR code from a small upright crop placed by marker 1 alone.

    The code sits just below the top-right marker on every paper size, so its place follows from
    that marker's corners before the layout (and thus the paper) is known.
    """
    s = MARKER_SIZE_MM
    # Marker 1 in a frame whose origin is its own top-right corner.
    marker_mm = np.array([[-s, 0], [0, 0], [0, s], [-s, s]], dtype=np.float32)
    x0 = QR_FROM_MARKER_1_MM[0] - _QR_MARGIN_MM
    y0 = QR_FROM_MARKER_1_MM[1] - _QR_MARGIN_MM
    size_mm = QR_SIZE_MM + 2 * _QR_MARGIN_MM
    k = _QR_PX_PER_MM
    dst = (marker_mm - np.array([x0, y0], dtype=np.float32)) * k
    h = cv2.getPerspectiveTransform(marker.astype(np.float32), dst)
    side = round(size_mm * k)
    crop = cv2.warpPerspective(page, h, (side, side), flags=cv2.INTER_AREA, borderValue=255)
    return _decode(np.asarray(crop, dtype=np.uint8))


def _read_qr_anywhere(page: Gray) -> SheetId | str | None:
    """Fallback when marker 1 is missing: search the whole page (slower, rare)."""
    return _decode(page)


# --- scoring boxes --------------------------------------------------------------------------
#
# Three classes, never two (issue 13): a box is a definite mark, definite empty, or marginal, and a
# marginal box carries a Doubt whatever the rest of the sheet looks like. The thresholds are not
# fixed grey levels: they are measured on each sheet, because paper, pens, pencils and scanners
# differ. Per sheet the reader measures (docs/ballots.md, "How marks are read"):
#   - the paper level and printed black (from the four markers): the darkness scale, 0 to 1;
#   - the noise of blank paper around the boxes: below it nothing is evidence of a mark;
#   - the darkness of the sheet's own strongest marks: one voter's pen or pencil on one sheet.
# A box whose ink is plainly darker than the noise but much lighter than the sheet's own marks, or
# too light in absolute terms, is marginal (faint); so is a box whose ink is neither clearly a ○
# nor clearly a ×.


@dataclass(frozen=True)
class _Levels:
    paper: float  # the page's white
    black: float  # printed black, from the markers: the reference for "how dark is this ink"


def _levels(registered: Gray, layout: SheetLayout) -> _Levels:
    markers = []
    for m in layout.markers:
        y0, y1, x0, x1 = _pixel_span(m, 0.0, PX_PER_MM, registered.shape)
        markers.append(registered[y0:y1, x0:x1].ravel())
    black = float(np.percentile(np.concatenate(markers), 15))  # markers are about half black
    paper = float(np.percentile(registered[::7, ::7], 75))  # most of a sheet is blank paper
    return _Levels(paper=paper, black=min(black, paper - 60.0))


def _pixel_span(r: Rect, margin_mm: float, ppm: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    return _pixel_span_xy(r, margin_mm, margin_mm, ppm, shape)


def _pixel_span_xy(
    r: Rect, margin_x: float, margin_y: float, ppm: float, shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    y0 = max(0, math.floor((r.y - margin_y) * ppm))
    y1 = min(shape[0], math.ceil((r.bottom + margin_y) * ppm))
    x0 = max(0, math.floor((r.x - margin_x) * ppm))
    x1 = min(shape[1], math.ceil((r.right + margin_x) * ppm))
    return y0, y1, x0, x1


_BAND_MM = 0.6  # ignored either side of a printed line (0.35 mm line + registration)
_SIDE_MM = 3.0  # looked at left and right of a mark box: a ○ drawn larger than the box is still read
_UPDOWN_MM = 2.0  # looked at above and below, at most (less where the next row's box is close)
_BACKGROUND_MM = 1.6  # wider than any pen stroke: what remains after closing is the paper itself
_SHADE = 50.0  # grey levels the local paper may lie under the window's paper (a shadow, a stain)
_STROKE_MM2 = 2.0  # the darkest this much of a box tells how dark its ink is
_SPECK_MM2 = 0.12  # a trace smaller than this is dust or JPEG noise
# Calibrated on seeds 0–299 of tests/paper/handdrawn.py and the fixtures of synthetic.py (see
# benchmarks/README.md); reported on other seeds.
_NOISE_K = 5.0  # trace threshold: the paper's median darkness plus this many robust deviations
_TRACE_MIN = 0.035  # ... and never below this darkness
_EMPTY_MM2 = 0.45  # less trace than this, and no dark stroke: definitely empty
_NAME_TRACE = 0.07  # on a write-in line (long, next to a printed line): JPEG ringing stays below
_NAME_OF_PEN = 0.25  # a stain rim on a write-in line is fainter than this share of the sheet's marks
_RIM_RADIUS_MM = (5.0, 60.0)  # ... lies on a circle of this radius (a cup, a drop), ...
_RIM_FIT_MM = 0.3  # ... to within this (root mean square), ...
_RIM_MIN_MM = 3.0  # ... and reaches this far: a short faint piece tells no circle
_MARK_MIN = 0.12  # a definite mark is at least this dark in absolute terms, whatever the sheet
_MARKS_TO_CALIBRATE = 3  # fewer marks than this on a sheet do not tell its pen ...
_USUAL_PEN = 0.7  # ... which is then taken to be a dark pen: a lone light mark goes to a person
_MARK_OF_SHEET = 0.45  # ... and at least this share of the darkness of the sheet's own marks
_INK_OF_PEAK = 0.45  # a pixel is part of a mark's stroke from this share of the mark's own darkness


@dataclass(frozen=True)
class _Lines:
    """The printed lines of a layout near its boxes, in mm: row and cell borders, write-in lines."""

    ys: tuple[float, ...]
    xs: tuple[float, ...]
    updown: dict[Box, float]  # how far to look above and below each mark box


@lru_cache(maxsize=16)
def _lines(layout: SheetLayout) -> _Lines:
    ys: set[float] = set()
    xs: set[float] = set()
    for row in layout.rows:
        ys.update((row.label.y, row.label.bottom))
        xs.update((row.label.x, row.label.right))
        if row.name_box is not None:
            ys.add(row.name_box.rect.bottom - 1.0)
    for name_cell, mark_cell in layout.header_cells:
        ys.update((name_cell.y, name_cell.bottom))
        xs.update((mark_cell.right,))
    updown: dict[Box, float] = {}
    marks = [row.mark for row in layout.rows]
    for box in marks:
        gaps = [
            max(other.rect.y - box.rect.bottom, box.rect.y - other.rect.bottom)
            for other in marks
            if other is not box and other.rect.x < box.rect.right and box.rect.x < other.rect.right
        ]
        nearest = min(gaps, default=2 * _UPDOWN_MM / 0.6)
        updown[box] = min(_UPDOWN_MM, 0.6 * nearest)
    return _Lines(tuple(sorted(ys)), tuple(sorted(xs)), updown)


@dataclass
class _Patch:
    box: Box
    dark: npt.NDArray[np.float32]  # 0 paper … 1 printed black; printed lines set to 0
    printed: npt.NDArray[np.bool_]  # where the sheet has printed lines (ignored)
    inner: tuple[int, int, int, int]  # the box itself in patch pixels: y0, y1, x0, x1
    peak: float  # darkness of the darkest _STROKE_MM2 of the window
    floor: float  # median darkness of the window: its paper
    spread: float  # robust deviation of darkness on its paper


def _patch(registered: Gray, box: Box, levels: _Levels, lines: _Lines) -> _Patch:
    k = PX_PER_MM
    if box.kind is BoxKind.WRITE_IN_NAME:
        mx, my = 0.0, 0.0
    else:
        mx, my = _SIDE_MM, lines.updown[box]
    y0, y1, x0, x1 = _pixel_span_xy(box.rect, mx, my, k, registered.shape)
    raw = registered[y0:y1, x0:x1]
    smooth = cv2.GaussianBlur(raw, (3, 3), 0)  # scanner and JPEG speckle is not ink
    side = int(_BACKGROUND_MM * k) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    background = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, kernel).astype(np.float32)
    # A box filled solid with ink is wider than the kernel: the window's own paper (its margins are
    # blank) bounds how dark the local paper may be, so a blot is never taken for paper.
    sample = smooth[::3, ::3].ravel()
    kth = int(0.9 * (sample.size - 1))
    window_paper = float(np.partition(sample, kth)[kth])
    background = np.maximum(background, window_paper - _SHADE)
    span = max(levels.paper - levels.black, 60.0)
    dark = np.clip((background - smooth.astype(np.float32)) / span, 0.0, 1.0)
    band = _BAND_MM * k
    printed = np.zeros(dark.shape, dtype=bool)
    for y in lines.ys:
        p = y * k - y0
        if -band < p < dark.shape[0] + band:
            printed[max(0, math.floor(p - band)) : max(0, math.ceil(p + band)), :] = True
    for x in lines.xs:
        p = x * k - x0
        if -band < p < dark.shape[1] + band:
            printed[:, max(0, math.floor(p - band)) : max(0, math.ceil(p + band))] = True
    r = box.rect
    inner = (
        max(0, round(r.y * k) - y0),
        min(dark.shape[0], round(r.bottom * k) - y0),
        max(0, round(r.x * k) - x0),
        min(dark.shape[1], round(r.right * k) - x0),
    )
    if box.kind is not BoxKind.WRITE_IN_NAME:
        rect_px = tuple(
            round(v * 4) / 4 for v in (r.x * k - x0, r.y * k - y0, r.right * k - x0, r.bottom * k - y0)
        )
        printed |= _outline_band(dark.shape, rect_px, band)
    dark[printed] = 0.0
    flat = dark[::2, ::2].ravel()  # a quarter of the pixels tell the paper and the peak as well
    floor = float(np.median(flat))
    spread = 1.4826 * float(np.median(np.abs(flat - floor)))
    n = max(1, min(flat.size, round(_STROKE_MM2 * k * k / 4)))
    peak = float(np.partition(flat, flat.size - n)[flat.size - n :].mean())
    return _Patch(box, dark, printed, inner, peak, floor, spread)


@lru_cache(maxsize=64)
def _outline_band(
    shape: tuple[int, int], rect_px: tuple[float, float, float, float], band: float
) -> npt.NDArray[np.bool_]:
    """True on the printed outline of a box (``rect_px`` = x0, y0, x1, y1 in patch pixels)."""
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
    x0, y0, x1, y1 = rect_px
    inside_x = (xs > x0 - band) & (xs < x1 + band)
    inside_y = (ys > y0 - band) & (ys < y1 + band)
    near_x = (np.abs(xs - x0) < band) | (np.abs(xs - x1) < band)
    near_y = (np.abs(ys - y0) < band) | (np.abs(ys - y1) < band)
    band_mask: npt.NDArray[np.bool_] = (near_x & inside_y) | (near_y & inside_x)
    return band_mask


@dataclass(frozen=True)
class _Calibration:
    """What one sheet says about its paper and its voter's pen (docs/ballots.md)."""

    trace: float  # darkness from which a pixel is evidence of something on the paper
    marks: float  # darkness of the sheet's own strongest marks (0 when it has none)


def _calibrate(patches: list[_Patch]) -> _Calibration:
    floor = float(np.median([p.floor for p in patches]))
    spread = float(np.median([p.spread for p in patches]))
    trace = max(_TRACE_MIN, floor + _NOISE_K * spread)
    strong = sorted(
        p.peak for p in patches if p.box.kind is not BoxKind.WRITE_IN_NAME and p.peak >= 3 * trace
    )
    marks = float(np.percentile(strong, 75)) if strong else 0.0
    if len(strong) < _MARKS_TO_CALIBRATE:
        # Too few marks to know this voter's pen: a lone light mark is judged against a dark
        # pen, so it goes to a person rather than being taken as the pen itself.
        marks = max(marks, _USUAL_PEN)
    return _Calibration(trace=trace, marks=marks)


def _traces(patch: _Patch, cal: _Calibration, floor: float = 0.0) -> tuple[npt.NDArray[np.bool_], float]:
    """The trace mask of a window without specks, folds and a neighbour's big ○ reaching in, and
    its area in mm²."""
    k = PX_PER_MM
    mask = (patch.dark >= max(cal.trace, floor)).astype(np.uint8)
    _clear_folds(mask, patch.dark, cal)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h = mask.shape[0]
    y0, y1, _x0, _x1 = patch.inner
    keep = np.zeros(count, dtype=bool)
    for i in range(1, count):
        left, top, cw, ch, area = (int(v) for v in stats[i])
        if area < _SPECK_MM2 * k * k:
            continue
        if patch.box.kind is not BoxKind.WRITE_IN_NAME and (
            (top + ch <= y0 - k and top == 0) or (top >= y1 + k and top + ch == h)
        ):
            continue  # wholly in the strip above or below the box, from the window's edge: not ours
        if _is_fold(labels[top : top + ch, left : left + cw] == i, patch, (top, left), cal):
            continue
        keep[i] = True
    cleaned = keep[labels]
    return cleaned, float(np.count_nonzero(cleaned)) / (k * k)


def _clear_folds(mask: npt.NDArray[np.uint8], dark: npt.NDArray[np.float32], cal: _Calibration) -> None:
    """Clear faint lines along the paper's axes that run across most of the window: a fold or a
    crease, even where speckle breaks it into pieces. Neither a ○ nor a × covers half of a row or
    a column of the window; a pen line that does is darker and stays."""
    faint = dark < max(_MARK_MIN, 0.6 * cal.marks)
    for axis in (0, 1):
        kernel = np.ones((5, 1) if axis == 0 else (1, 5), np.uint8)
        cover = cv2.dilate(mask, kernel).mean(axis=1 - axis)
        for i in np.flatnonzero(cover >= 0.5):
            lo, hi = max(0, int(i) - 3), int(i) + 4
            if axis == 0:
                mask[lo:hi, :][faint[lo:hi, :]] = 0
            else:
                mask[:, lo:hi][faint[:, lo:hi]] = 0


def _is_fold(component: npt.NDArray[np.bool_], patch: _Patch, at: tuple[int, int], cal: _Calibration) -> bool:
    """A fold or crease of the paper: a faint, thin, straight line along the paper's axes running
    out of the window or into a printed line. Pen strokes are darker; the arms of a × are diagonal."""
    k = PX_PER_MM
    ch, cw = component.shape
    if max(ch, cw) < 2 * k or min(ch, cw) > 0.25 * max(ch, cw) + k:
        return False
    top, left = at
    dark = patch.dark[top : top + ch, left : left + cw]
    if float(dark[component].max()) >= max(_MARK_MIN, 0.6 * cal.marks):
        return False
    h, w = patch.dark.shape
    edge = top <= 1 or left <= 1 or top + ch >= h - 1 or left + cw >= w - 1
    if not edge:
        near = patch.printed[max(0, top - 2) : top + ch + 2, max(0, left - 2) : left + cw + 2]
        grown = cv2.dilate(component.astype(np.uint8), np.ones((5, 5), np.uint8))
        pad_t, pad_l = top - max(0, top - 2), left - max(0, left - 2)
        grown_full = np.zeros(near.shape, dtype=bool)
        gh, gw = min(grown.shape[0], near.shape[0] - pad_t), min(grown.shape[1], near.shape[1] - pad_l)
        grown_full[pad_t : pad_t + gh, pad_l : pad_l + gw] = grown[:gh, :gw] > 0
        edge = bool((grown_full & near).any())
    if not edge:
        return False
    ys, xs = np.nonzero(component)
    pts = np.stack([xs, ys]).astype(np.float32)
    pts -= pts.mean(axis=1, keepdims=True)
    eig, vec = np.linalg.eigh(np.cov(pts))
    if math.sqrt(max(0.0, float(eig[0]))) >= 0.35 * k:
        return False
    major = vec[:, 1]
    return min(abs(float(major[0])), abs(float(major[1]))) < math.sin(math.radians(10))


def _score_name(patch: _Patch, cal: _Calibration) -> MarkReading:
    """Any writing on a write-in line goes to a human: names are read by people (R-BAL-4).

    One exception, measured rather than assumed: when all the trace on the line is fainter than
    the sheet's pen and lies on one circle of paper-stain size, it is the dried rim of a stain
    crossing the line, not writing. Handwriting, however light, is strokes in several directions
    and lies on no single circle.
    """
    trace, trace_mm2 = _traces(patch, cal, _NAME_TRACE)
    limit = 2 * _EMPTY_MM2
    if trace_mm2 >= limit and not _stain_rim(patch, trace, cal):
        return MarkReading(patch.box, MarkValue.INK, _guess(trace_mm2 / 10.0), Doubt.WRITING)
    return MarkReading(patch.box, MarkValue.BLANK, _margin(1 - min(trace_mm2, limit) / limit), None)


def _stain_rim(patch: _Patch, trace: npt.NDArray[np.bool_], cal: _Calibration) -> bool:
    """True when ``trace`` is faint for this sheet and lies on one circle of stain size."""
    values = patch.dark[trace]
    if values.size == 0 or float(values.max()) >= max(_MARK_MIN, _NAME_OF_PEN * cal.marks):
        return False
    ys, xs = np.nonzero(trace)
    x, y = xs / PX_PER_MM, ys / PX_PER_MM
    if max(float(np.ptp(x)), float(np.ptp(y))) < _RIM_MIN_MM:
        return False
    # Circle through the points (algebraic fit): x² + y² + D x + E y + F = 0.
    a = np.stack([x, y, np.ones_like(x)], axis=1)
    (d, e, f), *_ = np.linalg.lstsq(a, -(x * x + y * y), rcond=None)
    cx, cy = -d / 2, -e / 2
    radius_sq = cx * cx + cy * cy - f
    if radius_sq <= 0:
        return False
    radius = math.sqrt(radius_sq)
    off = np.hypot(x - cx, y - cy) - radius
    return bool(
        _RIM_RADIUS_MM[0] <= radius <= _RIM_RADIUS_MM[1] and float(np.sqrt(np.mean(off**2))) <= _RIM_FIT_MM
    )


def _margin(x: float) -> float:
    """Confidence of an accepted reading, from the normalised distance to the nearest threshold
    (0 at it, 1 far from it): 0.5 to 1."""
    return round(0.5 + 0.5 * min(1.0, max(0.0, x)), 3)


def _guess(x: float) -> float:
    """Confidence of the best guess behind a doubt: always below 0.5, which no accepted reading
    goes under, so sorting by confidence puts every doubt first."""
    return round(0.1 + 0.35 * min(1.0, max(0.0, x)), 3)


def _strength(patch: _Patch, trace: npt.NDArray[np.bool_]) -> float:
    """How dark the box's ink is: the mean darkness of its darkest _STROKE_MM2 of trace."""
    values = patch.dark[trace]
    if values.size == 0:
        return 0.0
    n = min(values.size, max(1, round(_STROKE_MM2 * PX_PER_MM**2)))
    return float(np.partition(values, values.size - n)[values.size - n :].mean())


def _score_mark(patch: _Patch, cal: _Calibration) -> MarkReading:
    box = patch.box
    trace, trace_mm2 = _traces(patch, cal)
    if trace_mm2 < _EMPTY_MM2:
        return MarkReading(box, MarkValue.BLANK, _margin(1 - trace_mm2 / _EMPTY_MM2), None)
    strength = _strength(patch, trace)
    # Marginal when light for this sheet's own pen, or light on any sheet.
    needed = max(_MARK_MIN, _MARK_OF_SHEET * cal.marks)
    faint = strength < needed
    ink = trace & (patch.dark >= _INK_OF_PEAK * strength)
    shape = _shape(ink)
    if shape is None or shape.size_mm < 2.0:
        return MarkReading(box, MarkValue.BLANK, _guess(0.0), Doubt.FAINT if faint else Doubt.SMUDGE)
    return _classify_shape(box, shape, _shape(ink, _arm_turn(ink)), faint, strength / needed)


@dataclass(frozen=True)
class _Shape:
    size_mm: float
    centre_fill: float  # ink share of the middle of the mark: ~0 for ○, high where × strokes cross
    coverage: float  # share of directions (from the middle) with ink further out: ~1 for ○
    ring: float  # share of ink at the rim of the mark's ellipse: ~1 for ○
    diagonal: float  # share of ink on the diagonals of the mark's bounding box: ~1 for ×
    quadrant: float  # smallest share of outer ink in one quadrant: ○ and × are balanced, √ is not
    arms: float  # smallest share of ink far out along one of the four diagonals: × has four arms
    spokes: int  # separate runs of directions in which the outer ink lies: × 4, ○ 1, √ 2 or 3
    spread: float  # how far apart, along one direction from the middle, the ink lies: ○ one stroke
    stroke_mm: float  # the pen's width, from the ink's area over its outline
    fill: float  # ink area / bounding-box area: a blot or scribble is dense


def _spokes(angles: npt.NDArray[np.float32]) -> int:
    """Runs of occupied directions (of 24, a gap of one empty direction does not split a run)."""
    if angles.size == 0:
        return 0
    counts = np.bincount(((angles + math.pi) * (24 / (2 * math.pi))).astype(np.int32) % 24, minlength=24)
    occupied = counts >= max(2, 0.01 * angles.size)
    if occupied.all():
        return 1
    # Close one-direction gaps, then count the starts of runs around the circle.
    filled = occupied | (np.roll(occupied, 1) & np.roll(occupied, -1))
    return int(np.count_nonzero(filled & ~np.roll(filled, 1))) or 1


def _stroke_width(mask: npt.NDArray[np.bool_]) -> float:
    """Width of the strokes in pixels: a stroke's outline runs along both of its sides."""
    as_u8 = mask.astype(np.uint8)
    outline = np.count_nonzero(mask & ~cv2.erode(as_u8, np.ones((3, 3), np.uint8)).astype(bool))
    return 2.0 * float(np.count_nonzero(as_u8)) / max(1, int(outline))


def _radial_spread(angles: npt.NDArray[np.float32], r: npt.NDArray[np.float32]) -> float:
    """Mean standard deviation of the radius of the ink in each of 24 directions: a ○ crosses
    each direction once (small), a scribble or a filled blot many times (large)."""
    bins = ((angles + math.pi) * (24 / (2 * math.pi))).astype(np.int32) % 24
    n = np.bincount(bins, minlength=24).astype(np.float64)
    s1 = np.bincount(bins, weights=r, minlength=24)
    s2 = np.bincount(bins, weights=r * r, minlength=24)
    some = n >= 3
    if not some.any():
        return 0.0
    var = np.maximum(0.0, s2[some] / n[some] - (s1[some] / n[some]) ** 2)
    return float(np.average(np.sqrt(var), weights=n[some]))


def _arm_turn(mask: npt.NDArray[np.bool_]) -> float:
    """The turn (radians, within ±45°) that brings the arms of a skewed × onto the diagonals.

    A × drawn at any slant puts its ink in four directions 90° apart; the fourth angular moment of
    the ink around its middle finds them whatever the slant. For a ○ the moment is near zero and
    the turn meaningless, which does no harm: the turn only feeds the × test."""
    ys, xs = np.nonzero(mask)
    if len(xs) < 8:
        return 0.0
    u, v = xs - xs.mean(), ys - ys.mean()
    r2 = u * u + v * v
    far = r2 >= 0.25 * float(r2.max())  # the arms, not the crossing where every direction meets
    z = np.sum(((u[far] + 1j * v[far]) ** 4) / np.maximum(r2[far], 1.0) ** 2)
    # Arms on the diagonals (45°, 135°, ...) give a moment of -1: turn the arms by the difference.
    return -float(np.angle(-z)) / 4


def _shape(mask: npt.NDArray[np.bool_], turn: float = 0.0) -> _Shape | None:
    ys, xs = np.nonzero(mask)
    if len(xs) < 8:
        return None
    xs_f, ys_f = xs.astype(np.float32), ys.astype(np.float32)
    if turn:
        c, s = math.cos(turn), math.sin(turn)
        xs_f, ys_f = c * xs_f - s * ys_f, s * xs_f + c * ys_f
    x_lo, x_hi = np.percentile(xs_f, (1, 99))
    y_lo, y_hi = np.percentile(ys_f, (1, 99))
    w, h = float(x_hi - x_lo) + 1, float(y_hi - y_lo) + 1
    big = max(w, h)
    a, b = max(w, 0.5 * big) / 2, max(h, 0.5 * big) / 2  # a stroke alone is not a flat ellipse
    u = (xs_f - (x_lo + x_hi) / 2) / a
    v = (ys_f - (y_lo + y_hi) / 2) / b
    r = np.hypot(u, v)
    n = len(xs)
    centre = float(np.count_nonzero(r < 0.35)) / (math.pi * 0.35**2 * a * b)
    outer = r >= 0.7
    angles = np.arctan2(v[outer], u[outer])
    bins = np.unique(((angles + math.pi) * (36 / (2 * math.pi))).astype(np.int32) % 36)
    far = r >= 0.4
    quadrant_of = (u > 0).astype(np.int32) * 2 + (v > 0)
    quads = np.bincount(quadrant_of[far], minlength=4)
    on_diagonal = np.abs(np.abs(u) - np.abs(v)) < 0.35
    arms = np.bincount(quadrant_of[on_diagonal & (r >= 0.6)], minlength=4)
    return _Shape(
        size_mm=big / PX_PER_MM,
        centre_fill=min(1.0, centre),
        coverage=len(bins) / 36,
        ring=float(np.count_nonzero((r >= 0.55) & (r <= 1.3))) / n,
        diagonal=float(np.count_nonzero(on_diagonal)) / n,
        quadrant=float(quads.min()) / max(1, int(quads.sum())),
        arms=float(arms.min()) / n,
        spokes=_spokes(np.arctan2(v[r >= 0.6], u[r >= 0.6])),
        spread=_radial_spread(np.arctan2(v, u), r),
        stroke_mm=float(_stroke_width(mask)) / PX_PER_MM,
        fill=n / (w * h),
    )


def _cross_score(s: _Shape) -> float:
    """Above 0 when the ink is clearly a ×, below when it is not."""
    return min(
        # A ○ crossed out by a × covers more directions than a × alone; a thick pen covers more.
        (0.45 + 0.6 * s.stroke_mm / max(s.size_mm / 2, 0.5) - s.coverage) / 0.2,
        (s.centre_fill - 0.12) / 0.2,
        (0.72 - s.ring) / 0.15,
        (s.quadrant - 0.03) / 0.1,
        # A √ has two arms and its ink lies in one half; a × has four arms (three when one is
        # short, two apparent ones when thick strokes merge) spread over all four quadrants.
        1.0 if s.spokes >= 3 or s.quadrant >= 0.12 else -1.0,
    )


def _classify_shape(box: Box, s: _Shape, turned: _Shape | None, faint: bool, darkness: float) -> MarkReading:
    """○, × or marginal from the shape of a mark's ink; ``turned`` is the same ink turned so that
    a skewed ×'s arms lie on the diagonals; ``darkness`` is the ink's darkness over the least a
    definite mark needs (below 1 when ``faint``)."""
    # Thresholds sit between the measured ranges of hand-drawn ○ (of every size, open, elliptical),
    # × (skewed, short), √, crossed-out marks and scribbles of tests/paper/handdrawn.py (tuning
    # seeds only), each with room to spare; a mark near any of them is marginal.
    # A ○ crosses each direction from its middle once: the allowed radial spread grows with the
    # pen's width over the ring's radius, so a small ○ or a thick pen may spread more.
    allowed_spread = 0.035 + 0.35 * s.stroke_mm / max(s.size_mm / 2, 0.5)
    circle = min(
        (s.ring - 0.9) / 0.1,
        (0.04 - s.centre_fill) / 0.04,
        (allowed_spread - s.spread) / 0.03,
        (s.coverage - 0.4) / 0.3,
    )
    # A × slanted by 15–30° puts an arm near each axis, where the quadrants split it: the × test
    # also looks at the ink turned upright, and the better of the two counts. Turned, a × must be
    # a clean one: three or four arms, most ink on the diagonals, not dense (a scribble turned the right
    # way can look × enough otherwise).
    upright = -1.0
    if turned is not None and turned.spokes >= 3 and turned.diagonal >= 0.65 and turned.fill < 0.4:
        upright = _cross_score(turned)
    cross = max(_cross_score(s), upright)
    guess = MarkValue.FOR if circle >= cross else MarkValue.AGAINST
    if faint:
        return MarkReading(box, guess, _guess(min(darkness, max(circle, cross))), Doubt.FAINT)
    if circle > 0 and cross <= 0:
        return MarkReading(box, MarkValue.FOR, _margin(circle), None)
    if cross > 0 and circle <= 0:
        return MarkReading(box, MarkValue.AGAINST, _margin(cross), None)
    if s.coverage >= 0.8 and s.centre_fill >= 0.2:
        return MarkReading(box, guess, _guess(0.0), Doubt.BOTH)
    if s.fill >= 0.45:
        return MarkReading(box, guess, _guess(0.0), Doubt.SMUDGE)
    return MarkReading(box, guess, _guess(max(circle, cross) + 1), Doubt.UNEXPECTED_SHAPE)
