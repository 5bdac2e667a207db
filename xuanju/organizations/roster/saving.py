"""Saving the checked rows: all of them in one transaction, or none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.organizations.actions import ActionError, recount_members
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.roster.checking import _id_clash_message
from xuanju.organizations.roster.columns import RosterRow
from xuanju.organizations.roster.values import row_problems
from xuanju.organizations.scope import can_manage
from xuanju.shell import actor_name as _actor_name


@transaction.atomic
def import_rows(actor: Any, rows: Sequence[RosterRow], default_org: Organization) -> int:
    """Add the rows' members, all in one transaction or none; return how many were added.

    The same checks as :func:`xuanju.organizations.actions.add_member` (and the reader's) run again,
    since time has passed since the preview: every target organization is active and managed by
    ``actor``, each row is consistent, and no ID number is repeated or already registered. Members
    are created in bulk, the organizations' counts refreshed once, and the audit trail gets one
    ``add_member`` record per member (so each member's history starts with how they came in) and
    one ``import_roster`` record summarizing the batch.
    """
    if not rows:
        raise ActionError("没有可导入的记录")
    today = timezone.localdate()
    org_ids = {row.organization_id or default_org.pk for row in rows}
    orgs = Organization.objects.in_bulk(org_ids)
    problems: list[str] = []
    for pk in org_ids:
        org = orgs.get(pk)
        if org is None or not org.is_active:
            problems.append(f"党组织“{org.name if org else pk}”已撤销或不存在")
        elif not can_manage(actor, org):
            problems.append(f"您不能管理“{org.name}”的党员")
    seen: dict[str, int] = {}
    for row in rows:
        for _name, message in row_problems(row, today):
            problems.append(f"第 {row.row} 行：{message}")
        if row.id_number:
            if row.id_number in seen:
                problems.append(f"第 {row.row} 行：身份证号与第 {seen[row.id_number]} 行重复")
            seen[row.id_number] = row.row
    clashes = {
        m.id_number: m for m in Member.objects.filter(id_number__in=list(seen)).select_related("organization")
    }
    for row in rows:
        if row.id_number in clashes:
            target = orgs.get(row.organization_id or default_org.pk) or default_org
            problems.append(f"第 {row.row} 行：{_id_clash_message(clashes[row.id_number], actor, target)}")
    if problems:
        shown = "；".join(problems[:5])
        more = f"；另有 {len(problems) - 5} 处问题" if len(problems) > 5 else ""
        raise ActionError(f"没有导入任何记录：{shown}{more}。请重新上传名册")

    members = [
        Member(organization=orgs[row.organization_id or default_org.pk], **row.member_data()) for row in rows
    ]
    try:
        with transaction.atomic():
            created = Member.objects.bulk_create(members, batch_size=500)
    except IntegrityError:
        raise ActionError("导入时发现身份证号与刚登记的党员重复，没有导入任何记录，请重新上传名册") from None
    recount_members(orgs.values())
    name = _actor_name(actor)
    by_org: dict[str, list[int]] = defaultdict(list)
    for member in created:
        org = orgs[member.organization_id]
        by_org[str(org.pk)].append(member.pk)
        record(
            name,
            "add_member",
            member,
            after=snapshot(member) | {"source": "roster_import"},
            summary=f"名册导入：“{org.name}”新增党员{member.name}",
        )
    record(
        name,
        "import_roster",
        default_org,
        after={"count": len(created), "members": dict(by_org)},
        summary=f"在“{default_org.name}”导入党员名册，新增 {len(created)} 名党员",
    )
    return len(created)
