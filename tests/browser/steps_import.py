"""Browser steps for importing a county's organizations, shared by the end-to-end tests.

:func:`import_tree` is called with a page already signed in as an organization department's
account: it uploads a copy of the given tree with one bad row, checks that the preview names that
row and column and saved nothing, then uploads the file as given and confirms.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

KIND_HEADERS = ("组织类别", "党组织类别", "组织类型", "党组织类型", "类别")


def broken_copy(xlsx_path: Path | str, folder: Path) -> tuple[Path, int, str]:
    """A copy of the file whose last row has a kind no organization has; returns (path, row, letter)."""
    book = load_workbook(xlsx_path)
    sheet = book.active
    for row in sheet.iter_rows(max_row=20):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() in KIND_HEADERS:
                column, header_row = cell.column_letter, cell.row
                break
        else:
            continue
        break
    else:
        raise AssertionError(f"{xlsx_path}: no 组织类别 header in the first 20 rows")
    last = max(r for r in range(header_row + 1, sheet.max_row + 1) if sheet[f"A{r}"].value)
    sheet[f"{column}{last}"] = "党小组"
    path = folder / "tree-with-a-bad-row.xlsx"
    book.save(path)
    return path, last, column


def import_tree(page: Page, live_server_url: str, xlsx_path: Path | str) -> str:
    """Import the organization tree in ``xlsx_path``, going through one bad row first.

    Returns the confirmation message shown after the import.
    """
    with tempfile.TemporaryDirectory() as folder:
        bad, row, column = broken_copy(xlsx_path, Path(folder))
        page.goto(f"{live_server_url.rstrip('/')}/organizations/tree/import/")
        expect(page.get_by_role("heading", name="导入党组织")).to_be_visible()
        page.locator("input[type=file]").set_input_files(bad)
        page.get_by_role("button", name="上传并检查").click()
        errors = page.locator("table.import-errors")
        expect(errors).to_contain_text(f"第 {row} 行")
        expect(errors).to_contain_text(f"{column} 列")
        expect(errors).to_contain_text("党小组")
        expect(page.get_by_role("button", name="确认导入")).to_have_count(0)  # nothing to confirm yet

        page.get_by_role("link", name="重新上传").click()
        page.locator("input[type=file]").set_input_files(xlsx_path)
        page.get_by_role("button", name="上传并检查").click()
        expect(page.locator("table.import-errors")).to_have_count(0)
        page.get_by_role("button", name="确认导入").click()
        done = page.locator(".messages")
        expect(done).to_contain_text("已导入")
        return done.inner_text()
