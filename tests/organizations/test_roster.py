"""Roster import and export (.xlsx): every bad input gets a Chinese message naming row and column,
nothing is saved until the user confirms, and an export imports again."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from xuanju.accounts.models import User
from xuanju.audit.models import AuditRecord
from xuanju.organizations import actions, roster
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.personal_data import id_check_digit
from xuanju.organizations.roster import RosterFileError, import_rows, read_roster

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PROFILE_HEADER = ["学历", "职业", "一线情况", "工作单位及职务"]
HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "入党日期",
    "转正日期",
    "党员类别",
    "所在党组织",
    "联系电话",
    "身份证号",
]
LETTER = {title: chr(ord("A") + i) for i, title in enumerate(HEADER)}


def ident(birth: str, n: int = 1, male: bool = True) -> str:
    """A valid 18-digit ID number for someone born on ``birth`` (YYYYMMDD)."""
    first17 = f"110105{birth}{n:02d}{1 if male else 2}"
    return first17 + id_check_digit(first17)


def person(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "姓名": "王芳",
        "性别": "女",
        "民族": "汉族",
        "出生日期": "1985-03-12",
        "入党日期": "2008-07-01",
        "转正日期": "2009-07-01",
        "党员类别": "正式党员",
        "所在党组织": "",
        "联系电话": "13800138000",
        "身份证号": ident("19850312", 1, male=False),
    }
    data.update(changes)
    return data


def xlsx(
    people: list[dict[str, Any]],
    header: list[str] = HEADER,
    title_rows: tuple[str, ...] = ("第一党支部党员名册",),
    sheet_title: str = "Sheet1",
) -> bytes:
    """A workbook as people keep them: title rows, then the header, then one member a row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for text in title_rows:
        sheet.append([text])
    sheet.append(header)
    for number, data in enumerate(people, start=1):
        sheet.append([number if h == "序号" else data.get(h) for h in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FIRST_ROW = 3  # one title row, the header on row 2


@pytest.fixture
def tree() -> dict[str, Organization]:
    def add(parent: Organization, name: str, kind: str, sector: str) -> Organization:
        fields = {"name": name, "kind": kind, "sector": sector}
        return Organization.objects.add_child(Organization.objects.get(pk=parent.pk), fields)

    county = Organization.objects.add_root({"name": "某县委", "kind": "party_committee", "sector": "other"})
    town = add(county, "某镇党委", "party_committee", "township")
    branch = add(town, "第一党支部", "branch", "village")
    second = add(town, "第二党支部", "branch", "village")
    school = add(county, "某学校党支部", "branch", "school")
    county, town = (Organization.objects.get(pk=o.pk) for o in (county, town))
    return {"county": county, "town": town, "branch": branch, "second": second, "school": school}


def account(username: str, org: Organization, role: str) -> User:
    return User.objects.create_user(
        username=username, password="x-Long-password-1", organization=org, role=role
    )


@pytest.fixture
def users(tree: dict[str, Organization]) -> dict[str, User]:
    return {
        "town": account("town", tree["town"], "org_department"),
        "secretary": account("secretary", tree["branch"], "secretary"),
        "second_secretary": account("second", tree["second"], "secretary"),
        "inspector": account("inspector", tree["county"], "inspector"),
    }


def read(data: bytes, user: User, org: Organization) -> roster.RosterReading:
    return read_roster(data, actor=user, default_org=org)


def only_error(reading: roster.RosterReading) -> roster.RowError:
    assert len(reading.errors) == 1, reading.errors
    return reading.errors[0]


# --- clean import ---------------------------------------------------------------------------


def test_clean_import_adds_members_with_counts_and_audit(tree, users):
    data = xlsx(
        [
            person(),
            person(
                姓名="李强",
                性别="男",
                出生日期="1990-01-05",
                入党日期="2024-06-01",
                转正日期=None,
                党员类别="预备党员",
                联系电话="010-62345678",
                身份证号=ident("19900105", 3),
            ),
        ]
    )
    reading = read(data, users["secretary"], tree["branch"])
    assert reading.errors == [] and reading.valid_rows == 2 and reading.data_rows == 2
    assert reading.header_row == 2 and reading.sheet == "Sheet1"
    assert Member.objects.count() == 0  # reading saves nothing

    assert import_rows(users["secretary"], reading.rows, tree["branch"]) == 2

    wang = Member.objects.get(name="王芳")
    assert (wang.organization, wang.gender, wang.birth_date, wang.status) == (
        tree["branch"],
        "女",
        date(1985, 3, 12),
        "full",
    )
    assert wang.full_member_on == date(2009, 7, 1) and wang.id_number == ident("19850312", 1, male=False)
    li = Member.objects.get(name="李强")
    assert li.status == "probationary" and li.full_member_on is None and li.phone == "010-62345678"
    branch = Organization.objects.get(pk=tree["branch"].pk)
    assert (branch.member_count, branch.full_member_count) == (2, 1)
    adds = AuditRecord.objects.filter(action="add_member")
    assert sorted(int(r.object_id) for r in adds) == sorted(Member.objects.values_list("pk", flat=True))
    assert all(r.after["source"] == "roster_import" and r.actor == "secretary" for r in adds)
    batch = AuditRecord.objects.get(action="import_roster")
    assert batch.after["count"] == 2 and sorted(batch.after["members"][str(branch.pk)]) == sorted(
        Member.objects.values_list("pk", flat=True)
    )


def test_a_bad_row_blocks_nothing_but_itself_and_only_valid_rows_are_saved(tree, users):
    data = xlsx(
        [
            person(),
            person(姓名="李强", 性别="男", 出生日期="1990-13-05", 身份证号=""),
            person(姓名="张伟", 性别="男", 出生日期="1979-11-30", 身份证号=ident("19791130", 5)),
        ]
    )
    reading = read(data, users["secretary"], tree["branch"])
    error = only_error(reading)
    assert (error.row, error.column, error.header) == (FIRST_ROW + 1, "E", "出生日期")
    assert "1990-13-05" in error.message and "不是存在的日期" in error.message
    assert [r.name for r in reading.rows] == ["王芳", "张伟"]
    assert Member.objects.count() == 0

    assert import_rows(users["secretary"], reading.rows, tree["branch"]) == 2
    assert set(Member.objects.values_list("name", flat=True)) == {"王芳", "张伟"}


# --- each kind of error, with its row and column ----------------------------------------------

ERROR_CASES = [
    ({"姓名": None}, "姓名", "姓名未填写"),
    ({"性别": "M"}, "性别", "性别应填“男”或“女”"),
    ({"民族": None}, "民族", "民族未填写"),
    ({"出生日期": "1985-02-30"}, "出生日期", "不是存在的日期"),
    ({"出生日期": "85.3.12"}, "出生日期", "年份请写 4 位"),
    ({"出生日期": "三月"}, "出生日期", "不是可识别的日期"),
    ({"出生日期": None}, "出生日期", "出生日期未填写"),
    ({"出生日期": 1985.1, "身份证号": ""}, "出生日期", "无法判断是 1 月还是 10 月"),
    ({"入党日期": "2008.07"}, "入党日期", "只有年月，请写到日"),
    (
        {"入党日期": (TODAY + timedelta(days=3)).isoformat(), "转正日期": None, "党员类别": "预备党员"},
        "入党日期",
        "晚于今天",
    ),
    ({"入党日期": "2002-07-01", "转正日期": "2003-07-01"}, "入党日期", "未满十八岁"),
    ({"入党日期": "1980-07-01", "转正日期": "1981-07-01"}, "入党日期", "入党日期早于出生日期"),
    ({"转正日期": "2007-07-01"}, "转正日期", "转正日期早于入党日期"),
    ({"转正日期": None}, "转正日期", "正式党员须填写转正日期"),
    ({"党员类别": "预备党员"}, "党员类别", "预备党员不应有转正日期"),
    ({"党员类别": "候补党员"}, "党员类别", "应填“正式党员”或“预备党员”"),
    ({"联系电话": "12345"}, "联系电话", "应为 11 位"),
    ({"联系电话": "电话"}, "联系电话", "格式不对"),
    ({"联系电话": "138****8000"}, "联系电话", "部分隐藏"),
    ({"身份证号": ident("19850312", 1, male=False)[:17] + "0"}, "身份证号", "校验位不对"),
    ({"身份证号": "110105850312002"}, "身份证号", "15 位的旧身份证号"),
    ({"身份证号": "110***********002X"}, "身份证号", "部分隐藏"),
    ({"身份证号": "11010519850312"}, "身份证号", "应为 18 位"),
    ({"身份证号": ident("19850313", 1, male=False)}, "身份证号", "与出生日期 1985年3月12日 不一致"),
    ({"身份证号": ident("19850312", 1, male=True)}, "身份证号", "显示为男性，与性别“女”不一致"),
    ({"身份证号": 110105198503120020}, "身份证号", roster.ID_AS_NUMBER),
    ({"身份证号": "1.10105E+17"}, "身份证号", roster.ID_AS_NUMBER),
    ({"性别": "#N/A"}, "性别", "是公式的错误值“#N/A”"),
]


@pytest.mark.parametrize(("changes", "header", "expected"), ERROR_CASES)
def test_each_error_names_row_column_and_problem(tree, users, changes, header, expected):
    data = xlsx([person(姓名="李强", 性别="男", 身份证号=ident("19850312", 9)), person(**changes)])
    reading = read(data, users["secretary"], tree["branch"])
    error = only_error(reading)
    assert (error.sheet, error.row, error.column, error.header) == (
        "Sheet1",
        FIRST_ROW + 1,
        LETTER[header],
        header,
    )
    assert expected in error.message
    assert [r.name for r in reading.rows] == ["李强"]


def test_id_stored_as_a_number_is_explained(tree, users):
    reading = read(xlsx([person(身份证号=110105198503120020)]), users["secretary"], tree["branch"])
    assert (
        only_error(reading).message
        == "身份证号被 Excel 存成了数字，末几位可能已丢失，请把该列设为文本后重新填写"
    )


def test_a_row_with_several_problems_lists_each(tree, users):
    reading = read(xlsx([person(性别="?", 出生日期="x", 联系电话="1")]), users["secretary"], tree["branch"])
    assert [e.column for e in reading.errors] == ["C", "E", "J"]
    assert reading.error_rows == 1 and reading.valid_rows == 0


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime(1985, 3, 12),
        date(1985, 3, 12),
        "1985-03-12",
        "1985/3/12",
        "1985.03.12",
        "19850312",
        19850312,
        "1985年3月12日",
        "1985 年 3 月 12 日",
        "１９８５－０３－１２",
        "1985-03-12 00:00:00",
    ],
)
def test_date_forms_accepted(tree, users, value):
    reading = read(xlsx([person(出生日期=value)]), users["secretary"], tree["branch"])
    assert reading.errors == [] and reading.rows[0].birth_date == date(1985, 3, 12)


@pytest.mark.parametrize("value", ["1985.03", 1985.03, "1985-3", "1985年3月", "198503", "1985/03"])
def test_birth_year_and_month_is_the_first_of_the_month_and_said_so(tree, users, value):
    reading = read(xlsx([person(出生日期=value, 身份证号="")]), users["secretary"], tree["branch"])
    assert reading.errors == [] and reading.rows[0].birth_date == date(1985, 3, 1)
    assert any("1 行只写了年月，按当月 1 日登记" in note for note in reading.notes)


def test_month_only_birth_matches_the_id_number_by_year_and_month(tree, users):
    reading = read(xlsx([person(出生日期="1985.03")]), users["secretary"], tree["branch"])
    assert reading.errors == [] and reading.rows[0].birth_date == date(1985, 3, 1)


def test_age_check_with_month_only_birth_reports_only_certain_cases(tree, users):
    # Born some day in March 1990: joining on 2008-03-15 may or may not be before the 18th birthday.
    rows = [person(出生日期="1990.03", 入党日期="2008-03-15", 转正日期="2009-03-15", 身份证号="")]
    reading = read(xlsx(rows), users["secretary"], tree["branch"])
    assert reading.errors == []


# --- layouts --------------------------------------------------------------------------------


def test_title_rows_header_variants_and_column_order(tree, users):
    header = [
        "序 号",
        "姓  名",
        "公民身份号码",
        "性别",
        "民族",
        "出生年月",
        "入党时间",
        "转正时间",
        "所在党支部",
        "手机号码",
        "备注",
    ]
    rows = [
        {
            "姓  名": "王  芳",
            "公民身份号码": ident("19850312", 1, male=False),
            "性别": "女",
            "民族": "汉",
            "出生年月": "1985.03.12",
            "入党时间": "2008.07.01",
            "转正时间": "2009.07.01",
            "所在党支部": "第一党支部",
            "手机号码": 13800138000,
            "备注": "书记",
        },
        {
            "姓  名": "李强",
            "性别": "男",
            "民族": "回族",
            "出生年月": "1990.01",
            "入党时间": "2024.06.01",
        },
    ]
    data = xlsx(rows, header=header, title_rows=("某镇党委", "第一党支部党员名册", ""))
    reading = read(data, users["secretary"], tree["branch"])
    assert reading.errors == [] and reading.header_row == 4
    wang, li = reading.rows
    assert (wang.name, wang.ethnicity, wang.phone, wang.status) == ("王芳", "汉族", "13800138000", "full")
    assert (li.status, li.full_member_on, li.birth_date) == ("probationary", None, date(1990, 1, 1))
    assert reading.columns["id_number"] == ("C", "公民身份号码")
    assert any("没有“党员类别”列" in note for note in reading.notes)


def test_blank_and_pre_numbered_rows_are_skipped(tree, users):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1, *(person().get(h) for h in HEADER[1:])])
    sheet.append([])
    sheet.append([2, "  ", None, "", None])
    for number in range(3, 50):
        sheet.append([number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), users["secretary"], tree["branch"])
    assert reading.data_rows == 1 and reading.errors == [] and reading.rows[0].row == 2


def test_header_missing_a_required_column_is_one_error(tree, users):
    header = [h for h in HEADER if h != "入党日期"]
    with pytest.raises(RosterFileError, match="缺少“入党日期”列"):
        read(xlsx([person()], header=header), users["secretary"], tree["branch"])


def test_header_with_the_same_column_twice(tree, users):
    header = [*HEADER, "手机号码"]
    with pytest.raises(RosterFileError, match="是同一项"):
        read(xlsx([person()], header=header), users["secretary"], tree["branch"])


def test_instructions_sheet_is_ignored_and_other_rosters_are_mentioned(tree, users):
    workbook = load_workbook(io.BytesIO(xlsx([person()])))
    guide = workbook.create_sheet("填写说明")
    guide.append(HEADER)
    extra = workbook.create_sheet("第二党支部")
    extra.append(HEADER)
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), users["secretary"], tree["branch"])
    assert reading.valid_rows == 1
    assert any("“第二党支部”也像党员名册" in note for note in reading.notes)


# --- duplicates -----------------------------------------------------------------------------


def test_duplicate_id_numbers_in_the_file_are_all_errors(tree, users):
    same = ident("19850312", 1, male=False)
    data = xlsx(
        [
            person(身份证号=same),
            person(姓名="李丽"),
            person(姓名="赵敏", 身份证号=ident("19850312", 2, False)),
        ]
    )
    reading = read(data, users["secretary"], tree["branch"])
    assert [(e.row, e.column, e.message) for e in reading.errors] == [
        (FIRST_ROW, "K", f"身份证号与第 {FIRST_ROW + 1} 行重复"),
        (FIRST_ROW + 1, "K", f"身份证号与第 {FIRST_ROW} 行重复"),
    ]
    assert [r.name for r in reading.rows] == ["赵敏"]


def test_id_number_already_registered(tree, users):
    first = read(xlsx([person()]), users["secretary"], tree["branch"]).rows[0]
    actions.add_member("setup", tree["branch"], **first.member_data())
    own = read(xlsx([person()]), users["secretary"], tree["branch"])
    assert "已登记在本组织党员王芳名下" in only_error(own).message
    # The town's department reads the branch: it is told where.
    elsewhere = read(xlsx([person()]), users["town"], tree["second"])
    assert "已登记在“第一党支部”党员王芳名下" in only_error(elsewhere).message
    # Another branch's secretary is not told whose roster it is on.
    hidden = read(xlsx([person()]), users["second_secretary"], tree["second"])
    message = only_error(hidden).message
    assert "其他党组织" in message and "第一党支部" not in message and "王芳" not in message


def test_same_name_and_birth_without_id_number(tree, users):
    actions.add_member(
        "setup",
        tree["branch"],
        name="王芳",
        gender="女",
        ethnicity="汉族",
        birth_date=date(1985, 3, 12),
        joined_on=date(2008, 7, 1),
        full_member_on=date(2009, 7, 1),
        status="full",
    )
    reading = read(
        xlsx([person(身份证号=""), person(姓名="李强", 性别="男", 身份证号="")]),
        users["secretary"],
        tree["branch"],
    )
    error = only_error(reading)
    assert error.column == "B" and "可能是重复导入" in error.message


def test_R_NAME_5_same_person_spelled_differently_without_id_number(tree, users):
    actions.add_member(
        "setup",
        tree["branch"],
        name="王芳",
        gender="女",
        ethnicity="汉族",
        birth_date=date(1985, 3, 12),
        joined_on=date(2008, 7, 1),
        full_member_on=date(2009, 7, 1),
        status="full",
    )
    minority = {"性别": "女", "民族": "维吾尔族", "身份证号": "", "出生日期": "1990-05-01"}
    reading = read(
        xlsx(
            [
                person(
                    姓名="王\u200b芳", 身份证号=""
                ),  # a zero-width space pasted in: the member on the roster
                person(姓名="阿依古丽·买买提", **minority),
                person(姓名="阿依古丽•买买提", **minority),  # the same name with another dot
                person(姓名="王芳芳", 身份证号=""),  # another person
            ]
        ),
        users["secretary"],
        tree["branch"],
    )
    errors = {(e.row, e.column): e.message for e in reading.errors}
    assert set(errors) == {(FIRST_ROW, "B"), (FIRST_ROW + 1, "B"), (FIRST_ROW + 2, "B")}
    assert "可能是重复导入" in errors[(FIRST_ROW, "B")]
    assert f"与第 {FIRST_ROW + 2} 行的姓名、出生日期相同" in errors[(FIRST_ROW + 1, "B")]
    assert [r.name for r in reading.rows] == ["王芳芳"]


def test_import_checks_again_and_saves_nothing_when_something_changed(tree, users):
    reading = read(
        xlsx([person(姓名="李强", 性别="男", 身份证号=ident("19850312", 3)), person()]),
        users["secretary"],
        tree["branch"],
    )
    assert reading.errors == []
    wang = reading.rows[1]
    actions.add_member("someone", tree["second"], **wang.member_data())  # registered meanwhile
    with pytest.raises(ActionError, match=f"第 {wang.row} 行：这个身份证号已登记在“第二党支部”"):
        import_rows(users["town"], reading.rows, tree["branch"])
    assert list(Member.objects.values_list("name", flat=True)) == ["王芳"]
    assert not AuditRecord.objects.filter(action="import_roster").exists()


def test_import_refuses_an_organization_the_actor_does_not_manage(tree, users):
    reading = read(xlsx([person()]), users["secretary"], tree["branch"])
    with pytest.raises(ActionError, match="您不能管理“第一党支部”"):
        import_rows(users["second_secretary"], reading.rows, tree["branch"])
    assert Member.objects.count() == 0


def test_rows_with_cell_errors_are_still_checked_against_the_database(tree, users):
    same = ident("19850312", 1, male=False)
    data = xlsx([person(), person(姓名="李丽", 民族=None, 身份证号=same, 所在党组织="某学校党支部")])
    reading = read(data, users["town"], tree["town"])
    assert [(e.row, e.column) for e in reading.errors] == [
        (FIRST_ROW, "K"),
        (FIRST_ROW + 1, "D"),
        (FIRST_ROW + 1, "I"),
        (FIRST_ROW + 1, "K"),
    ]
    assert reading.valid_rows == 0 and reading.error_rows == 2


# --- organization column --------------------------------------------------------------------


def test_rows_go_to_the_organization_they_name(tree, users):
    data = xlsx(
        [
            person(所在党组织="第一党支部"),
            person(姓名="李强", 性别="男", 身份证号=ident("19850312", 3), 所在党组织="第二党支部"),
            person(姓名="张伟", 性别="男", 身份证号=ident("19850312", 5), 所在党组织=None),
            person(姓名="刘洋", 性别="男", 身份证号=ident("19850312", 7), 所在党组织="某学校党支部"),
            person(姓名="陈静", 身份证号=ident("19850312", 8, False), 所在党组织="不存在的支部"),
        ]
    )
    reading = read(data, users["town"], tree["town"])
    assert [(e.row, e.column) for e in reading.errors] == [(FIRST_ROW + 3, "I"), (FIRST_ROW + 4, "I")]
    assert "“某学校党支部”不在您的管理范围内" in reading.errors[0].message
    assert "系统中没有名为“不存在的支部”的党组织" in reading.errors[1].message
    assert import_rows(users["town"], reading.rows, tree["town"]) == 3
    placed = dict(Member.objects.values_list("name", "organization__name"))
    assert placed == {"王芳": "第一党支部", "李强": "第二党支部", "张伟": "某镇党委"}
    assert Organization.objects.get(pk=tree["second"].pk).member_count == 1


def test_a_secretary_cannot_import_into_another_branch(tree, users):
    reading = read(xlsx([person(所在党组织="第二党支部")]), users["secretary"], tree["branch"])
    assert "不在您的管理范围内" in only_error(reading).message


def test_dissolved_organization_is_refused(tree, users):
    Organization.objects.filter(pk=tree["second"].pk).update(dissolved_on=TODAY)
    reading = read(xlsx([person(所在党组织="第二党支部")]), users["town"], tree["town"])
    assert "已撤销" in only_error(reading).message


# --- the file as a whole --------------------------------------------------------------------


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件是空的"),
        ("姓名,性别\n王芳,女\n".encode(), "不是 Excel 工作簿（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
        (xlsx([person()])[:-200], "文件已损坏"),
        (_zip({"word/document.xml": "<w/>"}), "可能是 Word 文档"),
        (_zip({"xl/workbook.xml": "not xml", "[Content_Types].xml": "nope"}), "文件无法打开"),
        (_empty_workbook(), "没有找到表头"),
        (xlsx([]), "下面没有党员信息"),
        (xlsx([person()], header=["名字", "性别"]), "没有找到表头"),
    ],
    ids=[
        "empty",
        "csv",
        "xls",
        "truncated",
        "docx",
        "broken-xml",
        "empty-workbook",
        "header-only",
        "no-header",
    ],
)
def test_whole_file_problems_are_one_clear_error(tree, users, data, expected):
    with pytest.raises(RosterFileError) as raised:
        read(data, users["secretary"], tree["branch"])
    assert expected in raised.value.message


def test_size_and_row_limits(tree, users, monkeypatch):
    monkeypatch.setattr(roster.reading, "MAX_ROWS", 2)
    with pytest.raises(RosterFileError, match="超过 2 行"):
        read(xlsx([person(), person(), person()]), users["secretary"], tree["branch"])
    monkeypatch.setattr(roster.reading, "MAX_FILE_BYTES", 1000)
    with pytest.raises(RosterFileError, match="文件超过"):
        read(xlsx([person()]), users["secretary"], tree["branch"])


# --- export ---------------------------------------------------------------------------------


def _add(
    org: Organization, name: str, n: int, male: bool, full: bool = True, phone: str = "13912345678"
) -> Member:
    return actions.add_member(
        "setup",
        org,
        name=name,
        gender="男" if male else "女",
        ethnicity="汉族",
        birth_date=date(1980, 1, 2),
        joined_on=date(2003, 7, 1),
        full_member_on=date(2004, 7, 1) if full else None,
        status="full" if full else "probationary",
        phone=phone,
        id_number=ident("19800102", n, male),
    )


def test_export_then_import_round_trip(tree, users):
    _add(tree["branch"], "王芳", 1, male=False)
    _add(tree["branch"], "李强", 2, male=True, full=False, phone="")
    _add(tree["second"], "张伟", 3, male=True)
    fields = [*actions.MEMBER_FIELDS, "organization_id"]
    before = sorted(Member.objects.values_list(*fields))

    data = roster.export_roster(tree["town"], include_subtree=True, full_personal_data=True)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "某镇党委党员名册"
    assert [c.value for c in sheet[3]] == [*HEADER, *PROFILE_HEADER]
    assert isinstance(sheet["E4"].value, datetime) and sheet["E4"].number_format == "yyyy-mm-dd"
    assert isinstance(sheet["K4"].value, str) and sheet["K4"].number_format == "@"

    Member.objects.all().delete()
    reading = read(data, users["town"], tree["town"])
    assert reading.errors == [] and reading.valid_rows == 3
    import_rows(users["town"], reading.rows, tree["town"])
    assert sorted(Member.objects.values_list(*fields)) == before


def test_export_masks_personal_data_without_the_right(tree, users):
    _add(tree["branch"], "王芳", 1, male=False)
    data = roster.export_roster(tree["branch"], full_personal_data=False)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["J4"].value == "139******78"
    assert sheet["K4"].value == "110*************" + ident("19800102", 1, False)[-2:]
    assert "已部分隐藏" in sheet["A2"].value
    # A masked export does not import by mistake.
    Member.objects.all().delete()
    reading = read(data, users["secretary"], tree["branch"])
    assert {e.column for e in reading.errors} == {"J", "K"} and reading.valid_rows == 0


def test_export_masks_per_organization(tree, users):
    _add(tree["branch"], "王芳", 1, male=False)
    _add(tree["second"], "张伟", 3, male=True)
    data = roster.export_roster(tree["town"], include_subtree=True, full_personal_data={tree["branch"].pk})
    ids = {
        row[1]: row[10]
        for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=4, values_only=True)
    }
    assert "*" not in ids["王芳"] and "*" in ids["张伟"]


def test_template_has_the_import_layout_and_an_example(tree, users):
    data = roster.roster_template(tree["branch"])
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["党员名册", "填写说明"]
    assert [c.value for c in workbook["党员名册"][3]] == [*HEADER, *PROFILE_HEADER]
    assert workbook["党员名册"]["K3"].comment is not None
    example = [list(r) for r in workbook["填写说明"].iter_rows(values_only=True) if r and r[1] == "王芳"]
    assert example and roster.parse_id_number(example[0][10]) == example[0][10]
    with pytest.raises(RosterFileError, match="下面没有党员信息"):  # the blank template reads cleanly
        read(data, users["secretary"], tree["branch"])


# --- views ----------------------------------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def upload(client: Client, org: Organization, data: bytes, name: str = "名册.xlsx") -> Any:
    return client.post(reverse("roster_import", args=[org.pk]), {"file": SimpleUploadedFile(name, data)})


def test_upload_page(tree, users):
    response = client_for(users["secretary"]).get(reverse("roster_import", args=[tree["branch"].pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "导入党员名册" in text and "导入模板" in text
    assert 'accept=".xlsx' in text


def test_upload_preview_confirm(tree, users):
    client = client_for(users["secretary"])
    response = upload(
        client,
        tree["branch"],
        xlsx([person(), person(姓名="李强", 性别="男", 身份证号=ident("19850312", 3))]),
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    text = preview.content.decode()
    assert "全部 2 条记录检查无误" in text and "王芳" in text and ">导入</button>" in text
    assert Member.objects.count() == 0

    done = client.post(response.url, {"action": "import"})
    assert done.status_code == 302 and done.url == reverse("member_list", args=[tree["branch"].pk])
    assert Member.objects.count() == 2
    # The parked upload is gone: confirming again imports nothing twice.
    again = client.post(response.url, {"action": "import"})
    assert again.status_code == 302 and again.url == reverse("roster_import", args=[tree["branch"].pk])
    assert Member.objects.count() == 2


def test_errors_need_an_explicit_choice_to_import_valid_rows(tree, users):
    client = client_for(users["secretary"])
    data = xlsx(
        [
            person(),
            person(姓名="李强", 性别="X", 身份证号=""),
            person(姓名="张伟", 性别="男", 身份证号=ident("19850312", 5)),
        ]
    )
    preview_url = upload(client, tree["branch"], data).url
    text = client.get(preview_url).content.decode()
    assert f"第 {FIRST_ROW + 1} 行" in text and "C 列（性别）" in text and "性别应填“男”或“女”" in text
    assert "只导入 2 条无误的记录" in text

    refused = client.post(preview_url, {"action": "import"})
    assert refused.status_code == 200 and "请修改文件后重新上传" in refused.content.decode()
    assert Member.objects.count() == 0

    done = client.post(preview_url, {"action": "import", "valid_only": "1"})
    assert done.status_code == 302
    assert set(Member.objects.values_list("name", flat=True)) == {"王芳", "张伟"}


def test_a_bad_file_is_explained_on_the_upload_page(tree, users):
    client = client_for(users["secretary"])
    response = upload(client, tree["branch"], b"not a spreadsheet", name="名册.csv")
    assert response.status_code == 200 and "不是 Excel 工作簿" in response.content.decode()
    old = upload(client, tree["branch"], b"\xd0\xcf\x11\xe0" + b"\0" * 100, name="名册.xls")
    assert "另存为" in old.content.decode()
    assert Member.objects.count() == 0


def test_discard(tree, users):
    client = client_for(users["secretary"])
    preview_url = upload(client, tree["branch"], xlsx([person()])).url
    assert client.post(preview_url, {"action": "discard"}).status_code == 302
    assert client.get(preview_url).url == reverse("roster_import", args=[tree["branch"].pk])
    assert Member.objects.count() == 0


def test_the_parked_upload_belongs_to_its_session_and_expires(tree, users, monkeypatch):
    client = client_for(users["secretary"])
    preview_url = upload(client, tree["branch"], xlsx([person()])).url
    stranger = client_for(users["town"])
    assert stranger.post(preview_url, {"action": "import"}).status_code == 302
    assert Member.objects.count() == 0
    from xuanju.organizations import parked_uploads

    monkeypatch.setattr(parked_uploads, "KEEP_SECONDS", -1)
    assert client.post(preview_url, {"action": "import"}).url == reverse(
        "roster_import", args=[tree["branch"].pk]
    )
    assert Member.objects.count() == 0


def test_another_branch_secretary_is_refused(tree, users):
    client = client_for(users["second_secretary"])
    pk = tree["branch"].pk
    assert client.get(reverse("roster_import", args=[pk])).status_code == 403
    assert upload(client, tree["branch"], xlsx([person()])).status_code == 403
    assert client.get(reverse("roster_template", args=[pk])).status_code == 403
    assert client.get(reverse("roster_export", args=[pk])).status_code == 403
    assert client.get(reverse("roster_preview", args=[pk, "x" * 32])).status_code == 403
    assert Member.objects.count() == 0


def test_export_views_mask_for_readers_without_personal_data_rights(tree, users):
    _add(tree["branch"], "王芳", 1, male=False)
    url = reverse("roster_export", args=[tree["branch"].pk])
    full = client_for(users["secretary"]).get(url)
    assert full["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in full["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(full.streaming_content))).active
    assert sheet["K4"].value == ident("19800102", 1, False)
    masked = client_for(users["inspector"]).get(url)
    sheet = load_workbook(io.BytesIO(b"".join(masked.streaming_content))).active
    assert "*" in sheet["K4"].value and "*" in sheet["J4"].value
    subtree = client_for(users["town"]).get(reverse("roster_export", args=[tree["town"].pk]) + "?subtree=1")
    rows = list(
        load_workbook(io.BytesIO(b"".join(subtree.streaming_content))).active.iter_rows(
            min_row=4, values_only=True
        )
    )
    assert [(r[1], r[8]) for r in rows] == [("王芳", "第一党支部")] and "*" not in rows[0][10]


def test_template_view(tree, users):
    response = client_for(users["secretary"]).get(reverse("roster_template", args=[tree["branch"].pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["党员名册"]["A1"].value == "第一党支部党员名册"
