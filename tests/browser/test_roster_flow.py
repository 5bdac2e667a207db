"""Importing a roster with a bad row, fixing it, and importing it, as a secretary clicks through."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import log_in
from xuanju.organizations.models import Member
from xuanju.organizations.personal_data import id_check_digit

pytestmark = pytest.mark.django_db(transaction=True)


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def roster_file(path: Path, second_id: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["中共东村支部委员会党员名册"])
    sheet.append(
        ["姓名", "性别", "民族", "出生日期", "入党日期", "转正日期", "所在党组织", "联系电话", "身份证号"]
    )
    sheet.append(
        [
            "张桂英",
            "女",
            "汉族",
            "1972-05-03",
            "1998-07-01",
            "1999-07-01",
            "",
            "13900001111",
            id_number("43010219720503002"),
        ]
    )
    sheet.append(
        ["刘建国", "男", "汉族", "1965-10-01", "1990-07-01", "1991-07-01", "", "13900002222", second_id]
    )
    book.save(path)
    return path


def test_import_a_roster_with_a_bad_row_then_fix_it(page: Page, tmp_path: Path):
    tree = f.county_tree()
    f.account("village", tree.village, "secretary")
    log_in(page, "village", f.PASSWORD)
    page.get_by_role("link", name="党员名册").click()
    page.get_by_role("link", name="导入名册").click()

    good_id = id_number("43010219651001001")
    bad_id = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    page.locator("input[type=file]").set_input_files(roster_file(tmp_path / "bad.xlsx", bad_id))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.locator("table", has_text="校验位")
    expect(errors).to_contain_text("第 4 行")
    expect(errors).to_contain_text("校验位不对")
    assert Member.objects.count() == 0  # nothing saved before the user confirms

    page.get_by_role("link", name="重新上传").click()
    page.locator("input[type=file]").set_input_files(roster_file(tmp_path / "fixed.xlsx", good_id))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("2")
    expect(page.locator("table")).to_contain_text("刘建国")
    assert set(Member.objects.values_list("name", flat=True)) == {"张桂英", "刘建国"}
