"""Forms: validate input and put the Chinese error next to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone

from xuanju.forms import Form
from xuanju.organizations.models import (
    ADJUSTMENT_CHOICES,
    GENDER_CHOICES,
    KIND_CHOICES,
    POST_CHOICES,
    RESTRICTION_CHOICES,
    SECTOR_CHOICES,
    STATUS_CHOICES,
    Member,
    Organization,
)
from xuanju.organizations.ordering import members_in_stroke_order
from xuanju.organizations.personal_data import check_id_number, check_phone

DATE = forms.DateInput(attrs={"type": "date"})


def _checked(check: Callable[[str], str], value: str) -> str:
    """Run a personal-data check on a non-blank value, its ValueError becoming the field's error."""
    if not value.strip():
        return ""
    try:
        return check(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


class OrganizationForm(Form):
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=KIND_CHOICES)
    sector = forms.ChoiceField(label="领域", choices=SECTOR_CHOICES)
    approved_committee_size = forms.IntegerField(
        label="批准的委员会职数",
        required=False,
        min_value=1,
        max_value=21,
        help_text="上级批准的下届委员会委员名额（R-ORG-4），未批准的留空",
    )
    has_standing_committee = forms.BooleanField(
        label="设常务委员会", required=False, help_text="设常委会的党委，委员会一般 15 至 21 人（R-ORG-4）"
    )
    kind_approval = forms.CharField(
        label="设置批准文号",
        required=False,
        max_length=100,
        help_text="经上级批准按例外设置的（如党员不足 50 人的机关党总支），填写批准文号；否则留空（R-ORG-4）",
    )


class OrganizationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Organization) -> str:
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.get_kind_display()}）"


def organization_choices(queryset: Any, **kwargs: Any) -> OrganizationChoiceField:
    return OrganizationChoiceField(
        queryset=queryset.filter(dissolved_on__isnull=True).order_by("path"),
        error_messages={"invalid_choice": "请选择列表中的党组织"},
        **kwargs,
    )


class MoveForm(Form):
    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = organization_choices(parents.exclude(kind="branch"), label="新的上级党组织")


class MergeForm(Form):
    on = forms.DateField(label="合并日期", widget=DATE)

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"] = organization_choices(targets, label="并入的党组织")


class DissolveForm(Form):
    on = forms.DateField(label="撤销日期", widget=DATE)
    confirm = forms.BooleanField(label="我确认撤销这个党组织", required=True)


class MemberForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=GENDER_CHOICES)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    birth_date = forms.DateField(label="出生日期", widget=DATE)
    joined_on = forms.DateField(label="入党日期", widget=DATE)
    status = forms.ChoiceField(label="党员类别", choices=STATUS_CHOICES)
    full_member_on = forms.DateField(label="转正日期", widget=DATE, required=False, help_text="预备党员留空")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    education = forms.CharField(label="学历", max_length=30, required=False)
    occupation = forms.CharField(label="职业", max_length=50, required=False)
    front_line = forms.CharField(label="一线情况", max_length=50, required=False)
    job_title = forms.CharField(label="工作单位及职务", max_length=100, required=False)

    def clean_phone(self) -> str:
        return _checked(check_phone, self.cleaned_data.get("phone") or "")

    def clean_id_number(self) -> str:
        return _checked(check_id_number, self.cleaned_data.get("id_number") or "")

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("出生日期不能晚于今天")
        return value


class TransferForm(Form):
    on = forms.DateField(label="转接日期", widget=DATE)

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"] = organization_choices(targets, label="转入党组织")


class RemoveMemberForm(Form):
    on = forms.DateField(label="日期", widget=DATE)
    kind = forms.ChoiceField(
        label="类型",
        choices=[("transferred_out", "转出本系统"), ("death", "去世"), ("other", "出党等其他情形")],
        help_text="担任委员会职务的，其职务随之出缺",
    )
    reason = forms.CharField(label="原因", max_length=200, help_text="如：转出本系统、去世、出党")


class RestrictionForm(Form):
    kind = forms.ChoiceField(label="类型", choices=RESTRICTION_CHOICES)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE, required=False, help_text="尚未结束的留空")
    document = forms.CharField(label="决定文号", max_length=100, required=False)


class CommitteeForm(Form):
    elected_on = forms.DateField(label="选举日期", widget=DATE)
    has_committee = forms.BooleanField(
        label="设委员会",
        required=False,
        initial=True,
        help_text="正式党员不足 7 人的支部只设书记（R-ORG-2），不勾选",
    )


class SeatForm(Form):
    post = forms.ChoiceField(label="职务", choices=[("", "—"), *POST_CHOICES], required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.ModelChoiceField(
            queryset=members,
            required=False,
            widget=forms.Select(attrs={"data-search": "1"}),
            label="委员",
            error_messages={"invalid_choice": "请选择本组织的党员"},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("member")) != bool(data.get("post")):
            raise forms.ValidationError("每一行须同时选择委员和职务")
        return data


class AdjustmentForm(Form):
    kind = forms.ChoiceField(label="类型", choices=ADJUSTMENT_CHOICES)
    new_date = forms.DateField(label="批准的换届日期", widget=DATE)
    approved_on = forms.DateField(label="批准日期", widget=DATE)
    document = forms.CharField(label="批复文号", max_length=100)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))
    exceptional = forms.BooleanField(
        label="特殊批准（超过 1 年）", required=False, help_text="延期或提前一般不超过 1 年（R-TERM-2）"
    )
    document_file = forms.FileField(
        label="批复文件", required=False, help_text="批复的扫描件或电子文件：PDF、JPG 或 PNG，不超过 10 MB"
    )

    def clean_document_file(self) -> Any:
        upload = self.cleaned_data.get("document_file")
        if upload is None:
            return None
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("文件超过 10 MB，请压缩后再上传")
        head = upload.read(8)
        upload.seek(0)
        if not (head.startswith(b"%PDF") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
            raise forms.ValidationError("只能上传 PDF、JPG 或 PNG 文件")
        return upload


class ReminderForm(Form):
    message = forms.CharField(
        label="提醒内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="你单位党组织任期即将届满（或已届满），请按照《中国共产党基层组织选举工作条例》按期做好换届准备，及时向上级党组织请示。",
    )


def member_choices(org: Organization) -> Any:
    """Full members who may sit on ``org``'s committee: its own and those of the branches beneath it."""
    return members_in_stroke_order(  # R-NAME
        Member.objects.within(org).on_roll().filter(status="full")
    )
