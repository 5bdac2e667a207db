"""The roster exported as .xlsx, and the blank template with its instructions."""

from __future__ import annotations

from collections.abc import Container
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xuanju.organizations.models import Member, Organization
from xuanju.organizations.personal_data import id_check_digit, mask
from xuanju.organizations.profile import PROFILE_NAMES
from xuanju.organizations.roster.columns import COLUMN_BY_FIELD, INSTRUCTIONS_SHEET, ROSTER_SHEET, STATUS_TEXT
from xuanju.organizations.roster.reading import MAX_FILE_BYTES, MAX_ROWS
from xuanju.spreadsheet import workbook_bytes

EXPORT_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "joined_on",
    "full_member_on",
    "status",
    "organization",
    "phone",
    "id_number",
    *PROFILE_NAMES,
)
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
HEADER_ROW = 3
WIDTHS = {
    "name": 12,
    "gender": 6,
    "ethnicity": 8,
    "birth_date": 12,
    "joined_on": 12,
    "full_member_on": 12,
    "status": 10,
    "organization": 28,
    "phone": 15,
    "id_number": 21,
    "education": 12,
    "occupation": 16,
    "front_line": 18,
    "job_title": 24,
}


def _layout(sheet: Any, title: str, subtitle: str) -> None:
    """Title, subtitle and the header row, with column widths and formats."""
    last = get_column_letter(len(EXPORT_COLUMNS) + 1)
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle
    sheet.merge_cells(f"A2:{last}2")
    headers = ["序号", *(COLUMN_BY_FIELD[f].title for f in EXPORT_COLUMNS)]
    fill = PatternFill("solid", fgColor="F1ECE9")
    for position, text in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, position, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 6
    for position, name in enumerate(EXPORT_COLUMNS, start=2):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        if name in ("phone", "id_number"):
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        elif name in ("birth_date", "joined_on", "full_member_on"):
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _write_row(sheet: Any, row: int, number: int, values: dict[str, Any]) -> None:
    sheet.cell(row, 1, number)
    for position, name in enumerate(EXPORT_COLUMNS, start=2):
        cell = sheet.cell(row, position, values.get(name))
        if name in ("birth_date", "joined_on", "full_member_on"):
            cell.number_format = DATE_FORMAT
        elif name in ("phone", "id_number"):
            cell.number_format = TEXT_FORMAT


def _to_bytes(workbook: Workbook) -> bytes:
    return workbook_bytes(workbook)


def export_roster(
    org: Organization,
    include_subtree: bool = False,
    full_personal_data: bool | Container[int] = False,
    today: date | None = None,
) -> bytes:
    """The members on ``org``'s roster (and beneath it, with ``include_subtree``) as .xlsx.

    The layout is the import layout, so an exported file imports again: a title row, the header,
    dates as real Excel dates and ID numbers and phones as text. ``full_personal_data`` is True for
    everyone's data in full, or the ids of the organizations whose members' ID numbers and phones
    may be shown in full; the others are masked (and a masked file will not import).
    """
    today = today or timezone.localdate()
    members = Member.objects.on_roll().select_related("organization")
    members = members.within(org) if include_subtree else members.filter(organization=org)
    members = members.order_by("organization__path", "name", "pk")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    count = 0
    masked = False
    rows: list[dict[str, Any]] = []
    for member in members.iterator(chunk_size=2000):
        count += 1
        if isinstance(full_personal_data, bool):
            full = full_personal_data
        else:
            full = member.organization_id in full_personal_data
        masked = masked or not full
        values = {name: getattr(member, name) for name in EXPORT_COLUMNS if name != "organization"}
        values["status"] = STATUS_TEXT[member.status]
        values["organization"] = member.organization.name
        values["phone"] = (member.phone if full else mask(member.phone)) or None
        values["id_number"] = (member.id_number if full else mask(member.id_number)) or None
        rows.append(values)
    subtitle = f"导出日期：{today:%Y年%m月%d日}　在册党员 {count} 名"
    if include_subtree:
        subtitle += "（含下级党组织）"
    if masked:
        subtitle += "　身份证号、联系电话已部分隐藏"
    _layout(sheet, f"{org.name}党员名册", subtitle)
    for number, values in enumerate(rows, start=1):
        _write_row(sheet, HEADER_ROW + number, number, values)
    return _to_bytes(workbook)


def _example_id() -> str:
    first17 = "11010519850312002"
    return first17 + id_check_digit(first17)


def roster_template(org: Organization | None = None) -> bytes:
    """The blank import layout: notes on every header, drop-down lists, and an example sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    name = org.name if org is not None else "XX党支部"
    _layout(
        sheet,
        f"{name}党员名册",
        "请从第 4 行起每行填写一名党员；表头不要改动。填写要求见各列表头的批注和“填写说明”工作表。",
    )
    for position, field_name in enumerate(EXPORT_COLUMNS, start=2):
        column = COLUMN_BY_FIELD[field_name]
        comment = Comment(column.note, "党组织选举工作系统")
        comment.width, comment.height = 220, 80
        sheet.cell(HEADER_ROW, position).comment = comment
    first, last = HEADER_ROW + 1, HEADER_ROW + 2000
    for field_name, choices in (("gender", '"男,女"'), ("status", '"正式党员,预备党员"')):
        letter = get_column_letter(EXPORT_COLUMNS.index(field_name) + 2)
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.error = "请从下拉列表中选择"
        validation.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 14
    guide.column_dimensions["B"].width = 80
    guide["A1"] = "填写说明"
    guide["A1"].font = Font(size=14, bold=True)
    for offset, field_name in enumerate(EXPORT_COLUMNS, start=3):
        column = COLUMN_BY_FIELD[field_name]
        guide.cell(offset, 1, column.title).font = Font(bold=True)
        guide.cell(offset, 2, column.note)
    notes_end = 3 + len(EXPORT_COLUMNS)
    guide.cell(notes_end + 1, 1, "其他").font = Font(bold=True)
    guide.cell(
        notes_end + 1,
        2,
        "表头可以不在第 1 行（上面可以有标题行）；列的顺序不限；“序号”等其他列不会导入。"
        f"每个文件最多 {MAX_ROWS} 行、{MAX_FILE_BYTES // (1024 * 1024)} MB。本工作表不会被导入。",
    )
    guide.cell(notes_end + 3, 1, "填写示例").font = Font(bold=True)
    example_row = notes_end + 4
    headers = ["序号", *(COLUMN_BY_FIELD[f].title for f in EXPORT_COLUMNS)]
    for position, text in enumerate(headers, start=1):
        guide.cell(example_row, position, text).font = Font(bold=True)
    _write_row(
        guide,
        example_row + 1,
        1,
        {
            "name": "王芳",
            "gender": "女",
            "ethnicity": "汉族",
            "birth_date": date(1985, 3, 12),
            "joined_on": date(2008, 7, 1),
            "full_member_on": date(2009, 7, 1),
            "status": "正式党员",
            "organization": name,
            "phone": "13800000000",
            "id_number": _example_id(),
            "education": "大学本科",
            "occupation": "专业技术人员",
            "front_line": "专业技术人员一线",
            "job_title": "东村小学教师",
        },
    )
    return _to_bytes(workbook)


def export_filename(org: Organization, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{org.name}党员名册-{today:%Y%m%d}.xlsx"
