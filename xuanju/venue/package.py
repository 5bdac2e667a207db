"""The meeting package (``xuanju.venue-meeting/1``): what a venue laptop needs to hold one election's
members' meeting and first plenary, and nothing more.

Exported by the central system once the upper level approved the candidates (R-RPT-4), signed with
the county's key. It carries the election and its contests, the roll (names and the right to vote and
to stand; never an ID number, a phone or a birth date), the candidates, the procedure's parameters the
meeting is asked to adopt, the accounts appointed for the meeting (names and roles, no passwords: the
venue sets its own) and the ballot layout (the candidates in ballot order, R-BAL-1).

Primary keys travel with the records: the venue database holds the election, its contests,
candidates and members under the central numbers, so a ballot's candidate key (``c<pk>``) and a
member named at the venue mean the same at home (:mod:`xuanju.venue.merge`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from xuanju.accounts.models import User
from xuanju.audit.trail import record
from xuanju.elections.models import Candidate, Election, ElectionForm, ElectionKind, ElectionStatus, Meeting
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.models import Member
from xuanju.organizations.services import rights_of
from xuanju.venue import keys, signing

MEETING_FORMAT = "xuanju.venue-meeting/1"


class PackageRefused(Exception):
    """The election cannot go to a venue (yet); the message is Chinese and says why."""


def _roll(election: Election, day: date) -> list[dict[str, Any]]:
    """Everyone on the roll of the organization (and beneath it), with their rights on ``day``."""
    members = Member.objects.within(election.organization).on_roll().prefetch_related("restrictions")
    rows = []
    for member in members.order_by("pk"):
        rights = rights_of(member, day)
        rows.append(
            {"id": member.pk, "name": member.name, "vote": rights.can_vote, "stand": rights.can_stand}
        )
    return rows


def _contests(election: Election) -> list[dict[str, Any]]:
    contests = []
    for contest in election.contests.order_by("position", "pk"):
        standing = list(
            contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).select_related("member").order_by("pk")
        )
        contests.append(
            {
                "id": contest.pk,
                "post": contest.post,
                "name": contest.get_post_display(),
                "seats": contest.seats,
                "position": contest.position,
                "candidates": [
                    {"id": c.pk, "key": c.key, "member": c.member_id, "name": c.member.name, "order": c.order}
                    for c in standing
                ],
                # The ballot layout: the order the names are printed in (R-BAL-1).
                "ballot": [c.key for c in ballot_order(standing)],
            }
        )
    return contests


def _accounts(election: Election) -> list[dict[str, Any]]:
    """The organization's own active accounts (its secretary, counters, scrutineers): the people
    appointed to run the meeting. Accounts of the levels above stay at home."""
    accounts = User.objects.filter(organization=election.organization, is_active=True, is_superuser=False)
    return [
        {"username": u.username, "display_name": u.display_name, "role": u.role, "member": u.member_id}
        for u in accounts.order_by("username")
    ]


def procedure_defaults() -> dict[str, Any]:
    """The procedure's parameters the meeting is asked to adopt: the system's defaults (R-CNT-1,
    R-CNT-4, R-CNT-5, R-CNT-8, R-BAL-5); the meeting adopts them by vote or changes them (R-MEET-3)."""
    fields = (
        "majority_base",
        "tie_revote_needs_majority",
        "reduction_reading",
        "pre_election_needs_majority",
        "issued_over_present_voids",
        "counting_method",
    )
    defaults: dict[str, Any] = {}
    for name in fields:
        field = Meeting._meta.get_field(name)
        assert isinstance(field, models.Field)
        defaults[name] = field.get_default()
    return defaults


def election_content(election: Election) -> dict[str, Any]:
    """The part of the package that must still be true at home when the results come back: the
    election, the roll, the contests and candidates, the procedure and the accounts."""
    org = election.organization
    return {
        "election": {
            "id": election.pk,
            "name": str(election),
            "kind": election.kind,
            "form": election.form,
            "title": election.title,
            "has_committee": election.has_committee,
            "committee_seats": election.committee_seats,
            "deputy_seats": election.deputy_seats,
            "term_years": election.term_years,
            "planned_on": election.planned_on.isoformat(),
            "minimum_party_age": election.minimum_party_age,
        },
        "organization": {
            "id": org.pk,
            "name": org.name,
            "kind": org.kind,
            "sector": org.sector,
            "approved_committee_size": org.approved_committee_size,
            "has_standing_committee": org.has_standing_committee,
        },
        "roll": _roll(election, election.planned_on),
        "contests": _contests(election),
        "procedure": procedure_defaults(),
        "accounts": _accounts(election),
    }


def check_exportable(election: Election) -> None:
    """Only a members' meeting whose candidates the upper level approved goes to a venue, before
    any of its meetings opened at home (R-RPT-4)."""
    if election.kind != ElectionKind.COMMITTEE or election.form != ElectionForm.MEMBERS_MEETING:
        raise PackageRefused(
            "会场数据包只用于党员大会进行的换届选举；党员代表大会、代表选举和补选请在中心系统中进行"
        )
    if election.status != ElectionStatus.CANDIDATES_APPROVED:
        raise PackageRefused(
            f"现在是“{election.get_status_display()}”阶段：上级同意候选人后、召开选举大会前才能导出会场数据包"
        )
    if election.meetings.exists():
        raise PackageRefused("这次选举已在中心系统中开始开会，不能再导出到会场")


def meeting_payload(election: Election) -> dict[str, Any]:
    check_exportable(election)
    return {
        "format": MEETING_FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        **election_content(election),
    }


# --- what changed since the export ----------------------------------------------------------------


def differences(exported: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between the package's content and the election as it stands now, in Chinese
    sentences naming the people and posts; empty when nothing that matters changed."""
    found: list[str] = []
    old_contests = {c["id"]: c for c in exported.get("contests", [])}
    new_contests = {c["id"]: c for c in now["contests"]}
    for key, contest in old_contests.items():
        current = new_contests.get(key)
        if current is None:
            found.append(f"选举职务“{contest['name']}”已被删除")
            continue
        if current["seats"] != contest["seats"]:
            found.append(f"{contest['name']}应选人数由 {contest['seats']} 人改为 {current['seats']} 人")
        before = {c["id"]: c["name"] for c in contest["candidates"]}
        after = {c["id"]: c["name"] for c in current["candidates"]}
        found += [
            f"{contest['name']}候选人{name}已被撤下或不再是候选人"
            for k, name in before.items()
            if k not in after
        ]
        found += [f"{contest['name']}新增了候选人{name}" for k, name in after.items() if k not in before]
        if [k for k in contest["ballot"] if k in after] != [k for k in current["ballot"] if k in before]:
            found.append(f"{contest['name']}候选人在选票上的排列顺序已改变")
    found += [f"新增了选举职务“{c['name']}”" for k, c in new_contests.items() if k not in old_contests]
    old_roll = {p["id"]: p for p in exported.get("roll", [])}
    new_roll = {p["id"]: p for p in now["roll"]}
    for key, person in old_roll.items():
        current = new_roll.get(key)
        if current is None:
            found.append(f"党员{person['name']}已不在本组织名册上")
        elif (current["vote"], current["stand"]) != (person["vote"], person["stand"]):
            found.append(f"党员{person['name']}的选举权或被选举权已改变")
        elif current["name"] != person["name"]:
            found.append(f"党员{person['name']}的姓名已改为{current['name']}")
    found += [f"名册上新增了党员{p['name']}" for k, p in new_roll.items() if k not in old_roll]
    for section, label in (("election", "选举的基本信息"), ("organization", "党组织的信息")):
        old, new = exported.get(section, {}), now[section]
        changed = sorted(k for k in new if k != "name" and old.get(k) != new[k])
        if changed:
            found.append(f"{label}已改变（{'、'.join(changed)}）")
    return found


# --- export ------------------------------------------------------------------------------------

EXPORT_ACTION = "venue_export_meeting"


def export_meeting(actor: str, election: Election, output: Path) -> signing.Signed:
    """Sign the election's meeting package with the county key, write it to ``output`` and record
    its digest in the audit trail (the import checks the results came from this package)."""
    payload = meeting_payload(election)
    key = keys.county_key()
    signed = signing.sign(key, payload)
    with transaction.atomic():
        record(
            actor,
            EXPORT_ACTION,
            election,
            after={"digest": signing.digest(payload), "file": output.name},
            summary=f"{election}：导出会场数据包（县级密钥指纹 {signing.fingerprint(key.public_key())}）",
        )
        signing.write_signed(output, signed)
    return signing.Signed(payload, signing.raw_public(key.public_key()), signing.digest(payload))
