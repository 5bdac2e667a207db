"""换届工作进展情况统计表: each township's numbers and the total, checked against the records
themselves (requests, replies and meetings counted straight from the elections), and the .xlsx and
PDF downloads holding the same numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.campaigns.world import TODAY, build, county_campaign
from tests.factories import client_for
from xuanju.campaigns import actions, board
from xuanju.campaigns.statistics import COLUMNS, progress_table
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Approval, Election

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    """The county's campaign, started: 东村 approved, 南村 waiting for us, 西一村 returned."""
    world = build()
    campaign = county_campaign(world)
    actions.start_campaign(world.accounts["county"], campaign)
    for name, decision in (("东村", "approved"), ("南村", None), ("西一村", "returned")):
        election = Election.objects.get(organization=world.villages[name])
        election_actions.edit_plan("test", election, election.planned_on, 3, 0, readiness="已完成述职")
        approval = election_actions.submit_plan("test", election)
        if decision:
            election_actions.decide(
                "county", approval, decision, "示组字〔2026〕1号", "请补充" if decision == "returned" else ""
            )
    campaign.client = client_for(world.accounts["county"])  # type: ignore[attr-defined]
    campaign.world = world  # type: ignore[attr-defined]
    return campaign


def _column(label: str, group: str = "") -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.label == label and c.group == group)


def test_the_totals_are_the_sum_of_the_townships_and_match_the_records(campaign):
    townships, total = progress_table(board.rows(campaign, TODAY))
    assert [t.label for t in townships] == ["东乡镇", "西乡镇"]  # by name, 中共…委员会 left out
    for index in range(len(COLUMNS)):
        assert total.counts[index] == sum(t.counts[index] for t in townships)
    # Straight from the records, not from the board.
    elections = Election.objects.filter(campaign_entries__campaign=campaign)
    plans = Approval.objects.filter(election__in=elections, kind=Approval.Kind.PLAN)
    assert total.counts[_column("应换届党组织数")] == campaign.entries.count() == 4
    assert total.counts[_column("已启动换届")] == elections.count() == 4
    assert total.counts[_column("已报送", "换届请示")] == plans.exclude(decision="returned").count() == 2
    assert total.counts[_column("已批复", "换届请示")] == plans.filter(decision="approved").count() == 1
    # Late: 西一村 (returned) and 西二村 (never asked) owe their request; 南村's reply is not yet late.
    assert total.counts[_column("合计", "逾期党组织")] == 2
    assert total.counts[_column("其中待上级批复", "逾期党组织")] == 0
    east = next(t for t in townships if t.label == "东乡镇")
    assert east.counts[:4] == (2, 2, 2, 1)
    assert total.completion == "0.0%"


def test_the_workbook_has_merged_headers_and_the_same_numbers(campaign):
    response = campaign.client.get(reverse("campaign_progress_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A3:A4", "D3:E3", "F3:G3", "I3:J3", "L3:M3"} <= merged
    assert (sheet["D3"].value, sheet["D4"].value, sheet["E4"].value) == ("换届请示", "已报送", "已批复")
    townships, total = progress_table(board.rows(campaign, TODAY))
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=5 + len(townships))]
    assert [row[0] for row in values] == [*(t.label for t in townships), "合计"]
    for row in values[:-1]:  # each township row as the table computes it
        expected = next(t for t in townships if t.label == row[0])
        assert tuple(row[1 : 1 + len(COLUMNS)]) == expected.counts
    for index in range(1, 1 + len(COLUMNS)):  # the total row adds up in the file itself
        assert values[-1][index] == sum(row[index] for row in values[:-1])
    assert tuple(values[-1][1 : 1 + len(COLUMNS)]) == total.counts


def test_the_pdf_is_a_document_with_embedded_fonts(campaign):
    response = campaign.client.get(reverse("campaign_progress_pdf", args=[campaign.pk]))
    data = b"".join(response.streaming_content)
    assert response.status_code == 200 and data.startswith(b"%PDF") and b"/FontFile2" in data
