"""Member profile columns (学历、职业、一线情况、工作单位及职务): read from the roster file with the
other columns, checked for length with row and column, saved with the member and exported again."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests import factories as f
from xuanju.organizations.models import Member
from xuanju.organizations.roster import export_roster, import_rows, read_roster

pytestmark = pytest.mark.django_db


def roster_with_profile(job: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "姓名",
            "性别",
            "民族",
            "出生日期",
            "入党日期",
            "转正日期",
            "文化程度",
            "职业",
            "一线情况",
            "现任职务",
        ]
    )
    sheet.append(
        [
            "张桂英",
            "女",
            "汉族",
            "1972-05-03",
            "1998-07-01",
            "1999-07-01",
            "大学本科",
            "农牧渔民",
            "农牧渔民一线",
            job,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_profile_columns_are_imported_under_their_usual_names_and_exported():
    tree = f.county_tree()
    department = f.account("county", tree.county, "org_department")
    reading = read_roster(roster_with_profile("东村村委会主任"), actor=department, default_org=tree.village)
    assert reading.errors == []
    import_rows(department, reading.rows, tree.village)
    member = Member.objects.get(name="张桂英")
    assert (member.education, member.occupation, member.front_line, member.job_title) == (
        "大学本科",
        "农牧渔民",
        "农牧渔民一线",
        "东村村委会主任",
    )
    sheet = load_workbook(io.BytesIO(export_roster(tree.village, full_personal_data=True))).active
    header = [c.value for c in sheet[3]]
    row = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert row["学历"] == "大学本科" and row["工作单位及职务"] == "东村村委会主任"


def test_a_profile_cell_too_long_is_an_error_with_row_and_column():
    tree = f.county_tree()
    department = f.account("county", tree.county, "org_department")
    reading = read_roster(roster_with_profile("长" * 101), actor=department, default_org=tree.village)
    assert [(e.row, e.column) for e in reading.errors] == [(2, "J")]
    assert "超过 100 个字" in reading.errors[0].message
