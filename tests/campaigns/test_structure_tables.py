"""新一届班子结构情况统计表 as .xlsx and PDF: merged headers, one row per township and the total, and
every total cross-checked against the detail rows (one per organization) and the records
(R-CAND-1: 结构合理; R-DEL-3: composition checked against those elected)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.campaigns.structure_world import build_structure_world
from tests.documents.reading import pdf_pages
from tests.worlds import built_once
from xuanju.campaigns.structure import campaign_structure
from xuanju.campaigns.structure_tables import (
    COLUMNS,
    COUNT_COLUMNS,
    DETAIL_SHEET,
    FIRST_DATA_ROW,
    SUMMARY_SHEET,
    structure_pdf,
    structure_table,
    structure_workbook,
)

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 31)


@built_once
def world():
    return build_structure_world()


def _column(title: str, group: str | None = None) -> int:
    """The sheet column (from 1) of a figure, after the unit column."""
    for index, column in enumerate(COLUMNS, start=2):
        if column.title == title and column.group == group:
            return index
    raise KeyError(title)


def _workbook(world):
    return load_workbook(
        io.BytesIO(structure_workbook(structure_table(campaign_structure(world.campaign), ON)))
    )


def test_R_CAND_1_the_summary_sheet_has_merged_group_headers(world):
    sheet = _workbook(world)[SUMMARY_SHEET]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A3"].value == "乡镇（街道）" and "A3:A4" in merged
    women = _column("人数", "女性")
    assert sheet.cell(3, women).value == "女性" and sheet.cell(4, women + 1).value == "占比（%）"
    assert any(r.startswith(sheet.cell(3, women).coordinate + ":") and r.endswith("3") for r in merged)
    assert sheet.cell(3, _column("班子成员")).value == "班子成员"


def test_R_CAND_1_township_rows_and_the_total_match_the_hand_count(world):
    sheet = _workbook(world)[SUMMARY_SHEET]
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    assert list(rows) == ["中共东乡镇委员会", "中共西乡镇委员会", "合计"]
    total = rows["合计"]

    def at(row, title, group=None):
        return sheet.cell(row, _column(title, group)).value

    assert (at(total, "党组织数"), at(total, "已选出新一届班子"), at(total, "班子成员")) == (5, 3, 9)
    assert (at(total, "人数", "女性"), at(total, "占比（%）", "女性")) == (3, 33.3)
    assert (at(total, "35岁及以下", "年龄"), at(total, "平均年龄（岁）", "年龄")) == (2, 46.7)
    assert (at(total, "大专及以上", "学历"), at(total, "未登记", "学历")) == (4, 1)
    assert (at(total, "连任", "连任和新进"), at(total, "新进", "连任和新进")) == (5, 4)
    assert (at(total, "人数", "书记"), at(total, "兼任村（居）委会主任", "书记")) == (3, 2)
    assert at(total, "“一肩挑”占比（%）", "书记") == 66.7
    west = rows["中共西乡镇委员会"]
    assert (at(west, "党组织数"), at(west, "人数", "少数民族"), at(west, "占比（%）", "少数民族")) == (
        2,
        1,
        33.3,
    )


def test_R_CAND_1_every_count_of_the_summary_is_the_sum_of_its_detail_rows(world):
    """Township rows and the total are sums of the detail sheet's rows, column by column."""
    book = _workbook(world)
    summary, detail = book[SUMMARY_SHEET], book[DETAIL_SHEET]
    details = list(detail.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert len(details) == 5 and {row[2] for row in details} == {"已选出", "未选举（已定人选）", "未选举"}
    for row in range(FIRST_DATA_ROW, summary.max_row + 1):
        name = summary.cell(row, 1).value
        mine = [d for d in details if name == "合计" or d[0] == name]
        for index in COUNT_COLUMNS:
            expected = sum(d[3 + index] for d in mine)
            assert summary.cell(row, 2 + index).value == expected, (name, COLUMNS[index].title)


def test_R_CAND_1_shares_in_the_table_are_computed_from_the_summed_counts(world):
    sheet = _workbook(world)[SUMMARY_SHEET]
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        people = sheet.cell(row, _column("班子成员")).value
        women = sheet.cell(row, _column("人数", "女性")).value
        share = sheet.cell(row, _column("占比（%）", "女性")).value
        assert share == (round(women * 100 / people + 1e-9, 1) if people else None)


def test_R_CAND_1_the_pdf_holds_the_same_rows_and_is_reproducible(world):
    table = structure_table(campaign_structure(world.campaign), ON)
    data = structure_pdf(table)
    assert data.startswith(b"%PDF") and data == structure_pdf(
        structure_table(campaign_structure(world.campaign), ON)
    )
    pages = pdf_pages(data)
    text = "".join(page_text for page_text, _ in pages)
    assert all(ink > 0.001 for _, ink in pages)  # the fonts are embedded: the text is drawn
    for needle in ("新一届班子结构情况统计表", "中共东乡镇委员会", "合计", "33.3", "46.7", "66.7"):
        assert needle in text, needle


def test_R_CAND_1_an_empty_campaign_gives_a_table_of_zeros_and_dashes(world):
    world.campaign.entries.all().delete()
    table = structure_table(campaign_structure(world.campaign), ON)
    assert table.rows == [] and table.total[0] == 0 and table.total[4] is None
    assert structure_pdf(table).startswith(b"%PDF")


def test_R_CAND_1_the_county_department_downloads_both_files(world):
    client = f.client_for(world.accounts["county"])
    xlsx = client.get(reverse("campaign_structure_xlsx", args=[world.campaign.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == [SUMMARY_SHEET, DETAIL_SHEET]
    pdf = client.get(reverse("campaign_structure_pdf", args=[world.campaign.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
