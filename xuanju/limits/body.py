"""Request body limits per route: a form is small, an upload is as large as its route allows.

Checked against ``Content-Length`` before anything reads the body, so an oversized request is
answered at once with 413 and a Chinese page instead of being read. The forms' own checks (file size,
number of rows) still give the precise message for files within these bounds; nginx's
``client_max_body_size`` (deploy/nginx/xuanju.conf) is the largest of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

MB = 1024 * 1024
FORM_BYTES = 1 * MB  # every form without a file: the longest report or document text fits many times
UPLOAD_BYTES = {
    "scan_round": 512 * MB,  # a batch of scanned sheets: up to 1000 files (counting/forms_scan.py)
    "test_deck": 120 * MB,  # the scanned test deck: a few files (counting/views_adjudicate.py)
    "roster_import": 12 * MB,  # one .xlsx of at most 10 MB (organizations/roster/reading.py)
    "adjustment_create": 12 * MB,  # one approval document of at most 10 MB (organizations/forms.py)
    "venue_import": 65 * MB,  # a venue's results package of at most 64 MB (venue/signing.py)
}


def body_limit(request: HttpRequest) -> int:
    try:
        name = resolve(request.path_info).url_name
    except Resolver404:
        return FORM_BYTES
    return UPLOAD_BYTES.get(name or "", FORM_BYTES)


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > FORM_BYTES:  # only then is the route looked up
            limit = body_limit(request)
            if length > limit:
                return render(request, "limits/too_large.html", {"limit_mb": max(1, limit // MB)}, status=413)
        return self.get_response(request)
