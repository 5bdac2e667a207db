"""The synthetic scan generator: deterministic, truthful about what it drew, and readable."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from xuanju.paper import synthetic
from xuanju.paper.layout import BoxKind, layout_sheet
from xuanju.paper.read import MarkValue, read_sheet
from xuanju.paper.sheet_id import SheetId
from xuanju.paper.synthetic import Drawn


def small_layout() -> tuple[synthetic.SheetSpec, SheetId]:
    spec = synthetic.committee_spec(3, 2, seed=4)
    lay = layout_sheet(spec)
    return spec, SheetId("t", "r1", 1, lay.code)


def test_generator_is_deterministic_for_a_seed() -> None:
    spec, sheet = small_layout()
    lay = layout_sheet(spec)
    a, truth_a = synthetic.filled_sheet(lay, sheet, seed=11, dpi=150)
    b, truth_b = synthetic.filled_sheet(lay, sheet, seed=11, dpi=150)
    c, _ = synthetic.filled_sheet(lay, sheet, seed=12, dpi=150)
    assert np.array_equal(a, b) and truth_a == truth_b
    assert a.shape != c.shape or not np.array_equal(a, c)


def test_truth_lists_every_box_with_its_meaning() -> None:
    spec, sheet = small_layout()
    lay = layout_sheet(spec)
    drawn = {lay.rows[0].mark: Drawn.CHECK, lay.rows[1].mark: Drawn.CROSS}
    _, truth = synthetic.filled_sheet(lay, sheet, seed=1, dpi=150, drawn=drawn)
    assert [(b.kind, b.index) for b in truth.boxes] == [(b.kind, b.index) for b in lay.boxes]
    first, second, third = truth.boxes[:3]
    assert (first.drawn, first.value, first.doubtful) == (Drawn.CHECK, MarkValue.FOR, True)
    assert (second.drawn, second.value, second.doubtful) == (Drawn.CROSS, MarkValue.AGAINST, False)
    assert (third.drawn, third.value, third.doubtful) == (Drawn.NOTHING, MarkValue.BLANK, False)
    assert truth.payload == sheet.payload()


def test_write_set_round_trips_through_truth_json(tmp_path: Path) -> None:
    spec, _ = small_layout()
    truths = synthetic.write_set(tmp_path, [(spec, 2)], seed=3, dpis=(150,))
    doc = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert doc["format"] == "xuanju.scan-truth/1"
    assert synthetic.spec_from_json(doc["rounds"]["r1"]["spec"]) == spec
    assert [synthetic.truth_from_json(s) for s in doc["sheets"]] == truths
    assert all((tmp_path / t.file).stat().st_size > 10_000 for t in truths)


def test_generated_names_and_marks_read_back() -> None:
    spec, sheet = small_layout()
    lay = layout_sheet(spec)
    write_in = next(r for r in lay.rows if r.name_box is not None)
    assert write_in.name_box is not None
    drawn = {write_in.name_box: Drawn.NAME, write_in.mark: Drawn.CIRCLE, lay.rows[0].mark: Drawn.CROSSED_OUT}
    image, _ = synthetic.filled_sheet(lay, sheet, seed=5, dpi=200, drawn=drawn)
    reading = read_sheet(image, lambda s: lay)
    got = {(m.box.kind, m.box.index): m for m in reading.marks}
    assert got[(BoxKind.WRITE_IN_NAME, 0)].value is MarkValue.INK
    assert got[(BoxKind.WRITE_IN_MARK, 0)].value is MarkValue.FOR
    assert got[(BoxKind.WRITE_IN_MARK, 0)].doubt is None
    assert got[(BoxKind.CANDIDATE, 0)].doubt is not None
