"""A second, independent generator of filled-in and scanned ballot sheets (issue 13).

``xuanju.paper.synthetic`` draws polylines with ``cv2.polylines`` onto a grayscale page. This module
shares none of its code and widens every distribution: strokes are stamped point by point with a
pressure profile (light at the start, heavier in the middle, lifting at the end), in colour (black
and blue ballpoint, gel pen, graphite pencil with paper grain, a dry pen that skips); ○ of every size
from half the box to half as large again, open and elliptical; × skewed, short, with unequal arms;
faint marks; then the sheet is folded, shadowed, stained, turned, photographed in mild perspective,
scanned at 150–300 dpi and saved as a colour JPEG of quality 40–90. Only the printed sheet comes from
the product (``render.sheet_image``): a scanner reads what the product prints.

Each box has a ground truth: what the voter meant (``value``), whether a human must look at it
whatever the reader thinks (``must_doubt``: √, a ○ crossed out, a scribble, any written name), and
the kind of mark for reporting. A faint mark means what it shows; reading it as the wrong value or as
empty without a doubt is a silent misread, sending it to a human is allowed.

Run ``.venv/bin/python tests/paper/handdrawn.py OUT --seeds 0:20`` to look at a few sheets.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from xuanju.paper import render
from xuanju.paper.layout import BoxKind, Paper, SheetLayout, SheetSpec, layout_sheet
from xuanju.paper.sheet_id import SheetId

Color = npt.NDArray[np.float32]  # H x W x 3, 0..1, BGR
Pts = npt.NDArray[np.float64]  # N x 2, millimetres relative to the box centre

FOR, AGAINST, BLANK, INK = "for", "against", "blank", "ink"

# kind of mark -> (value it means, must a human look at it)
MARKS: dict[str, tuple[str, bool]] = {
    "empty": (BLANK, False),
    "circle": (FOR, False),
    "circle_big": (FOR, False),
    "circle_small": (FOR, False),
    "circle_open": (FOR, False),
    "ellipse": (FOR, False),
    "cross": (AGAINST, False),
    "cross_skewed": (AGAINST, False),
    "cross_short": (AGAINST, False),
    "faint_circle": (FOR, False),
    "faint_cross": (AGAINST, False),
    "check": (FOR, True),
    "crossed_out": (AGAINST, True),
    "scribble": (BLANK, True),
}
# How often a voter draws each kind in a candidate box.
MIX: dict[str, float] = {
    "empty": 0.17,
    "circle": 0.25,
    "circle_big": 0.08,
    "circle_small": 0.06,
    "circle_open": 0.07,
    "ellipse": 0.07,
    "cross": 0.1,
    "cross_skewed": 0.06,
    "cross_short": 0.04,
    "faint_circle": 0.03,
    "faint_cross": 0.02,
    "check": 0.02,
    "crossed_out": 0.02,
    "scribble": 0.01,
}
CLEAN = {k for k, (_, doubt) in MARKS.items() if not doubt and not k.startswith("faint")}

PENS = ("ballpoint_black", "ballpoint_blue", "gel_black", "gel_blue", "pencil")
# BGR colour of the ink at full pressure, opacity at full pressure, width in mm
PEN_INK: dict[str, tuple[tuple[float, float, float], float, float]] = {
    "ballpoint_black": ((0.16, 0.15, 0.15), 0.9, 0.45),
    "ballpoint_blue": ((0.55, 0.25, 0.12), 0.9, 0.45),
    "gel_black": ((0.08, 0.08, 0.08), 0.97, 0.6),
    "gel_blue": ((0.65, 0.3, 0.1), 0.95, 0.6),
    "pencil": ((0.3, 0.3, 0.32), 0.6, 0.55),
}

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN_NAMES = "建华国强秀兰玉梅志明海燕春生桂芳永红德胜淑珍文静丽娟晓东"


@dataclass
class HandBox:
    kind: str  # BoxKind value
    index: int
    mark: str  # key of MARKS, or "name"/"empty" on a write-in name line
    value: str
    must_doubt: bool


@dataclass
class HandSheet:
    seed: int
    payload: str
    layout: str
    pen: str
    dpi: int
    jpeg_quality: int
    degradations: list[str]
    boxes: list[HandBox] = field(default_factory=list)


# --- strokes ----------------------------------------------------------------------------------


def _smooth_noise(rng: np.random.Generator, n: int, scale: float, knots: int = 5) -> Pts:
    """A slowly varying random offset along a stroke: a hand drifts, it does not jitter."""
    xs = np.linspace(0, 1, knots)
    t = np.linspace(0, 1, n)
    return np.stack([np.interp(t, xs, rng.normal(0, scale, knots)) for _ in range(2)], axis=1)


def _pressure(rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
    """Landing, pressing, lifting: low at both ends, with a slow wander in the middle."""
    t = np.linspace(0, 1, n)
    land, lift = rng.uniform(0.03, 0.15), rng.uniform(0.05, 0.25)
    ramp = np.clip(t / land, 0, 1) * np.clip((1 - t) / lift, 0, 1)
    wander = 1 + np.interp(t, np.linspace(0, 1, 6), rng.normal(0, 0.12, 6))
    return np.clip(0.35 + 0.65 * ramp, 0, 1) * np.clip(wander, 0.6, 1.2)


def ellipse_stroke(rng: np.random.Generator, rx: float, ry: float, gap_deg: float, tilt: float) -> Pts:
    start = rng.uniform(0, 2 * math.pi)
    sweep = 2 * math.pi - math.radians(gap_deg) + (rng.uniform(0.05, 0.5) if gap_deg == 0 else 0.0)
    n = 90
    a = start + np.linspace(0, sweep, n) * rng.choice([-1, 1])
    grow = np.linspace(1, rng.uniform(0.9, 1.1), n)  # a hand's ○ seldom closes on itself
    pts = np.stack([rx * grow * np.cos(a), ry * grow * np.sin(a)], axis=1)
    c, s = math.cos(tilt), math.sin(tilt)
    pts = pts @ np.array([[c, s], [-s, c]])
    return pts + _smooth_noise(rng, n, 0.05 * max(rx, ry))


def line_stroke(rng: np.random.Generator, a: tuple[float, float], b: tuple[float, float]) -> Pts:
    n = 40
    t = np.linspace(0, 1, n)[:, None]
    pts = np.array(a) * (1 - t) + np.array(b) * t
    bow = rng.normal(0, 0.25) * np.sin(math.pi * t[:, 0])
    d = np.array(b) - np.array(a)
    normal = np.array([-d[1], d[0]]) / max(1e-6, float(np.hypot(*d)))
    return pts + bow[:, None] * normal + _smooth_noise(rng, n, 0.08)


def cross_strokes(rng: np.random.Generator, half: float, skew_deg: float, unequal: float) -> list[Pts]:
    rot = math.radians(skew_deg)
    strokes = []
    for angle in (45.0, 135.0):
        theta = math.radians(angle) + rot + rng.normal(0, 0.08)
        h1 = half * (1 + rng.uniform(-unequal, unequal))
        h2 = half * (1 + rng.uniform(-unequal, unequal))
        off = rng.normal(0, 0.06 * half, 2)
        a = (off[0] - h1 * math.cos(theta), off[1] - h1 * math.sin(theta))
        b = (off[0] + h2 * math.cos(theta), off[1] + h2 * math.sin(theta))
        strokes.append(line_stroke(rng, a, b))
    return strokes


def mark_strokes(rng: np.random.Generator, mark: str, side: float) -> list[Pts]:
    """The strokes of ``mark`` in a box of ``side`` mm, in mm relative to the box centre."""
    r = side / 2
    if mark in ("circle", "faint_circle"):
        return [
            ellipse_stroke(rng, r * rng.uniform(0.7, 1.0), r * rng.uniform(0.7, 1.0), 0, rng.normal(0, 0.3))
        ]
    if mark == "circle_big":
        rx = r * rng.uniform(1.1, 1.4)
        return [ellipse_stroke(rng, rx, rx * rng.uniform(0.85, 1.0), 0, rng.normal(0, 0.3))]
    if mark == "circle_small":
        rx = r * rng.uniform(0.4, 0.65)
        return [ellipse_stroke(rng, rx, rx * rng.uniform(0.8, 1.0), 0, 0)]
    if mark == "circle_open":
        rx = r * rng.uniform(0.65, 1.0)
        return [ellipse_stroke(rng, rx, rx * rng.uniform(0.8, 1.0), rng.uniform(25, 70), 0)]
    if mark == "ellipse":
        rx = r * rng.uniform(0.8, 1.2)
        return [ellipse_stroke(rng, rx, rx * rng.uniform(0.5, 0.75), 0, rng.normal(0, 0.25))]
    if mark in ("cross", "faint_cross"):
        return cross_strokes(rng, r * rng.uniform(0.8, 1.2), rng.normal(0, 6), 0.1)
    if mark == "cross_skewed":
        return cross_strokes(rng, r * rng.uniform(0.8, 1.15), rng.choice([-1, 1]) * rng.uniform(12, 30), 0.3)
    if mark == "cross_short":
        return cross_strokes(rng, r * rng.uniform(0.4, 0.6), rng.normal(0, 8), 0.2)
    if mark == "check":
        x0, y0 = -r * 0.6, r * rng.uniform(-0.1, 0.2)
        xm, ym = -r * rng.uniform(0.0, 0.25), r * rng.uniform(0.6, 0.9)
        x1, y1 = r * rng.uniform(0.7, 1.0), -r * rng.uniform(0.7, 1.0)
        return [np.concatenate([line_stroke(rng, (x0, y0), (xm, ym)), line_stroke(rng, (xm, ym), (x1, y1))])]
    if mark == "crossed_out":
        rx = r * rng.uniform(0.7, 0.95)
        return [ellipse_stroke(rng, rx, rx, 0, 0), *cross_strokes(rng, r * 1.0, rng.normal(0, 5), 0.1)]
    if mark == "scribble":
        n = 120
        t = np.linspace(0, rng.uniform(6, 10) * 2 * math.pi, n)
        pts = np.stack(
            [r * 0.7 * np.sin(t), np.linspace(-r * 0.6, r * 0.6, n) + r * 0.25 * np.cos(3.3 * t)], axis=1
        )
        return [pts + _smooth_noise(rng, n, 0.3)]
    return []


def name_strokes(rng: np.random.Generator, width: float, height: float) -> list[Pts]:
    """Two or three handwritten characters: a few short strokes in square cells, left-aligned."""
    strokes: list[Pts] = []
    cell = min(height * 0.75, 7.0)
    x = -width / 2 + rng.uniform(2, 10)
    for _ in range(int(rng.integers(2, 4))):
        for _ in range(int(rng.integers(3, 7))):
            a = (x + rng.uniform(0, cell), rng.uniform(-cell / 2, cell / 2))
            b = (a[0] + rng.uniform(-cell / 2, cell / 2), a[1] + rng.uniform(-cell / 2, cell / 2))
            strokes.append(line_stroke(rng, a, b))
        x += cell * rng.uniform(1.05, 1.3)
    return strokes


def stamp(
    page: Color,
    strokes: list[Pts],
    centre_mm: tuple[float, float],
    px_per_mm: float,
    pen: str,
    strength: float,
    rng: np.random.Generator,
) -> None:
    """Lay ink along ``strokes``: a disc per sample, its size and opacity following the pressure,
    drawn at 4x and averaged down, and multiplied into the paper (ink absorbs, it does not paint)."""
    color, opacity, width_mm = PEN_INK[pen]
    width_mm *= rng.uniform(0.8, 1.25)
    every = np.concatenate(strokes)
    pad = width_mm * 2 + 1
    x0 = int((centre_mm[0] + every[:, 0].min() - pad) * px_per_mm)
    y0 = int((centre_mm[1] + every[:, 1].min() - pad) * px_per_mm)
    x1 = math.ceil((centre_mm[0] + every[:, 0].max() + pad) * px_per_mm)
    y1 = math.ceil((centre_mm[1] + every[:, 1].max() + pad) * px_per_mm)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(page.shape[1], x1), min(page.shape[0], y1)
    if x1 <= x0 or y1 <= y0:
        return
    up = 4
    alpha = np.zeros(((y1 - y0) * up, (x1 - x0) * up), np.float32)
    for pts in strokes:
        # resample densely: a disc every quarter of a pixel
        seg = np.hypot(*np.diff(pts, axis=0).T)
        length = float(seg.sum())
        n = max(2, int(length * px_per_mm * 4))
        s = np.concatenate([[0], np.cumsum(seg)])
        t = np.linspace(0, s[-1], n)
        xs = np.interp(t, s, pts[:, 0])
        ys = np.interp(t, s, pts[:, 1])
        p = _pressure(rng, n)
        if pen.startswith("ballpoint") and rng.random() < 0.5:
            # a ballpoint skips: short stretches where the ball runs dry
            skips = np.interp(np.linspace(0, 1, n), np.linspace(0, 1, 25), rng.random(25))
            p = p * np.where(skips < 0.15, 0.3, 1.0)
        for x, y, q in zip(xs, ys, p, strict=True):
            cx = ((centre_mm[0] + x) * px_per_mm - x0) * up
            cy = ((centre_mm[1] + y) * px_per_mm - y0) * up
            radius = max(1.0, width_mm * px_per_mm * up * (0.55 + 0.45 * q) / 2)
            value = float(q)
            cv2.circle(alpha, (round(cx), round(cy)), round(radius), value, -1, lineType=cv2.LINE_8)
    alpha = cv2.resize(alpha, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    alpha *= opacity * strength
    if pen == "pencil":
        grain = rng.uniform(0.35, 1.0, alpha.shape).astype(np.float32)
        alpha *= cv2.GaussianBlur(grain, (0, 0), 0.6)
    absorb = 1 - alpha[:, :, None] * (1 - np.array(color, np.float32))
    page[y0:y1, x0:x1] *= absorb


# --- the sheet and its degradations ------------------------------------------------------------


def _spec(rng: np.random.Generator) -> SheetSpec:
    count = int(rng.integers(4, 16))
    names: list[str] = []
    while len(names) < count:
        name = str(rng.choice(list(FAMILY))) + "".join(rng.choice(list(GIVEN_NAMES), int(rng.integers(1, 3))))
        if name not in names:
            names.append(name)
    seats = max(1, count - int(rng.integers(1, 4)))
    paper = Paper.A3 if rng.random() < 0.1 else Paper.A4
    return SheetSpec(
        "中共某某总支部委员会委员选举选票", "第一轮", seats, tuple(names), int(rng.integers(0, 4)), paper
    )


def _fold(page: Color, rng: np.random.Generator, px_per_mm: float) -> None:
    h, w = page.shape[:2]
    horizontal = rng.random() < 0.7
    pos = rng.uniform(0.25, 0.75) * (h if horizontal else w)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    slope = rng.normal(0, 0.01)
    d = (ys - pos - slope * xs) if horizontal else (xs - pos - slope * ys)
    width = rng.uniform(0.3, 0.8) * px_per_mm
    depth = rng.uniform(0.04, 0.14)
    dip = 1 - depth * np.exp(-((d / width) ** 2))
    side = np.where(d > 0, 1 - rng.uniform(0.0, 0.05), 1.0)
    page *= (dip * side)[:, :, None]


def _shadow(page: Color, rng: np.random.Generator) -> None:
    h, w = page.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    d = (xs - w / 2) * math.cos(angle) + (ys - h / 2) * math.sin(angle)
    d = d / max(h, w) - rng.uniform(-0.1, 0.4)
    soft = rng.uniform(0.02, 0.15)
    shade = 1 - rng.uniform(0.15, 0.4) / (1 + np.exp(-d / soft))
    page *= shade[:, :, None]


def _stain(page: Color, rng: np.random.Generator, px_per_mm: float) -> None:
    h, w = page.shape[:2]
    cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.2, 0.9) * h
    rx = rng.uniform(8, 25) * px_per_mm
    ry = rx * rng.uniform(0.6, 1.0)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.hypot((xs - cx) / rx, (ys - cy) / ry)
    tint = np.array([0.8, 0.88, 0.95], np.float32)  # coffee: absorbs blue most
    inside = np.clip(1.3 - r, 0, 1) * rng.uniform(0.3, 0.7) + np.exp(-(((r - 1) / 0.04) ** 2)) * 0.8
    inside = np.clip(inside, 0, 1)[:, :, None]
    page *= 1 - inside * (1 - tint)


def _photo_lighting(page: Color, rng: np.random.Generator) -> None:
    h, w = page.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xs - w * rng.uniform(0.3, 0.7)) / w) ** 2 + ((ys - h * rng.uniform(0.3, 0.7)) / h) ** 2
    page *= (1 - rng.uniform(0.15, 0.35) * r2 / 0.5)[:, :, None]
    page *= np.array(rng.uniform(0.85, 1.0, 3), np.float32)  # a warm or cool cast


def _geometry(page: Color, rng: np.random.Generator, photo: bool, degrade: list[str]) -> Color:
    h, w = page.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    angle = math.radians(rng.normal(0, 1.5) if not photo else rng.uniform(-6, 6))
    c, s = math.cos(angle), math.sin(angle)
    centred = src - [w / 2, h / 2]
    dst = centred @ np.array([[c, s], [-s, c]], np.float32) * rng.uniform(0.97, 1.03)
    if photo:
        dst += rng.normal(0, 0.012 * max(w, h), (4, 2)).astype(np.float32)  # mild perspective
        degrade.append("photo perspective")
    pad = 0.06 * max(w, h)
    lo = dst.min(axis=0) - pad
    dst = dst - lo
    size = (int(dst[:, 0].max() + pad), int(dst[:, 1].max() + pad))
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    border = (0.35, 0.4, 0.45) if photo else (0.97, 0.97, 0.97)
    out = cv2.warpPerspective(page, m, size, flags=cv2.INTER_LINEAR, borderValue=border)
    turns = int(rng.integers(0, 4))
    return np.ascontiguousarray(np.rot90(out, turns))


def hand_sheet(seed: int) -> tuple[bytes, SheetLayout, HandSheet]:
    """One filled-in, degraded sheet as JPEG bytes, its layout and its truth; all from ``seed``."""
    rng = np.random.default_rng([13, seed])
    spec = _spec(rng)
    layout = layout_sheet(spec)
    sheet = SheetId("13", "1", 1 + seed % 500, layout.code)
    dpi = int(rng.choice([150, 200, 240, 300]))
    photo = rng.random() < 0.12
    pen = str(rng.choice(PENS, p=[0.3, 0.25, 0.15, 0.15, 0.15]))
    quality = int(rng.integers(40, 91))
    truth = HandSheet(seed, sheet.payload(), layout.code, pen, dpi, quality, [])
    gray = render.sheet_image(layout, sheet, dpi=dpi).astype(np.float32) / 255
    page: Color = np.repeat(gray[:, :, None], 3, axis=2)
    page *= np.array(rng.uniform(0.9, 1.0, 3), np.float32)  # paper is never pure white
    ppm = dpi / 25.4
    # Mostly one voter's hand: the same pen and pressure throughout a sheet.
    pressure = rng.uniform(0.75, 1.0) if pen != "pencil" else rng.uniform(0.7, 1.0)
    kinds = list(MIX)
    weights = np.array([MIX[k] for k in kinds])
    for box in layout.boxes:
        if box.kind is BoxKind.WRITE_IN_NAME:
            continue
        if box.kind is BoxKind.WRITE_IN_MARK:
            mark = "empty"
        else:
            mark = str(rng.choice(kinds, p=weights / weights.sum()))
        value, must_doubt = MARKS[mark]
        strength = pressure * (
            rng.uniform(0.18, 0.35) if mark.startswith("faint") else rng.uniform(0.85, 1.0)
        )
        side = box.rect.w
        centre = (
            box.rect.x + side / 2 + rng.normal(0, 0.4),
            box.rect.y + box.rect.h / 2 + rng.normal(0, 0.4),
        )
        strokes = mark_strokes(rng, mark, side)
        if strokes:
            this_pen = "pencil" if mark.startswith("faint") and rng.random() < 0.5 else pen
            stamp(page, strokes, centre, ppm, this_pen, strength, rng)
        truth.boxes.append(HandBox(box.kind.value, box.index, mark, value, must_doubt))
    for box in layout.boxes:
        if box.kind is not BoxKind.WRITE_IN_NAME:
            continue
        written = rng.random() < 0.15
        if written:
            r = box.rect
            stamp(page, name_strokes(rng, r.w, r.h), (r.x + r.w / 2, r.y + r.h / 2), ppm, pen, pressure, rng)
        truth.boxes.append(
            HandBox(
                box.kind.value, box.index, "name" if written else "empty", INK if written else BLANK, written
            )
        )
    if rng.random() < 0.3:
        _fold(page, rng, ppm)
        truth.degradations.append("fold")
    if rng.random() < 0.25:
        _shadow(page, rng)
        truth.degradations.append("shadow")
    if rng.random() < 0.15:
        _stain(page, rng, ppm)
        truth.degradations.append("stain")
    if photo:
        _photo_lighting(page, rng)
    page = _geometry(page, rng, photo, truth.degradations)
    page = cv2.GaussianBlur(page, (0, 0), rng.uniform(0.3, 0.9))
    page += rng.normal(0, rng.uniform(0.005, 0.03), page.shape).astype(np.float32)
    out = np.clip(page * 255, 0, 255).astype(np.uint8)
    if quality < 60:
        truth.degradations.append("jpeg < 60")
    if dpi == 150:
        truth.degradations.append("150 dpi")
    if pen == "pencil":
        truth.degradations.append("pencil")
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return bytes(jpeg), layout, truth


# --- one sheet scanned more than once (rescan detection, issue 17) ---------------------------------

FOR_KINDS = ("circle", "circle_big", "circle_small", "circle_open", "ellipse")
AGAINST_KINDS = ("cross", "cross_skewed", "cross_short")
MARKING_DPI = 300  # the marked sheet before any scan: at the finest resolution a scan may have


def choices_for(seed: int, candidates: int) -> list[str]:
    """How a voter votes: for, against or blank per candidate (no doubtful marks)."""
    rng = np.random.default_rng([17, 1, seed])
    return [str(rng.choice([FOR, AGAINST, BLANK], p=[0.6, 0.15, 0.25])) for _ in range(candidates)]


def unnumbered_layout(seed: int) -> tuple[SheetLayout, SheetId]:
    """A layout of random candidates and its unnumbered sheet id (every sheet of the round alike)."""
    rng = np.random.default_rng([17, 0, seed])
    layout = layout_sheet(_spec(rng))
    return layout, SheetId("17", "1", None, layout.code)


def marked_page(
    layout: SheetLayout,
    sheet: SheetId,
    choices: list[str],
    hand: int,
    name: bool = False,
    plain: bool = False,
) -> Color:
    """The sheet marked with ``choices`` by the hand ``hand``: its pen, pressure and habits (one
    kind of ○ and one of × for the whole sheet, each drawn anew in every box), before any scan;
    ``name``: a name written on the first write-in line; ``plain``: the plain ○ and × every reader
    must accept (for flows that need a sheet read without doubt)."""
    rng = np.random.default_rng([17, 2, hand])
    gray = render.sheet_image(layout, sheet, dpi=MARKING_DPI).astype(np.float32) / 255
    page: Color = np.repeat(gray[:, :, None], 3, axis=2)
    page *= np.array(rng.uniform(0.9, 1.0, 3), np.float32)
    ppm = MARKING_DPI / 25.4
    pen = str(rng.choice(PENS[:4]))
    pressure = rng.uniform(0.75, 1.0)
    habit = {FOR: str(rng.choice(FOR_KINDS)), AGAINST: str(rng.choice(AGAINST_KINDS)), BLANK: "empty"}
    if plain:
        habit = {FOR: "circle", AGAINST: "cross", BLANK: "empty"}
    for box in layout.boxes:
        if box.kind is BoxKind.CANDIDATE:
            strokes = mark_strokes(rng, habit[choices[box.index]], box.rect.w)
            centre = (
                box.rect.x + box.rect.w / 2 + rng.normal(0, 0.4),
                box.rect.y + box.rect.h / 2 + rng.normal(0, 0.4),
            )
            if strokes:
                stamp(page, strokes, centre, ppm, pen, pressure * rng.uniform(0.85, 1.0), rng)
        elif box.kind is BoxKind.WRITE_IN_NAME and name and box.index == 0:
            r = box.rect
            stamp(page, name_strokes(rng, r.w, r.h), (r.x + r.w / 2, r.y + r.h / 2), ppm, pen, pressure, rng)
    return page


def rescanned(page: Color, scan: int) -> bytes:
    """One scan of a marked sheet: its own resolution, turn, tilt, lighting, blur, noise and JPEG
    quality from ``scan``, as the same paper fed through a scanner another time."""
    rng = np.random.default_rng([17, 3, scan])
    dpi = int(rng.choice([150, 200, 240, 300]))
    out = page.copy()
    if dpi != MARKING_DPI:
        f = dpi / MARKING_DPI
        out = cv2.resize(out, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    if rng.random() < 0.25:
        _shadow(out, rng)
    out = _geometry(out, rng, False, [])
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 0.9))
    out += rng.normal(0, rng.uniform(0.005, 0.03), out.shape).astype(np.float32)
    jpeg_ok, jpeg = cv2.imencode(
        ".jpg",
        np.clip(out * 255, 0, 255).astype(np.uint8),
        [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 91))],
    )
    assert jpeg_ok
    return bytes(jpeg)


def main() -> None:
    parser = argparse.ArgumentParser(description="write hand-drawn sheets and truth.json to a folder")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", default="0:10", help="first:end (end excluded)")
    args = parser.parse_args()
    first, end = (int(x) for x in args.seeds.split(":"))
    args.out.mkdir(parents=True, exist_ok=True)
    truths = []
    for seed in range(first, end):
        data, _, truth = hand_sheet(seed)
        (args.out / f"hand-{seed:05d}.jpg").write_bytes(data)
        truths.append(asdict(truth))
    (args.out / "truth.json").write_text(json.dumps(truths, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
