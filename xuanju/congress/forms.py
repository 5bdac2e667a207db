"""Forms of the congress pages; the actions do the rule checks and their refusals land here."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.congress.models import (
    Congress,
    CredentialsGroupMember,
    Delegate,
    DelegateStatus,
    ElectoralUnit,
    Grounds,
)
from xuanju.forms import Form
from xuanju.organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"})


class DelegateChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.member.name}（{obj.unit.name}）"


class DelegatesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.member.name}（{obj.unit.name}）"


class CongressForm(Form):
    delegates_total = forms.IntegerField(
        label="代表名额", min_value=1, help_text="一般 100 至 200 名，最多 300 名（R-DEL-2）"
    )
    quota_reason = forms.CharField(
        label="名额不在 100 至 200 名之间的理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    grounds = forms.ChoiceField(label="召开党员代表大会的理由", choices=Grounds.choices, help_text="R-DEL-1")
    grounds_note = forms.CharField(label="具体情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    base_per_unit = forms.IntegerField(label="每个选举单位的基础名额", min_value=1, initial=1)
    front_line_percent = forms.IntegerField(
        label="生产和工作一线代表不少于（%）", required=False, min_value=0, max_value=100
    )
    women_percent = forms.IntegerField(
        label="女性代表不少于（%）", required=False, min_value=0, max_value=100
    )
    min_minorities = forms.IntegerField(label="少数民族代表至少（名）", required=False, min_value=0)
    max_over_55_percent = forms.IntegerField(
        label="55 岁以上代表不超过（%）", required=False, min_value=0, max_value=100
    )
    min_under_35 = forms.IntegerField(label="35 岁及以下代表至少（名）", required=False, min_value=0)
    sectors = forms.CharField(
        label="各方面代表的构成", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_from(cls, congress: Congress) -> dict[str, Any]:
        return {name: getattr(congress, name) for name in cls.base_fields}


class UnitForm(Form):
    name = forms.CharField(label="选举单位名称", max_length=200)
    organizations = forms.ModelMultipleChoiceField(
        label="所含党组织", queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, congress: Congress, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = congress.organization
        field = self.fields["organizations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Organization.objects.filter(
            path__startswith=root.path, depth__gt=root.depth, dissolved_on__isnull=True
        ).order_by("path")


class AdjustForm(Form):
    """One adjustment and one reason per unit."""

    def __init__(self, *args: Any, units: list[ElectoralUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"adjustment_{unit.pk}"] = forms.IntegerField(
                label=unit.name, initial=unit.adjustment
            )
            self.fields[f"reason_{unit.pk}"] = forms.CharField(
                label="理由", required=False, max_length=300, initial=unit.adjustment_reason
            )

    def rows(self) -> list[tuple[ElectoralUnit, Any, Any]]:
        return [(u, self[f"adjustment_{u.pk}"], self[f"reason_{u.pk}"]) for u in self.units]

    def adjustments(self) -> dict[int, tuple[int, str]]:
        return {
            u.pk: (self.cleaned_data[f"adjustment_{u.pk}"], self.cleaned_data[f"reason_{u.pk}"])
            for u in self.units
        }


class DateForm(Form):
    planned_on = forms.DateField(label="拟召开选举大会日期", widget=DATE)


class CredentialsGroupForm(Form):
    people = forms.CharField(
        label="代表资格审查小组成员",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一人：姓名，职务（组长、副组长或成员），工作单位及职务。由上届委员会确定（R-DEL-6）",
    )

    def people_list(self) -> list[tuple[str, str, str]]:
        roles = {label: value for value, label in CredentialsGroupMember.Role.choices}
        found = []
        for line in self.cleaned_data["people"].splitlines():
            parts = [p.strip() for p in line.replace(",", "，").split("，")]
            if not parts[0]:
                continue
            role = roles.get(parts[1], parts[1]) if len(parts) > 1 else CredentialsGroupMember.Role.MEMBER
            found.append((parts[0], role, parts[2] if len(parts) > 2 else ""))
        return found


class ReviewForm(Form):
    conclusion = forms.ChoiceField(
        label="审查结论",
        choices=[
            (DelegateStatus.FORMAL, "确认为正式代表"),
            (DelegateStatus.PROCEDURE_DEFECT, "选举程序不符合规定，选举单位须重新选举"),
            (DelegateStatus.INELIGIBLE, "不具备代表资格，选举单位另行补选"),
        ],
    )
    note = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OpeningForm(Form):
    decision = forms.CharField(
        label="以已确认的正式代表召开大会的决定",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明来不及重新选举或补选的选举单位和理由；留空即撤回决定。只有正式代表有表决权（R-DEL-6）",
    )


class PreparatoryForm(Form):
    held_on = forms.DateField(label="召开日期", widget=DATE)
    agenda = forms.CharField(label="大会议程", widget=forms.Textarea(attrs={"rows": 4}))
    credentials_report_adopted = forms.BooleanField(label="通过代表资格审查报告", required=False)


class PresidiumForm(Form):
    delegates = DelegatesChoice(
        label="主席团成员", queryset=Delegate.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    votes_for = forms.IntegerField(label="举手表决赞成", min_value=0)
    against = forms.IntegerField(label="反对", min_value=0, initial=0)
    abstain = forms.IntegerField(label="弃权", min_value=0, initial=0)

    def __init__(self, *args: Any, congress: Congress, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["delegates"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = congress.delegates.filter(status=DelegateStatus.FORMAL).select_related(
            "member", "unit"
        )


class DelegationForm(Form):
    name = forms.CharField(label="代表团（组）名称", max_length=100)
    units = forms.ModelMultipleChoiceField(
        label="所含选举单位", queryset=ElectoralUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    head = DelegateChoice(label="团（组）长", queryset=Delegate.objects.none(), required=False)

    def __init__(self, *args: Any, congress: Congress, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        head = self.fields["head"]
        assert isinstance(units, forms.ModelMultipleChoiceField) and isinstance(head, forms.ModelChoiceField)
        units.queryset = congress.units.all()
        head.queryset = congress.delegates.filter(status=DelegateStatus.FORMAL).select_related(
            "member", "unit"
        )
