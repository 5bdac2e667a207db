"""Account pages: the organization department lists, creates, changes, resets and deactivates the
accounts of its subtree, in bulk too; the organizers issue a meeting's counting accounts."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuanju.account_admin import actions
from xuanju.account_admin.actions import Issued
from xuanju.account_admin.forms import (
    AccountForm,
    ChangeAccountForm,
    MembersForm,
    SecretariesForm,
    subtree,
)
from xuanju.account_admin.sheets import passwords_workbook
from xuanju.accounts.models import Role, User
from xuanju.elections.models import Meeting
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_manage, require, user_of
from xuanju.web import add_action_error, paginate, query_without_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manager(request: HttpRequest) -> User:
    user = user_of(request)
    require(actions.is_account_manager(user))
    return user


def _slips(
    request: HttpRequest, issued: list[Issued], title: str, back: str, meeting: Meeting | None = None
) -> HttpResponse:
    """The one-time sign-in slips: shown in the response to the POST that made the passwords,
    never stored, never shown again (a lost slip means resetting the password)."""
    response = render(
        request,
        "accounts/slips.html",
        {
            "issued": issued,
            "title": title,
            "back": back,
            "meeting": meeting,
            "login_url": request.build_absolute_uri(reverse("login")),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# --- list, create, change -----------------------------------------------------------------


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    accounts = actions.manageable_accounts(user)
    q = request.GET.get("q", "")
    accounts = actions.search(accounts, q)
    role = request.GET.get("role", "")
    if role in Role.values:
        accounts = accounts.filter(role=role)
    if request.GET.get("inactive") != "1":
        accounts = accounts.filter(is_active=True)
    return render(
        request,
        "accounts/account_list.html",
        {
            "page_obj": paginate(request, accounts.order_by("organization__path", "username")),
            "query": query_without_page(request),
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = AccountForm(request.POST or None, organizations=subtree(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = actions.create_account(
                user, data["username"], data["display_name"], data["organization"], data["role"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            return _slips(request, [issued], "账号已建立", reverse("account_list"))
    return render(
        request,
        "form.html",
        {
            "title": "新建账号",
            "form": form,
            "cancel_url": reverse("account_list"),
            "intro": "系统生成初始密码，只显示一次，请打印交给本人；本人首次登录须修改密码。",
            "submit": "建立账号",
        },
    )


def _managed(user: User, pk: int) -> User:
    return get_object_or_404(actions.manageable_accounts(user), pk=pk)


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    account = _managed(user, pk)
    form = ChangeAccountForm(
        request.POST or None,
        organizations=subtree(user),
        initial={"role": account.role, "organization": account.organization},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_account(
                user, account, form.cleaned_data["role"], form.cleaned_data["organization"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, f"账号“{account.username}”已修改")
            return redirect("account_detail", account.pk)
    return render(request, "accounts/account_detail.html", {"account": account, "form": form})


@login_required
@require_POST
def account_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    account = _managed(user, pk)
    try:
        issued = actions.reset_password(user, account)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("account_detail", account.pk)
    return _slips(request, [issued], "密码已重设", reverse("account_detail", args=[account.pk]))


@login_required
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    account = _managed(user, pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_active(user, account, active)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"账号“{account.username}”已{'恢复' if active else '停用'}")
    return redirect("account_detail", account.pk)


# --- bulk -----------------------------------------------------------------------------------


def _xlsx(issued: list[Issued], name: str) -> FileResponse:
    response = FileResponse(
        io.BytesIO(passwords_workbook(issued)), as_attachment=True, filename=name, content_type=XLSX
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def bulk_secretaries(request: HttpRequest) -> HttpResponseBase:
    user = _manager(request)
    form = SecretariesForm(request.POST or None, organizations=subtree(user))
    if request.method == "POST" and form.is_valid():
        top: Organization = form.cleaned_data["top"]
        try:
            issued = actions.secretary_accounts(
                user, actions.organizations_without_secretary(user, top), form.cleaned_data["username_prefix"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            return _xlsx(issued, f"书记账号初始密码-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "form.html",
        {
            "title": "批量建立书记账号",
            "form": form,
            "cancel_url": reverse("account_list"),
            "intro": "为所选党组织及其下级中还没有书记账号的每个党组织建立一个书记账号，下载初始密码表（.xlsx）"
            "分发给各书记；本人首次登录须修改密码。密码表只能下载这一次，请妥善保管。",
            "submit": "建立账号并下载密码表",
        },
    )


@login_required
def bulk_members(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _manager(request)
    org = get_object_or_404(subtree(user), pk=pk)
    members = org.members.filter(left_on__isnull=True).exclude(accounts__is_active=True).order_by("name")
    form = MembersForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            issued = actions.member_accounts(user, form.cleaned_data["members"], form.cleaned_data["role"])
        except ActionError as error:
            add_action_error(form, error)
        else:
            return _xlsx(issued, f"{org.name}账号初始密码-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "form.html",
        {
            "title": f"为{org.name}的党员建立账号",
            "org": org,
            "form": form,
            "cancel_url": reverse("account_list"),
            "intro": "所列为在册且还没有账号的党员。建立后下载初始密码表（.xlsx），只能下载这一次。",
            "submit": "建立账号并下载密码表",
        },
    )


# --- meeting roles ----------------------------------------------------------------------------


@login_required
def meeting_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("election__organization"), pk=pk)
    user = user_of(request)
    require(can_manage(user, meeting.election.organization))
    if request.method == "POST":
        try:
            issued = actions.issue_meeting_accounts(user, meeting, reissue=request.POST.get("reissue") == "1")
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("meeting_accounts", meeting.pk)
        return _slips(
            request,
            issued,
            f"{meeting.get_kind_display()}计票、监票账号",
            reverse("meeting_accounts", args=[meeting.pk]),
            meeting,
        )
    accounts = {a.member_id: a for a in actions.meeting_accounts(meeting)}
    rows: list[dict[str, Any]] = [
        {"role": r, "account": accounts.get(r.member_id)}
        for r in meeting.roles.select_related("member").order_by("role", "pk")
    ]
    election = meeting.election
    return render(
        request,
        "accounts/meeting_accounts.html",
        {"meeting": meeting, "election": election, "org": election.organization, "rows": rows},
    )


# --- the holder's own password ------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's own password also ends the obligation a reset put on it (and is audited)."""

    template_name = "form.html"
    extra_context = {"title": "修改密码", "cancel_url": "/"}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        if isinstance(user, User):
            actions.password_changed(user)
        return response
