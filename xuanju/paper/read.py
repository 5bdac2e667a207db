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
    marks = tuple(_score(registered, box, levels) for box in layout.boxes)
    return SheetReading(sheet, None, marks, registered, PX_PER_MM)


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
    y0 = max(0, math.floor((r.y - margin_mm) * ppm))
    y1 = min(shape[0], math.ceil((r.bottom + margin_mm) * ppm))
    x0 = max(0, math.floor((r.x - margin_mm) * ppm))
    x1 = min(shape[1], math.ceil((r.right + margin_mm) * ppm))
    return y0, y1, x0, x1


_MARK_MARGIN_MM = 1.0  # look this far beyond the printed box: a ○ drawn a bit large still counts
_OUTLINE_BAND_MM = 0.6  # ignored either side of the printed outline (0.35 mm line + registration)
_INK = 0.45  # darkness (0 paper … 1 printed black) from which a pixel is pen ink
_TRACE = 0.1  # darkness from which a pixel shows any trace: a faint pencil, a light smudge
_BLANK_TRACE_MM2 = 0.8  # less trace than this in a box is dust or noise: the box is empty


def _darkness(patch: Gray, levels: _Levels) -> npt.NDArray[np.float32]:
    """0 for the paper around this box, 1 for printed black; local paper level so that uneven
    illumination does not read as ink, but never darker than the page's paper minus a margin so
    that a box drowned in ink does not read as paper."""
    smooth = cv2.medianBlur(patch, 3)  # scanner speckle is not ink
    sample = smooth[::2, ::2].ravel()  # a quarter of the pixels tell the paper level as well
    kth = int(0.9 * (len(sample) - 1))
    paper = max(float(np.partition(sample, kth)[kth]), levels.paper - 40.0)
    span = max(paper - levels.black, 40.0)
    return np.asarray(np.clip((paper - smooth.astype(np.float32)) / span, 0.0, 1.0), dtype=np.float32)


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


def _score(registered: Gray, box: Box, levels: _Levels) -> MarkReading:
    if box.kind is BoxKind.WRITE_IN_NAME:
        return _score_name(registered, box, levels)
    k = PX_PER_MM
    y0, y1, x0, x1 = _pixel_span(box.rect, _MARK_MARGIN_MM, k, registered.shape)
    dark = _darkness(registered[y0:y1, x0:x1], levels)
    r = box.rect
    # Quantised so that boxes of one sheet share a cached mask.
    rect_px = tuple(
        round(v * 4) / 4 for v in (r.x * k - x0, r.y * k - y0, r.right * k - x0, r.bottom * k - y0)
    )
    band = _outline_band(dark.shape, rect_px, _OUTLINE_BAND_MM * k)
    dark[band] = 0.0
    return _classify_mark(box, dark >= _INK, dark >= _TRACE)


def _score_name(registered: Gray, box: Box, levels: _Levels) -> MarkReading:
    """Any writing on a write-in line goes to a human: names are read by people (R-BAL-4)."""
    k = PX_PER_MM
    y0, y1, x0, x1 = _pixel_span(box.rect, 0.0, k, registered.shape)
    dark = _darkness(registered[y0:y1, x0:x1], levels)
    # The printed line the voter writes on: rows dark across most of the width. Handwriting never is.
    rows = np.flatnonzero((dark >= _TRACE).mean(axis=1) > 0.6)
    for row in rows:
        dark[max(0, row - 2) : row + 3] = 0.0
    trace_mm2 = float(np.count_nonzero(dark >= _TRACE)) / k**2
    if trace_mm2 < 2 * _BLANK_TRACE_MM2:
        return MarkReading(box, MarkValue.BLANK, _margin(1 - trace_mm2 / (2 * _BLANK_TRACE_MM2)), None)
    return MarkReading(box, MarkValue.INK, _guess(trace_mm2 / 10.0), Doubt.WRITING)


def _margin(x: float) -> float:
    """Confidence of an accepted reading, from the normalised distance to the nearest threshold
    (0 at it, 1 far from it): 0.5 to 1."""
    return round(0.5 + 0.5 * min(1.0, max(0.0, x)), 3)


def _guess(x: float) -> float:
    """Confidence of the best guess behind a doubt: always below 0.5, which no accepted reading
    goes under, so sorting by confidence puts every doubt first."""
    return round(0.1 + 0.35 * min(1.0, max(0.0, x)), 3)


@dataclass(frozen=True)
class _Shape:
    size_mm: float
    centre_fill: float  # ink share of the middle of the mark: ~0 for ○, high where × strokes cross
    coverage: float  # share of directions (from the middle) with ink further out: ~1 for ○
    ring: float  # share of ink at the rim of the mark's ellipse: ~1 for ○
    diagonal: float  # share of ink on the diagonals of the mark's bounding box: ~1 for ×
    quadrant: float  # smallest share of outer ink in one quadrant: ○ and × are balanced, √ is not
    arms: float  # smallest share of ink far out along one of the four diagonals: × has four arms
    fill: float  # ink area / bounding-box area: a blot or scribble is dense


def _shape(mask: npt.NDArray[np.bool_]) -> _Shape | None:
    ys, xs = np.nonzero(mask)
    if len(xs) < 8:
        return None
    xs_f, ys_f = xs.astype(np.float32), ys.astype(np.float32)
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
        fill=n / (w * h),
    )


def _classify_mark(box: Box, ink: npt.NDArray[np.bool_], trace: npt.NDArray[np.bool_]) -> MarkReading:
    k2 = PX_PER_MM**2
    ink_mm2 = float(np.count_nonzero(ink)) / k2
    trace_mm2 = float(np.count_nonzero(trace)) / k2
    if trace_mm2 < _BLANK_TRACE_MM2:
        return MarkReading(box, MarkValue.BLANK, _margin(1 - trace_mm2 / _BLANK_TRACE_MM2), None)
    faint = ink_mm2 < 0.4 * trace_mm2 or ink_mm2 < 1.0
    shape = _shape(trace if faint else ink)
    if shape is None or shape.size_mm < 2.0:
        return MarkReading(box, MarkValue.BLANK, _guess(0.0), Doubt.FAINT if faint else Doubt.SMUDGE)
    s = shape
    # Thresholds sit between the measured ranges of drawn ○, ×, √ and crossed-out marks (see
    # benchmarks/scan.py), each with room to spare; a mark near any of them is a doubt.
    circle = min(
        (s.coverage - 0.8) / 0.2,
        (0.1 - s.centre_fill) / 0.1,
        (s.ring - 0.85) / 0.15,
        (s.quadrant - 0.1) / 0.1,
    )
    cross = min(
        (0.62 - s.coverage) / 0.3,
        (s.centre_fill - 0.2) / 0.3,
        (s.diagonal - 0.55) / 0.3,
        (s.quadrant - 0.13) / 0.07,
        (s.arms - 0.01) / 0.05,
    )
    guess = MarkValue.FOR if circle >= cross else MarkValue.AGAINST
    if faint:
        return MarkReading(box, guess, _guess(max(circle, cross)), Doubt.FAINT)
    if circle > 0 and cross <= 0:
        return MarkReading(box, MarkValue.FOR, _margin(circle), None)
    if cross > 0 and circle <= 0:
        return MarkReading(box, MarkValue.AGAINST, _margin(cross), None)
    if s.coverage >= 0.8 and s.centre_fill >= 0.2:
        return MarkReading(box, guess, _guess(0.0), Doubt.BOTH)
    if s.fill >= 0.45:
        return MarkReading(box, guess, _guess(0.0), Doubt.SMUDGE)
    return MarkReading(box, guess, _guess(max(circle, cross) + 1), Doubt.UNEXPECTED_SHAPE)
