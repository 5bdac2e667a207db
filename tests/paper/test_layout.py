"""Geometry of the sheet layout: nothing overlaps, everything stays on the paper, the arrangement grows
from A4 to two columns to A3 as the list gets longer."""

from __future__ import annotations

import itertools

import pytest

from xuanju.paper.layout import (
    BoxKind,
    LayoutProblem,
    Paper,
    Rect,
    SheetLayout,
    SheetSpec,
    layout_sheet,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"


def candidates(count: int) -> tuple[str, ...]:
    return tuple(f"{SURNAMES[i % len(SURNAMES)]}{'明华' if i % 2 else '建国'}{i}" for i in range(count))


def spec(count: int, *, seats: int = 5, write_in_rows: int | None = None, **options: object) -> SheetSpec:
    return SheetSpec(
        title="中共示范街道第一党支部委员会委员选举选票",
        round_line=f"应选 {seats} 名，候选人 {count} 名",
        seats=seats,
        candidates=candidates(count),
        write_in_rows=seats if write_in_rows is None else write_in_rows,
        **options,  # type: ignore[arg-type]
    )


def placed_rects(layout: SheetLayout) -> list[tuple[str, Rect]]:
    """Every element the renderer draws, each with a name for the failure message. The write-in name
    area lies inside its row's label cell by design, so it is left out here and checked apart."""
    rects = [(f"marker {i}", r) for i, r in enumerate(layout.markers)]
    rects += [("qr", layout.qr), ("serial", layout.serial_text), ("title", layout.title)]
    rects += [("round line", layout.round_line), ("instructions", layout.instructions)]
    for column, (name, mark) in enumerate(layout.header_cells):
        rects += [(f"name heading {column}", name), (f"mark heading {column}", mark)]
    for i, row in enumerate(layout.rows):
        rects += [(f"row {i} label", row.label), (f"row {i} box", row.mark.rect)]
    if layout.write_in_heading is not None:
        rects.append(("write-in heading", layout.write_in_heading))
    return rects


SIZES = [
    pytest.param(spec(3), id="3"),
    pytest.param(spec(7), id="7"),
    pytest.param(spec(11), id="11"),
    pytest.param(spec(30), id="30"),
    pytest.param(spec(7, large_print=True), id="7-large"),
    pytest.param(spec(16, large_print=True), id="16-large"),
    pytest.param(spec(5, write_in_rows=0), id="5-tie-revote"),
    pytest.param(spec(9, paper=Paper.A3), id="9-A3"),
    pytest.param(spec(120, seats=25), id="120-dense"),
]


@pytest.mark.parametrize("sheet", SIZES)
def test_no_two_elements_overlap(sheet):
    layout = layout_sheet(sheet)
    for (name_a, a), (name_b, b) in itertools.combinations(placed_rects(layout), 2):
        assert not a.overlaps(b), f"{name_a} {a} overlaps {name_b} {b}"


@pytest.mark.parametrize("sheet", SIZES)
def test_everything_lies_on_the_paper_and_the_table_between_the_markers(sheet):
    layout = layout_sheet(sheet)
    for name, rect in placed_rects(layout):
        assert rect.x >= 0 and rect.right <= layout.width, name
        assert rect.y >= 0 and rect.bottom <= layout.height, name
    bottom_markers_top = min(layout.markers[2].y, layout.markers[3].y)
    assert all(row.label.bottom <= bottom_markers_top for row in layout.rows)


@pytest.mark.parametrize("sheet", SIZES)
def test_mark_boxes_are_squares_inside_their_cells(sheet):
    layout = layout_sheet(sheet)
    mark_width = layout.header_cells[0][1].w
    for row in layout.rows:
        box = row.mark.rect
        cell = Rect(row.label.right, row.label.y, mark_width, row.label.h)
        assert box.w == box.h
        assert cell.x < box.x and box.right < cell.right and cell.y < box.y and box.bottom < cell.bottom
        if row.name_box is not None:
            area = row.name_box.rect
            assert row.label.x <= area.x and area.right <= row.label.right
            assert row.label.y <= area.y and area.bottom <= row.label.bottom


def test_R_BAL_2_one_write_in_row_per_seat_after_the_candidates():
    layout = layout_sheet(spec(6, seats=3))
    kinds = [row.mark.kind for row in layout.rows]
    assert kinds == [BoxKind.CANDIDATE] * 6 + [BoxKind.WRITE_IN_MARK] * 3
    assert layout.write_in_heading is not None
    assert len([b for b in layout.boxes if b.kind is BoxKind.WRITE_IN_NAME]) == 3


def test_R_BAL_2_a_tie_revote_has_no_write_in_rows():
    layout = layout_sheet(spec(4, seats=2, write_in_rows=0))
    assert layout.write_in_heading is None
    assert all(row.name is not None for row in layout.rows)


def test_R_BAL_1_candidates_keep_the_order_given():
    sheet = spec(12)
    layout = layout_sheet(sheet)
    assert tuple(row.name for row in layout.rows if row.name is not None) == sheet.candidates


@pytest.mark.parametrize(
    ("sheet", "paper", "columns"),
    [
        (spec(3), Paper.A4, 1),
        (spec(11), Paper.A4, 1),
        (spec(20), Paper.A4, 2),
        (spec(30), Paper.A3, 2),
        (spec(3, paper=Paper.A3), Paper.A3, 2),
        (spec(7, large_print=True), Paper.A4, 2),
    ],
)
def test_the_smallest_arrangement_that_holds_every_row(sheet, paper, columns):
    layout = layout_sheet(sheet)
    assert (layout.paper, layout.columns) == (paper, columns)
    assert (layout.width, layout.height) == ((210.0, 297.0) if paper is Paper.A4 else (297.0, 420.0))


def test_large_print_has_bigger_type_and_boxes():
    normal, large = layout_sheet(spec(5)), layout_sheet(spec(5, large_print=True))
    assert large.font_size_pt > normal.font_size_pt
    assert large.rows[0].mark.rect.w > normal.rows[0].mark.rect.w


def test_too_many_candidates_is_a_layout_problem():
    with pytest.raises(LayoutProblem) as problem:
        layout_sheet(spec(400))
    assert problem.value.rows_needed > problem.value.rows_available
    with pytest.raises(LayoutProblem):
        layout_sheet(spec(30, paper=Paper.A4, large_print=True))


def test_the_layout_code_changes_with_anything_that_moves_a_box():
    base = layout_sheet(spec(5)).code
    reordered = SheetSpec(
        title="中共示范街道第一党支部委员会委员选举选票",
        round_line="应选 5 名，候选人 5 名",
        seats=5,
        candidates=tuple(reversed(candidates(5))),
        write_in_rows=5,
    )
    assert layout_sheet(reordered).code != base
    assert layout_sheet(spec(5, large_print=True)).code != base
    assert layout_sheet(spec(5)).code == base
