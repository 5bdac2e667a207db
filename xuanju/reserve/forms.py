"""Forms of the reserve talent pool: validate input and put the Chinese error next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xuanju.forms import Form
from xuanju.organizations.models import Member, Organization
from xuanju.reserve.models import Rating, ReserveStatus
from xuanju.reserve.wording import education_text
from xuanju.rules.conditions import Conditions, EducationLevel

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class MemberField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.organization.name}，{obj.get_status_display()}）"


class PutForwardForm(Form):
    put_forward_on = forms.DateField(label="入库日期", widget=DATE)
    reason = forms.CharField(label="推荐理由", widget=TEXT, max_length=2000)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"put_forward_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        members = Member.objects.within(org).on_roll().select_related("organization").order_by("name", "pk")
        self.fields = {
            "member": MemberField(
                members,
                label="党员",
                help_text="本组织及下级组织的正式党员，权利未受限制",
                error_messages={"invalid_choice": "请选择本组织及下级组织在册的党员"},
            ),
            **self.fields,
        }


class AssessmentForm(Form):
    assessed_on = forms.DateField(label="考察日期", widget=DATE)
    rating = forms.ChoiceField(label="评价等次", choices=Rating.choices)
    assessed_by = forms.CharField(
        label="考察人", max_length=150, required=False, help_text="留空则记为当前账号"
    )
    notes = forms.CharField(label="考察意见", widget=TEXT, required=False, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class TrainingForm(Form):
    course = forms.CharField(label="培训或锻炼内容", max_length=200)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE, required=False)
    hours = forms.DecimalField(label="学时", min_value=0, max_digits=6, decimal_places=1, initial=0)
    provider = forms.CharField(label="举办单位", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("end") and data.get("start") and data["end"] < data["start"]:
            self.add_error("end", "结束日期早于开始日期")
        return data


class StatusForm(Form):
    status = forms.ChoiceField(label="新状态", choices=ReserveStatus.choices)
    on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="说明", max_length=200, required=False, help_text="出库须写明原因")

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in ReserveStatus.choices if v != current]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ReserveStatus.LEFT and not data.get("reason", "").strip():
            self.add_error("reason", "出库须写明原因")
        return data


EDUCATION_CHOICES = [
    ("", "不限"),
    *((str(int(level)), f"{education_text(level)}及以上") for level in EducationLevel),
]
STATUS_FILTER_CHOICES = [("active", "在库和已提名"), ("", "全部"), *ReserveStatus.choices]


class SearchForm(Form):
    """Conditions to search the pool by (R-CAND-1), checked on one day."""

    on = forms.DateField(label="核对日期", widget=DATE, help_text="如拟召开选举大会的日期")
    min_party_age = forms.IntegerField(label="党龄不少于（年）", min_value=0, max_value=80, required=False)
    min_age = forms.IntegerField(label="年龄不小于（周岁）", min_value=16, max_value=100, required=False)
    max_age = forms.IntegerField(label="年龄不超过（周岁）", min_value=16, max_value=100, required=False)
    min_education = forms.ChoiceField(label="学历", choices=EDUCATION_CHOICES, required=False)
    must_reside_locally = forms.BooleanField(label="须在本地居住", required=False)
    sanction_free_years = forms.IntegerField(
        label="近几年内未受党纪处分", min_value=1, max_value=50, required=False
    )
    status = forms.ChoiceField(label="库中状态", choices=STATUS_FILTER_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "年龄上限小于下限")
        return data

    def conditions(self) -> Conditions:
        data = self.cleaned_data
        education = data.get("min_education")
        return Conditions(
            min_party_age=data.get("min_party_age"),
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            min_education=EducationLevel(int(education)) if education else None,
            must_reside_locally=bool(data.get("must_reside_locally")),
            sanction_free_years=data.get("sanction_free_years"),
        )


class NominateForm(Form):
    """Nominate a reserve person for a contest from the nominations page (从后备人才库提名)."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.CharField(
        label="推荐来源", max_length=200, required=False, help_text="留空则记为“某某后备人才库”"
    )
    count = forms.IntegerField(label="推荐人数（票数）", min_value=1, max_value=100000, initial=1)
