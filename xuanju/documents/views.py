"""Pages of the documents (文书): the list of an election's documents, downloads, and the templates.

Requests, replies, candidates' profiles and vetting, the roll and the minutes are for the
organizers (can_manage) and the upper level (can_oversee); what was adopted or announced before the
whole meeting (kinds.PUBLIC) members may read too. Templates are edited by those who manage the
organization.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from xuanju.documents import actions, content
from xuanju.documents.engine import MAX_LENGTH, TemplateProblem, effective, render_blocks
from xuanju.documents.files import FORMATS, document_file
from xuanju.documents.kinds import PUBLIC, Kind
from xuanju.documents.markup import Block
from xuanju.elections.models import Election
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import (
    can_manage,
    can_read,
    manages_or_oversees,
    require,
    user_of,
)
from xuanju.web import add_action_error


def _is_organizer(user: Any, org: Organization) -> bool:
    return manages_or_oversees(user, org)


def _kind(value: str) -> Kind:
    if value not in Kind.values:
        raise Http404("没有这种文书")
    return Kind(value)


@login_required
def election_documents(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    org = election.organization
    user = user_of(request)
    require(can_read(user, org))
    organizer = _is_organizer(user, org)
    refs = content.available(election)
    if not organizer:
        refs = [ref for ref in refs if ref.kind in PUBLIC]
    editable = [
        o for o in [*Organization.objects.filter(path__in=org.ancestor_paths()), org] if can_manage(user, o)
    ]
    return render(
        request,
        "documents/election_documents.html",
        {
            "election": election,
            "org": org,
            "refs": refs,
            "waiting": content.waiting(election, refs) if organizer else [],
            "editable": sorted(editable, key=lambda o: o.depth),
        },
    )


@login_required
def election_document(
    request: HttpRequest, pk: int, kind: str, fmt: str, item: int | None = None
) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    org = election.organization
    user = user_of(request)
    document_kind = _kind(kind)
    require(_is_organizer(user, org) or (document_kind in PUBLIC and can_read(user, org)))
    if fmt not in FORMATS:
        raise Http404("只提供 .docx 和 .pdf")
    try:
        file = document_file(election, document_kind, item, fmt)
    except content.NotAvailable as missing:
        raise Http404("这份文书所依据的记录还没有") from missing
    except TemplateProblem as problem:
        return render(
            request,
            "documents/document_error.html",
            {"election": election, "org": org, "kind": document_kind, "message": problem.message},
            status=400,
        )
    response = HttpResponse(file.data, content_type=file.content_type)
    # An ASCII name for old clients, the Chinese one for the rest (RFC 6266 / RFC 5987).
    response["Content-Disposition"] = (
        f"attachment; filename=\"{document_kind.value}.{fmt}\"; filename*=UTF-8''{quote(file.name)}"
    )
    return response


# --- templates -------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    body = forms.CharField(
        label="模板",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 28, "cols": 100, "spellcheck": "false"}),
        strip=False,
    )


@login_required
def document_templates(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    require(can_manage(user_of(request), org))
    rows = []
    for kind in Kind:
        source = effective(org, kind).source
        rows.append({"kind": kind, "source": source, "own": source is not None and source.pk == org.pk})
    return render(request, "documents/templates.html", {"org": org, "rows": rows})


def _sample(org: Organization, kind: Kind) -> tuple[Election, dict[str, Any]] | None:
    """The most recent election in ``org``'s subtree that has this document: previews show it."""
    elections = Election.objects.filter(organization__path__startswith=org.path).select_related(
        "organization"
    )
    for election in elections.order_by("-created_at")[:20]:
        ref = next((r for r in content.SPECS[kind].refs(election)), None)
        if ref is not None:
            return election, content.build(election, kind, ref.item).context
    return None


@login_required
def document_template_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    user = user_of(request)
    require(can_manage(user, org))
    document_kind = _kind(kind)
    current = effective(org, document_kind)
    sample = _sample(org, document_kind)
    form = TemplateForm(request.POST or None, initial={"body": current.body})
    preview: list[dict[str, Any]] | None = None
    problem = ""
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            try:
                actions.reset_template(user, org, document_kind)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "已恢复为上级党组织的或默认的模板")
            return redirect("document_template_edit", org.pk, document_kind.value)
        if form.is_valid():
            body = form.cleaned_data["body"]
            if request.POST.get("action") == "save":
                try:
                    actions.save_template(user, org, document_kind, body, sample[1] if sample else None)
                except ActionError as error:
                    add_action_error(form, error)
                else:
                    messages.success(request, f"“{document_kind.label}”的模板已保存")
                    return redirect("document_template_edit", org.pk, document_kind.value)
            elif sample is not None:
                try:
                    preview = _preview(render_blocks(body, sample[1]))
                except TemplateProblem as error:
                    problem = error.message
    return render(
        request,
        "documents/template_edit.html",
        {
            "org": org,
            "kind": document_kind,
            "form": form,
            "source": current.source,
            "own": current.source is not None and current.source.pk == org.pk,
            "sample": sample[0] if sample else None,
            "preview": preview,
            "problem": problem,
        },
    )


def _preview(blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    """Blocks as the preview template shows them: the block's type and its fields."""
    return [{"type": type(block).__name__, "block": block} for block in blocks]
