"""The central import of a venue's results package (``xuanju venue import``, the import page).

Before anything is written, the package must hold up on every count, and a refusal names what differs:

1. its signature, by the venue key whose fingerprint the organizer types in from a count report
   printed and signed at the venue (a package signed by any other key is refused);
2. where it came from: the meeting package inside carries the county's signature and is one this
   system exported for this election (its digest is in the audit trail);
3. the election now: nothing that the package fixed changed since the export (a candidate withdrawn,
   a member gone from the roll, seats changed, …) and no meeting of it was held here meanwhile;
4. the venue's audit chain: every record's hash, the link to the one before, the first record
   naming the meeting package's digest and the venue key, the head as the package states it;
5. every round counted again: its ``xuanju.election/1`` document is read as ``xuanju tally`` reads
   it, and the ballot entries, once merged, counted by the rules engine as the online count would:
   both must give the result the venue recorded (R-CNT-1..8, R-BAL-2..5).

The records are then merged in one transaction: meetings, roll call, scrutineers and counters,
rounds with their ballots, the elected, seat reductions, the election's progress; the venue's audit
records are appended to the central chain as ``venue:<action>`` by ``会场·<who>``, each with its venue
hash. Importing the same package again changes nothing; another results package for a meeting already
imported is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from xuanju.audit.models import GENESIS, AuditRecord
from xuanju.audit.trail import record
from xuanju.elections.models import (
    Attendance,
    BallotEntry,
    Candidate,
    Elected,
    Election,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Round,
)
from xuanju.elections.rounds import export_round, result_document
from xuanju.formats.election import parse_election, result_to_data
from xuanju.formats.errors import InputError
from xuanju.rules.tally import tally_round
from xuanju.venue import keys, signing
from xuanju.venue.install import OPEN_ACTION
from xuanju.venue.package import EXPORT_ACTION, MEETING_FORMAT, differences, election_content
from xuanju.venue.results import BALLOT_FIELDS, MEETING_FIELDS, RESULTS_FORMAT

IMPORT_ACTION = "venue_import"


class ImportRefused(Exception):
    """The package is not merged; ``problems`` are Chinese sentences naming what differs."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    election: Election
    already: bool  # the same package was imported before: nothing changed
    rounds: int
    records: int
    digest: str


def _check_chain(
    records: list[dict[str, Any]], head: str, package_digest: str, venue_fingerprint: str
) -> None:
    if not records:
        raise ImportRefused(["会场审计链是空的"])
    previous = GENESIS
    for position, data in enumerate(records, start=1):
        try:
            entry = AuditRecord(
                at=datetime.fromisoformat(data["at"]),
                actor=data["actor"],
                action=data["action"],
                object_type=data["object_type"],
                object_id=data["object_id"],
                summary=data["summary"],
                before=data["before"],
                after=data["after"],
                previous_hash=data["previous_hash"],
            )
        except (KeyError, TypeError, ValueError):
            raise ImportRefused([f"会场审计链第 {position} 条记录的格式不对"]) from None
        if entry.previous_hash != previous:
            raise ImportRefused(
                [f"会场审计链在第 {position} 条处断开：与前一条记录接不上（记录被删除或插入）"]
            )
        if entry.compute_hash() != data.get("hash"):
            raise ImportRefused([f"会场审计链第 {position} 条记录的内容与其校验值不符：记录被改动过"])
        previous = data["hash"]
    first = records[0]
    after = first.get("after") or {}
    if first["action"] != OPEN_ACTION or after.get("package_digest") != package_digest:
        raise ImportRefused(["会场审计链的第一条记录不是从本会场数据包开始的"])
    if after.get("venue_fingerprint") != venue_fingerprint:
        raise ImportRefused(["签名的会场密钥不是会场开始时生成的那一把"])
    if head != previous:
        raise ImportRefused(["会场审计链的链头与数据包所写的不符：链尾的记录被删除或改动"])


def _check_provenance(payload: dict[str, Any]) -> tuple[Election, dict[str, Any]]:
    envelope = payload.get("meeting_package")
    try:
        inner = signing.verify_envelope(envelope, MEETING_FORMAT, "会场数据包")
    except signing.SigningError as error:
        raise ImportRefused([f"结果数据包中的会场数据包无效：{error}"]) from None
    if inner.digest != payload.get("meeting_package_digest"):
        raise ImportRefused(["结果数据包所写的会场数据包摘要与其中的会场数据包不符"])
    county = keys.county_fingerprint()
    if inner.fingerprint != county:
        raise ImportRefused(
            [f"会场数据包不是本系统的县级密钥签发的（签发密钥指纹 {inner.fingerprint}，本系统为 {county}）"]
        )
    election = (
        Election.objects.select_related("organization").filter(pk=inner.payload["election"]["id"]).first()
    )
    exported = AuditRecord.objects.filter(
        action=EXPORT_ACTION, object_type="elections.election", object_id=str(inner.payload["election"]["id"])
    )
    if election is None or not any((r.after or {}).get("digest") == inner.digest for r in exported):
        raise ImportRefused(["本系统没有导出过这个会场数据包：结果不是来自本系统导出的会议"])
    return election, inner.payload


def _merge(election: Election, payload: dict[str, Any]) -> int:
    """Write the venue's records; ImportRefused (rolled back by the caller) when a round counted
    again does not give the venue's result."""
    meetings: dict[str, Meeting] = {}
    for data in payload["meetings"]:
        meeting = Meeting.objects.create(
            election=election,
            held_on=date.fromisoformat(data["held_on"]),
            **{name: data[name] for name in MEETING_FIELDS},
        )
        meetings[meeting.kind] = meeting
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member_id=a["member"],
                present=a["present"],
                excluded_reason=a["excluded_reason"],
                exclusion_consent=a["exclusion_consent"],
            )
            for a in data["attendance"]
        )
        MeetingRole.objects.bulk_create(
            MeetingRole(meeting=meeting, member_id=r["member"], role=r["role"]) for r in data["roles"]
        )
    contests = {c.pk: c for c in election.contests.all()}
    for data in payload["contests"]:
        contest = contests[data["id"]]
        contest.seats_reduced = data["seats_reduced"]
        contest.reduction_consent = data["reduction_consent"]
        contest.reduced_by_presidium = data["reduced_by_presidium"]
        contest.save(update_fields=["seats_reduced", "reduction_consent", "reduced_by_presidium"])
    candidates = {c.key: c for c in Candidate.objects.filter(contest__election=election)}
    rounds: dict[tuple[int, int], Round] = {}
    for data in payload["rounds"]:
        contest = contests[data["contest"]]
        round_ = Round.objects.create(
            contest=contest,
            meeting=meetings[data["meeting"]],
            number=data["number"],
            kind=data["kind"],
            seats=data["seats"],
            issued=data["issued"],
            returned=data["returned"],
            counting_method=data["counting_method"],
            closed=True,
            result=data["result"],
        )
        round_.candidates.set([candidates[key] for key in data["candidates"]])
        BallotEntry.objects.bulk_create(
            BallotEntry(round=round_, **{name: b[name] for name in BALLOT_FIELDS}) for b in data["ballots"]
        )
        rounds[(contest.pk, round_.number)] = round_
    for data in payload["elected"]:
        Elected.objects.create(
            contest=contests[data["contest"]],
            round=rounds[(data["contest"], data["round"])],
            member_id=data["member"],
            write_in_name=data["write_in_name"],
            votes=data["votes"],
        )
    # Counted again, in order (a round's count depends on those before it, e.g. who was elected).
    problems = []
    for (_, _), round_ in sorted(rounds.items()):
        fresh = Round.objects.select_related("contest__election__organization", "meeting").get(pk=round_.pk)
        label = f"{fresh.contest.get_post_display()}第{fresh.number}轮"
        if result_document(fresh) != fresh.result:
            problems.append(f"{label}：按选票重新计票的结果与会场记录的结果不同")
        elif export_round(fresh) != next(
            d["election"]
            for d in payload["rounds"]
            if (d["contest"], d["number"]) == (fresh.contest_id, fresh.number)
        ):
            problems.append(f"{label}：选票记录与其 xuanju.election/1 文件不一致")
    if problems:
        raise ImportRefused(problems)
    status = payload["election"]["status"]
    if status not in (ElectionStatus.MEETING, ElectionStatus.PLENARY):
        raise ImportRefused([f"会场记录的选举进度“{status}”不对"])
    election.status = status
    election.save(update_fields=["status"])
    return len(rounds)


def _foreign_references(payload: dict[str, Any], exported: dict[str, Any]) -> list[str]:
    """Everyone and everything the venue's records name must come from the package: its roll, its
    contests and candidates (a venue cannot add people or posts)."""
    problems = []
    if payload["election"]["id"] != exported["election"]["id"]:
        problems.append("结果数据包所写的选举与其会场数据包的选举不同")
    roll = {p["id"] for p in exported["roll"]}
    named = [a["member"] for m in payload["meetings"] for a in m["attendance"]]
    named += [r["member"] for m in payload["meetings"] for r in m["roles"]]
    named += [e["member"] for e in payload["elected"] if e["member"] is not None]
    if any(member not in roll for member in named):
        problems.append("会场记录中有会场数据包名册以外的人员")
    contests = {c["id"]: {k["key"] for k in c["candidates"]} for c in exported["contests"]}
    for data in payload["rounds"]:
        if data["contest"] not in contests or not set(data["candidates"]) <= contests[data["contest"]]:
            problems.append(f"第{data['number']}轮的选举职务或候选人不在会场数据包中")
    kinds = [m["kind"] for m in payload["meetings"]]
    if len(set(kinds)) != len(kinds) or any(r["meeting"] not in kinds for r in payload["rounds"]):
        problems.append("会场记录中的会议与投票轮次对不上")
    return problems


def _recount_documents(payload: dict[str, Any]) -> list[str]:
    """Each round's ``xuanju.election/1`` read and counted as ``xuanju tally`` does."""
    problems = []
    for data in payload["rounds"]:
        label = f"第{data['number']}轮（职务 {data['contest']}）"
        try:
            counted = parse_election(signing.canonical(data["election"]).decode("utf-8"))
        except InputError as error:
            problems.append(f"{label}的选票文件有误：{'；'.join(str(p) for p in error.problems)}")
            continue
        if result_to_data(counted, tally_round(counted)) != data["result"]:
            problems.append(f"{label}：按选票文件重新计票的结果与会场记录的结果不同")
    return problems


def import_results(
    path: Path, venue_fingerprint: str, actor: str, election_id: int | None = None
) -> Imported:
    """Check the results package at ``path`` and merge it; ImportRefused names what differs.
    ``election_id``: the election the organizer imports into (the import page); another is refused."""
    try:
        expected = signing.normalize_fingerprint(venue_fingerprint)
        signed = signing.read_signed(path, RESULTS_FORMAT, "会场结果数据包")
    except signing.SigningError as error:
        raise ImportRefused([str(error)]) from None
    if signed.fingerprint != expected:
        raise ImportRefused(
            [
                f"结果数据包由指纹为 {signed.fingerprint} 的密钥签名，与您输入的会场密钥指纹 {expected} 不符："
                "请核对会场打印的计票结果报告上的指纹；不符则数据包不是那台会场电脑导出的"
            ]
        )
    payload = signed.payload
    try:
        return _import(payload, signed, actor, election_id)
    except IntegrityError:
        raise ImportRefused(["结果数据包中的会场记录自相矛盾（同一人或同一张选票记录了两次）"]) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ImportRefused([f"结果数据包的内容不完整或格式不对（{type(error).__name__}）"]) from None


def _import(payload: dict[str, Any], signed: signing.Signed, actor: str, election_id: int | None) -> Imported:
    election, exported = _check_provenance(payload)
    if election_id is not None and election.pk != election_id:
        raise ImportRefused([f"这个结果数据包属于另一次选举（{election}），请在那次选举的页面导入"])
    done = AuditRecord.objects.filter(
        action=IMPORT_ACTION, object_type="elections.election", object_id=str(election.pk)
    ).first()
    if done is not None:
        before: dict[str, Any] = done.after or {}
        if before.get("digest") == signed.digest:
            return Imported(election, True, before.get("rounds", 0), before.get("records", 0), signed.digest)
        raise ImportRefused(["这次选举已导入过另一份会场结果数据包，不能再导入"])
    problems = differences(exported, election_content(election))
    if election.meetings.exists():
        problems.append("导出会场数据包后，这次选举已在中心系统中开过会")
    if election.status != ElectionStatus.CANDIDATES_APPROVED:
        problems.append(f"这次选举现在是“{election.get_status_display()}”阶段，不再等待会场结果")
    if problems:
        raise ImportRefused(["导出会场数据包后，中心系统中的选举已有变化：" + p for p in problems])
    problems = _foreign_references(payload, exported)
    if problems:
        raise ImportRefused(problems)
    chain = payload["audit"]["records"]
    _check_chain(
        chain, payload["audit"]["head"], signed.payload["meeting_package_digest"], signed.fingerprint
    )
    problems = _recount_documents(payload)
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        rounds = _merge(election, payload)
        for data in chain:
            record(
                f"会场·{data['actor']}"[:150],
                f"venue:{data['action']}"[:64],
                object_type=data["object_type"],
                object_id=data["object_id"],
                before=data["before"],
                after={"venue_at": data["at"], "venue_hash": data["hash"], "record": data["after"]},
                summary=f"（会场记录）{data['summary']}",
            )
        record(
            actor,
            IMPORT_ACTION,
            election,
            after={
                "digest": signed.digest,
                "meeting_package_digest": payload["meeting_package_digest"],
                "venue_fingerprint": signed.fingerprint,
                "venue_head": payload["audit"]["head"],
                "rounds": rounds,
                "records": len(chain),
                "documents": [d["name"] for d in payload["documents"]],
            },
            summary=f"{election}：导入会场结果（{rounds} 轮投票、{len(chain)} 条会场审计记录）",
        )
    return Imported(election, False, rounds, len(chain), signed.digest)
