"""The first-run page and the inbox page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xuanju.account_admin.forms import SetupForm
from xuanju.account_admin.setup import code_matches, initialize, is_empty
from xuanju.accounts import inbox
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import user_of
from xuanju.web import add_action_error


def first_run(request: HttpRequest) -> HttpResponse:
    """Set up an empty installation once: the top organization and its organization department's
    first account. Gone (404) as soon as any organization exists; the form carries Django's CSRF
    token, asks for the setup code printed on the server's console, and the action itself refuses
    if another first run won the race (xuanju.account_admin.setup)."""
    if not is_empty():
        raise Http404("已完成初始化")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not code_matches(data["code"]):
            form.add_error("code", "初始化码不对：请查看启动 xuanju serve 的服务器控制台上显示的初始化码")
        else:
            try:
                initialize(
                    f"首次运行页面（{data['username']}）",
                    data["name"],
                    data["kind"],
                    data["sector"],
                    data["username"],
                    data["display_name"],
                    password=data["password1"],
                )
            except ActionError as error:
                add_action_error(form, error)
            else:
                messages.success(request, "初始化完成，请用刚才设定的用户名和密码登录")
                return redirect("login")
    return render(request, "accounts/first_run.html", {"form": form})


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    sections = inbox.sections(user)
    return render(
        request,
        "accounts/inbox.html",
        {"sections": sections, "total": sum(len(s.items) for s in sections)},
    )
