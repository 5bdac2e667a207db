"""The organizer's import page: a venue's results package and the fingerprint printed on its count
reports, checked and merged by :mod:`xuanju.venue.merge` (the same as ``xuanju venue import``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from xuanju.elections.models import Election
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.venue import keys, package, signing
from xuanju.venue.merge import ImportRefused, import_results
from xuanju.venue.signing import MAX_FILE_BYTES
from xuanju.web import form_page


class ImportForm(forms.Form):
    package = forms.FileField(
        label="会场结果数据包", help_text="会场电脑上 xuanju venue export 导出的 .json 文件"
    )
    fingerprint = forms.CharField(
        label="会场密钥指纹",
        max_length=60,
        help_text="会场打印、监票人签名的计票结果报告上印的“会场密钥指纹”，共 8 组，如 3F2A-91C2-…",
    )

    def clean_package(self) -> object:
        upload = self.cleaned_data["package"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，不是会场结果数据包")
        return upload


@login_required
def venue_import(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    user = user_of(request)
    require(can_manage(user, election.organization))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        with tempfile.TemporaryDirectory(prefix="xuanju-venue-") as folder:
            path = Path(folder) / "results.json"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                imported = import_results(
                    path, form.cleaned_data["fingerprint"], user.get_username(), election.pk
                )
            except ImportRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
                imported = None
        if imported is not None:
            if imported.already:
                messages.success(request, "这份结果数据包已导入过，没有再做改动")
            else:
                messages.success(
                    request,
                    f"已导入会场结果：{imported.rounds} 轮投票逐轮重新计票无误，会场审计记录 {imported.records} 条已并入",
                )
            return redirect("election_detail", election.pk)
    return form_page(
        request,
        f"导入会场结果：{election}",
        form,
        reverse("election_detail", args=[election.pk]),
        org=election.organization,
        intro="导入前逐项核验：签名和会场密钥指纹、数据包是否由本系统导出、导出后选举有无变化、会场审计链、"
        "每一轮按选票重新计票的结果；任何一项不符都不导入，并说明哪里不同。",
        submit="核验并导入",
    )


class ExportForm(forms.Form):
    """Nothing to fill in: the button asks for the POST that records the export."""


@login_required
def venue_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting package as a download, signed with the county key (as ``xuanju venue
    export-meeting``); each export is recorded in the audit trail."""
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    user = user_of(request)
    require(can_manage(user, election.organization))
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            package.check_exportable(election)
            with tempfile.TemporaryDirectory(prefix="xuanju-venue-") as folder:
                path = Path(folder) / "package.json"
                package.export_meeting(user.get_username(), election, path)
                data = path.read_bytes()
        except (package.PackageRefused, signing.SigningError) as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(data, content_type="application/json")
            name = f"会场数据包-选举{election.pk}.json"
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
            return response
    try:
        fingerprint = keys.county_fingerprint()
    except signing.SigningError:
        fingerprint = ""
    intro = (
        "会场数据包包含选举和各项职务、名册（只有姓名和选举权、被选举权）、候选人和选票上的排列顺序、"
        "选举办法参数和本组织的账号（没有密码），用县级密钥签名。带到会场后，用 xuanju venue 数据包 "
        "--county-fingerprint 县级公钥指纹 开始会场模式（见 docs/venue.md）。"
        + (
            f"县级公钥指纹：{fingerprint}。"
            if fingerprint
            else "本系统还没有县级签名密钥：请系统管理员先运行 xuanju keys init。"
        )
    )
    return form_page(
        request,
        f"导出会场数据包：{election}",
        form,
        reverse("election_detail", args=[election.pk]),
        org=election.organization,
        intro=intro,
        submit="导出会场数据包",
    )
