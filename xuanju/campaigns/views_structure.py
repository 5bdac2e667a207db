"""The structure of a campaign's new teams (page with charts), the 新一届班子结构情况统计表 (.xlsx and
PDF) and the 换届工作总结 skeleton (.docx). Views authorize and render; the figures come from
:mod:`xuanju.campaigns.structure`."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuanju.campaigns import report
from xuanju.campaigns import structure as team_structure
from xuanju.campaigns.access import sees_campaign
from xuanju.campaigns.models import Campaign
from xuanju.campaigns.structure import CampaignStructure
from xuanju.campaigns.structure_tables import (
    COLUMNS,
    header_spans,
    structure_pdf,
    structure_table,
    structure_workbook,
)
from xuanju.organizations.scope import require, user_of
from xuanju.rules.team_totals import TeamFigures, average_tenths, percent_tenths
from xuanju.vetting.services import AGE_BAND_NAMES, LEVEL_NAME, TARGET_NAMES, bar_chart, target_label

MISSING_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organization"), pk=pk)
    require(sees_campaign(user_of(request), campaign))
    return campaign


def _tenths(value: int | None) -> str:
    return "—" if value is None else f"{value / 10:.1f}"


def indicators(f: TeamFigures) -> list[tuple[str, int, int | None]]:
    """(name, count, share in tenths of a percent) of the figures the page and the report show."""
    rows = [
        ("女性", f.women, f.people),
        ("少数民族", f.minorities, f.people),
        ("35岁及以下", f.young, f.people),
        ("大专及以上学历", f.college_or_above, f.people),
        ("生产、工作一线", f.front_line, f.people),
        ("连任", f.returning, f.people),
        ("新进", f.new, f.people),
        ("书记兼任村（居）委会主任", f.secretaries_heading, f.secretaries),
    ]
    return [(name, part, percent_tenths(part, whole)) for name, part, whole in rows]


def _summary(figures: TeamFigures) -> dict[str, Any]:
    return {
        "figures": figures,
        "rows": [(name, count, _tenths(tenths)) for name, count, tenths in indicators(figures)],
        "average_age": _tenths(average_tenths(figures.average_age)),
    }


def _share_chart(title: str, figures: TeamFigures, key: str) -> dict[str, Any]:
    bars = [(name, (tenths or 0) / 10) for name, _, tenths in indicators(figures)]
    return bar_chart(title, bars, unit="%", key=key)


def charts(structure: CampaignStructure) -> list[dict[str, Any]]:
    """Shares of the elected and of the open slates, ages and education of the elected, and how
    many elected teams meet each target."""
    elected = structure.elected
    found = [_share_chart(f"已选出的新一届班子（{elected.teams} 个）", elected, "chart-elected")]
    if structure.slates.teams:
        found.append(
            _share_chart(
                f"尚未选举的预备人选（{structure.slates.teams} 个）", structure.slates, "chart-slates"
            )
        )
    found.append(
        bar_chart(
            "新一届班子年龄结构", list(zip(AGE_BAND_NAMES, elected.age_bands, strict=True)), key="chart-age"
        )
    )
    education = [(LEVEL_NAME[level], elected.education_count(level)) for level in sorted(LEVEL_NAME)]
    if elected.education_unknown:
        education.append(("未登记", elected.education_unknown))
    found.append(bar_chart("新一届班子学历结构", education, key="chart-education"))
    met: list[tuple[str, float | int]] = []
    judged: dict[str, float | int] = {}
    missed: set[str] = set()
    for item in structure.attainment:
        value = structure.targets and getattr(structure.targets, item.gap.value)
        age, required = value if isinstance(value, tuple) else (None, value)
        label = target_label(item.gap, required, age) if required is not None else TARGET_NAMES[item.gap][0]
        met.append((label, item.met))
        judged[label] = item.judged
        if item.missed:
            missed.add(label)
    if structure.heading_judged:
        label = "书记“一肩挑”"
        met.append((label, structure.heading_judged - structure.heading_missed))
        judged[label] = structure.heading_judged
        if structure.heading_missed:
            missed.add(label)
    if met:
        found.append(
            bar_chart(
                "达到结构要求的班子数", met, unit="个", targets=judged, missed=missed, key="chart-attainment"
            )
        )
    return found


@login_required
@require_GET
def campaign_structure(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    structure = team_structure.campaign_structure(campaign)
    table = structure_table(structure, timezone.localdate(), details=False)
    attainment = [
        {
            "target": _target_text(structure, item.gap),
            "judged": item.judged,
            "met": item.met,
            "missed": item.missed,
        }
        for item in structure.attainment
    ]
    return render(
        request,
        "campaigns/structure.html",
        {
            "campaign": campaign,
            "structure": structure,
            "elected": _summary(structure.elected),
            "slates": _summary(structure.slates),
            "attainment": attainment,
            "charts": charts(structure),
            "table": table,
            "summary_rows": [
                (e[0], e[1], _tenths(e[2]), s[1], _tenths(s[2]))
                for e, s in zip(indicators(structure.elected), indicators(structure.slates), strict=True)
            ],
            "heading_met": structure.heading_judged - structure.heading_missed,
            "header_top": [
                (text, last - first + 1, 1 if COLUMNS[first - 2].group else 2)
                for text, first, last in header_spans()
            ],
            "columns": COLUMNS,
            # 50 a page, like the board: at 2,000 organizations a thousand may miss a target, and
            # rendering them all was most of the page's time (benchmarks/campaign_structure.py).
            "page_obj": Paginator(structure.missing, MISSING_PER_PAGE).get_page(request.GET.get("page")),
            "query": "",
        },
    )


def _target_text(structure: CampaignStructure, gap: Any) -> str:
    value = getattr(structure.targets, gap.value)
    age, required = value if isinstance(value, tuple) else (None, value)
    return target_label(gap, required, age)


def _file(data: bytes, name: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def campaign_structure_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    data = structure_workbook(structure_table(team_structure.campaign_structure(campaign), today))
    return _file(data, f"{campaign.name}-新一届班子结构情况统计表-{today:%Y%m%d}.xlsx", XLSX)


@login_required
@require_GET
def campaign_structure_pdf(request: HttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    data = structure_pdf(structure_table(team_structure.campaign_structure(campaign), today, details=False))
    return _file(data, f"{campaign.name}-新一届班子结构情况统计表-{today:%Y%m%d}.pdf", "application/pdf")


@login_required
@require_GET
def campaign_report_docx(request: HttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    data = report.report_docx(team_structure.campaign_structure(campaign), today)
    return _file(data, f"{campaign.name}-换届工作总结-{today:%Y%m%d}.docx", DOCX)
