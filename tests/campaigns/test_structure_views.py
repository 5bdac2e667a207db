"""The structure page of a campaign and its downloads: who sees them, and what the page shows —
charts as inline SVG with the same numbers in a table, the targets met, the organizations missing
one (R-CAND-1: 结构合理; R-DEL-3)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from tests import factories as f
from tests.campaigns.structure_world import build_structure_world
from tests.worlds import kept_for_the_class
from xuanju.campaigns import urls_structure

pytestmark = pytest.mark.django_db

# Every route of the structure pages, what its argument is (tests/test_route_coverage.py reads it).
ROUTES = {
    "campaign_structure": "campaign",
    "campaign_structure_xlsx": "campaign",
    "campaign_structure_pdf": "campaign",
    "campaign_report_docx": "campaign",
}


def test_every_structure_route_is_listed_here():
    assert {p.name for p in urls_structure.urlpatterns if isinstance(p, URLPattern)} == set(ROUTES)


class TestEveryStructureRoute:
    @pytest.fixture(scope="class")
    def world(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_structure_world()

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_R_CAND_1_outsiders_are_refused_at_every_structure_route(self, world, name):
        url = reverse(name, args=[world.campaign.pk])
        for role in ("town", "secretary"):  # beneath the campaign's department, or not a department
            client = f.client_for(world.accounts[role])
            assert client.get(url).status_code == 403, (role, url)
            assert client.post(url, {}).status_code in (403, 405), (role, url)
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous.url

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_R_CAND_1_the_department_and_its_inspectors_open_every_structure_route(self, world, name):
        url = reverse(name, args=[world.campaign.pk])
        for role in ("county", "inspector"):
            assert f.client_for(world.accounts[role]).get(url).status_code == 200, (role, url)


def test_R_CAND_1_the_page_draws_charts_with_their_numbers_as_tables():
    world = build_structure_world()
    page = f.client_for(world.accounts["county"]).get(reverse("campaign_structure", args=[world.campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    charts = re.findall(r'<svg role="img" aria-labelledby="([\w-]+)-t', html)
    assert charts == ["chart-elected", "chart-slates", "chart-age", "chart-education", "chart-attainment"]
    # The elected teams' shares: the chart's description and its table say 33.3% women.
    assert "女性 33.3%" in html
    assert '<td>女性</td><td class="num">33.3</td>' in html
    # Targets: met by 2 of 3 elected teams; the one-shoulder requirement by 2 of 3.
    assert "达到结构要求的班子数" in html and "女性至少 1 名 2个（要求 3）" in html
    assert "书记“一肩挑” 2个（要求 3）" in html


def test_R_DEL_3_the_page_lists_the_organizations_missing_a_target():
    world = build_structure_world()
    html = (
        f.client_for(world.accounts["county"])
        .get(reverse("campaign_structure", args=[world.campaign.pk]))
        .content.decode()
    )
    missing = html[html.index('id="structure-missing"') :]
    missing = missing[: missing.index("</table>")]
    assert "中共A2村支部委员会" in missing and "中共A3村支部委员会" in missing
    assert "中共A1村支部委员会" not in missing and "中共B1村支部委员会" not in missing
    assert "无论选举结果如何都达不到" in missing
    assert "R-" not in re.sub(r"<[^>]*>", "", html)  # rule codes only in hover titles
    summary = html[html.index('id="structure-summary"') :]
    row = re.search(r"<td>35岁及以下</td>((?:<td[^>]*>[^<]*</td>){4})", summary)
    assert row and re.findall(r">([^<]*)<", row.group(1))[::2] == ["2", "22.2", "2", "50.0"]


def test_R_DEL_3_the_organizations_missing_a_target_are_listed_a_page_at_a_time(monkeypatch):
    from xuanju.campaigns import views_structure
    from xuanju.campaigns.structure import campaign_structure

    world = build_structure_world()
    missing = [team.organization for team in campaign_structure(world.campaign).missing]
    assert len(missing) >= 2  # the world has more than one, so a page of one shows paging
    monkeypatch.setattr(views_structure, "MISSING_PER_PAGE", 1)
    client = f.client_for(world.accounts["county"])
    url = reverse("campaign_structure", args=[world.campaign.pk])
    shown = []
    for number in range(1, len(missing) + 1):
        html = client.get(url, {"page": number}).content.decode()
        table = html[
            html.index('id="structure-missing"') : html.index("</table>", html.index("structure-missing"))
        ]
        shown += [name for name in missing if name in table and name not in shown]
        assert f"第 {number} / {len(missing)} 页，共 {len(missing)} 条" in html
    assert shown == missing
