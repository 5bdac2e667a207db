"""The venue kit's parts on their own: the network guard, fingerprints, what may be exported, how a
change since the export is worded, and the commands' answers to bad input."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.utils import timezone

from tests import factories as f
from tests.venue.world import prepared_election
from xuanju.cli import main as xuanju
from xuanju.venue import netguard, package, signing

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        (("127.0.0.1", 80), True),
        (("127.8.9.1", 80), True),
        (("::1", 80, 0, 0), True),
        (("localhost", 80), True),
        ("/run/some.sock", True),
        (("192.168.1.10", 80), False),
        (("10.0.0.1", 443), False),
        (("2001:db8::1", 443, 0, 0), False),
        (("example.org", 80), False),  # a name would need the network to resolve
    ],
)
def test_only_loopback_counts_as_this_machine(address, loopback):
    assert netguard.is_loopback(address) is loopback


def test_the_guard_refuses_udp_too_once_installed_in_a_child(tmp_path):
    """Installed in a child process (never in the test process itself): a datagram to a DNS server is
    refused as a connection is, and so is looking up a host name (a DNS query)."""
    import subprocess
    import sys

    script = (
        "import socket\nfrom xuanju.venue import netguard\nnetguard.install()\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "try:\n    s.sendto(b'x', ('8.8.8.8', 53))\nexcept netguard.NetworkRefused:\n    print('refused')\n"
        "try:\n    socket.getaddrinfo('example.org', 80)\nexcept netguard.NetworkRefused:\n    print('no-dns')\n"
        "socket.getaddrinfo('localhost', 80)\nsocket.getaddrinfo('192.0.2.1', 80)\n"
        "s.sendto(b'x', ('127.0.0.1', 9))\nprint('loopback')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.split() == ["refused", "no-dns", "loopback"], done.stderr
    assert not netguard.installed()  # this process is untouched


def test_a_fingerprint_is_read_as_typed():
    typed = " 3f2a 91c2-0b5e:4436 7f3a91c2 0b5e4436 "
    assert signing.normalize_fingerprint(typed) == "3F2A-91C2-0B5E-4436-7F3A-91C2-0B5E-4436"
    with pytest.raises(signing.SigningError, match="32 位十六进制"):
        signing.normalize_fingerprint("3F2A-91C2")


@pytest.mark.django_db
def test_only_an_approved_members_meeting_is_exported(tmp_path):
    tree, _ = f.village_due_for_reelection(TODAY)
    from xuanju.elections import actions

    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="就绪")
    with pytest.raises(package.PackageRefused, match="上级同意候选人后、召开选举大会前"):
        package.meeting_payload(election)


@pytest.mark.django_db
def test_a_changed_roll_and_seats_are_named():
    election = prepared_election()
    exported = package.election_content(election)
    people = list(election.organization.members.order_by("pk"))
    from xuanju.organizations.models import Member

    Member.objects.filter(pk=people[5].pk).update(left_on=TODAY)
    Member.objects.filter(pk=people[6].pk).update(status="probationary", full_member_on=None)
    election.contests.filter(post="committee_member").update(seats=4)
    found = package.differences(exported, package.election_content(election))
    assert f"党员{people[5].name}已不在本组织名册上" in found
    assert f"党员{people[6].name}的选举权或被选举权已改变" in found
    assert "委员应选人数由 5 人改为 4 人" in found


@pytest.mark.django_db
def test_the_commands_answer_bad_input_in_chinese(tmp_path, capsys):
    with override_settings(KEYS_DIR=tmp_path / "keys"):
        election = prepared_election()
        assert xuanju(["venue", "export-meeting", str(election.pk), "-o", str(tmp_path / "p.json")]) == 2
        assert "请先运行 xuanju keys init" in capsys.readouterr().err
        assert xuanju(["keys", "init"]) == 0
        assert xuanju(["keys", "init"]) == 2
        assert "已有密钥，不会覆盖" in capsys.readouterr().err
        assert xuanju(["venue", "export-meeting", "999999", "-o", str(tmp_path / "p.json")]) == 2
        assert "没有编号为 999999 的选举" in capsys.readouterr().err
        missing = tmp_path / "none.json"
        assert xuanju(["venue", "import", str(missing), "--fingerprint", "0" * 32]) == 2
        assert "找不到文件" in capsys.readouterr().err
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"format": "xuanju.election/1"}), encoding="utf-8")
        assert xuanju(["venue", "import", str(bad), "--fingerprint", "0" * 32]) == 2
        assert "不是会场结果数据包" in capsys.readouterr().err
        with pytest.raises(SystemExit) as stopped:  # argparse's way, as for every command
            xuanju(["venue", "import", str(bad)])
        assert stopped.value.code == 2
        assert "命令参数有误" in capsys.readouterr().err


@pytest.mark.django_db
def test_R_BAL_1_venue_mode_refuses_to_print_the_names_in_another_order():
    from xuanju.venue import install

    election = prepared_election()
    payload = package.election_content(election)
    install._check_ballot_order(election, payload)  # the order the county computed: accepted
    payload["contests"][0]["ballot"].reverse()
    with pytest.raises(install.VenueError, match="候选人顺序与中心系统的不同"):
        install._check_ballot_order(election, payload)


@pytest.mark.django_db
def test_the_package_page_downloads_for_the_organizer_only(tmp_path):
    from xuanju.accounts.models import User
    from xuanju.audit.models import AuditRecord

    with override_settings(KEYS_DIR=tmp_path / "keys"):
        election = prepared_election()
        url = f"/elections/{election.pk}/venue/package/"
        organizer = f.client_for(User.objects.get(username="village"))
        assert "xuanju keys init" in organizer.get(url).content.decode()  # no county key yet
        assert "xuanju keys init" in organizer.post(url).content.decode()
        outsider = f.account("outsider", f.org(None, "中共另县委员会", "party_committee"), "org_department")
        assert f.client_for(outsider).post(url).status_code == 403
        assert xuanju(["keys", "init"]) == 0
        response = organizer.post(url)
        assert response["Content-Disposition"].startswith("attachment;")
        saved = tmp_path / "package.json"
        saved.write_bytes(response.content)
        signed = signing.read_signed(saved, package.MEETING_FORMAT, "会场数据包")
        assert signed.payload["election"]["id"] == election.pk
        exported = AuditRecord.objects.filter(action=package.EXPORT_ACTION).get()
        assert exported.after["digest"] == signed.digest and exported.actor == "village"
