"""Venue mode: a meeting package checked and installed into the laptop's empty database.

The package must carry the county's signature, and the county key's fingerprint the organizer
brought on paper (``xuanju keys show`` at home) must match it: a package signed by any other key is
refused. The election, its contests and candidates, the roll and the meeting's accounts are then
created under their central numbers; the venue generates its own key (whose fingerprint every count
report prints) and opens its audit chain with a first record that names the package's digest.

The venue folder (``<data>/venue``) keeps the package as it came, the venue key and ``state.json``;
it is part of every backup, so a second laptop restored from the USB stick goes on with the same
package and the same key (docs/venue.md).
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from xuanju.accounts.models import User
from xuanju.audit.trail import record
from xuanju.elections.models import Candidate, Contest, Election, ElectionStatus
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.models import Member, Organization
from xuanju.venue import signing
from xuanju.venue.package import MEETING_FORMAT

PACKAGE_FILE = "meeting-package.json"
STATE_FILE = "state.json"
KEY_FILE = "venue-ed25519.pem"
ACTOR = "会场"
OPEN_ACTION = "venue_open"
# The venue holds names and rights only (R-SUP-1, privacy): the roster's required dates are filled
# with this placeholder, never shown at the venue and never brought back.
PLACEHOLDER_DATE = date(1900, 1, 1)
PASSWORD_LETTERS = "23456789abcdefghjkmnpqrstuvwxyz"


class VenueError(Exception):
    """Venue mode cannot go on; the message is Chinese and says why."""


def venue_dir() -> Path:
    return Path(settings.VENUE_DIR)


@dataclass(frozen=True)
class Venue:
    """The meeting a laptop holds: the package's digest, the election, both fingerprints."""

    package_digest: str
    election_id: int
    county_fingerprint: str
    venue_fingerprint: str

    def key(self) -> Any:
        return signing.load_key(venue_dir() / KEY_FILE)

    def package_envelope(self) -> dict[str, Any]:
        """The signed meeting package as it came (the central system checks its signature again)."""
        data: dict[str, Any] = json.loads((venue_dir() / PACKAGE_FILE).read_text(encoding="utf-8-sig"))
        return data


def current() -> Venue | None:
    """The venue state of this data folder (None: not a venue laptop)."""
    path = venue_dir() / STATE_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Venue(
        data["package_digest"], data["election_id"], data["county_fingerprint"], data["venue_fingerprint"]
    )


USB_FILE = "usb-folder.txt"


def usb_folder() -> Path | None:
    """The USB stick's folder given when venue mode started (backups, the results by default)."""
    path = venue_dir() / USB_FILE
    return Path(path.read_text(encoding="utf-8").strip()) if path.is_file() else None


def set_usb_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (venue_dir() / USB_FILE).write_text(str(folder.resolve()) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Installed:
    venue: Venue
    resumed: bool
    passwords: list[tuple[str, str, str]]  # (username, name, initial password) of a new install
    election_name: str


def _password() -> str:
    return "".join(secrets.choice(PASSWORD_LETTERS) for _ in range(10))


def _create_records(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
    org_data = payload["organization"]
    org = Organization.add_root(
        id=org_data["id"],
        name=org_data["name"],
        kind=org_data["kind"],
        sector=org_data["sector"],
        approved_committee_size=org_data["approved_committee_size"],
        has_standing_committee=org_data["has_standing_committee"],
    )
    Member.objects.bulk_create(
        Member(
            id=person["id"],
            organization=org,
            name=person["name"],
            gender="",
            birth_date=PLACEHOLDER_DATE,
            joined_on=PLACEHOLDER_DATE,
            # The right to vote and stand is all the venue knows (R-VOTE-1..4): a full member
            # votes; one without the right is held as having none (probationary).
            status="full" if person["vote"] else "probationary",
            full_member_on=PLACEHOLDER_DATE if person["vote"] else None,
        )
        for person in payload["roll"]
    )
    org.full_member_count = org.subtree_full_member_count = sum(1 for p in payload["roll"] if p["vote"])
    org.member_count = org.subtree_member_count = len(payload["roll"])
    org.save()
    data = payload["election"]
    election = Election.objects.create(
        id=data["id"],
        kind=data["kind"],
        form=data["form"],
        title=data["title"],
        organization=org,
        status=ElectionStatus.CANDIDATES_APPROVED,
        has_committee=data["has_committee"],
        committee_seats=data["committee_seats"],
        deputy_seats=data["deputy_seats"],
        term_years=data["term_years"],
        planned_on=date.fromisoformat(data["planned_on"]),
        minimum_party_age=0,  # the venue has no dates to count a party age by; the county checked it
    )
    for contest_data in payload["contests"]:
        contest = Contest.objects.create(
            id=contest_data["id"],
            election=election,
            post=contest_data["post"],
            seats=contest_data["seats"],
            position=contest_data["position"],
        )
        Candidate.objects.bulk_create(
            Candidate(
                id=c["id"],
                contest=contest,
                member_id=c["member"],
                stage=Candidate.Stage.CANDIDATE,
                order=c["order"],
            )
            for c in contest_data["candidates"]
        )
    passwords = []
    members = {m.pk for m in Member.objects.all()}
    for account in payload["accounts"]:
        password = _password()
        User.objects.create_user(
            account["username"],
            password=password,
            organization=org,
            role=account["role"],
            display_name=account["display_name"],
            member_id=account["member"] if account["member"] in members else None,
            must_change_password=True,
        )
        passwords.append((account["username"], account["display_name"], password))
    return passwords


def _check_ballot_order(election: Election, payload: dict[str, Any]) -> None:
    """The ballots this laptop prints must list the candidates as the county's did (R-BAL-1): a
    different version of the software (its stroke table) could order them otherwise."""
    for data in payload["contests"]:
        contest = election.contests.get(pk=data["id"])
        standing = list(contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).select_related("member"))
        here = [c.key for c in ballot_order(standing)]
        if here != data["ballot"]:
            raise VenueError(
                f"这台电脑排出的{contest.get_post_display()}候选人顺序与中心系统的不同：请安装与中心系统相同版本的 xuanju"
            )


def install(package_path: Path, county_fingerprint: str) -> Installed:
    """Check the package and install it into the empty database, or resume the venue this data
    folder already holds (after a restart, or on a second laptop restored from the USB stick)."""
    try:
        expected = signing.normalize_fingerprint(county_fingerprint)
        signed = signing.read_signed(package_path, MEETING_FORMAT, "会场数据包")
    except signing.SigningError as error:
        raise VenueError(str(error)) from None
    if signed.fingerprint != expected:
        raise VenueError(
            f"会场数据包的签名密钥指纹是 {signed.fingerprint}，与您输入的县级密钥指纹 {expected} 不符："
            "数据包不是本县系统签发的，不能使用"
        )
    state = current()
    if state is not None:
        if state.package_digest != signed.digest:
            raise VenueError(
                "这台电脑的数据文件夹已用于另一个会场数据包；请换一个空的数据文件夹（XUANJU_DATA）"
            )
        election = Election.objects.filter(pk=state.election_id).first()
        if election is None:
            raise VenueError(
                "数据文件夹中有会场记录，但数据库中没有这次选举：请从 U 盘上的备份恢复（xuanju restore）"
            )
        return Installed(state, True, [], str(election))
    if Organization.objects.exists() or Election.objects.exists():
        raise VenueError("会场模式只能在空数据库中开始：请换一个空的数据文件夹（XUANJU_DATA）")
    folder = venue_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_path = folder / KEY_FILE
    key = signing.load_key(key_path) if key_path.exists() else signing.create_key(key_path)
    venue_fingerprint = signing.fingerprint(key.public_key())
    payload = signed.payload
    with transaction.atomic():
        passwords = _create_records(payload)
        election = Election.objects.get(pk=payload["election"]["id"])
        _check_ballot_order(election, payload)
        # The venue's chain starts from the package: its first record names the package's digest.
        record(
            ACTOR,
            OPEN_ACTION,
            election,
            after={
                "package_digest": signed.digest,
                "county_fingerprint": signed.fingerprint,
                "venue_fingerprint": venue_fingerprint,
            },
            summary=f"会场模式开始：{payload['election']['name']}（会场密钥指纹 {venue_fingerprint}）",
        )
    shutil.copyfile(package_path, folder / PACKAGE_FILE)
    venue = Venue(signed.digest, election.pk, signed.fingerprint, venue_fingerprint)
    state_path = folder / STATE_FILE
    state_path.write_text(json.dumps(venue.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    state_path.chmod(0o600)
    (folder / "fingerprint.txt").write_text(venue_fingerprint + "\n", encoding="utf-8")
    return Installed(venue, False, passwords, str(election))
