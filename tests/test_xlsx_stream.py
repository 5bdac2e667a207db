"""Rows streamed as XML text (xuanju.xlsx_stream) read back as the same cells openpyxl's own
write-only cells give: values, types, dates, styles, and text kept as text."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from xuanju.spreadsheet import as_text
from xuanju.xlsx_stream import StreamedSheet

RED = PatternFill("solid", fgColor="FDE2E1")
VALUES = [
    "中共示范县委员会",
    "=SUM(A1:A2)",
    "＝1+1",
    "-5",
    " 前后空格 ",
    "A & B <c> \"d\" 'e'",
    "",
    None,
    0,
    42,
    -7,
    date(2026, 12, 5),
    date(1999, 2, 28),
]
FORMATS = {11: "yyyy-mm-dd", 12: "yyyy-mm-dd"}


def reference() -> bytes:
    """The same sheet through openpyxl's WriteOnlyCell, as the exports wrote it before."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    title = WriteOnlyCell(sheet, value="标题")
    title.font = Font(bold=True)
    sheet.append([title])
    for r in range(4):
        cells = []
        for c, value in enumerate(VALUES):
            cell = WriteOnlyCell(sheet, value=value)
            if r % 2:
                cell.fill = RED
            if c in FORMATS:
                cell.number_format = FORMATS[c]
            as_text(cell)
            cells.append(cell)
        sheet.append(cells)
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue()


def streamed() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = StreamedSheet(workbook, workbook.create_sheet("表"))
    title = WriteOnlyCell(sheet.sheet, value="标题")
    title.font = Font(bold=True)
    sheet.append([title])
    styles = {
        (red, c in FORMATS): sheet.style(fill=RED if red else None, number_format=FORMATS.get(c))
        for red in (False, True)
        for c in range(len(VALUES))
    }
    rows = (
        [(value, styles[(bool(r % 2), c in FORMATS)]) for c, value in enumerate(VALUES)] for r in range(4)
    )
    saved = io.BytesIO()
    sheet.save(rows, saved)
    return saved.getvalue()


def cells(data: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b, c.quotePrefix)
        for row in sheet.iter_rows()
        for c in row
    ]


def test_streamed_rows_read_back_as_openpyxl_cells():
    expected = cells(reference())
    assert len(expected) == (1 + 4) * len(VALUES)  # the title row padded to the width
    assert cells(streamed()) == expected


def test_formula_like_text_stays_text_with_the_quote_prefix():
    sheet = load_workbook(io.BytesIO(streamed())).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == "=SUM(A1:A2)" and cell.data_type == "s" and cell.quotePrefix


def test_characters_xml_cannot_hold_are_dropped_not_an_error():
    workbook = Workbook(write_only=True)
    sheet = StreamedSheet(workbook, workbook.create_sheet("表"))
    plain = sheet.style()
    saved = io.BytesIO()
    sheet.save([[("甲\x01乙\x1f丙", plain)]], saved)
    assert load_workbook(saved).active["A1"].value == "甲乙丙"
