"""Starting a by-election (补选) of a sitting committee's vacant seats; the rest of its flow runs on
the ordinary election pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from xuanju.elections import by_election
from xuanju.elections.models import Election
from xuanju.forms import Form
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.web import form_page, run_form

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type=date> reads


class ByElectionForm(Form):
    planned_on = forms.DateField(label="拟召开党员大会日期", widget=DATE)
    readiness = forms.CharField(
        label="补选准备情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="请示须写明的准备情况，如：支委会已研究提出补选人选的建议",
    )
    equal_members_approved = forms.BooleanField(
        label="委员等额补选（须经上级同意）",
        required=False,
        help_text="默认委员差额补选，候选人多于应选人数不少于20%；书记、副书记可以等额选举",
    )


@login_required
def by_election_start(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk)
    user = user_of(request)
    require(can_manage(user, org))
    form = ByElectionForm(request.POST or None, initial={"planned_on": timezone.localdate()})
    created: dict[str, Election] = {}

    def act(data: dict[str, Any]) -> None:
        created["election"] = by_election.start_by_election(user, org, **data)

    back = reverse("organization_detail", args=[org.pk])
    if run_form(request, form, act, "补选方案已拟订，请核对后报送请示", back):
        return redirect("election_detail", created["election"].pk)
    intro = "补选本届委员会的全部缺额：委员由党员大会选举，书记、副书记由委员会全体会议从委员中选举，报上级党组织批准。"
    return form_page(
        request, f"{org.name}：发起补选", form, back, org=org, intro=intro, submit="拟订补选方案"
    )
