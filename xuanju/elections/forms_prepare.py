"""Forms of the preparation steps: plan, reply, nomination, candidates. Rules stay in the actions;
these only parse the input and put the Chinese error next to the field."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.elections.models import Approval, Candidate, ElectionForm
from xuanju.forms import Form
from xuanju.organizations.models import Member
from xuanju.rules.names import stroke_key

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type=date> reads
TEXT = forms.Textarea(attrs={"rows": 3})


class StartForm(Form):
    planned_on = forms.DateField(label="拟召开选举大会日期", widget=DATE)
    committee_seats = forms.IntegerField(
        label="委员名额", min_value=0, max_value=15, help_text="不设委员会的支部填 0（R-ORG-2）"
    )
    deputy_seats = forms.IntegerField(label="副书记名额", min_value=0, max_value=3)
    readiness = forms.CharField(
        label="换届准备情况",
        widget=TEXT,
        help_text="如：已完成述职和民主评议、征求党员意见等；请示须写明（R-RPT-1）",
    )
    composition = forms.CharField(
        label="结构要求",
        widget=TEXT,
        required=False,
        help_text="下届委员会的结构和人选条件，如年龄、性别、文化程度（R-CAND-1）",
    )
    minimum_party_age = forms.IntegerField(
        label="候选人最低党龄（年）",
        min_value=0,
        max_value=60,
        initial=0,
        help_text="上级提出的条件，没有的填 0（R-CAND-1）",
    )
    form = forms.ChoiceField(
        label="选举形式",
        choices=ElectionForm.choices,
        initial=ElectionForm.MEMBERS_MEETING,
        help_text="党员 500 名以上或所属单位分散的，经上级批准可召开党员代表大会（R-DEL-1）",
    )
    discipline_seats = forms.IntegerField(
        label="纪委委员名额",
        min_value=0,
        max_value=15,
        initial=0,
        required=False,
        help_text="党员代表大会同时选举纪律检查委员会的填写；不选举的填 0",
    )
    discipline_deputy_seats = forms.IntegerField(
        label="纪委副书记名额",
        min_value=0,
        max_value=2,
        initial=0,
        required=False,
        help_text="纪律检查委员会第一次全体会议从纪委委员中选举书记 1 名和副书记若干名，报上级批准（R-CAND-5）；不设的填 0",
    )

    def __init__(self, *args: Any, congress: bool = False, **kwargs: Any) -> None:
        """``congress``: whether the organization may hold a congress (R-DEL-1); otherwise the
        form and the discipline commission are not asked for."""
        super().__init__(*args, **kwargs)
        if not congress:
            del self.fields["form"]
            del self.fields["discipline_seats"]
            del self.fields["discipline_deputy_seats"]

    def clean_discipline_seats(self) -> int:
        return self.cleaned_data.get("discipline_seats") or 0

    def clean_discipline_deputy_seats(self) -> int:
        return self.cleaned_data.get("discipline_deputy_seats") or 0


class PlanEditForm(StartForm):
    """The plan's items an organizer edits before sending it (again) to the upper level (R-RPT-1,
    R-RPT-4); the electing body stays the plan's own (R-DEL-1)."""

    def __init__(self, *args: Any, congress: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, congress=congress, **kwargs)
        self.fields.pop("form", None)
        self.fields.pop("minimum_party_age", None)


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="批复",
        choices=[
            ("", "—— 请选择 ——"),
            (Approval.Decision.APPROVED, "同意"),
            (Approval.Decision.RETURNED, "退回修改"),
            (Approval.Decision.REFUSED, "不同意"),
        ],
        error_messages={"required": "请选择同意、退回修改或不同意"},
    )
    document = forms.CharField(
        label="批复文号", max_length=100, required=False, help_text="如：东乡组〔2026〕1号"
    )
    comments = forms.CharField(
        label="意见", widget=TEXT, required=False, help_text="退回或不同意时须写明意见"
    )


class MemberChoiceField(forms.ChoiceField):
    """A select of members in surname stroke order (R-NAME) that cleans to the Member."""

    def __init__(self, members: list[Member], home_id: int | None = None, **kwargs: Any) -> None:
        self.members = {str(m.pk): m for m in members}
        ordered = sorted(members, key=lambda m: stroke_key(m.name))
        choices = [("", "—— 请选择 ——")] + [
            (
                str(m.pk),
                m.name if m.organization_id == home_id else f"{m.name}（{m.organization.name}）",
            )
            for m in ordered
        ]
        kwargs.setdefault("error_messages", {"invalid_choice": "请从列表中选择符合条件的党员"})
        kwargs.setdefault("widget", forms.Select(attrs={"data-search": "1"}))  # picker.js: a search field
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> Member | None:
        key = super().clean(value)
        return self.members.get(key) if key else None


class NominationForm(Form):
    source = forms.CharField(
        label="推荐来源", max_length=200, help_text="如：第一党小组、党员个人联名、上届委员会"
    )
    count = forms.IntegerField(label="推荐人数（票数）", min_value=1, max_value=100000)

    def __init__(self, *args: Any, members: list[Member], home_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "member": MemberChoiceField(members, home_id, label="被推荐人"),
            **self.fields,
        }


STAGE_CHOICES = [
    (Candidate.Stage.PRELIMINARY, "初步人选"),
    (Candidate.Stage.PROVISIONAL, "预备人选"),
    (Candidate.Stage.DROPPED, "未列入"),
]


class CandidateForm(Form):
    """One person's stage on a contest; ``members`` adds the person select (for someone new),
    ``with_order`` the approved order of the secretary and deputies (R-BAL-1)."""

    stage = forms.ChoiceField(label="阶段", choices=STAGE_CHOICES)
    vetting = forms.CharField(label="考察情况", widget=TEXT, required=False)
    profile = forms.CharField(
        label="简历和主要优缺点", widget=TEXT, required=False, help_text="选举前向选举人介绍（R-MEET-5）"
    )

    def __init__(
        self,
        *args: Any,
        members: list[Member] | None = None,
        home_id: int | None = None,
        with_order: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields = {"member": MemberChoiceField(members, home_id, label="党员"), **self.fields}
        if with_order:
            self.fields["order"] = forms.IntegerField(
                label="上级批准的排列顺序",
                min_value=1,
                max_value=20,
                required=False,
                help_text="书记、副书记按上级批准的顺序排列（R-BAL-1）",
            )
