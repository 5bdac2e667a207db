"""The public notice (公示) of the preliminary list: publish it, raise problems, answer them."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from xuanju.accounts.scope import can_manage, can_oversee, can_read, require, user_of
from xuanju.elections import actions
from xuanju.elections.models import Candidate, Election, Objection, PublicNotice
from xuanju.forms import Form
from xuanju.organizations.actions import ActionError
from xuanju.rules.names import stroke_key

DATE = forms.DateInput(attrs={"type": "date"})


class NoticeForm(Form):
    body = forms.CharField(label="公示内容", widget=forms.Textarea(attrs={"rows": 6}))
    starts_on = forms.DateField(label="公示开始", widget=DATE)
    ends_on = forms.DateField(label="公示结束", widget=DATE)


class ObjectionForm(Form):
    content = forms.CharField(label="反映的问题", widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label="匿名反映（不留姓名）", required=False)


class AnswerForm(Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))


def _default_body(election: Election) -> str:
    people = Candidate.objects.filter(
        contest__election=election, stage__in=[Candidate.Stage.PRELIMINARY, Candidate.Stage.PROVISIONAL]
    ).select_related("member", "contest")
    names = sorted({c.member.name for c in people}, key=stroke_key)
    return (
        f"经党员推荐提名和组织考察，{election.organization.name}新一届委员会人选的初步名单如下（按姓氏笔画为序）：\n"
        + "、".join(names)
        + "\n公示期间，党员如对上述人选有意见，可以在系统中实名或匿名反映。"
    )


@login_required
def election_notices(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    org = election.organization
    user = user_of(request)
    require(can_read(user, org))
    organizer = can_manage(user, org)
    today = timezone.localdate()
    notice_form = NoticeForm(
        request.POST if request.POST.get("step") == "publish" else None,
        initial={"body": _default_body(election), "starts_on": today, "ends_on": today + timedelta(days=7)},
    )
    objection_form = ObjectionForm(request.POST if request.POST.get("step") == "object" else None)
    if request.method == "POST":
        try:
            step = request.POST.get("step")
            if step == "publish" and notice_form.is_valid():
                require(organizer)
                data = notice_form.cleaned_data
                actions.publish_notice(user, election, data["body"], data["starts_on"], data["ends_on"])
                messages.success(request, "公示已发布")
                return redirect("election_notices", election.pk)
            if step == "object" and objection_form.is_valid():
                notice = get_object_or_404(PublicNotice, pk=request.POST.get("notice"), election=election)
                data = objection_form.cleaned_data
                actions.lodge_objection(user, notice, data["content"], data["anonymous"])
                messages.success(request, "您反映的问题已收到，组织上将答复")
                return redirect("election_notices", election.pk)
            if step == "answer":
                require(organizer)
                objection = get_object_or_404(
                    Objection, pk=request.POST.get("objection"), notice__election=election
                )
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    actions.answer_objection(user, objection, answer_form.cleaned_data["answer"])
                    messages.success(request, "已答复")
                    return redirect("election_notices", election.pk)
                messages.error(request, "请填写答复")
        except ActionError as error:
            messages.error(request, error.message)
    notices = list(election.notices.prefetch_related("objections"))
    return render(
        request,
        "elections/notices.html",
        {
            "election": election,
            "org": org,
            "notices": notices,
            "today": today,
            "organizer": organizer,
            # who raised what is for the organizers and the upper level only
            "sees_objections": organizer or can_oversee(user, org),
            "notice_form": notice_form,
            "objection_form": objection_form,
            "waiting": actions.notice_problem(election),
        },
    )
