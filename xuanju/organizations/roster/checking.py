"""The rows read checked against the database: organizations within the actor's reach and ID
numbers not already on the roll."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from xuanju.organizations.models import Member, Organization
from xuanju.organizations.roster.columns import RosterReading, RowError
from xuanju.organizations.roster.reading import parse_roster
from xuanju.organizations.scope import can_manage, can_read
from xuanju.rules.names import canonical_name


def _resolve_organizations(
    names: Iterable[str], actor: Any, default_org: Organization
) -> dict[str, Organization | str]:
    """Each organization name in the file: the organization rows go to, or why they cannot."""
    by_name: dict[str, list[Organization]] = defaultdict(list)
    wanted = set(names)
    for org in Organization.objects.filter(name__in=wanted):
        by_name[org.name].append(org)
    resolved: dict[str, Organization | str] = {}
    for name in wanted:
        found = by_name.get(name, [])
        active = [o for o in found if o.is_active]
        managed = [o for o in active if can_manage(actor, o)]
        if any(o.pk == default_org.pk for o in managed):
            resolved[name] = default_org
        elif len(managed) == 1:
            resolved[name] = managed[0]
        elif managed:
            beneath = [o for o in managed if o.path.startswith(default_org.path)]
            if len(beneath) == 1:
                resolved[name] = beneath[0]
            else:
                resolved[name] = (
                    f"您管理的范围内有 {len(managed)} 个名为“{name}”的党组织，无法确定是哪一个；"
                    "请到该党组织的名册页面导入，并清空这一列"
                )
        elif active:
            resolved[name] = f"“{name}”不在您的管理范围内，不能向它导入党员"
        elif found:
            resolved[name] = f"“{name}”已撤销，不能向它导入党员"
        else:
            resolved[name] = f"系统中没有名为“{name}”的党组织（名称须与系统中的完全一致）"
    return resolved


def _id_clash_message(existing: Member, actor: Any, target: Organization) -> str:
    left = "（已不在册）" if existing.left_on else ""
    if existing.organization_id == target.pk:
        return (
            f"这个身份证号已登记在本组织党员{existing.name}名下{left}，不重复导入；需要修改的请在名册中编辑"
        )
    if can_read(actor, existing.organization):
        return f"这个身份证号已登记在“{existing.organization.name}”党员{existing.name}名下{left}"
    return "这个身份证号已登记在其他党组织（不在您的管理范围内），调入的党员请办理组织关系转接"


def read_roster(
    file: Any, *, actor: Any, default_org: Organization, today: date | None = None
) -> RosterReading:
    """Read a roster workbook for ``actor`` importing on ``default_org``'s page; save nothing.

    On top of :func:`parse_roster`: routes each row to the organization its 所在党组织 names (an
    active organization ``actor`` manages; blank means ``default_org``), and reports ID numbers
    repeated in the file or already registered, and members without an ID number whose name and
    birth date are already on the target roster.
    """
    reading = parse_roster(file, today)
    return check_against_database(reading, actor, default_org)


def check_against_database(reading: RosterReading, actor: Any, default_org: Organization) -> RosterReading:
    sheet = reading.sheet
    errors: dict[int, list[RowError]] = defaultdict(list)

    def fail(row: int, name: str, message: str) -> None:
        letter, header = reading.columns.get(name) or reading.columns["name"]
        errors[row].append(RowError(sheet, row, letter, header, message))

    # (row, organization name, ID number) of every row, including those with errors in their cells.
    marks = [(r.row, r.organization_name, r.id_number) for r in reading.rows]
    marks += [(row, name, id_number) for row, (name, id_number) in reading.partial.items()]
    targets = _resolve_organizations({name for _, name, _ in marks if name}, actor, default_org)
    target_of: dict[int, Organization] = {}
    for row, name, _ in marks:
        target = targets[name] if name else default_org
        if isinstance(target, str):
            fail(row, "organization", target)
        else:
            target_of[row] = target
    orgs = {o.pk: o for o in target_of.values()} | {default_org.pk: default_org}

    seen: dict[str, list[int]] = defaultdict(list)
    for row, _, id_number in marks:
        if id_number:
            seen[id_number].append(row)
    existing = {
        m.id_number: m for m in Member.objects.filter(id_number__in=list(seen)).select_related("organization")
    }
    for id_number, rows in seen.items():
        for row in rows:
            others = [n for n in rows if n != row]
            if others:
                fail(row, "id_number", "身份证号与第 " + "、".join(map(str, others)) + " 行重复")
            if id_number in existing:
                target = target_of.get(row, default_org)
                fail(row, "id_number", _id_clash_message(existing[id_number], actor, target))

    routed = [replace(r, organization_id=target_of[r.row].pk) for r in reading.rows if r.row in target_of]
    # Names compare as people, not spellings (R-NAME-5): “王 芳” born the same day is 王芳. The
    # database cannot normalize a name, so members are found by birth date and compared here.
    on_roster = {
        (organization_id, canonical_name(name), birth_date)
        for organization_id, name, birth_date in Member.objects.filter(
            organization__in=list(orgs),
            birth_date__in={r.birth_date for r in routed if not r.id_number},
            left_on__isnull=True,
        ).values_list("organization_id", "name", "birth_date")
    }
    unnamed: dict[tuple[int | None, str, date], list[int]] = defaultdict(list)
    for entry in routed:
        if not entry.id_number:
            unnamed[(entry.organization_id, canonical_name(entry.name), entry.birth_date)].append(entry.row)
    for entry in routed:
        if not entry.id_number:
            key = (entry.organization_id, canonical_name(entry.name), entry.birth_date)
            if key in on_roster:
                fail(
                    entry.row,
                    "name",
                    f"名册中已有出生日期相同的党员{entry.name}，可能是重复导入；如确是另一人，请填写身份证号",
                )
            others = [n for n in unnamed[key] if n != entry.row]
            if others:
                fail(
                    entry.row,
                    "name",
                    "与第 "
                    + "、".join(map(str, others))
                    + " 行的姓名、出生日期相同，可能重复；如确是不同的人，请填写身份证号",
                )
    reading.rows = [r for r in routed if r.row not in errors]
    reading.errors = sorted(
        [*reading.errors, *(e for row_errors in errors.values() for e in row_errors)],
        key=lambda e: (e.row, len(e.column), e.column),
    )
    return reading
