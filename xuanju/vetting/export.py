"""The slate as .xlsx: one sheet of the people with their profiles, vetting and condition checks,
one of the structure against the upper level's targets. Organizers and the upper level only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xuanju.elections.models import Election
from xuanju.spreadsheet import workbook_bytes
from xuanju.vetting.services import slate_document

CANDIDATES_SHEET = "预备人选"
STRUCTURE_SHEET = "班子结构"
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "姓名", 10),
    ("gender", "性别", 6),
    ("ethnicity", "民族", 8),
    ("birth_date", "出生日期", 12),
    ("age", "年龄", 6),
    ("party_age", "党龄", 6),
    ("education", "学历", 12),
    ("occupation", "职业（岗位）", 16),
    ("current_post", "现任职务", 20),
    ("front_line", "一线", 6),
    ("returning", "上届委员", 9),
    ("posts", "预备人选职务", 14),
    ("vetting", "考察结论", 40),
    ("conditions", "条件核对", 40),
)
FILL = PatternFill("solid", fgColor="F1ECE9")


def _title(sheet: Any, title: str, subtitle: str, width: int) -> None:
    last = get_column_letter(width)
    sheet["A1"] = title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = subtitle
    sheet.merge_cells(f"A2:{last}2")


def _header(sheet: Any, row: int, titles: list[str]) -> None:
    for position, text in enumerate(titles, start=1):
        cell = sheet.cell(row, position, text)
        cell.font = Font(bold=True)
        cell.fill = FILL
        cell.alignment = Alignment(horizontal="center")


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def slate_workbook(election: Election, today: date | None = None) -> bytes:
    """The slate of ``election`` as an .xlsx workbook (bytes)."""
    today = today or timezone.localdate()
    document = slate_document(election)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CANDIDATES_SHEET
    rows = document["candidates"]
    _title(
        sheet,
        f"{election.organization.name}换届选举预备人选情况",
        f"导出日期：{today:%Y年%m月%d日}　年龄、党龄按选举日 {document['on']:%Y年%m月%d日} 计算　共 {len(rows)} 人",
        len(COLUMNS) + 1,
    )
    _header(sheet, HEADER_ROW, ["序号", *(title for _, title, _ in COLUMNS)])
    sheet.column_dimensions["A"].width = 6
    for position, (_, _, width) in enumerate(COLUMNS, start=2):
        sheet.column_dimensions[get_column_letter(position)].width = width
    for number, values in enumerate(rows, start=1):
        row = HEADER_ROW + number
        sheet.cell(row, 1, number)
        for position, (field, _, _) in enumerate(COLUMNS, start=2):
            cell = sheet.cell(row, position, _cell_value(values.get(field)))
            if field == "birth_date":
                cell.number_format = DATE_FORMAT
            if field in ("vetting", "conditions"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"

    structure = workbook.create_sheet(STRUCTURE_SHEET)
    s = document["structure"]
    _title(structure, "预备人选结构", f"预备人选 {s['size']} 人，应选 {s['seats']} 人", 4)
    structure.column_dimensions["A"].width = 24
    structure.column_dimensions["B"].width = 12
    structure.column_dimensions["C"].width = 28
    structure.column_dimensions["D"].width = 12
    _header(structure, HEADER_ROW, ["项目", "人数", "上级要求", "是否达到"])
    line = HEADER_ROW + 1
    targets = {t["name"]: t for t in document["targets"]}

    def put(name: str, value: Any) -> None:
        nonlocal line
        structure.cell(line, 1, name)
        structure.cell(line, 2, value)
        target = targets.pop(name, None)
        if target is not None:
            structure.cell(line, 3, target["target"])
            structure.cell(line, 4, "达到" if target["met"] else "未达到")
        line += 1

    put("女性", s["women"])
    put("少数民族", s["minorities"])
    put("平均年龄", s["average_age"])
    put("最小年龄", s["youngest"])
    put("最大年龄", s["oldest"])
    for band, count in s["age_bands"].items():
        put(f"年龄 {band}", count)
    for level, count in s["education"].items():
        put(f"学历：{level}", count)
    put("大专以上学历", s["college_or_above"])
    for occupation, count in s["occupations"].items():
        put(f"职业：{occupation}", count)
    put("生产、工作一线", s["front_line"])
    put("新进", s["new"])
    put("连任", s["returning"])
    for target in list(targets.values()):  # targets with no line above (e.g. 35 岁及以下)
        put(target["name"], target["actual"])
    line += 1
    notes = [
        *(f"无法达到：{t}" for t in document["unreachable"]),
        *(f"须注意：{t}" for t in document["at_risk"]),
    ]
    if document["conditions"]:
        notes.append("上级提出的条件：" + "；".join(document["conditions"]))
    for note in notes:
        structure.cell(line, 1, note)
        structure.merge_cells(start_row=line, start_column=1, end_row=line, end_column=4)
        line += 1
    return workbook_bytes(workbook)


def slate_filename(election: Election, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{election.organization.name}预备人选情况-{today:%Y%m%d}.xlsx"
