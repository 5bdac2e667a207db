"""Roster import (upload → preview → confirm), export and the blank template.

The parsed upload waits between the preview and the confirm step as a parked upload
(:mod:`xuanju.organizations.parked_uploads`).
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
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuanju.forms import Form
from xuanju.organizations import roster
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.parked_uploads import ParkedUploads
from xuanju.organizations.personal_data import mask
from xuanju.organizations.scope import can_manage, can_read, require, sees_personal_data, user_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARKED = ParkedUploads("roster", session_key="roster_uploads")
PREVIEW_ROWS = 500


class RosterUploadForm(Form):
    file = forms.FileField(
        label="名册文件（.xlsx）",
        help_text=f"Excel 或 WPS 保存的 .xlsx 文件，不超过 {roster.MAX_FILE_BYTES // (1024 * 1024)} MB、"
        f"{roster.MAX_ROWS} 行。上传后先检查、预览，确认后才导入。",
        error_messages={"required": "请选择要上传的名册文件", "empty": "文件是空的（0 字节），请重新选择"},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith(".xls") or name.endswith(".et"):
            raise forms.ValidationError(
                "这是旧版 Excel（.xls）或 WPS 表格文件；请在 Excel 或 WPS 中“另存为” .xlsx 后再上传"
            )
        if upload.size > roster.MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"文件超过 {roster.MAX_FILE_BYTES // (1024 * 1024)} MB，请删去无关的工作表或图片后再上传"
            )
        return upload


# --- views ----------------------------------------------------------------------------------


def _managed(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(Organization, pk=pk)
    require(can_manage(user_of(request), org))
    return org


@login_required
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a roster file; it is read and checked, then shown for confirmation."""
    org = _managed(request, pk)
    if not org.is_active:
        messages.error(request, f"“{org.name}”已撤销，不能导入党员")
        return redirect("member_list", org.pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            reading = roster.read_roster(upload, actor=user_of(request), default_org=org)
        except roster.RosterFileError as error:
            form.add_error("file", error.message)
        else:
            token = PARKED.park(request, org, reading.to_dict(), upload.name)
            return redirect("roster_preview", org.pk, token)
    return render(
        request,
        "organizations/roster_import.html",
        {"org": org, "form": form, "columns": roster.COLUMNS, "max_rows": roster.MAX_ROWS},
    )


@login_required
def roster_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Show what the upload holds and its errors; on POST import it (all, or the valid rows only)."""
    org = _managed(request, pk)
    payload = PARKED.unpark(request, org, token)
    if payload is None:
        messages.error(request, "上传的名册已过期或不存在（保留 1 小时），请重新上传")
        return redirect("roster_import", org.pk)
    reading = roster.RosterReading.from_dict(payload["reading"])
    problem = ""
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            PARKED.discard(request, token)
            messages.success(request, "已放弃这次导入，没有保存任何记录")
            return redirect("member_list", org.pk)
        if reading.errors and request.POST.get("valid_only") != "1":
            problem = f"文件中有 {reading.error_rows} 行有错误。请修改文件后重新上传，或勾选“只导入 {reading.valid_rows} 条无误的记录”"
        else:
            try:
                count = roster.import_rows(user_of(request), reading.rows, org)
            except ActionError as error:
                problem = error.message
            else:
                PARKED.discard(request, token)
                skipped = f"，{reading.error_rows} 行有错误未导入" if reading.errors else ""
                messages.success(request, f"已导入 {count} 名党员{skipped}")
                return redirect("member_list", org.pk)
    orgs = Organization.objects.in_bulk({r.organization_id for r in reading.rows if r.organization_id})
    full = sees_personal_data(user_of(request), org)
    shown = [
        {
            "row": r,
            "organization": orgs.get(r.organization_id or 0, org),
            "status": roster.STATUS_TEXT[r.status],
            "phone": r.phone if full else mask(r.phone),
            "id_number": r.id_number if full else mask(r.id_number),
        }
        for r in reading.rows[:PREVIEW_ROWS]
    ]
    return render(
        request,
        "organizations/roster_preview.html",
        {
            "org": org,
            "reading": reading,
            "filename": payload["filename"],
            "rows": shown,
            "more_rows": max(0, reading.valid_rows - PREVIEW_ROWS),
            "problem": problem,
            "token": token,
        },
    )


def _xlsx(data: bytes, filename: str) -> FileResponse:
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def roster_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The roster as .xlsx (``?subtree=1`` with the organizations beneath). ID numbers and phones in
    full only for the organizations whose personal data the user may see."""
    org = get_object_or_404(Organization, pk=pk)
    require(can_read(user_of(request), org))
    subtree = request.GET.get("subtree") == "1"
    if subtree:
        orgs = Organization.objects.filter(path__startswith=org.path)
        full: bool | set[int] = {o.pk for o in orgs if sees_personal_data(user_of(request), o)}
    else:
        full = sees_personal_data(user_of(request), org)
    data = roster.export_roster(org, include_subtree=subtree, full_personal_data=full)
    return _xlsx(data, roster.export_filename(org, timezone.localdate()))


@login_required
@require_GET
def roster_template(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The blank import layout with notes and an example."""
    org = _managed(request, pk)
    return _xlsx(roster.roster_template(org), f"党员名册导入模板-{org.name}.xlsx")
