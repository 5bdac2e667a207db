"""The organization-tree import layout as a blank (or example) workbook: notes on every header, a
drop-down for the kind, and a 填写说明 sheet. The columns are :data:`tree_import.COLUMNS`."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xuanju.organizations.models import Organization
from xuanju.organizations.tree_import import COLUMN_BY_FIELD, INSTRUCTIONS_SHEET, POSTS, TREE_SHEET
from xuanju.spreadsheet import workbook_bytes

# --- template -------------------------------------------------------------------------------

EXAMPLE_ROWS: tuple[tuple[Any, ...], ...] = (
    (
        "中共东风乡委员会",
        "中共某某县委员会",
        "党委",
        "乡镇",
        date(1956, 3, 1),
        date(2021, 9, 8),
        "李明",
        "王芳",
    ),
    (
        "中共东村支部委员会",
        "中共东风乡委员会",
        "党支部",
        "村",
        date(1958, 5, 4),
        date(2021, 6, 20),
        "张桂英",
        "",
    ),
    ("中共东风乡中心小学支部委员会", "中共东风乡委员会", "党支部", "学校", None, None, "", ""),
)
TEMPLATE_FIELDS = ("name", "parent", "kind", "sector", "founded_on", "elected_on", *POSTS)


def tree_template(root: Organization | None = None, with_examples: bool = False) -> bytes:
    """The import layout: notes on every header, a drop-down for the kind, and (optionally) examples."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TREE_SHEET
    sheet["A1"] = f"{root.name if root else '某某县委'}所属党组织"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{get_column_letter(len(TEMPLATE_FIELDS))}1")
    sheet["A2"] = "请从第 4 行起每行填写一个党组织；上级组织可以写在后面的行。填写要求见各列表头的批注。"
    for position, name in enumerate(TEMPLATE_FIELDS, start=1):
        column = COLUMN_BY_FIELD[name]
        cell = sheet.cell(3, position, column.title)
        cell.font = Font(bold=True)
        if column.note:
            comment = Comment(column.note, "党组织选举工作系统")
            comment.width, comment.height = 220, 80
            cell.comment = comment
        sheet.column_dimensions[get_column_letter(position)].width = 30 if name in ("name", "parent") else 12
    validation = DataValidation(type="list", formula1='"党委,党总支,党支部"', allow_blank=True)
    validation.add("C4:C5000")
    sheet.add_data_validation(validation)
    if with_examples:
        parent = root.name if root else "中共某某县委员会"
        for offset, example in enumerate(EXAMPLE_ROWS, start=4):
            values = list(example)
            if offset == 4:
                values[1] = parent
            for position, value in enumerate(values, start=1):
                cell = sheet.cell(offset, position, value or None)
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    guide["A1"] = "填写说明"
    guide["A1"].font = Font(size=14, bold=True)
    for offset, name in enumerate(TEMPLATE_FIELDS, start=3):
        column = COLUMN_BY_FIELD[name]
        guide.cell(offset, 1, column.title).font = Font(bold=True)
        guide.cell(offset, 2, ("必填。" if column.required else "") + column.note)
    end = 3 + len(TEMPLATE_FIELDS)
    guide.cell(end + 1, 1, "再次导入").font = Font(bold=True)
    guide.cell(
        end + 1,
        2,
        "按党组织名称对应：系统中已有同名组织的，更新它的类别、领域、成立日期、上级和委员会，不会重复新建。"
        "委员会成员须已在党员名册中；名册尚未导入的，先导入组织，再导入名册，然后再次导入本文件登记委员会。",
    )
    return workbook_bytes(workbook)
