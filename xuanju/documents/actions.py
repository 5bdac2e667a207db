"""Changing an organization's document templates: each change checked, stored and audited at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.documents.engine import TemplateProblem, check_syntax, render_blocks
from xuanju.documents.kinds import Kind
from xuanju.documents.models import DocumentTemplate
from xuanju.organizations.models import Organization
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor


@transaction.atomic
def save_template(
    actor: Any, org: Organization, kind: Kind, body: str, sample: dict[str, Any] | None
) -> DocumentTemplate:
    """Set ``org``'s own template of ``kind``. A template that does not compile — or, given the
    context of an election (``sample``), does not make a document — is refused and the one in
    force stays as it was."""
    body = body.replace("\r\n", "\n")
    try:
        check_syntax(body)
        if sample is not None:
            render_blocks(body, sample)
    except TemplateProblem as problem:
        raise ActionError(problem.message, "body") from problem
    existing = DocumentTemplate.objects.filter(organization=org, kind=kind).first()
    before = snapshot(existing) if existing else None
    template, _ = DocumentTemplate.objects.update_or_create(
        organization=org, kind=kind, defaults={"body": body, "updated_by": _actor(actor)}
    )
    record(
        _actor(actor),
        "save_document_template",
        template,
        before=before,
        after=snapshot(template, ["organization", "kind", "body", "updated_by"]),
        summary=f"{org.name}：修改文书模板“{kind.label}”",
    )
    return template


@transaction.atomic
def reset_template(actor: Any, org: Organization, kind: Kind) -> None:
    """Drop ``org``'s own template of ``kind``: the one above it, or the default, applies again."""
    existing = DocumentTemplate.objects.filter(organization=org, kind=kind).first()
    if existing is None:
        raise ActionError("这个党组织没有自己的模板，已在使用上级党组织的或默认的模板")
    record_deletion(
        _actor(actor),
        "reset_document_template",
        existing,
        summary=f"{org.name}：文书模板“{kind.label}”恢复默认",
    )
