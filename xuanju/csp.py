"""The Content-Security-Policy of every page: scripts only from our own static files, styles from our
files and from the ``<style>`` blocks of our templates (which carry the per-response nonce), nothing
inline in attributes, nothing from other sites. An injected ``<script>`` or ``onclick=`` would not run.

Templates write ``<style nonce="{{ csp_nonce }}">``; behaviour goes in ``xuanju/static/xuanju/*.js``
(``site.js`` binds ``data-print`` and ``data-autosubmit`` on every page).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.setdefault(HEADER, policy(nonce))
        return response


def nonce(request: HttpRequest) -> dict[str, str]:
    """Template context: ``csp_nonce`` for the ``<style>`` blocks."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
