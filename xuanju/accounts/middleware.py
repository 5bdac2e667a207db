"""What an account's state requires on every request after sign-in.

- An account whose password someone else chose (new, or reset) must change it first: every page
  but the password change and signing out leads there.
- A meeting's counter or scrutineer account stops working when the meeting ends: it is signed out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from xuanju.accounts.models import User

ALLOWED_WHILE_CHANGING = {"password_change", "password_change_done", "logout", "login"}


class AccountStateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            if user.meeting_expired:
                logout(request)
                messages.error(request, "会议已结束，本次会议的计票、监票账号已失效")
                return redirect("login")
            if user.must_change_password and _name(request) not in ALLOWED_WHILE_CHANGING:
                messages.info(request, "您的密码是他人设定的，请先修改密码再继续")
                return redirect("password_change")
        return self.get_response(request)


def _name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
