"""The .xlsx of initial passwords handed out after creating accounts in bulk."""

from __future__ import annotations

from openpyxl import Workbook

from xuanju.account_admin.actions import Issued
from xuanju.spreadsheet import workbook_bytes


def passwords_workbook(issued: list[Issued]) -> bytes:
    """The .xlsx of initial passwords to hand out (every text cell written as text, never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "初始密码"
    sheet.append(["党组织", "姓名", "角色", "用户名", "初始密码", "说明"])
    for item in issued:
        account = item.account
        sheet.append(
            [
                account.organization.name if account.organization else "",
                account.display_name,
                account.get_role_display(),
                account.username,
                item.password,
                "首次登录须修改密码",
            ]
        )
    for column, width in zip("ABCDEF", (30, 10, 12, 16, 16, 20), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)
