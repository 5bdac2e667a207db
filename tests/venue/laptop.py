"""A venue laptop's part of the end-to-end test, run in its own process on its own database
(``XUANJU_DATA``) with the network guard of venue mode installed first:

    python -m tests.venue.laptop start  ELECTION_ID USB_FOLDER
    python -m tests.venue.laptop finish ELECTION_ID RESULTS_FILE

Before touching anything it checks that the process cannot connect anywhere but loopback. "start"
holds the meeting up to the middle of the committee's count and writes the automatic backup to the
USB folder, then stops as a laptop that dies would (no export, no clean shutdown). "finish" goes on
(on a second laptop restored from that backup), reads the venue key's fingerprint off the count
report page as the organizer reads it off the paper, and exports the results package with the
command. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from typing import Any

from xuanju.venue import netguard


def network_checks() -> dict[str, Any]:
    refused = []
    for address in (("192.0.2.1", 80), ("8.8.8.8", 53), ("2001:db8::1", 443)):
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        try:
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.settimeout(1)
                probe.connect(address)
        except netguard.NetworkRefused:
            refused.append(address[0])
        except OSError:
            pass  # refused by the machine, not by the guard: the check fails below
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            loopback = True
    return {"refused": refused, "loopback": loopback}


def report_fingerprint(election_id: int) -> str:
    """The fingerprint printed on the committee's count report, as the page shows it."""
    from django.test import Client

    from xuanju.accounts.models import User
    from xuanju.elections.models import Round

    user = User.objects.get(username="village")
    user.set_password("venue-meeting-pass-9")  # the organizer changed the initial password
    user.must_change_password = False
    user.save()
    client = Client()
    client.force_login(user)
    round_ = Round.objects.get(contest__election_id=election_id, contest__post="committee_member", number=1)
    response = client.get(f"/rounds/{round_.pk}/report/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    found = re.search(r"会场密钥指纹 ([0-9A-F-]{39})", page)
    return found.group(1) if found else ""


def pages(election_id: int) -> dict[str, Any]:
    """What venue mode serves (the meeting) and refuses (the rest of the application)."""
    from django.test import Client

    from xuanju.accounts.models import User
    from xuanju.elections.models import Election

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="village"))
    election = Election.objects.get(pk=election_id)
    meeting = election.meetings.order_by("pk").first()
    paths = {
        "home": "/",
        "election": f"/elections/{election.pk}/",
        "meeting": f"/meetings/{meeting.pk}/" if meeting else "",
        "documents": f"/elections/{election.pk}/documents/",
        "organization": f"/organizations/{election.organization_id}/edit/",
        "plan": f"/elections/{election.pk}/plan/edit/",
        "admin": "/admin/",
    }
    answers: dict[str, Any] = {}
    for name, path in paths.items():
        response = client.get(path)
        answers[name] = [response.status_code, response.get("Location", "")]
        if response.status_code == 403:
            answers[name].append("会场模式只用于本次会议" in response.content.decode())
    # Every link of the navigation bar on the election page must lead somewhere venue mode serves.
    page = client.get(paths["election"]).content.decode()
    nav = re.search(r"<nav>(.*?)</nav>", page, re.S)
    links = re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []
    answers["nav"] = {link: client.get(link).status_code for link in links}
    return answers


def main() -> None:
    netguard.install()
    checks = network_checks()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    import django

    django.setup()
    from tests.venue import meeting

    phase, election_id, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    out: dict[str, Any] = {"network": checks}
    if phase == "start":
        from pathlib import Path

        from xuanju.venue.usb import AutoBackup

        meeting.start(election_id)
        out["backup"] = str(AutoBackup(Path(path)).run_once())
    else:
        from xuanju.cli import main as xuanju

        meeting.finish(election_id)
        out["fingerprint"] = report_fingerprint(election_id)
        out["pages"] = pages(election_id)
        out["export_status"] = xuanju(["venue", "export", "-o", path])
    out["outcome"] = meeting.outcome(election_id)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
