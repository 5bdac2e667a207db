"""Pool depth beneath an organization at a county's scale: the summary by aggregate queries, the list
paged in SQL, the export streamed through a write-only workbook.

:func:`xuanju.reserve.services.depth_rows` annotates every organization beneath the root (100,000 at
a county) and the page built all of them in Python to show 50 (1.7 s), the export through a normal
workbook (14 s). Here the counts come from aggregates over the pool and the organizations, the page
annotates only its own 50 rows, and the export writes rows as the database yields them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from xuanju.organizations.models import Committee, Organization
from xuanju.reserve.models import ACTIVE_STATUSES, ReservePerson
from xuanju.reserve.services import (
    DEPTH_HEADERS,
    DepthSummary,
    depth_remark,
    depth_rows,
    needs_attention,
    youth_born_after,
)
from xuanju.spreadsheet import as_text
from xuanju.xlsx_stream import CellStyle, StreamedSheet

SHOWS = ("", "empty", "due")


def beneath(root: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True)


def _has_pool() -> Exists:
    return Exists(ReservePerson.objects.filter(organization=OuterRef("pk"), status__in=ACTIVE_STATUSES))


def _due(on: date) -> Exists:
    """The current committee is in its reminder window or overdue (R-TERM-3), as needs_attention."""
    return Exists(Committee.objects.filter(organization=OuterRef("pk"), is_current=True, remind_from__lte=on))


def shown(root: Organization, show: str, on: date) -> QuerySet[Organization]:
    """The organizations the page lists for ``show`` ("", "empty", "due"), in tree order, unannotated."""
    found = beneath(root)
    if show in ("empty", "due"):
        found = found.exclude(_has_pool())
    if show == "due":
        found = found.filter(_due(on))
    return found.order_by("path")


def summary(root: Organization, on: date) -> DepthSummary:
    """The depth summary over every row, counted in the database (two queries)."""
    # IN (subquery) rather than an EXISTS per organization: PostgreSQL hashes the pool's and the due
    # committees' organization ids once (a few thousand) instead of probing for each of 100,000.
    pooled = ~Q(pk__in=ReservePerson.objects.filter(status__in=ACTIVE_STATUSES).values("organization_id"))
    due = Q(pk__in=Committee.objects.filter(is_current=True, remind_from__lte=on).values("organization_id"))
    organizations = beneath(root).aggregate(
        organizations=Count("pk"),
        empty=Count("pk", filter=pooled),
        empty_and_due=Count("pk", filter=pooled & due),
    )
    pool = ReservePerson.objects.filter(
        status__in=ACTIVE_STATUSES,
        organization__path__startswith=root.path,
        organization__dissolved_on__isnull=True,
    ).aggregate(
        people=Count("pk"),
        young=Count("pk", filter=Q(member__birth_date__gt=youth_born_after(on))),
        women=Count("pk", filter=Q(member__gender="女")),
    )
    return DepthSummary(**organizations, **pool)


def annotated(root: Organization, page: list[Organization], on: date) -> list[Any]:
    """The page's organizations with depth_rows' annotations and the page's remarks, in page order."""
    rows = {row.pk: row for row in depth_rows(root, on).filter(pk__in=[o.pk for o in page])}
    result = [rows[o.pk] for o in page if o.pk in rows]
    for row in result:
        row.attention = needs_attention(row, on)
        row.remark = depth_remark(row, on)
    return result


@dataclass(frozen=True)
class DepthRow:
    """What the export reads of services.depth_rows' rows (needs_attention and depth_remark too)."""

    name: str
    kind: str
    pool: int
    young: int
    women: int
    reelection_due: date | None
    remind_from: date | None


def export_rows(root: Organization, on: date) -> Iterator[DepthRow]:
    """services.depth_rows' values for every organization beneath ``root``, in tree order, as the
    database yields them: the pool counted per organization in one aggregate (a few thousand have
    a pool) and the current committee joined (one per organization), instead of an aggregate and
    two subqueries for each of 100,000 organizations."""
    pools = (
        ReservePerson.objects.filter(
            status__in=ACTIVE_STATUSES,
            organization__path__startswith=root.path,
            organization__dissolved_on__isnull=True,
        )
        .values("organization_id")
        .annotate(
            pool=Count("pk"),
            young=Count("pk", filter=Q(member__birth_date__gt=youth_born_after(on))),
            women=Count("pk", filter=Q(member__gender="女")),
        )
        .values_list("organization_id", "pool", "young", "women")
    )
    counts = {org: (pool, young, women) for org, pool, young, women in pools}
    organizations = (
        beneath(root)
        .annotate(current=FilteredRelation("committees", condition=Q(committees__is_current=True)))
        .order_by("path")
        .values_list("pk", "name", "kind", "current__reelection_due", "current__remind_from")
    )
    for pk, name, kind, due, remind in organizations.iterator(chunk_size=2000):
        pool, young, women = counts.get(pk, (0, 0, 0))
        yield DepthRow(name, kind, pool, young, women, due, remind)


def write_xlsx(root: Organization, on: date, target: IO[bytes]) -> None:
    """The pool-depth table of every organization beneath ``root`` as .xlsx into ``target``: the same
    sheet (title, headers, empty pools in red, dates as dates), the rows
    streamed as the database yields them (xuanju.xlsx_stream), every text cell as text."""
    bold, red = Font(bold=True), PatternFill("solid", fgColor="FDE2E1")
    workbook = Workbook(write_only=True)
    sheet = StreamedSheet(workbook, workbook.create_sheet("后备人才库情况"))
    for letter, width in zip("ABCDEFG", (40, 10, 10, 10, 8, 14, 30), strict=True):
        sheet.sheet.column_dimensions[letter].width = width
    sheet.append(
        [_cell(sheet.sheet, f"{root.name}及所属组织后备人才库情况（截至{on:%Y年%m月%d日}）", font=bold)]
    )
    sheet.append([_cell(sheet.sheet, header, font=bold) for header in DEPTH_HEADERS])
    plain, empty = sheet.style(), sheet.style(fill=red)
    plain_date, empty_date = (
        sheet.style(number_format="yyyy-mm-dd"),
        sheet.style(fill=red, number_format="yyyy-mm-dd"),
    )
    kinds = dict(Organization._meta.get_field("kind").flatchoices)

    def rows() -> Iterator[list[tuple[Any, CellStyle]]]:
        for row in export_rows(root, on):
            style, date_style = (empty, empty_date) if row.pool == 0 else (plain, plain_date)
            yield [
                (row.name, style),
                (str(kinds.get(row.kind, row.kind)), style),
                (row.pool, style),
                (row.young, style),
                (row.women, style),
                (row.reelection_due, date_style),
                (depth_remark(row, on), style),
            ]

    sheet.save(rows(), target)


def xlsx_file(root: Organization, on: date) -> IO[bytes]:
    """:func:`write_xlsx` into a temporary file (deleted when closed), rewound, for a FileResponse."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the FileResponse that sends it
    write_xlsx(root, on, target)
    target.seek(0)
    return target


def _cell(sheet: Any, value: Any, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    as_text(cell)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell
