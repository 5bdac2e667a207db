"""The users of benchmarks/load.py for Locust: who reads what, in what proportion.

Run by load.py (``locust -f benchmarks/load_locustfile.py --headless …``), which passes the plan in
the environment (``XUANJU_LOAD_PLAN``: session cookies and URLs per kind of user, JSON).
"""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(os.environ.get("XUANJU_LOAD_PLAN", "{}"))


class _Signed(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(1, 3)  # a person reading a page before the next click

    def on_start(self) -> None:
        account = random.choice(PLAN[self.kind])  # an account and the pages it may read
        self.client.cookies.set("sessionid", account["session"])
        self.urls: dict[str, list[str]] = account["urls"]

    def _get(self, page: str) -> None:
        if not self.urls.get(page):  # e.g. a township without elections of its own to trail
            return
        url = random.choice(self.urls[page])
        with self.client.get(url, name=page, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
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
