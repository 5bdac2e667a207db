"""The offline venue kit end to end (issue 20): a meeting package exported from the central
database, the meeting held in venue mode on other databases in other processes that cannot reach
the network — the first laptop dies mid-count and a second one restores the USB stick's automatic
backup and goes on — and the results package imported back: the same result as the online flow.
Then what must be refused: tampering, a wrong fingerprint, an election changed after the export.

The venue processes run the real commands (``xuanju venue PACKAGE``, ``xuanju restore``,
``xuanju venue export``) on SQLite under their own XUANJU_DATA; the meeting itself is driven by
tests/venue/meeting.py, the same code as the online run here.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.test import override_settings

from tests import factories as f
from tests.venue import meeting
from tests.venue.world import ROOT, XUANJU, environment, prepared_election
from tests.worlds import kept_for_the_class
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.cli import main as xuanju
from xuanju.elections.models import Candidate, Election, Post
from xuanju.venue import install, signing
from xuanju.venue.merge import ImportRefused, import_results


def run(command: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, env=environment(data), cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def laptop(phase: str, election: int, path: Path, data: Path) -> dict[str, Any]:
    done = run([sys.executable, "-m", "tests.venue.laptop", phase, str(election), str(path)], data)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class World:
    election: Election
    package: Path
    county_fingerprint: str
    results: Path
    venue_fingerprint: str
    online: dict[str, Any]
    laptops: list[dict[str, Any]]
    second_data: Path
    outputs: list[str]


@pytest.mark.django_db
class TestVenueRoundTrip:
    @pytest.fixture(scope="class")
    def world(self, django_db_setup, django_db_blocker, tmp_path_factory):
        base = tmp_path_factory.mktemp("venue")
        with override_settings(KEYS_DIR=base / "keys"), kept_for_the_class(django_db_blocker):
            w = World()
            w.election = prepared_election()
            w.outputs = []
            assert xuanju(["keys", "init"]) == 0
            w.package = base / "meeting.json"
            assert xuanju(["venue", "export-meeting", str(w.election.pk), "-o", str(w.package)]) == 0
            w.county_fingerprint = signing.read_signed(w.package, "xuanju.venue-meeting/1", "包").fingerprint
            # The online flow on the central database, kept aside and rolled back.
            with transaction.atomic():
                meeting.start(w.election.pk)
                meeting.finish(w.election.pk)
                w.online = meeting.outcome(w.election.pk)
                transaction.set_rollback(True)
            usb, first, second = base / "usb", base / "laptop1", base / "laptop2"
            venue = [str(XUANJU), "venue", str(w.package), "--county-fingerprint", w.county_fingerprint]
            w.outputs.append(run([*venue, "--usb", str(usb), "--prepare"], first).stdout)
            started = laptop("start", w.election.pk, usb, first)
            # The first laptop is gone; the second restores the stick's newest backup and goes on.
            run([str(XUANJU), "restore", started["backup"]], second)
            w.outputs.append(run([*venue, "--usb", str(usb), "--prepare"], second).stdout)
            w.results = base / "results.json"
            finished = laptop("finish", w.election.pk, w.results, second)
            w.laptops = [started, finished]
            w.venue_fingerprint = finished["fingerprint"]
            w.second_data = second
            yield w

    def test_the_venue_processes_could_reach_loopback_only(self, world):
        for run_ in world.laptops:
            assert run_["network"] == {"refused": ["192.0.2.1", "8.8.8.8", "2001:db8::1"], "loopback": True}

    def test_the_package_is_checked_and_the_second_laptop_resumes_it(self, world):
        first, second = world.outputs
        assert "签名核验无误，已装入" in first and "village" in first
        assert "继续会场" in second
        assert world.laptops[0]["outcome"]["rounds"][0][2] is None  # the first laptop died mid-count

    def test_venue_mode_serves_the_meeting_and_refuses_the_rest(self, world):
        pages = world.laptops[1]["pages"]
        election = world.election.pk
        assert pages["home"] == [302, f"/elections/{election}/"]
        assert pages["election"][0] == pages["meeting"][0] == pages["documents"][0] == 200
        for refused in ("organization", "plan", "admin"):
            assert pages[refused] == [403, "", True]
        assert pages["nav"] and set(pages["nav"].values()) == {200}  # no link the laptop refuses

    def test_the_package_holds_names_and_rights_only(self, world):
        payload = json.loads(world.package.read_text(encoding="utf-8"))["payload"]
        assert set(payload["roll"][0]) == {"id", "name", "vote", "stand"}
        text = world.package.read_text(encoding="utf-8")
        for person in world.election.organization.members.all():
            assert person.phone not in text

    def test_import_gives_the_online_result_and_twice_is_harmless(self, world):
        before = AuditRecord.objects.count()
        assert xuanju(["venue", "import", str(world.results), "--fingerprint", world.venue_fingerprint]) == 0
        election = Election.objects.get(pk=world.election.pk)
        assert meeting.outcome(election.pk) == world.online
        assert world.laptops[1]["outcome"] == world.online
        venue_records = AuditRecord.objects.filter(pk__gt=before, action__startswith="venue:")
        assert venue_records.first().action == "venue:venue_open"
        assert all(r.actor.startswith("会场·") for r in venue_records)
        assert verify_chain()[1] is None
        count = AuditRecord.objects.count()
        again = import_results(world.results, world.venue_fingerprint, "organizer")
        assert again.already and AuditRecord.objects.count() == count
        assert election.meetings.count() == 2
        # The merged records read as any meeting's do, with the documents made from them.
        from xuanju.accounts.models import User

        organizer = f.client_for(User.objects.get(username="village"))
        round_ = election.contests.get(post=Post.COMMITTEE_MEMBER).rounds.get()
        for path in (
            f"/meetings/{round_.meeting_id}/",
            f"/rounds/{round_.pk}/result/",
            f"/rounds/{round_.pk}/report/",
            f"/elections/{election.pk}/documents/",
        ):
            assert organizer.get(path).status_code == 200, path

    def test_a_wrong_fingerprint_is_refused(self, world):
        wrong = "0000-1111-2222-3333-4444-5555-6666-7777"
        with pytest.raises(ImportRefused, match="与您输入的会场密钥指纹 0000-1111"):
            import_results(world.results, wrong, "organizer")
        assert not Election.objects.get(pk=world.election.pk).meetings.exists()

    def test_a_changed_ballot_breaks_the_signature(self, world, tmp_path):
        data = json.loads(world.results.read_text(encoding="utf-8"))
        data["payload"]["rounds"][0]["ballots"][0]["marks_for"] = []
        tampered = tmp_path / "tampered.json"
        tampered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(ImportRefused, match="签名不符"):
            import_results(tampered, world.venue_fingerprint, "organizer")

    def _resigned(self, world, tmp_path, change) -> Path:
        """The results package changed by ``change`` and signed again with the venue's own key (one
        who holds the laptop): the signature holds, the contents must not."""
        data = json.loads(world.results.read_text(encoding="utf-8"))
        change(data["payload"])
        key = signing.load_key(world.second_data / "venue" / install.KEY_FILE)
        path = tmp_path / "resigned.json"
        signing.write_signed(path, signing.sign(key, data["payload"]))
        return path

    def test_a_recount_that_differs_is_refused(self, world, tmp_path):
        def change(payload):
            first = payload["rounds"][0]
            first["ballots"][0]["marks_for"] = first["ballots"][0]["marks_for"][:1]
            first["election"]["ballots"][0]["for"] = first["ballots"][0]["marks_for"]

        with pytest.raises(ImportRefused, match="重新计票的结果与会场记录的结果不同"):
            import_results(self._resigned(world, tmp_path, change), world.venue_fingerprint, "organizer")
        assert not Election.objects.get(pk=world.election.pk).meetings.exists()

    def test_ballots_that_differ_from_their_count_are_refused_after_the_central_recount(
        self, world, tmp_path
    ):
        """The round's file left as it was, one stored ballot changed: the rules engine counting the
        merged ballots finds another result, and nothing stays merged."""

        def change(payload):
            ballot = payload["rounds"][0]["ballots"][0]
            ballot["marks_for"] = ballot["marks_for"][:1]

        with pytest.raises(ImportRefused, match="委员第1轮：按选票重新计票的结果与会场记录的结果不同"):
            import_results(self._resigned(world, tmp_path, change), world.venue_fingerprint, "organizer")
        assert not Election.objects.get(pk=world.election.pk).meetings.exists()

    def test_an_altered_venue_audit_record_is_refused(self, world, tmp_path):
        def change(payload):
            payload["audit"]["records"][3]["summary"] = "改过的记录"

        with pytest.raises(ImportRefused, match="第 4 条记录的内容与其校验值不符"):
            import_results(self._resigned(world, tmp_path, change), world.venue_fingerprint, "organizer")

    def test_a_cut_venue_audit_chain_is_refused(self, world, tmp_path):
        def change(payload):
            del payload["audit"]["records"][-1]

        with pytest.raises(ImportRefused, match="链头"):
            import_results(self._resigned(world, tmp_path, change), world.venue_fingerprint, "organizer")

    def test_a_candidate_withdrawn_after_the_export_is_named(self, world):
        committee = world.election.contests.get(post=Post.COMMITTEE_MEMBER)
        withdrawn = committee.candidates.order_by("pk").last()
        Candidate.objects.filter(pk=withdrawn.pk).update(stage=Candidate.Stage.DROPPED)
        with pytest.raises(ImportRefused, match=f"委员候选人{withdrawn.member.name}已被撤下"):
            import_results(world.results, world.venue_fingerprint, "organizer")

    def test_a_package_this_system_never_exported_is_refused(self, world, tmp_path):
        other = Ed25519PrivateKey.generate()
        inner = json.loads(world.package.read_text(encoding="utf-8"))
        forged = signing.sign(other, inner["payload"])

        def change(payload):
            payload["meeting_package"] = forged

        with pytest.raises(ImportRefused, match="不是本系统的县级密钥签发的"):
            import_results(self._resigned(world, tmp_path, change), world.venue_fingerprint, "organizer")

    def test_venue_mode_refuses_a_package_of_another_key_or_altered(self, world, tmp_path):
        with pytest.raises(install.VenueError, match="与您输入的县级密钥指纹"):
            install.install(world.package, "0000-1111-2222-3333-4444-5555-6666-7777")
        data = json.loads(world.package.read_text(encoding="utf-8"))
        data["payload"]["contests"][0]["candidates"][0]["name"] = "冒名"
        altered = tmp_path / "altered.json"
        altered.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(install.VenueError, match="签名不符"):
            install.install(altered, world.county_fingerprint)

    def test_the_documents_travel_in_the_results(self, world):
        payload = json.loads(world.results.read_text(encoding="utf-8"))["payload"]
        kinds = {d["kind"] for d in payload["documents"]}
        assert {"round-result", "roll", "procedure"} <= kinds
        assert all(base64.b64decode(d["docx"])[:2] == b"PK" for d in payload["documents"])

    def test_the_venue_server_runs_on_loopback_and_backs_up_to_the_stick(self, world, tmp_path):
        """``xuanju venue PACKAGE`` as the organizer starts it: the web application answers on
        127.0.0.1 and the stick gets a backup at once."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        usb = tmp_path / "stick"
        command = [str(XUANJU), "venue", str(world.package), "--county-fingerprint", world.county_fingerprint]
        server = subprocess.Popen(
            [*command, "--usb", str(usb), "--port", str(port)],
            env=environment(world.second_data),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            status = None
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as page:
                        status = page.status
                        break
                except OSError:
                    time.sleep(0.5)
            assert status == 200
            assert list(usb.glob("xuanju-backup-*.tar.gz"))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    def test_the_import_page_merges_for_the_organizer_and_refuses_outsiders(self, world):
        from xuanju.accounts.models import User

        url = f"/elections/{world.election.pk}/venue/import/"
        outsider = f.account("outsider", f.org(None, "中共另县委员会", "party_committee"), "org_department")
        assert f.client_for(outsider).get(url).status_code == 403
        organizer = f.client_for(User.objects.get(username="village"))
        assert "核验并导入" in organizer.get(url).content.decode()
        with world.results.open("rb") as upload:
            wrong = organizer.post(url, {"package": upload, "fingerprint": "0000" * 8})
        assert "与您输入的会场密钥指纹" in wrong.content.decode()
        assert not world.election.meetings.exists()
        with world.results.open("rb") as upload:
            done = organizer.post(url, {"package": upload, "fingerprint": world.venue_fingerprint.lower()})
        assert done.status_code == 302
        assert meeting.outcome(world.election.pk) == world.online
