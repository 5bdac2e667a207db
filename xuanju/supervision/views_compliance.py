"""The compliance view for inspectors and the upper level, its .xlsx export, and an election's
audit trail. Views authorize and render; the items come from :mod:`xuanju.supervision.compliance`,
the trail from :mod:`xuanju.supervision.trail`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xuanju.accounts.models import User
from xuanju.audit.anchor import AnchorSyntax
from xuanju.audit.trail import check_anchor
from xuanju.elections.models import Election
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_supervise, is_supervisor, require, user_of, visible_organizations
from xuanju.supervision import compliance, trail
from xuanju.supervision.compliance import KIND_TEXT, Findings, Kind
from xuanju.web import PAGE_SIZE, query_without_page
from xuanju.xlsx_stream import CellStyle, StreamedSheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["类型", "党组织", "换届选举", "日期", "规则", "说明", "链接"]


def _findings(
    request: HttpRequest, paged: bool = False
) -> tuple[User, Organization | None, Kind | None, Findings]:
    """The user's items, narrowed by ``?kind=`` and ``?org=`` (a subtree within their reach);
    ``paged`` for a page that shows one slice of them (see compliance.findings_page)."""
    user = user_of(request)
    require(is_supervisor(user))
    root = None
    if request.GET.get("org", "").isdigit():
        root = get_object_or_404(Organization, pk=int(request.GET["org"]))
        require(compliance.may_filter_by(user, root))
    try:
        kind = Kind(request.GET.get("kind", ""))
    except ValueError:
        kind = None
    found = (compliance.findings_page if paged else compliance.findings)(
        user, timezone.localdate(), kind, root
    )
    return user, root, kind, found


@login_required
@require_GET
def compliance_view(request: HttpRequest) -> HttpResponse:
    user, root, kind, found = _findings(request, paged=True)
    # The subtree filter offers the organizations that have others beneath them (a county has
    # thousands of branches; a branch's own items are reached from the list or with ?org=).
    offered = Q(numchild__gt=0) | Q(pk=root.pk) if root else Q(numchild__gt=0)
    choices = visible_organizations(user).filter(offered)
    return render(
        request,
        "supervision/compliance.html",
        {
            "page_obj": Paginator(found.items, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query_without_page(request),
            "counts": [(k.value, KIND_TEXT[k], found.counts[k]) for k in Kind],
            "total": sum(found.counts.values()),
            "kind": kind.value if kind else "",
            "root": root,
            # 4,500 options at a county: joined in Python, not a template loop (about 10 times faster)
            "organization_options": format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (pk, " selected" if root and pk == root.pk else "", name)
                    for pk, name in choices.order_by("path").values_list("pk", "name")
                ),
            ),
            "today": timezone.localdate(),
            "results_days": compliance.RESULTS_REPORT_DAYS,
        },
    )


def write_export(request: HttpRequest, found: Findings, today: date, target: IO[bytes]) -> None:
    """The same rows as the page, one per item, with absolute links: the rows streamed into the
    workbook (xuanju.xlsx_stream), a county's tens of thousands of items in about a second."""
    workbook = Workbook(write_only=True)
    sheet = StreamedSheet(workbook, workbook.create_sheet("合规检查"))
    for letter, width in zip("ABCDEFG", (18, 30, 36, 12, 10, 70, 60), strict=True):
        sheet.sheet.column_dimensions[letter].width = width
    sheet.sheet.freeze_panes = "A3"
    title = WriteOnlyCell(
        sheet.sheet, value=f"换届选举合规检查（截至{today:%Y年%m月%d日}，共 {len(found.items)} 项）"
    )
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    headers = [WriteOnlyCell(sheet.sheet, value=header) for header in HEADERS]
    for cell in headers:
        cell.font = Font(bold=True)
    sheet.append(headers)
    plain, day = sheet.style(), sheet.style(number_format="yyyy-mm-dd")
    site = request.build_absolute_uri("/").removesuffix("/")

    def rows() -> Iterator[list[tuple[Any, CellStyle]]]:
        for item in found.items:
            yield [
                (item.kind_text, plain),
                (item.organization_name, plain),
                (f"{site}/elections/{item.election_id}/" if item.election_id else "", plain),
                (item.on, day),
                (item.rule, plain),
                (item.explanation, plain),
                ("\n".join(f"{link.label}：{site}{link.url}" for link in item.links), plain),
            ]

    sheet.save(rows(), target)


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> FileResponse:
    _, root, _, found = _findings(request)
    today = timezone.localdate()
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the FileResponse that sends it
    write_export(request, found, today, target)
    target.seek(0)
    name = f"{root.name if root else '合规检查'}-合规检查-{today:%Y%m%d}.xlsx"
    response = FileResponse(target, as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def election_trail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every audit record of one election, in chain order, with the chain's verification (R-SUP-4).

    For the upper level's organization department and inspectors only: the organizers see their
    steps on the election's own pages, members see nothing of it."""
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    user = user_of(request)
    require(can_supervise(user, election.organization))
    page, rows = trail.trail_page(election, user, request.GET.get("page"))
    return render(
        request,
        "supervision/trail.html",
        {
            "election": election,
            "org": election.organization,
            "rows": rows,
            "page_obj": page,
            "query": query_without_page(request),
            "chain": trail.chain_status(),
            "all_intact": all(row.intact for row in rows),
        },
    )


@login_required
@require_GET
def audit_anchor(request: HttpRequest) -> HttpResponse:
    """Check a 审计校验码 typed from a printed paper against the chain (R-SUP-4), with the chain's own
    verification. For inspectors and organization departments: it says only whether the code holds
    and where the chain breaks, nothing of any record's content."""
    require(is_supervisor(user_of(request)))
    code = request.GET.get("code", "").strip()[:100]
    check, problem = None, ""
    if code:
        try:
            check = check_anchor(code)
        except AnchorSyntax as error:
            problem = error.message
    return render(
        request,
        "supervision/anchor.html",
        {
            "code": code,
            "check": check,
            "problem": problem,
            "chain": trail.chain_status(check.verification if check else None),
        },
    )
