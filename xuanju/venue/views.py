"""The organizer's import page: a venue's results package and the fingerprint printed on its count
reports, checked and merged by :mod:`xuanju.venue.merge` (the same as ``xuanju venue import``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from xuanju.elections.models import Election
from xuanju.organizations.scope import can_manage, require, user_of
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
