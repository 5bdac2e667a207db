"""Forms of misconduct reports (R-SUP-2) and of voiding an election (R-SUP-3)."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.elections.models import Election
from xuanju.forms import Form
from xuanju.organizations.models import Organization
from xuanju.supervision.models import Conclusion, ReportCategory, ReportStatus

NAMED, ANONYMOUS = "named", "anonymous"


class OrganizationSearchForm(Form):
    q = forms.CharField(label="党组织名称", min_length=2, max_length=100)


class ReportForm(Form):
    """The report itself; the organization comes from the link (?org=) or the name search."""

    election = forms.ModelChoiceField(
        label="涉及的换届选举",
        queryset=Election.objects.none(),
        required=False,
        empty_label="不涉及某次选举（一般违纪行为）",
    )
    category = forms.ChoiceField(label="类别", choices=ReportCategory.choices)
    content = forms.CharField(
        label="举报内容",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="写明何人、何时、何地、何事，以及可以核实的线索",
    )
    identity = forms.ChoiceField(
        label="举报方式",
        choices=[(NAMED, "实名举报"), (ANONYMOUS, "匿名举报")],
        widget=forms.RadioSelect,
        initial=ANONYMOUS,
    )

    def __init__(self, *args: Any, organization: Organization, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        election_field = self.fields["election"]
        assert isinstance(election_field, forms.ModelChoiceField)
        election_field.queryset = organization.elections.order_by("-created_at")
        identity = self.fields["identity"]
        assert isinstance(identity, forms.ChoiceField)
        if not signed_in:  # without an account the report can only be anonymous
            identity.choices = [(ANONYMOUS, "匿名举报")]


class FollowUpCodeForm(Form):
    code = forms.CharField(
        label="查询码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="提交匿名举报时显示的 20 位查询码，可以不输入连字符",
    )


class FollowUpForm(FollowUpCodeForm):
    text = forms.CharField(label="补充材料", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}))


class NoteForm(Form):
    text = forms.CharField(label="内容", max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))


class ConcludeForm(Form):
    findings = forms.CharField(label="核查情况", max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))
    conclusion = forms.ChoiceField(label="结论", choices=Conclusion.choices)


class StatusFilterForm(Form):
    status = forms.ChoiceField(
        label="办理情况", choices=[("", "全部"), *ReportStatus.choices], required=False
    )


class VoidForm(Form):
    reason = forms.CharField(
        label="理由和核查情况",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="经调查核实的违反党章和换届纪律的事实（R-SUP-3）",
    )
    decision_document = forms.CharField(label="决定文号", max_length=100, help_text="如：某组〔2026〕5号")
    confirm = forms.BooleanField(
        label="确认宣布这次选举无效",
        help_text="原选举的全部记录保留不变；系统为该党组织重新开始一次换届选举",
    )
