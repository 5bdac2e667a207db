"""The users of benchmarks/load.py for Locust: who reads what, in what proportion.

Run by load.py (``locust -f benchmarks/load_locustfile.py --headless …``), which passes the plan in
the environment (``XUANJU_LOAD_PLAN``: session cookies and URLs per kind of user, JSON).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(os.environ.get("XUANJU_LOAD_PLAN", "{}"))


def _closing(user: HttpUser) -> None:
    """One connection a request, as gunicorn sees it behind deploy/nginx/xuanju.conf (nginx speaks
    HTTP/1.0 to its upstream, without keep-alive). Kept-alive connections from 50 clients that
    think 1–3 s raced gunicorn's 2 s keep-alive close: the client reused a socket the server had
    just closed and Locust counted a status 0, which no browser behind nginx would see."""
    user.client.headers["Connection"] = "close"


def _failed(status: int, error: object) -> str:
    return f"HTTP {status}" if status else f"no response: {type(error).__name__}"


class _Signed(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(1, 3)  # a person reading a page before the next click

    def on_start(self) -> None:
        account = random.choice(PLAN[self.kind])  # an account and the pages it may read
        self.client.cookies.set("sessionid", account["session"])
        _closing(self)
        self.urls: dict[str, list[str]] = account["urls"]

    def _get(self, page: str) -> None:
        if not self.urls.get(page):  # e.g. a township without elections of its own to trail
            return
        url = random.choice(self.urls[page])
        with self.client.get(url, name=page, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(_failed(response.status_code, response.error))
            elif "/login/" in str(response.url) or response.history:
                response.failure("redirected (to the login page?)")


class Department(_Signed):
    """An organization department (county or township) watching its organizations."""

    kind = "department"
    weight = 4

    @task(3)
    def monitor(self) -> None:
        self._get("monitor")

    @task(2)
    def compliance(self) -> None:
        self._get("compliance")

    @task(1)
    def reserve_depth(self) -> None:
        self._get("reserve depth")

    @task(1)
    def trail(self) -> None:
        self._get("election trail")


class Secretary(_Signed):
    """A branch secretary on the election and its documents."""

    kind = "secretary"
    weight = 3

    @task(3)
    def election(self) -> None:
        self._get("election")

    @task(2)
    def documents(self) -> None:
        self._get("documents")

    @task(1)
    def document_pdf(self) -> None:
        self._get("document pdf")

    @task(1)
    def document_docx(self) -> None:
        self._get("document docx")


class Member(_Signed):
    """A member reading the notices."""

    kind = "member"
    weight = 3

    @task
    def notices(self) -> None:
        self._get("notices")


_DESK_SLOTS = itertools.count()
_KEY = re.compile(r'<input[^>]*name="key"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CountingDesk(HttpUser):
    """One of the two counting desks (甲、乙录入) of a members' meeting: both read the same stack of
    unnumbered sheets in the same order, the desk page offering the next batch-position each time."""

    fixed_count = 2
    wait_time = between(3, 6)  # a counter reads a sheet's marks and types them

    def on_start(self) -> None:
        desk = PLAN["desk"][next(_DESK_SLOTS) % len(PLAN["desk"])]
        self.client.cookies.set("sessionid", desk["session"])
        _closing(self)
        self.url: str = desk["url"]
        self.readings: list[str] = desk["readings"]
        self.page = ""

    @task
    def enter(self) -> None:
        if not self.page:
            with self.client.get(self.url, name="desk", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(_failed(response.status_code, response.error))
                    return
                self.page = response.text
        token, field = _TOKEN.search(self.page), _KEY.search(self.page)
        value = _VALUE.search(field.group(0)) if field else None
        if token is None or value is None:
            self.page = ""
            return
        key = value.group(1)  # "batch-position": the same sheet gets the same reading at both desks
        reading = self.readings[sum(int(n) for n in key.split("-")) % len(self.readings)]
        data = {"csrfmiddlewaretoken": token.group(1), "key": key, "reading": reading, "count": "1"}
        with self.client.post(self.url, data=data, name="desk entry", catch_response=True) as response:
            self.page = response.text if response.status_code == 200 else ""
            if response.status_code != 200 or not response.history:
                response.failure(
                    f"{_failed(response.status_code, response.error)}, not entered (no redirect back to the desk)"
                )
