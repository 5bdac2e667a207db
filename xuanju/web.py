"""What every app's views share: paging, and running a form or a request through one action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from xuanju.shell import ActionError

PAGE_SIZE = 50
T = TypeVar("T")


def paginate(request: HttpRequest, queryset: QuerySet[Any], size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = [(k, v) for k, v in request.GET.items() if k != "page"]
    return urlencode(params) + "&" if params else ""


def add_action_error(form: forms.Form, error: ActionError) -> None:
    """Put an action's refusal next to the field it names, or at the top of the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@dataclass(frozen=True)
class Done(Generic[T]):
    """An action that went through, with what it returned."""

    value: T


def run_action(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    form: forms.Form | None = None,
    success: str | Callable[[T], str] | None = None,
) -> Done[T] | None:
    """Call one action for a view. A refusal (``ActionError``) lands next to the field it names in
    ``form``, or as an error message when there is no form, and gives None; otherwise ``success``
    (a text, or made from what the action returned) is shown and the result comes back in a
    :class:`Done`."""
    try:
        value = action()
    except ActionError as error:
        if form is not None:
            add_action_error(form, error)
        else:
            messages.error(request, error.message)
        return None
    if success is not None:
        messages.success(request, success if isinstance(success, str) else success(value))
    return Done(value)


def run_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    success: str,
    redirect_to: str,
) -> HttpResponseRedirect | None:
    """Validate ``form`` and call ``action`` with its data; a refusal lands next to its field."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except ActionError as error:
        add_action_error(form, error)
        return None
    messages.success(request, success)
    return redirect(redirect_to)


def form_page(request: HttpRequest, title: str, form: Any, cancel_url: str, **extra: Any) -> HttpResponse:
    return render(request, "form.html", {"title": title, "form": form, "cancel_url": cancel_url, **extra})


def confirmation(
    request: HttpRequest, title: str, consequence: str, cancel_url: str, button: str = "确认"
) -> HttpResponse | None:
    """Ask once more before a step that cannot be undone (结束点名、结束计票、删除已计入的选票、
    宣布选举无效): a POST without ``confirm=1`` gets a page stating the consequence, with the same
    fields posted again plus ``confirm=1``, and a cancel link. None: confirmed, go ahead.
    Server-side, so it works without JavaScript and the same way in tests."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "confirm")
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "cancel_url": cancel_url,
            "fields": fields,
            "button": button,
        },
    )
