"""The form that arranges a campaign: labels and help texts from the model; the action checks again."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanju.campaigns.actions import SCHEDULE_FIELDS, check_schedule
from xuanju.campaigns.models import Campaign
from xuanju.organizations.models import KIND_CHOICES, SECTOR_CHOICES, Organization
from xuanju.shell import ActionError
from xuanju.vetting.actions import CONDITION_FIELDS, TARGET_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):  # type: ignore[type-arg]
    kinds = forms.MultipleChoiceField(
        label="党组织类型",
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选：不限类型",
    )
    sectors = forms.MultipleChoiceField(
        label="领域",
        choices=SECTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="如：村、社区；不选：不限领域",
    )
    organizations = forms.MultipleChoiceField(
        label="或者直接选择党组织",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="选择了党组织的，只包括所选的，不再按类型和领域筛选",
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            *SCHEDULE_FIELDS,
            "reply_days",
            *CONDITION_FIELDS,
            *TARGET_FIELDS,
            "secretary_heads_committee",
        ]
        widgets = {**{name: DATE for name in SCHEDULE_FIELDS}, "other": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, owner: Organization, choices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["organizations"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(name in self.errors for name in SCHEDULE_FIELDS):
            try:
                check_schedule(data)
            except ActionError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", "最高年龄不能低于最低年龄")
        if (data.get("under_age") is None) != (data.get("min_under_age") is None):
            self.add_error("min_under_age", "年龄线和该年龄以下的人数须同时填写")
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The owner is set by the action; the constraints are checked by clean and the action."""
