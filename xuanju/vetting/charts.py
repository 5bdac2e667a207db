"""The structure as bar charts: inline SVG drawn by templates/vetting/_bar_chart.html."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from xuanju.rules.conditions import EducationLevel
from xuanju.rules.structure import Gap
from xuanju.vetting.conditions import LEVEL_NAME
from xuanju.vetting.structure import AGE_BAND_NAMES, TeamStructure, _number

CHART_WIDTH, LABEL_WIDTH, BAR_HEIGHT, BAR_GAP = 560, 150, 22, 8


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | int]],
    unit: str = "名",
    targets: dict[str, float | int] | None = None,
    missed: Iterable[str] = (),
    key: str = "chart",
) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: one bar per (label, value), an optional target marker per
    label. The template draws it as SVG with a <title>, a <desc> and a table of the same numbers."""
    targets = targets or {}
    missed = set(missed)
    top = max([1.0, *(float(v) for _, v in bars), *(float(v) for v in targets.values())])
    span = CHART_WIDTH - LABEL_WIDTH - 60
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * (BAR_HEIGHT + BAR_GAP)  # 4: room for the target marker above the first bar
        target = targets.get(label)
        rows.append(
            {
                "label": label,
                "value": value,
                "value_text": _number(value),
                "y": y,
                "text_y": round(y + BAR_HEIGHT * 0.7, 1),
                "width": round(float(value) / top * span, 1),
                "end": LABEL_WIDTH + round(float(value) / top * span, 1) + 6,
                "target": target,
                "target_text": None if target is None else _number(target),
                "target_x": None if target is None else LABEL_WIDTH + round(float(target) / top * span, 1),
                "missed": label in missed,
            }
        )
    description = "；".join(
        f"{r['label']} {r['value_text']}{unit}"
        + (f"（要求 {r['target_text']}）" if r["target"] is not None else "")
        for r in rows
    )
    return {
        "id": key,
        "title": title,
        "desc": description,
        "rows": rows,
        "unit": unit,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "height": max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP) + 4,
        "has_targets": bool(targets),
    }


def structure_charts(team: TeamStructure) -> list[dict[str, Any]]:
    """The charts of a team: age bands, education, occupation, and the counted targets."""
    s = team.structure
    education = [(LEVEL_NAME[level], s.education_count(level)) for level in EducationLevel]
    if s.education_unknown:
        education.append(("未登记", s.education_unknown))
    charts = [
        bar_chart("年龄结构", list(zip(AGE_BAND_NAMES, s.age_bands, strict=True)), key="chart-age"),
        bar_chart("学历结构", education, key="chart-education"),
        bar_chart("职业（岗位）", list(s.occupations), key="chart-occupation"),
    ]
    counted = [r for r in team.target_rows if r["gap"] != Gap.MAX_AVERAGE_AGE.value]
    basics = [
        ("女性", s.women),
        ("少数民族", s.minorities),
        ("生产、工作一线", s.front_line),
        ("新进", s.new),
    ]
    basics += [("连任", s.returning), ("大专以上学历", s.college_or_above)]
    names = {name for name, _ in basics}
    basics += [(r["name"], r["actual"]) for r in counted if r["name"] not in names]
    marks = {r["name"]: r["required"] for r in counted}
    missed = {r["name"] for r in counted if not r["met"]}
    charts.append(bar_chart("结构要求对照", basics, targets=marks, missed=missed, key="chart-targets"))
    return charts
