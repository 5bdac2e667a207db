"""Organization-tree import (upload → preview → confirm) and its template.

Only an organization department (or a superuser) imports a tree, and only beneath its own
organization. The parsed upload waits between preview and confirmation in a file under the data
folder named by a random token remembered in the uploader's session (as the roster import does),
and is checked against the database again at confirmation.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from xuanju.accounts.models import Role
from xuanju.organizations import tree_import
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.parked_uploads import ParkedUploads
from xuanju.organizations.roster_views import XLSX, RosterUploadForm
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.organizations.tree_save import import_tree
from xuanju.organizations.tree_template import tree_template as tree_template_book

PARKED = ParkedUploads("tree", session_key="tree_uploads")


class TreeUploadForm(RosterUploadForm):
    """The roster upload's checks (.xls refused, size) with this page's wording."""

    file = forms.FileField(
        label="组织信息文件（.xlsx）",
        help_text=f"Excel 或 WPS 保存的 .xlsx 文件，不超过 {tree_import.MAX_ROWS} 个党组织。"
        "上传后先检查、预览，确认后才导入。",
        error_messages={
            "required": "请选择要上传的组织信息文件",
            "empty": "文件是空的（0 字节），请重新选择",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


def _may_import(user: Any, org: Organization) -> bool:
    return bool(
        can_manage(user, org)
        and (user.is_superuser or user.role == Role.ORGANIZATION_DEPARTMENT)
        and org.kind != "branch"
    )


def _root(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    require(_may_import(user_of(request), org))
    return org


@login_required
@require_GET
def tree_import_start(request: HttpRequest) -> HttpResponse:
    """The import page of the account's own organization (the county's entry point)."""
    user = user_of(request)
    org = user.organization
    if org is None or not _may_import(user, org):
        messages.error(request, "只有组织部门的账号可以导入党组织")
        return redirect("home")
    return redirect("tree_import", org.pk)


@login_required
def tree_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    root = _root(request, pk)
    form = TreeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reading = tree_import.parse_tree(upload)
        except tree_import.TreeFileError as error:
            form.add_error("file", error.message)
        else:
            token = PARKED.park(request, root, reading.to_dict(), upload.name)
            return redirect("tree_preview", root.pk, token)
    return render(
        request,
        "organizations/tree_import.html",
        {"org": root, "form": form, "columns": tree_import.COLUMNS, "max_rows": tree_import.MAX_ROWS},
    )


@login_required
def tree_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    root = _root(request, pk)
    payload = PARKED.unpark(request, root, token)
    if payload is None:
        messages.error(request, "上传的文件已过期或不存在（保留 1 小时），请重新上传")
        return redirect("tree_import", root.pk)
    parsed = tree_import.TreeReading.from_dict(payload["reading"])
    problem = ""
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            PARKED.discard(request, token)
            messages.success(request, "已放弃这次导入，没有保存任何记录")
            return redirect("organization_detail", root.pk)
        try:
            counts = import_tree(user_of(request), parsed, root)
        except ActionError as error:
            problem = error.message
        else:
            PARKED.discard(request, token)
            messages.success(
                request,
                f"已导入：新建党组织 {counts['created']} 个，更新 {counts['updated']} 个，"
                f"登记委员会 {counts['committees']} 个",
            )
            return redirect("organization_detail", root.pk)
    reading = tree_import.check_tree(
        tree_import.TreeReading.from_dict(payload["reading"]), user_of(request), root
    )
    plan = reading.plan
    rows = [
        {
            "row": r,
            "kind": tree_import.KIND_TEXT[r.kind],
            "sector": tree_import.SECTOR_TEXT.get(r.sector, "（不变）" if plan[r.row]["org"] else "其他"),
            "action": plan[r.row]["action"],
            "committee": plan[r.row]["committee"],
        }
        for r in reading.rows
        if r.row in plan
    ]
    actions_count = {name: sum(1 for r in rows if r["action"] == name) for name in ("新建", "更新", "不变")}
    return render(
        request,
        "organizations/tree_preview.html",
        {
            "org": root,
            "reading": reading,
            "filename": payload["filename"],
            "rows": rows,
            "counts": actions_count,
            "problem": problem,
            "token": token,
        },
    )


@login_required
@require_GET
def tree_template(request: HttpRequest, pk: int) -> HttpResponseBase:
    root = _root(request, pk)
    data = tree_template_book(root, with_examples=request.GET.get("example") == "1")
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"党组织导入模板-{root.name}.xlsx", content_type=XLSX
    )
    response["Cache-Control"] = "no-store"
    return response
