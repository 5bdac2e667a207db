"""换届工作进展情况统计表 as .xlsx (two header rows with merged groups, as organization departments
send it upward) and as PDF (through the documents' fpdf2 writer, fonts embedded)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xuanju.campaigns.models import Campaign
from xuanju.campaigns.statistics import COLUMNS, TableRow
from xuanju.display import cn_date
from xuanju.documents.markup import Block, Paragraph, Table, Title
from xuanju.documents.pdf_writer import pdf_bytes
from xuanju.spreadsheet import workbook_bytes

TITLE = "换届工作进展情况统计表"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _heading_lines(campaign: Campaign, today: date) -> tuple[str, str]:
    return (
        f"填报单位：{campaign.organization.name}（{campaign.name}）",
        f"统计截至：{cn_date(today)}",
    )


def progress_workbook(
    campaign: Campaign, townships: Sequence[TableRow], total: TableRow, today: date
) -> bytes:
    """The table: title, unit and date, the two header rows (groups merged across their columns,
    single columns merged down), one row per township and the total; numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "进展情况"
    width = len(COLUMNS) + 2  # 乡镇 + the columns + 完成率
    sheet.cell(1, 1, TITLE).font = Font(bold=True, size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = _CENTER
    unit, as_of = _heading_lines(campaign, today)
    sheet.cell(2, 1, unit)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width - 3)
    sheet.cell(2, width - 2, as_of)
    sheet.merge_cells(start_row=2, start_column=width - 2, end_row=2, end_column=width)

    top, sub = 3, 4
    sheet.cell(top, 1, "乡镇（街道）")
    sheet.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    column = 2
    while column - 2 < len(COLUMNS):
        group = COLUMNS[column - 2].group
        span = 1
        while group and column - 2 + span < len(COLUMNS) and COLUMNS[column - 2 + span].group == group:
            span += 1
        if group:
            sheet.cell(top, column, group)
            if span > 1:
                sheet.merge_cells(
                    start_row=top, start_column=column, end_row=top, end_column=column + span - 1
                )
            for offset in range(span):
                sheet.cell(sub, column + offset, COLUMNS[column - 2 + offset].label)
        else:
            sheet.cell(top, column, COLUMNS[column - 2].label)
            sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        column += span
    sheet.cell(top, width, "完成率")
    sheet.merge_cells(start_row=top, start_column=width, end_row=sub, end_column=width)

    for number, table_row in enumerate([*townships, total], start=sub + 1):
        sheet.cell(number, 1, table_row.label)
        for offset, value in enumerate(table_row.counts):
            sheet.cell(number, 2 + offset, value)
        sheet.cell(number, width, table_row.completion)
    last = sub + len(townships) + 1
    for row in sheet.iter_rows(min_row=top, max_row=last, max_col=width):
        for cell in row:
            cell.border = _BOX
            cell.alignment = _CENTER
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 10
    sheet.freeze_panes = sheet.cell(sub + 1, 2)
    return workbook_bytes(workbook)


# The PDF's A4 type area holds about eight columns: the table goes in two parts, each with the
# township column, under short headers.
_SHORT_GROUPS = {"换届请示": "请示", "候选人预备人选": "预备人选", "选举结果": "结果", "选举大会": "选举大会"}
_PDF_PARTS = ((0, 6), (6, len(COLUMNS)))


def _short(column: int) -> str:
    c = COLUMNS[column]
    if c.group == "逾期党组织":
        return "逾期党组织" if c.label == "合计" else c.label
    return f"{_SHORT_GROUPS[c.group]}{c.label}" if c.group else c.label


def progress_pdf(campaign: Campaign, townships: Sequence[TableRow], total: TableRow, today: date) -> bytes:
    """The same table on A4 through the documents' writer, in two parts of the columns."""
    unit, as_of = _heading_lines(campaign, today)
    blocks: list[Block] = [Title((TITLE,)), Paragraph(unit), Paragraph(as_of)]
    every = [*townships, total]
    for part, (first, last) in enumerate(_PDF_PARTS):
        header = ("乡镇（街道）", *(_short(c) for c in range(first, last)))
        rows = [(row.label, *(str(v) for v in row.counts[first:last])) for row in every]
        if last == len(COLUMNS):
            header = (*header, "完成率（%）")
            rows = [(*cells, row.completion.rstrip("%")) for cells, row in zip(rows, every, strict=True)]
        blocks.append(Paragraph(f"（{'一二'[part]}）"))
        blocks.append(Table(header, tuple(rows)))
    return pdf_bytes(blocks, title=f"{campaign.name}{TITLE}", author=campaign.organization.name, dated=today)
