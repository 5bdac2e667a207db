"""Filled-in, scanned-looking ballot sheets with known truth, for tests and benchmarks (issue 5).

Everything is deterministic from a seed. A sheet starts from the real rendering
(``render.sheet_image``); pen-like marks are drawn into it (○ for, × against, √, faint marks,
crossed-out marks, scribbles, write-in names); then the scanner is imitated: a quarter turn, a few
degrees of skew, slight scale, blur, noise, brightness and contrast, JPEG artefacts.

The truth records, per box, what the voter meant and whether the mark is deliberately doubtful
(a √, a faint mark, a crossed-out mark, a scribble, any write-in name): the reader must never
accept a doubtful mark, and must never accept a clean mark as anything but what it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from xuanju.paper import render
from xuanju.paper.layout import Box, BoxKind, Paper, SheetLayout, SheetSpec, layout_sheet
from xuanju.paper.read import MarkValue
from xuanju.paper.sheet_id import SheetId

Gray = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float64]


class Drawn(StrEnum):
    """What the synthetic voter put in a box."""

    NOTHING = "nothing"
    CIRCLE = "circle"
    CROSS = "cross"
    CHECK = "check"  # √: not a prescribed sign
    FAINT_CIRCLE = "faint_circle"
    FAINT_CROSS = "faint_cross"
    CROSSED_OUT = "crossed_out"  # a ○ with a × drawn over it
    SCRIBBLE = "scribble"
    NAME = "name"  # handwriting on a write-in line


# What each drawing means and whether a human must look at it.
TRUTH_OF: dict[Drawn, tuple[MarkValue, bool]] = {
    Drawn.NOTHING: (MarkValue.BLANK, False),
    Drawn.CIRCLE: (MarkValue.FOR, False),
    Drawn.CROSS: (MarkValue.AGAINST, False),
    Drawn.CHECK: (MarkValue.FOR, True),
    Drawn.FAINT_CIRCLE: (MarkValue.FOR, True),
    Drawn.FAINT_CROSS: (MarkValue.AGAINST, True),
    Drawn.CROSSED_OUT: (MarkValue.AGAINST, True),
    Drawn.SCRIBBLE: (MarkValue.BLANK, True),
    Drawn.NAME: (MarkValue.INK, True),
}

# The normal mix for a candidate box: mostly ○, some × and empty boxes, a few % doubtful.
NORMAL_MIX: dict[Drawn, float] = {
    Drawn.CIRCLE: 0.62,
    Drawn.CROSS: 0.18,
    Drawn.NOTHING: 0.16,
    Drawn.CHECK: 0.01,
    Drawn.FAINT_CIRCLE: 0.01,
    Drawn.FAINT_CROSS: 0.005,
    Drawn.CROSSED_OUT: 0.01,
    Drawn.SCRIBBLE: 0.005,
}
# A mix rich in doubtful marks, so that a small set holds every kind of them.
DOUBTFUL_MIX: dict[Drawn, float] = {
    Drawn.CIRCLE: 0.40,
    Drawn.CROSS: 0.20,
    Drawn.NOTHING: 0.15,
    Drawn.CHECK: 0.05,
    Drawn.FAINT_CIRCLE: 0.05,
    Drawn.FAINT_CROSS: 0.05,
    Drawn.CROSSED_OUT: 0.05,
    Drawn.SCRIBBLE: 0.05,
}
WRITE_IN_SHARE = 0.08  # share of write-in rows a voter fills in (name + ○)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉"


@dataclass(frozen=True, slots=True)
class BoxTruth:
    kind: BoxKind
    index: int
    drawn: Drawn
    value: MarkValue
    doubtful: bool


@dataclass(frozen=True, slots=True)
class Scan:
    """How the scanner treated the page."""

    dpi: int
    quarter_turns: int  # 0..3, counter-clockwise
    skew_deg: float
    scale: float
    blur_sigma: float
    noise_sigma: float
    paper_level: int  # what white paper comes out as
    black_level: int  # what printed black comes out as


@dataclass(frozen=True, slots=True)
class SheetTruth:
    file: str
    payload: str
    scan: Scan
    boxes: tuple[BoxTruth, ...]


def committee_spec(candidates: int, seats: int, seed: int = 0, paper: Paper | None = None) -> SheetSpec:
    """A plausible branch- or committee-election sheet with ``candidates`` distinct names."""
    rng = np.random.default_rng(seed)
    names: list[str] = []
    while len(names) < candidates:
        name = str(rng.choice(list(SURNAMES))) + "".join(
            rng.choice(list(GIVEN), size=int(rng.integers(1, 3)))
        )
        if name not in names:
            names.append(name)
    return SheetSpec(
        title="中共某某支部委员会委员选举选票",
        round_line="第一轮投票",
        seats=seats,
        candidates=tuple(names),
        write_in_rows=seats,
        paper=paper,
    )


# --- pen strokes ----------------------------------------------------------------------------


def _wobble(rng: np.random.Generator, t: Points, amplitude: float) -> Points:
    """Smooth hand tremor: two low-frequency sines with random phases."""
    out = np.zeros_like(t)
    for freq in (rng.uniform(1.0, 2.0), rng.uniform(2.5, 4.0)):
        out += amplitude * rng.uniform(0.3, 1.0) * np.sin(freq * t + rng.uniform(0, 2 * math.pi))
    return out


def _circle(rng: np.random.Generator, side: float) -> list[Points]:
    """A hand-drawn ○ in box units (0..side): an ellipse with tremor, not closed exactly."""
    cx, cy = side / 2 + rng.normal(0, 0.05 * side, 2)
    rx = side * rng.uniform(0.26, 0.40)
    ry = rx * rng.uniform(0.85, 1.15)
    start = rng.uniform(0, 2 * math.pi)
    sweep = 2 * math.pi * rng.uniform(0.90, 1.08)
    t = np.linspace(start, start + sweep, 48)
    r = 1 + _wobble(rng, t, 0.06)
    tilt = rng.uniform(-0.4, 0.4)
    x, y = rx * r * np.cos(t), ry * r * np.sin(t)
    xr = x * math.cos(tilt) - y * math.sin(tilt)
    yr = x * math.sin(tilt) + y * math.cos(tilt)
    return [np.stack([cx + xr, cy + yr], axis=1)]


def _stroke(rng: np.random.Generator, a: Points, b: Points, bend: float) -> Points:
    """A slightly bowed pen stroke from a to b."""
    t = np.linspace(0, 1, 16)[:, None]
    normal = np.array([-(b[1] - a[1]), b[0] - a[0]])
    return a + (b - a) * t + normal * bend * rng.normal() * np.sin(math.pi * t)


def _cross(rng: np.random.Generator, side: float) -> list[Points]:
    c = side / 2 + rng.normal(0, 0.04 * side, 2)
    half = side * rng.uniform(0.25, 0.38)
    j = 0.05 * side

    def end(sx: float, sy: float) -> Points:
        offset = np.array([sx * half, sy * half * rng.uniform(0.85, 1.15)]) + rng.normal(0, j, 2)
        return np.asarray(c + offset, dtype=np.float64)

    return [
        _stroke(rng, end(-1, -1), end(1, 1), 0.06),
        _stroke(rng, end(1, -1), end(-1, 1), 0.06),
    ]


def _check(rng: np.random.Generator, side: float) -> list[Points]:
    """√: a short stroke down to a vertex, a long one up to the right."""
    u = side * rng.uniform(0.7, 0.9)
    o = (side - u) / 2 + rng.normal(0, 0.04 * side, 2)
    a = o + np.array([0.0, 0.5]) * u + rng.normal(0, 0.04 * u, 2)
    v = o + np.array([0.35, 0.95]) * u + rng.normal(0, 0.04 * u, 2)
    b = o + np.array([1.0, 0.0]) * u + rng.normal(0, 0.05 * u, 2)
    return [np.concatenate([_stroke(rng, a, v, 0.03), _stroke(rng, v, b, 0.04)])]


def _scribble(rng: np.random.Generator, side: float) -> list[Points]:
    n = int(rng.integers(8, 16))
    pts = side * (0.2 + 0.6 * rng.random((n, 2)))
    return [pts]


def _name(rng: np.random.Generator, width: float, height: float) -> list[Points]:
    """Two or three handwritten characters, each a handful of short strokes."""
    strokes: list[Points] = []
    cell = min(height * 0.8, 7.0)
    x = rng.uniform(1.0, 4.0)
    y0 = (height - cell) / 2
    for _ in range(int(rng.integers(2, 4))):
        for _ in range(int(rng.integers(3, 7))):
            a = np.array([x, y0]) + cell * rng.random(2)
            direction = rng.choice([0.0, math.pi / 2, math.pi / 4, 3 * math.pi / 4])
            length = cell * rng.uniform(0.3, 0.9)
            b = a + length * np.array([math.cos(direction), math.sin(direction)])
            strokes.append(_stroke(rng, a, np.clip(b, [0, 0], [width, height]), 0.04))
        x += cell * rng.uniform(1.05, 1.3)
    return strokes


def _draw(
    page: Gray,
    strokes: list[Points],
    origin: tuple[float, float],
    px_per_mm: float,
    ink: int,
    width_mm: float,
) -> None:
    shift = 4  # sub-pixel precision for cv2.polylines
    thickness = max(1, round(width_mm * px_per_mm))
    for s in strokes:
        pts = ((s + np.array(origin)) * px_per_mm * (1 << shift)).round().astype(np.int32)
        cv2.polylines(page, [pts.reshape(-1, 1, 2)], False, int(ink), thickness, cv2.LINE_AA, shift)


def draw_mark(page: Gray, box: Box, drawn: Drawn, rng: np.random.Generator, px_per_mm: float) -> None:
    """Draw ``drawn`` into ``box`` of an upright page rendered at ``px_per_mm``."""
    r = box.rect
    side = min(r.w, r.h)
    pen = rng.uniform(0.4, 0.8)
    ink = int(rng.integers(15, 90))  # black or blue ballpoint, as gray
    faint = int(rng.integers(185, 215))  # a pencil barely touching the paper
    origin = (r.x, r.y)
    if drawn is Drawn.CIRCLE:
        _draw(page, _circle(rng, side), origin, px_per_mm, ink, pen)
    elif drawn is Drawn.CROSS:
        _draw(page, _cross(rng, side), origin, px_per_mm, ink, pen)
    elif drawn is Drawn.CHECK:
        _draw(page, _check(rng, side), origin, px_per_mm, ink, pen)
    elif drawn is Drawn.FAINT_CIRCLE:
        _draw(page, _circle(rng, side), origin, px_per_mm, faint, pen * 0.7)
    elif drawn is Drawn.FAINT_CROSS:
        _draw(page, _cross(rng, side), origin, px_per_mm, faint, pen * 0.7)
    elif drawn is Drawn.CROSSED_OUT:
        _draw(page, _circle(rng, side), origin, px_per_mm, ink, pen)
        _draw(page, _cross(rng, side), origin, px_per_mm, ink, pen)
    elif drawn is Drawn.SCRIBBLE:
        _draw(page, _scribble(rng, side), origin, px_per_mm, ink, pen)
    elif drawn is Drawn.NAME:
        _draw(page, _name(rng, r.w, r.h), origin, px_per_mm, ink, pen)


# --- the scanner ----------------------------------------------------------------------------


def random_scan(rng: np.random.Generator, dpi: int) -> Scan:
    return Scan(
        dpi=dpi,
        quarter_turns=int(rng.integers(0, 4)),
        skew_deg=float(rng.uniform(-5, 5)),
        scale=float(rng.uniform(0.98, 1.02)),
        blur_sigma=float(rng.uniform(0.3, 1.0)),
        noise_sigma=float(rng.uniform(1.0, 5.0)),
        paper_level=int(rng.integers(215, 252)),
        black_level=int(rng.integers(10, 55)),
    )


def scan(page: Gray, s: Scan, rng: np.random.Generator) -> Gray:
    """What a flatbed or feeder scanner makes of an upright page."""
    h, w = page.shape
    # Skew and scale about the centre; the sheet lands on a slightly larger white bed.
    pad = round(0.03 * max(h, w))
    out_w, out_h = w + 2 * pad, h + 2 * pad
    m = cv2.getRotationMatrix2D((w / 2, h / 2), s.skew_deg, s.scale)
    m[:, 2] += (pad + rng.normal(0, pad / 4), pad + rng.normal(0, pad / 4))
    img = cv2.warpAffine(page, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=255)
    img = np.rot90(img, s.quarter_turns).copy()
    if s.blur_sigma > 0:
        img = cv2.GaussianBlur(img, (0, 0), s.blur_sigma)
    gain = (s.paper_level - s.black_level) / 255.0
    scaled = s.black_level + np.asarray(img, dtype=np.float32) * gain
    scaled += rng.normal(0, s.noise_sigma, scaled.shape).astype(np.float32)
    return np.asarray(np.clip(scaled, 0, 255), dtype=np.uint8)


# --- whole sheets and sets ------------------------------------------------------------------


def choose(rng: np.random.Generator, layout: SheetLayout, mix: dict[Drawn, float]) -> dict[Box, Drawn]:
    """What a voter draws in each box; write-in rows are filled in (name + ○) now and then."""
    kinds = list(mix)
    weights = np.array([mix[k] for k in kinds])
    out: dict[Box, Drawn] = {}
    for row in layout.rows:
        if row.name_box is None:
            out[row.mark] = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
        elif rng.random() < WRITE_IN_SHARE:
            out[row.name_box] = Drawn.NAME
            out[row.mark] = Drawn.CIRCLE
        else:
            out[row.name_box] = out[row.mark] = Drawn.NOTHING
    return out


def filled_sheet(
    layout: SheetLayout,
    sheet_id: SheetId,
    seed: int,
    dpi: int = 200,
    mix: dict[Drawn, float] | None = None,
    drawn: dict[Box, Drawn] | None = None,
    scan_params: Scan | None = None,
) -> tuple[Gray, SheetTruth]:
    """A filled-in, scanned sheet and its truth. ``drawn`` fixes the marks; otherwise they are drawn
    from ``mix`` (default ``NORMAL_MIX``); ``scan_params`` fixes the scanner."""
    rng = np.random.default_rng(seed)
    page = render.sheet_image(layout, sheet_id, dpi=dpi)
    marks = drawn if drawn is not None else choose(rng, layout, mix or NORMAL_MIX)
    px_per_mm = page.shape[1] / layout.width
    for box, what in marks.items():
        draw_mark(page, box, what, rng, px_per_mm)
    s = scan_params or random_scan(rng, dpi)
    image = scan(page, s, rng)
    boxes = tuple(
        BoxTruth(box.kind, box.index, what, *TRUTH_OF[what])
        for box in layout.boxes
        for what in [marks.get(box, Drawn.NOTHING)]
    )
    return image, SheetTruth(file="", payload=sheet_id.payload(), scan=s, boxes=boxes)


def spec_to_json(spec: SheetSpec) -> dict[str, Any]:
    d = asdict(spec)
    d["candidates"] = list(spec.candidates)
    d["paper"] = spec.paper.value if spec.paper else None
    return d


def spec_from_json(d: dict[str, Any]) -> SheetSpec:
    return SheetSpec(
        title=d["title"],
        round_line=d["round_line"],
        seats=d["seats"],
        candidates=tuple(d["candidates"]),
        write_in_rows=d["write_in_rows"],
        paper=Paper(d["paper"]) if d["paper"] else None,
        large_print=d["large_print"],
    )


def write_set(
    folder: Path,
    specs: Sequence[tuple[SheetSpec, int]],
    seed: int,
    dpis: Sequence[int] = (150, 200, 300),
    election: str = "demo",
    jpeg_quality: tuple[int, int] = (70, 92),
    mix: dict[Drawn, float] | None = None,
) -> list[SheetTruth]:
    """Write ``count`` sheets per ``(spec, count)`` as JPEG files plus ``truth.json`` into ``folder``.

    Each spec becomes its own round (``r1``, ``r2``, …); serials count up across the set.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    truths: list[SheetTruth] = []
    rounds: dict[str, Any] = {}
    serial = 0
    for r, (spec, count) in enumerate(specs, start=1):
        layout = layout_sheet(spec)
        rounds[f"r{r}"] = {"spec": spec_to_json(spec), "layout": layout.code}
        for _ in range(count):
            serial += 1
            sheet_id = SheetId(election, f"r{r}", serial, layout.code)
            dpi = int(rng.choice(list(dpis)))
            image, truth = filled_sheet(layout, sheet_id, seed=int(rng.integers(2**31)), dpi=dpi, mix=mix)
            name = f"sheet-{serial:04d}.jpg"
            quality = int(rng.integers(jpeg_quality[0], jpeg_quality[1] + 1))
            ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            (folder / name).write_bytes(data.tobytes())
            truths.append(SheetTruth(name, truth.payload, truth.scan, truth.boxes))
    doc = {"format": "xuanju.scan-truth/1", "rounds": rounds, "sheets": [truth_to_json(t) for t in truths]}
    (folder / "truth.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return truths


def truth_to_json(t: SheetTruth) -> dict[str, Any]:
    return {
        "file": t.file,
        "payload": t.payload,
        "scan": asdict(t.scan),
        "boxes": [[b.kind.value, b.index, b.drawn.value, b.value.value, b.doubtful] for b in t.boxes],
    }


def truth_from_json(d: dict[str, Any]) -> SheetTruth:
    return SheetTruth(
        file=d["file"],
        payload=d["payload"],
        scan=Scan(**d["scan"]),
        boxes=tuple(
            BoxTruth(BoxKind(k), i, Drawn(dr), MarkValue(v), doubtful) for k, i, dr, v, doubtful in d["boxes"]
        ),
    )
