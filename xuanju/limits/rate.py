"""Rate limits of the anonymous routes (the misconduct report form and the follow-up lookup), per
client address and fixed window, without keeping the address (R-SUP-1, R-SUP-2).

The address (from ``xuanju.hosting.client_address``: the proxy's ``X-Forwarded-For`` only behind
``XUANJU_PROXY``) is never stored: the key of a count is ``HMAC(window secret, route | address)``,
the window secret being ``HMAC(SECRET_KEY, window number)``, and every count of an earlier window is
deleted whenever a request is counted. Only POSTs count: reading the form costs nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuanju.hosting import client_address
from xuanju.limits.models import WindowCount

# route name -> (requests allowed per window, window length in seconds)
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "report_new": (5, 600),
    "report_follow_up": (20, 600),
}


def limit_of(route: str) -> tuple[int, int]:
    limits: dict[str, tuple[int, int]] = getattr(settings, "XUANJU_RATE_LIMITS", {})
    return limits.get(route, DEFAULT_LIMITS[route])


def window_key(route: str, address: str, window: int) -> str:
    secret = hmac.new(settings.SECRET_KEY.encode(), f"xuanju.limits:{window}".encode(), hashlib.sha256)
    return hmac.new(secret.digest(), f"{route}|{address}".encode(), hashlib.sha256).hexdigest()


def count_request(route: str, address: str, now: float | None = None) -> int:
    """Count one request of ``address`` to ``route`` and return its count in the current window."""
    _limit, length = limit_of(route)
    window = int((time.time() if now is None else now) // length)
    key = window_key(route, address, window)
    with transaction.atomic():
        WindowCount.objects.filter(window__lt=window).delete()
        if not WindowCount.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    WindowCount.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # another worker created it first
                WindowCount.objects.filter(key=key).update(count=F("count") + 1)
        return WindowCount.objects.get(key=key).count


def rate_limited(route: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a POST to the view with 429 once its address passed the route's limit in this window."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                limit, length = limit_of(route)
                address = client_address(request.META, settings.HOSTING.proxy)
                if count_request(route, address) > limit:
                    response = render(
                        request, "limits/too_many.html", {"minutes": max(1, length // 60)}, status=429
                    )
                    response["Retry-After"] = str(length)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
