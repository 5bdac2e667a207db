"""换届工作总结: the campaign report skeleton, pre-filled with the figures of the new teams
(R-CAND-1: 结构合理; R-DEL-3: the targets met and missed)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests import factories as f
from tests.campaigns.structure_world import build_structure_world
from tests.documents.reading import docx_text
from tests.worlds import built_once
from xuanju.campaigns.report import report_docx
from xuanju.campaigns.structure import campaign_structure

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 31)


@built_once
def world():
    return build_structure_world()


def test_R_CAND_1_the_report_states_progress_and_structure_from_the_records(world):
    paragraphs, tables = docx_text(report_docx(campaign_structure(world.campaign), ON))
    text = "\n".join(paragraphs)
    assert "关于示范县2026年村党组织集中换届工作情况的总结" in text
    assert "纳入这次集中换届的党组织 5 个。已选出新一届班子的 3 个，占 60.0%" in text
    assert "完成换届的 1 个" in text and "尚未选举的 1 个" in text and "尚未确定人选的 1 个" in text
    assert "共有成员 9 名，其中女性 3 名，占 33.3%" in text
    assert "35岁及以下 2 名，占 22.2%" in text and "平均年龄 46.7 岁" in text
    assert "其中兼任村（居）民委员会主任 2 名，占 66.7%" in text
    (table,) = tables
    assert table[0][0] == "乡镇（街道）"
    assert [row[0] for row in table[1:]] == ["中共东乡镇委员会", "中共西乡镇委员会", "合计"]
    assert table[-1][1:4] == ["5", "3", "9"]
    # The township rows add up to the total row, column by column (the counts).
    for column in range(1, 7):
        assert sum(int(row[column]) for row in table[1:-1]) == int(table[-1][column])


def test_R_DEL_3_the_report_names_the_targets_missed_and_who_misses_them(world):
    paragraphs, _ = docx_text(report_docx(campaign_structure(world.campaign), ON))
    text = "\n".join(paragraphs)
    assert "“女性至少 1 名”：已选出的 3 个班子中，达到 2 个，未达到 1 个。" in text
    assert (
        "书记“一肩挑”：已选出书记的 3 个村（社区）中，书记兼任村（居）民委员会主任的 2 个，尚未兼任的 1 个。"
        in text
    )
    assert "中共A2村支部委员会（" in text and "中共A3村支部委员会（" in text
    assert "R-" not in text and "《中国共产党基层组织选举工作条例》" in text
    assert "四、主要做法和经验" in text and "五、存在的问题和下一步工作" in text


def test_R_CAND_1_the_same_records_give_the_same_report(world):
    first = report_docx(campaign_structure(world.campaign), ON)
    assert first == report_docx(campaign_structure(world.campaign), ON)


def test_R_CAND_1_a_campaign_without_targets_says_so(world):
    for field in ("min_women", "under_age", "min_under_age"):
        setattr(world.campaign, field, None)
    world.campaign.secretary_heads_committee = False
    world.campaign.save()
    paragraphs, _ = docx_text(report_docx(campaign_structure(world.campaign), ON))
    assert "这次集中换届没有设定班子结构要求。" in paragraphs


def test_R_CAND_1_the_department_downloads_the_report(world):
    response = f.client_for(world.accounts["county"]).get(
        reverse("campaign_report_docx", args=[world.campaign.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    paragraphs, _ = docx_text(b"".join(response.streaming_content))
    assert any("换届工作情况的总结" in p for p in paragraphs)
