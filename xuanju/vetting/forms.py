"""Forms of vetting: the labels and help texts come from the models; the actions check again."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.vetting.actions import CONDITION_FIELDS, PROFILE_FIELDS, TARGET_FIELDS, VETTING_FIELDS
from xuanju.vetting.models import (
    ElectionConditions,
    MemberProfile,
    Sanction,
    StructureTargets,
    VettingRecord,
    VettingTalk,
)
from xuanju.vetting.services import RATINGS, assessment_problem

COUNT_FIELDS = ("assessment_participants", *(field for field, _ in RATINGS))
TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ModelForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)


class ConditionsForm(ModelForm):
    class Meta:
        model = ElectionConditions
        fields = list(CONDITION_FIELDS)
        widgets = {"other": TEXT}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", "最高年龄不能低于最低年龄")
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The election is set by the view; constraints are checked by clean and the action."""


class TargetsForm(ModelForm):
    class Meta:
        model = StructureTargets
        fields = list(TARGET_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("under_age") is None) != (data.get("min_under_age") is None):
            self.add_error("min_under_age", "年龄线和该年龄以下的人数须同时填写")
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """Checked by clean and the action."""


class ProfileForm(ModelForm):
    class Meta:
        model = MemberProfile
        fields = list(PROFILE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", "未登记"), ("true", "是"), ("false", "否")]
        self.fields["resides_locally"].widget = widget


class SanctionForm(ModelForm):
    class Meta:
        model = Sanction
        fields = ["kind", "decided_on", "document"]
        widgets = {"decided_on": DATE}


class VettingForm(ModelForm):
    class Meta:
        model = VettingRecord
        fields = list(VETTING_FIELDS)
        widgets = {
            "political_findings": TEXT,
            "ability_findings": TEXT,
            "conduct_findings": TEXT,
            "integrity_findings": TEXT,
            "conclusion": TEXT,
            "vetted_on": DATE,
            **{f"{k}_verdict": forms.RadioSelect for k in ("political", "ability", "conduct", "integrity")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ("political", "ability", "conduct", "integrity"):
            field = self.fields[f"{key}_verdict"]
            field.choices = [("", "未作结论"), *list(field.choices)[1:]]  # type: ignore[attr-defined]
        for name in COUNT_FIELDS:
            self.fields[name].required = False
            self.fields[name].widget.attrs["min"] = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in COUNT_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0  # a blank count is none
        counts = [data.get(field) or 0 for field, _ in RATINGS]
        problem = assessment_problem(data.get("assessment_participants") or 0, counts)
        if problem:
            self.add_error("assessment_participants", problem)
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """Checked by clean and the action."""


class TalkForm(ModelForm):
    class Meta:
        model = VettingTalk
        fields = ["talked_on", "with_whom", "summary"]
        widgets = {"talked_on": DATE, "summary": TEXT}
