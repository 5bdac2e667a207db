"""Forms of the account pages and the first-run page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from xuanju.accounts.models import Role, User
from xuanju.organizations.models import KIND_CHOICES, SECTOR_CHOICES, Member, Organization

# Meeting accounts are issued from the meeting's appointment, never by hand.
ASSIGNABLE_ROLES = [(r.value, r.label) for r in Role if r not in (Role.COUNTER, Role.SCRUTINEER)]


class OrganizationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * (obj.depth - 1)}{obj.name}"


def organization_field(orgs: Any, label: str = "所属党组织") -> OrganizationChoice:
    return OrganizationChoice(
        queryset=orgs.filter(dissolved_on__isnull=True).order_by("path"), label=label, empty_label="请选择"
    )


class AccountForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录时使用，如 dongcun；字母、数字、汉字和 @ . + - _"
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=ASSIGNABLE_ROLES)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(organizations)


class ChangeAccountForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=ASSIGNABLE_ROLES)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(organizations)


class SecretariesForm(forms.Form):
    username_prefix = forms.SlugField(
        label="用户名前缀", initial="sj", max_length=20, help_text="用户名为前缀加党组织编号，如 sj12"
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["top"] = organization_field(organizations, "为哪个党组织及其下级")
        self.order_fields(["top", "username_prefix"])


class MembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), label="党员", widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(
        label="角色",
        choices=[(Role.MEMBER.value, Role.MEMBER.label), (Role.SECRETARY.value, Role.SECRETARY.label)],
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members


class SetupForm(forms.Form):
    code = forms.CharField(
        label="初始化码",
        max_length=30,
        help_text="启动 xuanju serve 时在服务器控制台上显示，如 1A2B-3C4D-5E6F",
    )
    name = forms.CharField(
        label="最上级党组织名称", max_length=200, help_text="如 中共某某县委组织部所在的县委"
    )
    kind = forms.ChoiceField(label="类型", choices=[c for c in KIND_CHOICES if c[0] != "branch"])
    sector = forms.ChoiceField(label="领域", choices=SECTOR_CHOICES)
    username = forms.CharField(label="组织部门账号的用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致")
        elif first:
            try:
                password_validation.validate_password(first, User(username=data.get("username", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(AuthenticationForm):
    """Sign-in that refuses a meeting's account once the meeting has ended."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if isinstance(user, User) and user.meeting_expired:
            raise forms.ValidationError("会议已结束，本次会议的计票、监票账号已失效", code="expired")


def subtree(user: User) -> Any:
    if user.is_superuser:
        return Organization.objects.all()
    own = user.organization
    return Organization.objects.filter(path__startswith=own.path) if own else Organization.objects.none()
