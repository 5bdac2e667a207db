"""The structure of a known slate and committee, the warnings, the charts and the export (R-CAND-1)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests import factories as f
from xuanju.organizations.models import Member
from xuanju.vetting import actions
from xuanju.vetting.services import committee_structure, slate_document, slate_structure

pytestmark = pytest.mark.django_db

#: gender, ethnicity, birth date (age on 2026-06-01), education, occupation, front line
SLATE = [
    ("男", "汉族", date(1990, 6, 1), "bachelor", "农民", True),  # 36, returning
    ("女", "回族", date(1995, 6, 2), "college", "工人", True),  # 30, returning
    ("男", "汉族", date(1970, 6, 1), "primary", "农民", False),  # 56, returning
    ("男", "汉族", date(1980, 1, 1), "high_school", "农民", True),  # 46
    ("女", "汉族", date(1966, 6, 1), "postgraduate", "机关干部", False),  # 60
    ("男", "汉族", date(1985, 6, 1), None, None, False),  # 41, nothing on record
]


@pytest.fixture
def slate(village):
    for person, (gender, ethnicity, born, education, occupation, front) in zip(
        village.people, SLATE, strict=False
    ):
        Member.objects.filter(pk=person.pk).update(gender=gender, ethnicity=ethnicity, birth_date=born)
        if education:
            actions.save_profile(
                "village", person, education=education, occupation=occupation, front_line=front
            )
    return village


def test_R_CAND_1_structure_of_a_known_slate(slate):
    team = slate_structure(slate.election)
    s = team.structure
    assert (team.seats, s.size, s.women, s.minorities) == (5, 6, 2, 1)
    assert s.ages == (30, 36, 41, 46, 56, 60) and s.average_age == pytest.approx(269 / 6)
    assert s.age_bands == (1, 2, 1, 2)
    assert s.education == (1, 1, 1, 1, 1) and s.education_unknown == 1 and s.college_or_above == 3
    assert s.occupations[0] == ("农民", 3) and dict(s.occupations)["未登记"] == 1
    assert (s.front_line, s.returning, s.new) == (3, 3, 3)


def test_R_CAND_1_unreachable_and_at_risk_targets_are_worded(slate):
    actions.set_structure_targets(
        "town",
        slate.election,
        min_women=2,
        min_minorities=2,
        max_average_age=40,
        under_age=35,
        min_under_age=1,
    )
    team = slate_structure(slate.election)
    assert team.unreachable == [
        "候选人中少数民族最多只能当选 1 名（应选 5 名），无论选举结果如何都达不到“少数民族至少 2 名”的要求（R-CAND-1）",
        "即使最年轻的候选人当选，平均年龄也有 41.8 岁，无论选举结果如何都达不到“平均年龄不超过 40 岁”的要求（R-CAND-1）",
    ]
    assert team.at_risk == [
        "候选人中的 2 名女性须全部当选，才能达到“女性至少 2 名”的要求",
        "候选人中的 1 名 35 岁及以下的人选须全部当选，才能达到“35 岁及以下至少 1 名”的要求",
    ]


def test_R_CAND_1_the_slate_page_warns_when_no_outcome_has_a_woman(slate):
    Member.objects.filter(pk__in=[p.pk for p in slate.people[:6]]).update(gender="男")
    actions.set_structure_targets("town", slate.election, min_women=1)
    page = f.client_for(slate.accounts["secretary"]).get(f"/elections/{slate.election.pk}/structure/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "候选人中没有女性，无论选举结果如何都达不到“女性至少 1 名”的要求（R-CAND-1）" in text
    assert '<svg role="img"' in text and '<title id="chart-age-t">年龄结构</title>' in text
    assert "数据表" in text  # the table fallback of every chart


def test_R_CAND_1_the_committee_in_office_against_the_targets(slate):
    actions.set_structure_targets("town", slate.election, min_women=2, max_returning=1)
    team = committee_structure(slate.election)
    assert team.source == "现任委员会" and team.structure.size == 3
    assert team.gaps == [
        "实际 1 名，未达到“女性至少 2 名”的要求",
        "实际 3 名，未达到“连任委员至多 1 名”的要求",
    ]
    page = f.client_for(slate.accounts["town"]).get(f"/elections/{slate.election.pk}/structure/committee/")
    assert "实际 1 名，未达到“女性至少 2 名”的要求" in page.content.decode()


def test_R_CAND_1_the_slate_document_and_the_xlsx_export(slate):
    actions.save_vetting(
        "village",
        slate.contest().candidates.get(member=slate.people[0]),
        conclusion="考察合格，同意列为预备人选",
    )
    document = slate_document(slate.election)
    first = next(r for r in document["candidates"] if r["name"] == slate.people[0].name)
    assert first["age"] == 36 and first["education"] == "大学本科" and first["returning"] is True
    assert first["posts"] == "委员、书记" and first["vetting"] == "考察合格，同意列为预备人选"
    assert document["structure"]["women"] == 2
    response = f.client_for(slate.accounts["secretary"]).get(f"/elections/{slate.election.pk}/slate.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["预备人选", "班子结构"]
    sheet = workbook["预备人选"]
    names = [sheet.cell(row, 2).value for row in range(4, sheet.max_row + 1)]
    assert sorted(names) == sorted(p.name for p in slate.people[:6])
    assert sheet.cell(3, 14).value == "考察结论"
    structure = workbook["班子结构"]
    items = {
        structure.cell(row, 1).value: structure.cell(row, 2).value for row in range(4, structure.max_row + 1)
    }
    assert items["女性"] == 2 and items["大专以上学历"] == 3
