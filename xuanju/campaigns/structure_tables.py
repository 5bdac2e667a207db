"""新一届班子结构情况统计表: the structure of the new teams of a campaign in the layout organization
departments send to the level above — one row per township and the total, under two header rows
(a group over its columns) — as .xlsx with merged headers and as PDF, with a sheet of the detail
rows (one per organization) the totals are the sums of.

The rows are built once (:func:`structure_table`) and both files write the same values, so the PDF
and the workbook cannot disagree. Every number is computed from the records: counts are summed,
shares and average ages are computed from the summed counts (xuanju.rules.team_totals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from xuanju.campaigns.structure import CampaignStructure, Stage
from xuanju.paper.fonts import fonts_for
from xuanju.rules.conditions import EducationLevel
from xuanju.rules.team_totals import TeamFigures, average_tenths, percent_tenths
from xuanju.spreadsheet import workbook_bytes

TITLE = "新一届班子结构情况统计表"
Value = int | float | str | None


def _share(part: Callable[[TeamFigures], int]) -> Callable[[int, TeamFigures], Value]:
    def share(entries: int, f: TeamFigures) -> Value:
        tenths = percent_tenths(part(f), f.people)
        return None if tenths is None else tenths / 10

    return share


def _count(part: Callable[[TeamFigures], int]) -> Callable[[int, TeamFigures], Value]:
    return lambda entries, f: part(f)


def _average(entries: int, f: TeamFigures) -> Value:
    tenths = average_tenths(f.average_age)
    return None if tenths is None else tenths / 10


def _heading_share(entries: int, f: TeamFigures) -> Value:
    tenths = percent_tenths(f.secretaries_heading, f.secretaries)
    return None if tenths is None else tenths / 10


@dataclass(frozen=True)
class Column:
    group: str | None  # the header over several columns; None: the column's header spans both rows
    title: str
    value: Callable[[int, TeamFigures], Value]
    percent: bool = False  # a share in percent, one decimal
    decimal: bool = False  # an average, one decimal


COLUMNS: tuple[Column, ...] = (
    Column(None, "党组织数", lambda entries, f: entries),
    Column(None, "已选出新一届班子", _count(lambda f: f.teams)),
    Column(None, "班子成员", _count(lambda f: f.people)),
    Column("女性", "人数", _count(lambda f: f.women)),
    Column("女性", "占比（%）", _share(lambda f: f.women), percent=True),
    Column("少数民族", "人数", _count(lambda f: f.minorities)),
    Column("少数民族", "占比（%）", _share(lambda f: f.minorities), percent=True),
    Column("年龄", "35岁及以下", _count(lambda f: f.young)),
    Column("年龄", "35岁及以下占比（%）", _share(lambda f: f.young), percent=True),
    Column("年龄", "36—45岁", _count(lambda f: f.age_bands[1])),
    Column("年龄", "46—55岁", _count(lambda f: f.age_bands[2])),
    Column("年龄", "56岁及以上", _count(lambda f: f.age_bands[3])),
    Column("年龄", "平均年龄（岁）", _average, decimal=True),
    Column("学历", "大专及以上", _count(lambda f: f.college_or_above)),
    Column("学历", "大专及以上占比（%）", _share(lambda f: f.college_or_above), percent=True),
    Column("学历", "高中、中专", _count(lambda f: f.education_count(EducationLevel.HIGH_SCHOOL))),
    Column("学历", "初中及以下", _count(lambda f: f.education_count(EducationLevel.PRIMARY))),
    Column("学历", "未登记", _count(lambda f: f.education_unknown)),
    Column("生产、工作一线", "人数", _count(lambda f: f.front_line)),
    Column("生产、工作一线", "占比（%）", _share(lambda f: f.front_line), percent=True),
    Column("连任和新进", "连任", _count(lambda f: f.returning)),
    Column("连任和新进", "新进", _count(lambda f: f.new)),
    Column("书记", "人数", _count(lambda f: f.secretaries)),
    Column("书记", "兼任村（居）委会主任", _count(lambda f: f.secretaries_heading)),
    Column("书记", "“一肩挑”占比（%）", _heading_share, percent=True),
)
COUNT_COLUMNS = tuple(i for i, c in enumerate(COLUMNS) if not (c.percent or c.decimal))


@dataclass(frozen=True)
class StructureTable:
    title: str
    subtitle: str
    unit_title: str  # the first column's header: 乡镇（街道）
    rows: list[tuple[str, list[Value]]]  # one per township
    total: list[Value]
    details: list[tuple[str, str, str, list[Value]]]  # township, organization, stage, values
    on: date


def _values(entries: int, figures: TeamFigures) -> list[Value]:
    return [column.value(entries, figures) for column in COLUMNS]


STAGE_TEXT = {Stage.ELECTED: "已选出", Stage.SLATE: "未选举（已定人选）", Stage.NONE: "未选举"}


def structure_table(structure: CampaignStructure, on: date, details: bool = True) -> StructureTable:
    """The table of the teams elected so far, by township and in total; ``on`` is the date the
    figures stand at (the export's day). Without ``details`` (the page shows only the townships and
    the total) the detail rows are left out."""
    campaign = structure.campaign
    rows = [(t.name, _values(t.entries, t.elected)) for t in structure.townships]
    detail_rows = [
        (
            team.township,
            team.organization,
            STAGE_TEXT[team.stage],
            _values(1, team.figures if team.stage is Stage.ELECTED else TeamFigures()),
        )
        for team in structure.teams
        if details
    ]
    return StructureTable(
        title=f"{campaign.name}{TITLE}",
        subtitle=(
            f"填报单位：{campaign.organization.name}；截至{on.year}年{on.month}月{on.day}日，"
            f"共 {structure.entries} 个党组织，已选出新一届班子 {structure.elected.teams} 个；单位：个、人、%"
        ),
        unit_title="乡镇（街道）",
        rows=rows,
        total=_values(structure.entries, structure.elected),
        details=detail_rows,
        on=on,
    )


def header_spans() -> list[tuple[str, int, int]]:
    """The first header row as (text, first column, last column), columns counted from 1 after the
    unit column; a column without a group spans both header rows."""
    spans: list[tuple[str, int, int]] = []
    for index, column in enumerate(COLUMNS, start=2):
        text = column.group or column.title
        if spans and column.group is not None and spans[-1][0] == column.group:
            spans[-1] = (text, spans[-1][1], index)
        else:
            spans.append((text, index, index))
    return spans


# --- .xlsx -------------------------------------------------------------------------------------

SUMMARY_SHEET = "统计表"
DETAIL_SHEET = "明细"
FIRST_DATA_ROW = 5  # title, subtitle, two header rows
FILL = PatternFill("solid", fgColor="F1ECE9")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _headers(sheet: Any, leading: Sequence[str], title: str, subtitle: str) -> None:
    """Title, subtitle and the two header rows; ``leading`` columns before the figures span both."""
    width = len(leading) + len(COLUMNS)
    last = get_column_letter(width)
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle
    sheet.merge_cells(f"A2:{last}2")
    for position, text in enumerate(leading, start=1):
        sheet.cell(3, position, text)
        sheet.merge_cells(start_row=3, start_column=position, end_row=4, end_column=position)
    shift = len(leading) - 1
    for text, first, last_column in header_spans():
        first, last_column = first + shift, last_column + shift
        sheet.cell(3, first, text)
        column = COLUMNS[first - len(leading) - 1]
        if column.group is None:
            sheet.merge_cells(start_row=3, start_column=first, end_row=4, end_column=first)
        else:
            if last_column > first:
                sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=last_column)
            for position in range(first, last_column + 1):
                sheet.cell(4, position, COLUMNS[position - len(leading) - 1].title)
    for row in sheet.iter_rows(min_row=3, max_row=4, max_col=width):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = FILL
            cell.alignment = CENTER
            cell.border = BOX
    sheet.row_dimensions[4].height = 45
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, len(leading) + 1)


def _styles(workbook: Workbook) -> None:
    """Named styles for the data cells: a style per cell would be hashed cell by cell (most of the
    workbook's time at 2,000 organizations); a named style is looked up once."""
    for bold in (False, True):
        for decimal in (False, True):
            style = NamedStyle(name=_style_name(bold, decimal), font=Font(bold=bold), border=BOX)
            if decimal:
                style.number_format = "0.0"
            workbook.add_named_style(style)


def _style_name(bold: bool, decimal: bool) -> str:
    return f"xj-{'bold' if bold else 'plain'}-{'decimal' if decimal else 'whole'}"


class _Styler:
    """Gives cells the named styles: the first cell of each style is styled by name, the others
    get a copy of its style record. Naming each cell's style looked the name up in the workbook's
    list every time — half the workbook's time at 2,000 organizations; the copy is what openpyxl
    itself does when it copies a sheet."""

    def __init__(self) -> None:
        self._first: dict[str, Any] = {}

    def __call__(self, cell: Any, name: str) -> None:
        first = self._first.get(name)
        if first is None:
            cell.style = name
            self._first[name] = cell
        else:
            cell._style = copy(first._style)


def _write_row(
    sheet: Any,
    row: int,
    leading: Sequence[str],
    values: Sequence[Value],
    style: _Styler,
    bold: bool = False,
) -> None:
    for position, text in enumerate(leading, start=1):
        style(sheet.cell(row, position, text), _style_name(bold, False))
    for offset, (column, value) in enumerate(zip(COLUMNS, values, strict=True)):
        cell = sheet.cell(row, len(leading) + 1 + offset, value)
        style(cell, _style_name(bold, column.percent or column.decimal))


def structure_workbook(table: StructureTable) -> bytes:
    """The table as .xlsx: the summary sheet (townships and the total) and the detail sheet."""
    workbook = Workbook()
    _styles(workbook)
    sheet = workbook.active
    sheet.title = SUMMARY_SHEET
    _headers(sheet, [table.unit_title], table.title, table.subtitle)
    style = _Styler()
    for offset, (name, values) in enumerate(table.rows):
        _write_row(sheet, FIRST_DATA_ROW + offset, [name], values, style)
    _write_row(sheet, FIRST_DATA_ROW + len(table.rows), ["合计"], table.total, style, bold=True)
    sheet.column_dimensions["A"].width = 22
    for position in range(2, len(COLUMNS) + 2):
        sheet.column_dimensions[get_column_letter(position)].width = 9
    detail = workbook.create_sheet(DETAIL_SHEET)
    _headers(
        detail,
        [table.unit_title, "党组织", "选举进度"],
        f"{table.title}（明细）",
        "每个党组织一行；未选出新一届班子的，结构各项为 0。统计表各乡镇数字为本表同一乡镇各行之和。",
    )
    for offset, (township, organization, stage, values) in enumerate(table.details):
        _write_row(detail, FIRST_DATA_ROW + offset, [township, organization, stage], values, style)
    detail.column_dimensions["A"].width = 20
    detail.column_dimensions["B"].width = 30
    detail.column_dimensions["C"].width = 16
    return workbook_bytes(workbook)


# --- PDF ---------------------------------------------------------------------------------------

PDF_MARGIN_MM = 10
UNIT_WIDTH_MM = 30
HEADER_PT, BODY_PT = 7, 8


def _text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def structure_pdf(table: StructureTable) -> bytes:
    """The summary as a landscape A4 PDF with the same two header rows (merged cells), fonts
    embedded; the creation date is the figures' date, so the same records give the same bytes."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_margins(PDF_MARGIN_MM, PDF_MARGIN_MM, PDF_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=PDF_MARGIN_MM)
    pdf.set_creation_date(datetime(table.on.year, table.on.month, table.on.day, tzinfo=UTC))
    pdf.set_title(table.title)
    pdf.set_creator("xuanju")
    pdf.set_lang("zh-CN")
    cells = [table.title, table.subtitle, table.unit_title, "合计"]
    cells += [c.title for c in COLUMNS] + [c.group or "" for c in COLUMNS] + [name for name, _ in table.rows]
    names = []
    for number, font in enumerate(fonts_for("".join(cells))):
        names.append(f"font{number}")
        pdf.add_font(names[-1], fname=str(font.path), collection_font_number=font.index)
    if len(names) > 1:
        pdf.set_fallback_fonts(names[1:])
    pdf.add_page()
    pdf.set_font(names[0], size=15)
    pdf.cell(0, 9, table.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(names[0], size=9)
    pdf.cell(0, 6, table.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    usable = pdf.w - 2 * PDF_MARGIN_MM
    other = (usable - UNIT_WIDTH_MM) / len(COLUMNS)
    widths = (UNIT_WIDTH_MM, *([other] * len(COLUMNS)))
    pdf.set_font(names[0], size=HEADER_PT)
    with pdf.table(
        col_widths=widths,
        text_align="CENTER",
        line_height=3.6,
        num_heading_rows=2,
        first_row_as_headings=True,
        repeat_headings=1,
        headings_style=FontFace(emphasis="", fill_color=(241, 236, 233)),
    ) as pdf_table:
        top = pdf_table.row()
        top.cell(table.unit_title, rowspan=2)
        for text, first, last in header_spans():
            column = COLUMNS[first - 2]
            if column.group is None:
                top.cell(text, rowspan=2)
            else:
                top.cell(text, colspan=last - first + 1)
        second = pdf_table.row()
        for column in COLUMNS:
            if column.group is not None:
                second.cell(column.title)
        for name, values in [*table.rows, ("合计", table.total)]:
            row = pdf_table.row()
            row.cell(name)
            for value in values:
                row.cell(_text(value))
    return bytes(pdf.output())
