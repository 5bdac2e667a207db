"""Saving an organization-tree import, after the user confirmed its preview: all rows or none.

The rows are checked against the database once more (:func:`tree_import.check_tree`) inside the
transaction, since time has passed since the preview.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xuanju.audit.trail import record
from xuanju.organizations import actions
from xuanju.organizations.actions import ActionError, SeatInput
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.tree_import import TreeReading, TreeRow, check_tree, org_key

# --- saving ---------------------------------------------------------------------------------


@transaction.atomic
def import_tree(actor: Any, parsed: TreeReading, root: Organization) -> dict[str, int]:
    """Create and update the rows' organizations and committees, all or none.

    ``parsed`` is the reading as parsed from the file (:meth:`TreeReading.from_dict`); it is checked
    against the database again here, since time has passed since the preview. Returns counts.
    """
    root = Organization.objects.select_for_update().get(pk=root.pk)
    reading = check_tree(
        TreeReading(
            sheet=parsed.sheet,
            header_row=parsed.header_row,
            columns=parsed.columns,
            rows=list(parsed.rows),
            errors=list(parsed.errors),
            notes=list(parsed.notes),
            data_rows=parsed.data_rows,
        ),
        actor,
        root,
    )
    if reading.errors:
        shown = "；".join(f"第 {e.row} 行 {e.column} 列：{e.message}" for e in reading.errors[:5])
        more = f"；另有 {len(reading.errors) - 5} 处问题" if len(reading.errors) > 5 else ""
        raise ActionError(f"没有导入任何组织：{shown}{more}。请修改文件后重新上传")
    by_key = {org_key(r.name): r for r in reading.rows}
    done: dict[int, Organization] = {}
    counts = {"created": 0, "updated": 0, "committees": 0}

    existing = {
        org_key(o.name): o.pk
        for o in Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True)
    }

    def parent_of(row: TreeRow) -> Organization | None:
        if reading.plan[row.row]["org"] == root.pk:
            return None
        parent_row = by_key.get(org_key(row.parent))
        pk = save(parent_row).pk if parent_row is not None else existing[org_key(row.parent)]
        return Organization.objects.get(pk=pk)  # fresh path and child count

    def save(row: TreeRow) -> Organization:
        if row.row in done:
            return done[row.row]
        plan = reading.plan[row.row]
        parent = parent_of(row)
        if plan["org"] is None:
            assert parent is not None
            org = actions.create_organization(
                actor, parent, row.name, row.kind, row.sector or "other", founded_on=row.founded_on
            )
            counts["created"] += 1
        else:
            org = Organization.objects.get(pk=plan["org"])
            if parent is not None and Organization.objects.get_parent(org).pk != parent.pk:
                org = actions.move_organization(actor, org, parent)
                org.refresh_from_db()
            changes: dict[str, Any] = {}
            if row.kind != org.kind:
                changes["kind"] = row.kind
            if row.sector and row.sector != org.sector:
                changes["sector"] = row.sector
            if row.founded_on and row.founded_on != org.founded_on:
                changes["founded_on"] = row.founded_on
            if changes:
                org = actions.update_organization(actor, org, **changes)
            if changes or plan["seats"]:
                counts["updated"] += 1
        done[row.row] = org
        return org

    for row in reading.rows:
        save(row)
    for row in reading.rows:
        plan = reading.plan[row.row]
        if plan["seats"]:
            assert row.elected_on is not None
            members = Member.objects.in_bulk([pk for _, pk in plan["seats"]])
            seats = [SeatInput(members[pk], post) for post, pk in plan["seats"]]
            # fresh: inserting siblings in name order (treebeard node_order_by) renumbers paths
            org = Organization.objects.get(pk=done[row.row].pk)
            actions.record_committee(actor, org, row.elected_on, seats, has_committee=len(seats) > 1)
            counts["committees"] += 1
    record(
        getattr(actor, "username", None) or str(actor),
        "import_tree",
        root,
        after=counts | {"organizations": {str(r.row): done[r.row].pk for r in reading.rows}},
        summary=f"在“{root.name}”下导入党组织：新建 {counts['created']} 个，更新 {counts['updated']} 个，"
        f"登记委员会 {counts['committees']} 个",
    )
    return counts
