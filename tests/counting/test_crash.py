"""Crash safety of the counting desk (DESIGN.md, Durability): the real server is killed with
SIGKILL in the middle of a stream of desk entries from two counters, then restarted on the same
SQLite file. Every entry whose response had arrived is there, nothing is half-written, and the
desk offers the number after the last one it acknowledged.

The server runs as users run it (``xuanju serve``: gunicorn, SQLite in WAL mode under
XUANJU_DATA); the election is prepared and checked by small scripts in their own processes.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
XUANJU = Path(sys.executable).parent / "xuanju"
PASSWORD = "correct-horse-battery-9"  # tests.factories.PASSWORD

SETUP = """
import json, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", interactive=False, verbosity=0)
from tests.counting.world import open_round_world
world = open_round_world(timezone.localdate())
print(json.dumps({"round": world.round.pk, "candidates": len(world.keys())}))
"""

CHECK = """
import json, django
django.setup()
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.counting.models import DeskEntry
from xuanju.elections.models import BallotEntry
checked, broken = verify_chain()
print(json.dumps({
    "desk": [[e.key, e.slot, e.ballot_id] for e in DeskEntry.objects.order_by("pk")],
    "ballots": [[b.pk, b.sheet, b.source, b.count] for b in BallotEntry.objects.order_by("pk")],
    "audit": {a: AuditRecord.objects.filter(action=a).count() for a in ("enter_at_desk", "record_ballot")},
    "chain_ok": broken is None,
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 302 is the acknowledgement itself: do not follow it


class Browser:
    """A signed-in session over plain HTTP: a cookie jar and the CSRF token from its cookie."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=5) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        """POST ``data``; the status of the response (302 = done and committed)."""
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(self.base + path, body)
        try:
            with self.opener.open(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def log_in(self, username: str) -> None:
        self.get("/login/")
        assert self.post("/login/", {"username": username, "password": PASSWORD}) == 302


def environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return env | {
        "XUANJU_DATA": str(data),
        "XUANJU_SECRET_KEY": "crash-test-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "xuanju.settings",
        "PYTHONPATH": str(ROOT),
    }


def run_script(script: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(
            [str(XUANJU), "serve", "--port", str(port), "--no-demo", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the master and its workers die together
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/login/", timeout=1).close()
            return server, base
        except OSError:
            assert server.poll() is None, log.read_text(errors="replace")
            time.sleep(0.1)
    kill(server)
    pytest.fail("the server did not start: " + log.read_text(errors="replace"))


def kill(server: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, sig)
    server.wait(timeout=10)


def suggested_number(page: str) -> int | None:
    match = re.search(r'<input[^>]*name="key"[^>]*>', page)
    assert match, page[:500]
    value = re.search(r'value="(\d*)"', match.group(0))
    return int(value.group(1)) if value and value.group(1) else None


def test_a_killed_server_loses_no_acknowledged_entry_and_the_desk_resumes(tmp_path):
    env = environment(tmp_path / "data")
    world = run_script(SETUP, env)
    desk = "/rounds/{}/counting/desk/{{}}/".format(world["round"])
    readings = ["o" * 5 + ".", "ox.o..", "....xx", "oooo.x", "x.x.x."]
    log = tmp_path / "server.log"

    server, base = start_server(env, log)
    counters = {1: Browser(base), 2: Browser(base)}
    counters[1].log_in("counter1")
    counters[2].log_in("counter2")
    acknowledged: list[tuple[str, int]] = []
    in_flight: tuple[str, int] | None = None
    # The kill lands while the stream runs, a few milliseconds into the request after the 24th
    # acknowledgement: mid-request or just between two.
    killer = threading.Thread(target=lambda: (time.sleep(random.uniform(0, 0.02)), kill(server)))
    try:
        for serial in range(1, 2000):
            for slot in (1, 2):
                in_flight = (str(serial), slot)
                if len(acknowledged) == 24:
                    killer.start()
                reading = readings[serial % len(readings)]
                status = counters[slot].post(
                    desk.format(slot), {"key": str(serial), "reading": reading, "count": "1"}
                )
                assert status == 302, status  # anything else is a refusal, not a crash
                acknowledged.append(in_flight)
                in_flight = None
    except (OSError, http.client.HTTPException):  # the connection died with the server
        pass
    killer.join()
    assert server.poll() is not None
    assert len(acknowledged) >= 24 and in_flight is not None

    server, base = start_server(env, log)
    try:
        after = Browser(base)
        after.log_in("counter1")
        offered = suggested_number(after.get(desk.format(1)))
        state = run_script(CHECK, env)
        stored = {(key, slot) for key, slot, _ in state["desk"]}
        print(
            f"acknowledged {len(acknowledged)}; in flight {in_flight}; stored besides {stored - set(acknowledged)}"
        )
        # every acknowledged entry survived; at most the one in flight got in besides
        assert set(acknowledged) <= stored
        assert stored - set(acknowledged) <= {in_flight}
        # nothing half-written: a key read twice alike is counted once, a key read once not at all
        slots: dict[str, dict[int, int | None]] = {}
        for key, slot, ballot in state["desk"]:
            slots.setdefault(key, {})[slot] = ballot
        ballots = {pk: (sheet, source, count) for pk, sheet, source, count in state["ballots"]}
        for key, read in slots.items():
            if len(read) == 2:
                assert read[1] is not None and read[1] == read[2] and ballots[read[1]][0] == int(key)
            else:
                assert list(read.values()) == [None]
        assert len(ballots) == sum(1 for read in slots.values() if len(read) == 2)
        assert all(source == "double_entry" and count == 1 for _, source, count in ballots.values())
        assert state["audit"] == {"enter_at_desk": len(stored), "record_ballot": len(ballots)}
        assert state["chain_ok"]
        # the desk resumes after the last number it took
        last = max(int(key) for key, slot in stored if slot == 1)
        assert last >= max(int(key) for key, slot in acknowledged if slot == 1)
        assert offered == last + 1
        # and counting goes on: the other slot finishes what was left half-read
        counters = {1: after, 2: Browser(base)}
        counters[2].log_in("counter2")
        for key, read in slots.items():
            if len(read) == 1:
                (slot,) = read
                reading = readings[int(key) % len(readings)]
                status = counters[3 - slot].post(
                    desk.format(3 - slot), {"key": key, "reading": reading, "count": "1"}
                )
                assert status == 302
        final = run_script(CHECK, env)
        assert all(ballot is not None for _, _, ballot in final["desk"])
    finally:
        kill(server, signal.SIGTERM)
