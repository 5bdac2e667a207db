"""Organization-tree import (.xlsx): every bad row reported with row and column in Chinese, nothing
saved before confirmation, scope limited to the importing department's subtree, parents later in the
file accepted, cycles and duplicates refused, and a second import updating instead of duplicating."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories as f
from xuanju.audit.models import AuditRecord
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee, Organization
from xuanju.organizations.tree_import import TreeFileError, parse_tree, read_tree
from xuanju.organizations.tree_save import import_tree
from xuanju.organizations.tree_template import tree_template

pytestmark = pytest.mark.django_db
HEADER = [
    "党组织名称",
    "上级党组织",
    "组织类别",
    "所在领域",
    "成立日期",
    "本届委员会选举日期",
    "书记",
    "副书记",
    "委员",
]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def book(rows: list[list[Any]], header: list[str] = HEADER, title: str | None = "示范县党组织") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def county():
    tree = f.county_tree()
    department = f.account("county", tree.county, "org_department")
    return tree, department


def messages(reading) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in reading.errors]


def test_parents_may_come_later_and_nothing_is_saved_before_import(county):
    tree, department = county
    data = book(
        [
            ["中共西村支部委员会", "中共西乡镇委员会", "党支部", "村", "1958-05-04", None],
            ["中共西乡镇委员会", "中共示范县委员会", "党委", "乡镇", date(1956, 3, 1), None],
        ]
    )
    before = Organization.objects.count()
    reading = read_tree(data, actor=department, root=tree.county)
    assert reading.errors == []
    assert Organization.objects.count() == before  # reading saves nothing
    counts = import_tree(department, parse_tree(data), tree.county)
    assert counts == {"created": 2, "updated": 0, "committees": 0}
    town = Organization.objects.get(name="中共西乡镇委员会")
    village = Organization.objects.get(name="中共西村支部委员会")
    assert Organization.objects.get_parent(village) == town
    assert Organization.objects.get_parent(town) == tree.county
    assert (village.kind, village.sector, village.founded_on) == ("branch", "village", date(1958, 5, 4))
    assert AuditRecord.objects.filter(action="import_tree").count() == 1


def test_every_error_names_row_and_column_in_chinese(county):
    tree, department = county
    data = book(
        [
            ["中共一村支部委员会", "中共东乡镇委员会", "党小组", "村", None, None],  # row 3: kind
            ["中共二村支部委员会", "", "党支部", "村", None, None],  # row 4: parent blank
            ["中共三村支部委员会", "中共不存在委员会", "党支部", "村", None, None],  # row 5: unknown parent
            ["中共四村支部委员会", "中共东乡镇委员会", "党支部", "月球", None, None],  # row 6: sector
            ["中共五村支部委员会", "中共东乡镇委员会", "党支部", "村", "2999-01-01", None],  # row 7: future
            ["中共六村支部委员会", "中共东村支部委员会", "党支部", "村", None, None],  # row 8: branch parent
        ]
    )
    reading = read_tree(data, actor=department, root=tree.county)
    found = {(row, column) for row, column, _ in messages(reading)}
    assert found == {(3, "C"), (4, "B"), (5, "B"), (6, "D"), (7, "E"), (8, "B")}
    text = {row: message for row, _, message in messages(reading)}
    assert "党委" in text[3] and "党小组" in text[3]
    assert "未填写" in text[4]
    assert "中共不存在委员会" in text[5]
    assert "晚于今天" in text[7]
    assert "党支部之下不能再设党组织" in text[8]
    with pytest.raises(ActionError, match="第 3 行 C 列"):
        import_tree(department, parse_tree(data), tree.county)
    assert not Organization.objects.filter(name="中共二村支部委员会").exists()


def test_duplicates_and_cycles_are_refused(county):
    tree, department = county
    data = book(
        [
            ["中共甲支部委员会", "中共乙总支部委员会", "党支部", "", None, None],
            ["中共甲支部委员会", "中共东乡镇委员会", "党支部", "", None, None],
            ["中共乙总支部委员会", "中共丙总支部委员会", "党总支", "", None, None],
            ["中共丙总支部委员会", "中共乙总支部委员会", "党总支", "", None, None],
        ]
    )
    reading = read_tree(data, actor=department, root=tree.county)
    text = messages(reading)
    assert (3, "A") in {(r, c) for r, c, _ in text} and (4, "A") in {(r, c) for r, c, _ in text}
    assert any(r == 5 and c == "B" and "循环" in m for r, c, m in text)
    assert any(r == 6 and c == "B" and "循环" in m for r, c, m in text)


def test_a_cycle_through_an_organization_already_in_the_database(county):
    tree, department = county
    # The town is above the village in the database; making the town a child of the village loops.
    data = book([["中共东乡镇委员会", "中共东村支部委员会", "党委", "乡镇", None, None]])
    reading = read_tree(data, actor=department, root=tree.county)
    assert any(e.row == 3 and e.column == "B" for e in reading.errors)


def test_import_is_limited_to_the_departments_subtree(county):
    tree, _ = county
    town_department = f.account("town", tree.town, "org_department")
    data = book([["中共新支部委员会", "中共示范县第一中学委员会", "党支部", "学校", None, None]])
    reading = read_tree(data, actor=town_department, root=tree.town)
    assert [(e.row, e.column) for e in reading.errors] == [(3, "B")]
    assert "范围" in reading.errors[0].message
    secretary = f.account("sec", tree.village, "secretary")
    with pytest.raises(ActionError):
        read_tree(data, actor=secretary, root=tree.town)


def test_reimport_updates_instead_of_duplicating(county):
    tree, department = county
    first = book([["中共北村支部委员会", "中共东乡镇委员会", "党支部", "村", None, None]])
    import_tree(department, parse_tree(first), tree.county)
    again = book(
        [
            ["中共北村 支部委员会", "中共示范县委员会", "党总支", "社区", "1990-01-02", None],
        ]
    )
    reading = read_tree(again, actor=department, root=tree.county)
    assert reading.errors == [] and reading.plan[3]["action"] == "更新"
    counts = import_tree(department, parse_tree(again), tree.county)
    assert counts["created"] == 0 and counts["updated"] == 1
    north = Organization.objects.get(name="中共北村支部委员会")
    assert (north.kind, north.sector, north.founded_on) == ("general_branch", "community", date(1990, 1, 2))
    assert Organization.objects.get_parent(north) == tree.county
    assert Organization.objects.filter(name="中共北村支部委员会").count() == 1


def test_committee_members_come_from_the_roster(county):
    tree, department = county
    people = [f.member(tree.village, name) for name in ("张桂英", "刘建国", "王芳")]
    data = book(
        [
            [
                "中共东村支部委员会",
                "中共东乡镇委员会",
                "党支部",
                "村",
                None,
                "2021-09-08",
                "张桂英",
                "刘建国",
                "王 芳",
            ],
            ["中共南村支部委员会", "中共东乡镇委员会", "党支部", "村", None, "2021-09-08", "赵六", "", ""],
        ]
    )
    reading = read_tree(data, actor=department, root=tree.county)
    assert reading.errors == []
    # The new organization has no roster yet: warned on the secretary's cell, organization still imported.
    assert [(w.row, w.column) for w in reading.warnings] == [(4, "G")]
    counts = import_tree(department, parse_tree(data), tree.county)
    assert counts["created"] == 1 and counts["committees"] == 1
    committee = Committee.objects.get(organization=tree.village, is_current=True)
    assert committee.elected_on == date(2021, 9, 8)
    assert {(s.member_id, s.post) for s in committee.seats.all()} == {
        (people[0].pk, "secretary"),
        (people[1].pk, "deputy_secretary"),
        (people[2].pk, "member"),
    }
    # Importing the same file again leaves the recorded committee as it is.
    reading = read_tree(data, actor=department, root=tree.county)
    assert reading.plan[3]["committee"].startswith("本届委员会已登记")
    import_tree(department, parse_tree(data), tree.county)
    assert Committee.objects.filter(organization=tree.village).count() == 1


def test_committee_cells_checked_within_the_row():
    data = book(
        [
            ["中共一支部委员会", "中共东乡镇委员会", "党支部", "", None, None, "张三", "", ""],
            ["中共二支部委员会", "中共东乡镇委员会", "党支部", "", None, "2020-01-01", "张三、李四", "", ""],
            ["中共三支部委员会", "中共东乡镇委员会", "党支部", "", None, "2020-01-01", "张三", "张三", ""],
        ]
    )
    reading = parse_tree(data)
    found = {(e.row, e.column) for e in reading.errors}
    assert found == {(3, "F"), (4, "G"), (5, "H")}


def test_the_importing_organization_row_keeps_its_kind_and_parent(county):
    tree, department = county
    data = book([["中共示范县委员会", "", "党委", "其他", "1949-10-01", None]])
    assert read_tree(data, actor=department, root=tree.county).errors == []
    data = book([["中共示范县委员会", "", "党支部", "", None, None]])
    assert [(e.row, e.column) for e in read_tree(data, actor=department, root=tree.county).errors] == [
        (3, "C")
    ]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"", "空的"),
        (b"name,parent\n", "不是 Excel"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
    ],
)
def test_bad_files_get_one_sentence(payload, words):
    with pytest.raises(TreeFileError, match=words):
        parse_tree(payload)


def test_a_file_without_the_required_columns_says_which():
    with pytest.raises(TreeFileError, match="组织类别"):
        parse_tree(book([["中共甲支部委员会", "中共乙委员会"]], header=["党组织名称", "上级党组织"]))


def test_the_template_and_the_shipped_example_read_back(county):
    tree, _ = county
    blank = load_workbook(io.BytesIO(tree_template(tree.county)))
    assert [c.value for c in blank.active[3]][:3] == ["党组织名称", "上级党组织", "组织类别"]
    example = (EXAMPLES / "organization-tree.xlsx").read_bytes()
    reading = parse_tree(example)
    assert reading.errors == [] and reading.data_rows >= 3


def test_the_pages_upload_preview_and_confirm(county):
    tree, department = county
    client = Client()
    client.force_login(department)
    start = client.get(reverse("tree_import_start"))
    assert start.url == reverse("tree_import", args=[tree.county.pk])
    upload = SimpleUploadedFile(
        "tree.xlsx", book([["中共西村支部委员会", "中共东乡镇委员会", "党支部", "村", None, None]])
    )
    response = client.post(reverse("tree_import", args=[tree.county.pk]), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response.url)
    assert "中共西村支部委员会" in preview.content.decode()
    assert not Organization.objects.filter(name="中共西村支部委员会").exists()
    done = client.post(response.url, {"action": "import"})
    assert done.status_code == 302
    assert Organization.objects.filter(name="中共西村支部委员会").exists()
    template = client.get(reverse("tree_template", args=[tree.county.pk]))
    assert template.status_code == 200


def test_a_secretary_cannot_import_a_tree(county):
    tree, _ = county
    secretary = f.account("sec", tree.village, "secretary")
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("tree_import", args=[tree.village.pk])).status_code == 403
    assert client.get(reverse("tree_import_start")).status_code == 302
