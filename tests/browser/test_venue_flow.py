"""The venue kit as the organizer sees it: the venue laptop's server (``xuanju venue PACKAGE``, its
own database, loopback only) in the browser — first sign-in, the election, the meeting, the count
report with the venue key's fingerprint, a page venue mode refuses — and the central import page.

The meeting's own steps between the pages are the ones of tests/venue/meeting.py, run against the
venue's database while its server runs. Set XUANJU_SCREENSHOTS=1 to write the pictures of
docs/venue.md (docs/venue/*.png).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, main, messages
from tests.factories import PASSWORD
from tests.venue.world import ROOT, XUANJU, environment, prepared_election
from xuanju.cli import main as xuanju
from xuanju.venue import signing

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("XUANJU_SCREENSHOTS") == "1"
PICTURES = ROOT / "docs" / "venue"


def shot(page: Page, name: str, full_page: bool = False) -> None:
    if SCREENSHOTS:
        PICTURES.mkdir(exist_ok=True)
        page.screenshot(path=str(PICTURES / f"{name}.png"), full_page=full_page)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_venue(package: Path, fingerprint: str, data: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """``xuanju venue PACKAGE`` as the organizer starts it; the server and village's initial password."""
    command = [str(XUANJU), "venue", str(package), "--county-fingerprint", fingerprint]
    server = subprocess.Popen(
        [*command, "--usb", str(data / "usb"), "--port", str(port)],
        env=environment(data / "laptop"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    password = ""
    assert server.stdout is not None
    for line in server.stdout:
        if line.strip().startswith("village "):
            password = line.split()[-1]
        if "会场模式已启动" in line:
            break
    return server, password


def test_the_venue_and_the_import_page_in_the_browser(page, browser, live_server, tmp_path, settings):
    settings.KEYS_DIR = tmp_path / "keys"
    election = prepared_election()
    assert xuanju(["keys", "init"]) == 0
    package = tmp_path / "会场数据包.json"
    assert xuanju(["venue", "export-meeting", str(election.pk), "-o", str(package)]) == 0
    county = signing.read_signed(package, "xuanju.venue-meeting/1", "会场数据包").fingerprint
    port = free_port()
    server, password = start_venue(package, county, tmp_path, port)
    try:
        context = browser.new_context(
            base_url=f"http://127.0.0.1:{port}", locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        venue = context.new_page()
        log_in(venue, "village", password)
        expect(venue.locator("h1")).to_have_text("修改密码")
        shot(venue, "01-venue-first-sign-in")
        venue.get_by_label("旧密码").fill(password)
        venue.locator("#id_new_password1").fill("venue-meeting-pass-9")
        venue.get_by_label("新密码确认").fill("venue-meeting-pass-9")
        venue.get_by_role("button", name="保存").click()
        venue.goto("/")
        expect(main(venue)).to_contain_text("召开党员大会")
        expect(main(venue)).not_to_contain_text("导入会场结果")  # a central step, not offered here
        shot(venue, "02-venue-election")
        script = (
            "import django; django.setup()\nfrom tests.venue import meeting\n"
            f"meeting.start({election.pk}); meeting.finish({election.pk})\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=environment(tmp_path / "laptop"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        venue.goto("/")
        main(venue).get_by_role("link", name="党员大会", exact=False).first.click()
        shot(venue, "03-venue-meeting")
        venue.goto("/rounds/1/report/")
        fingerprint = venue.locator("#venue-fingerprint").inner_text().split()[-1].rstrip("）")
        shot(venue, "04-venue-count-report", full_page=True)
        venue.goto(f"/organizations/{election.organization_id}/edit/")
        expect(venue.locator("main")).to_contain_text("会场模式只用于本次会议")
        context.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    results = tmp_path / "会场结果.json"
    exported = subprocess.run(
        [str(XUANJU), "venue", "export", "-o", str(results)],
        env=environment(tmp_path / "laptop"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    assert fingerprint in exported.stdout
    log_in(page, "village", PASSWORD)
    page.goto(f"/elections/{election.pk}/")
    main(page).get_by_role("link", name="导入会场结果").click()  # offered on the central system
    page.get_by_label("会场结果数据包").set_input_files(str(results))
    page.get_by_label("会场密钥指纹").fill(fingerprint)
    shot(page, "05-central-import")
    page.get_by_role("button", name="核验并导入").click()
    expect(messages(page)).to_contain_text("逐轮重新计票无误")
    shot(page, "06-central-imported")
    assert election.meetings.count() == 2
