"""Misconduct reports (R-SUP-2) and voiding an election (R-SUP-3): one function per change.

Who sees a report
    Only discipline inspectors (role ``inspector``) whose organization is the report's
    ``handled_by`` — the upper level of the reported organization — or above it. Nobody in the
    reported organization or beneath it ever sees a report about it: not its secretary, not its
    organization department, not its own inspectors. The one exception is the root of the tree,
    which has no upper level in the system: reports about it go to the root's own inspectors.
    A named reporter sees their own report's status and conclusion, never the investigation notes.

What the audit trail holds (R-SUP-4 against R-SUP-1/2)
    Audit records carry a time to the second and, for accounts, a user name. A record written
    when an anonymous report (or an anonymous follow-up) arrives would date it to the second, and
    that time could be matched with a session or with the reporter's other audited work. So:

    * an anonymous report or follow-up writes no audit record when it arrives. The first
      inspector action on the report (accepting it, a note, the conclusion) writes a record
      carrying a SHA-256 digest of the report as received and of every note so far, so from then
      on the chain makes any later change to what the reporter wrote evident;
    * a named report is recorded when it is filed, with the actor "举报人" rather than the
      account: trails are read by more people than the inspectors handling the report, and the
      reporter's identity is only in the report row they may see;
    * no record names the reported organization in clear (summaries say "举报 <number>"; the
      organization is inside the digest), so a trail does not tell anyone that a report exists.

Reports and notes have random UUID keys (no sequence to order them by) and dates, never times.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuanju.accounts.models import User
from xuanju.audit.trail import record, snapshot
from xuanju.display import cn_date
from xuanju.elections.models import Approval, Elected, Election, ElectionStatus
from xuanju.organizations.models import Committee, Organization
from xuanju.shell import ActionError
from xuanju.shell import display_name as _name
from xuanju.supervision.access import (  # their old home is this module
    can_handle as can_handle,
)
from xuanju.supervision.access import (
    can_void as can_void,
)
from xuanju.supervision.access import (
    is_reporter as is_reporter,
)
from xuanju.supervision.access import (
    may_report_named as may_report_named,
)
from xuanju.supervision.access import (
    reports_for as reports_for,
)
from xuanju.supervision.models import (
    Conclusion,
    Report,
    ReportCategory,
    ReportNote,
    ReportStatus,
    Voiding,
)

MAX_TEXT = 10_000


def _text(value: str, field: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise ActionError(f"请填写{what}", field)
    if len(text) > MAX_TEXT:
        raise ActionError(f"{what}不能超过 {MAX_TEXT} 字", field)
    return text


# --- who may do what ----------------------------------------------------------------------


def handling_level(org: Organization) -> Organization:
    """The upper level whose discipline inspectors handle reports about ``org`` (R-SUP-2); the
    root, which has no upper level in the system, handles reports about itself."""
    parent = Organization.objects.get_parent(org)
    return parent if parent is not None else org


# --- follow-up codes -----------------------------------------------------------------------
# A code is a 4-character locator (stored in clear, to find the report without hashing every
# report's code) and a 16-character secret: 16 × 5 bits = 80 bits from secrets, stored only as a
# salted scrypt hash. The alphabet is Crockford's base 32 (no I, L, O, U).

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOCATOR_LENGTH = 4
SECRET_LENGTH = 16
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
FAILURES_PER_LOCATOR = 5  # wrong codes for one locator within the hour
FAILURES_PER_MINUTE = 60  # wrong codes across the whole site
_DUMMY_SALT = b"\0" * 16


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _scrypt(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("ascii"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **SCRYPT)


def _hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    n, r, p = SCRYPT["n"], SCRYPT["r"], SCRYPT["p"]
    return f"scrypt${n}${r}${p}${salt.hex()}${_scrypt(secret, salt).hex()}"


def _secret_matches(secret: str, stored: str) -> bool:
    _, _n, _r, _p, salt, digest = stored.split("$")
    return hmac.compare_digest(_scrypt(secret, bytes.fromhex(salt)).hex(), digest)


def normalize_code(code: str) -> str:
    """Upper case without spaces or hyphens; the letters people confuse read as the digits."""
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t")
    return cleaned.translate(str.maketrans("OIL", "011"))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Lookup:
    report: Report | None
    limited: bool = False  # too many wrong codes: try later


def find_by_code(code: str) -> Lookup:
    """The anonymous report a follow-up code opens, or None.

    A wrong code, an unknown locator and a malformed code answer alike and take as long (a dummy
    hash is computed), so trying codes tells nothing about whether a report exists. Wrong codes
    are limited per locator (whether or not it exists) and across the site; no address is kept.
    """
    code = normalize_code(code)
    well_formed = len(code) == LOCATOR_LENGTH + SECRET_LENGTH and all(ch in ALPHABET for ch in code)
    locator, secret = code[:LOCATOR_LENGTH], code[LOCATOR_LENGTH:]
    per_locator = f"supervision:code-failures:{locator}"
    minute = f"supervision:code-failures-minute:{timezone.now():%Y%m%d%H%M}"
    if cache.get(per_locator, 0) >= FAILURES_PER_LOCATOR or cache.get(minute, 0) >= FAILURES_PER_MINUTE:
        return Lookup(None, limited=True)
    report = (
        Report.objects.select_related("organization", "election").filter(follow_up_locator=locator).first()
        if well_formed
        else None
    )
    if report is not None and _secret_matches(secret, report.follow_up_hash):
        return Lookup(report)
    if report is None:
        _scrypt(secret or "-", _DUMMY_SALT)
    for key, timeout in ((per_locator, 3600), (minute, 60)):
        cache.add(key, 0, timeout)
        cache.incr(key)
    return Lookup(None)


# --- digests for the audit trail -----------------------------------------------------------


def _digest(data: Any) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _report_digest(report: Report) -> str:
    """What the reporter filed, bound into the audit chain without being readable from it."""
    return _digest(
        {
            "organization": report.organization_id,
            "election": report.election_id,
            "handled_by": report.handled_by_id,
            "category": report.category,
            "content": report.content,
            "received_on": report.received_on,
            "reporter": report.reporter_id,
        }
    )


def _notes_digest(report: Report) -> str:
    return _digest([[n.number, n.written_on, n.author, n.text] for n in report.notes.order_by("number")])


def _record(actor: str, action: str, report: Report, summary: str) -> None:
    record(
        actor,
        action,
        report,
        after={
            "status": report.status,
            "conclusion": report.conclusion,
            "received_on": report.received_on,
            "concluded_on": report.concluded_on,
            "anonymous": report.anonymous,
            "report_digest": _report_digest(report),
            "notes": report.notes.count(),
            "notes_digest": _notes_digest(report),
        },
        summary=f"举报 {report.reference}：{summary}",
    )


# --- reports --------------------------------------------------------------------------------


@transaction.atomic
def file_report(
    actor: User | None,
    organization: Organization,
    election: Election | None,
    category: str,
    content: str,
    anonymous: bool,
) -> tuple[Report, str | None]:
    """Receive a report of canvassing, vote buying or other breaches (R-SUP-2).

    Named: a signed-in account, about its own organization or one above or beneath it; recorded
    in the audit trail as by "举报人". Anonymous: anyone, signed in or not, about any organization;
    the report keeps no account, no address and only today's date, writes no audit record yet
    (see the module docstring), and returns a one-time follow-up code, stored only as a hash.
    Returns the report and the code (None for a named report).
    """
    if not anonymous:
        if actor is None:
            raise ActionError("实名举报须先登录；不登录只能匿名举报", "anonymous")
        if not may_report_named(actor, organization):
            raise ActionError("实名举报只能针对本人所在党组织及其上级、下级党组织", "organization")
    if election is not None and election.organization_id != organization.pk:
        raise ActionError("所选的换届选举不是被举报党组织的", "election")
    if category not in ReportCategory.values:
        raise ActionError("请选择举报类别", "category")
    report = Report(
        organization=organization,
        election=election,
        handled_by=handling_level(organization),
        category=category,
        content=_text(content, "content", "举报内容"),
        received_on=timezone.localdate(),
    )
    code: str | None = None
    if anonymous:
        while True:
            locator = _random(LOCATOR_LENGTH)
            if not Report.objects.filter(follow_up_locator=locator).exists():
                break
        secret = _random(SECRET_LENGTH)
        report.follow_up_locator = locator
        report.follow_up_hash = _hash_secret(secret)
        code = locator + secret
    else:
        report.reporter = actor
    report.save()
    if not anonymous:
        _record(ReportNote.REPORTER, "file_report", report, "收到实名举报")
    return report, code


def _next_number(report: Report) -> int:
    return (report.notes.aggregate(n=Max("number"))["n"] or 0) + 1


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _require_handler(actor: User, report: Report) -> None:
    if not can_handle(actor, report):
        raise ActionError("只有受理这件举报的上级纪检监督人员才能办理")


@transaction.atomic
def accept_report(actor: User, report: Report) -> Report:
    """An inspector of the upper level accepts the report for investigation (受理, R-SUP-2).

    The audit record written here is the first for an anonymous report and binds what was filed.
    """
    _require_handler(actor, report)
    report = _lock(report)
    if report.status != ReportStatus.RECEIVED:
        raise ActionError("这件举报已经受理过了")
    report.status = ReportStatus.INVESTIGATING
    report.handled_by_name = _name(actor)
    report.save(update_fields=["status", "handled_by_name"])
    _record(actor.username, "accept_report", report, "受理，开始核查")
    return report


@transaction.atomic
def add_note(actor: User, report: Report, text: str) -> ReportNote:
    """An investigation note by a handling inspector, or a follow-up by the named reporter."""
    if can_handle(actor, report):
        author, by_reporter = _name(actor), False
    elif is_reporter(actor, report):
        author, by_reporter = ReportNote.REPORTER, True
    else:
        raise ActionError("只有举报人和受理的纪检监督人员才能补充记录")
    report = _lock(report)
    if by_reporter and report.status == ReportStatus.CONCLUDED:
        raise ActionError("这件举报已经办结，不能再补充材料；如有新情况请另行举报")
    note = ReportNote.objects.create(
        report=report,
        number=_next_number(report),
        written_on=timezone.localdate(),
        author=author,
        by_reporter=by_reporter,
        text=_text(text, "text", "内容"),
    )
    _record(
        ReportNote.REPORTER if by_reporter else actor.username,
        "add_report_note",
        report,
        "举报人补充材料" if by_reporter else "记录核查情况",
    )
    return note


@transaction.atomic
def add_follow_up(code: str, text: str) -> ReportNote:
    """The anonymous reporter adds information with the follow-up code (no audit record yet: the
    next inspector action's record carries the digest of every note)."""
    found = find_by_code(code)
    if found.report is None:
        raise ActionError("尝试次数过多，请稍后再试" if found.limited else "查询码不正确", "code")
    report = _lock(found.report)
    if report.status == ReportStatus.CONCLUDED:
        raise ActionError("这件举报已经办结，不能再补充材料；如有新情况请另行举报", "text")
    return ReportNote.objects.create(
        report=report,
        number=_next_number(report),
        written_on=timezone.localdate(),
        author=ReportNote.REPORTER,
        by_reporter=True,
        text=_text(text, "text", "补充内容"),
    )


@transaction.atomic
def conclude_report(actor: User, report: Report, findings: str, conclusion: str) -> Report:
    """Close the report with the findings of the investigation and its conclusion (R-SUP-2)."""
    _require_handler(actor, report)
    report = _lock(report)
    if report.status == ReportStatus.CONCLUDED:
        raise ActionError("这件举报已经办结")
    if conclusion not in Conclusion.values:
        raise ActionError("请选择结论", "conclusion")
    report.findings = _text(findings, "findings", "核查情况")
    report.conclusion = conclusion
    report.status = ReportStatus.CONCLUDED
    report.concluded_on = timezone.localdate()
    report.handled_by_name = report.handled_by_name or _name(actor)
    report.save(update_fields=["findings", "conclusion", "status", "concluded_on", "handled_by_name"])
    _record(actor.username, "conclude_report", report, f"办结，结论：{report.get_conclusion_display()}")
    return report


# --- voiding an election (R-SUP-3) ----------------------------------------------------------

VOIDABLE = [
    ElectionStatus.PLAN_APPROVED,
    ElectionStatus.CANDIDATES_SUBMITTED,
    ElectionStatus.CANDIDATES_APPROVED,
    ElectionStatus.MEETING,
    ElectionStatus.PLENARY,
    ElectionStatus.RESULTS_SUBMITTED,
    ElectionStatus.COMPLETED,
]


def _installed_committee(election: Election) -> Committee | None:
    """The current committee, if it is the one this (completed) election installed."""
    org = election.organization
    current = Committee.objects.filter(organization=org, is_current=True).first()
    if current is None:
        return None
    elected = set(
        Elected.objects.filter(contest__election=election, member__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    seated = set(current.seats.values_list("member_id", flat=True))
    meeting = election.meetings.filter(kind=election.voting_meeting_kind).first()
    if seated != elected or (meeting is not None and current.elected_on != meeting.held_on):
        raise ActionError(
            "本届委员会不是这次选举产生的（选举后又登记过委员会），请先核实委员会记录再宣布选举无效"
        )
    return current


@transaction.atomic
def void_election(
    actor: User,
    election: Election,
    reason: str,
    decision_document: str,
    report: Report | None = None,
) -> Voiding:
    """Declare an election void after investigation, and reopen it (R-SUP-3).

    Who: only the organization department of a level above the election's organization.
    Checks: a reason (the findings) and the number of the decision document; a report it rests
    on must be about this organization (and this election, if it names one) and concluded as
    substantiated in whole or in part.
    Changes:
      * the election's status becomes VOIDED. Nothing of it is deleted or edited: meetings, roll,
        rounds, ballots, results and replies stay as they were. A request still waiting for the
        upper level's reply gets its reply: not agreed, with the decision's number, so that it can
        no longer be approved;
      * if the election was completed, the committee it installed stops being current and the
        committee before it is current again (or none, if there was none);
      * a new election for the same organization starts in PLANNING, linked by ``reopened_from``,
        with the voided plan's settings as a draft. Planning rather than plan approved: a re-run
        needs a new date and possibly new conditions in the light of the findings, and its request
        and reply then exist as records of their own, so no step of the new election rests on a
        reply given to the voided one (R-RPT-4). Candidates, meetings and rounds start afresh:
        they are unique per election, and the voided ones are the tainted ones.
    Every change writes an audit record (R-SUP-4).
    """
    upper = actor.organization
    if upper is None or not can_void(actor, election):
        raise ActionError("只有上级党组织的组织部门才能宣布选举无效（R-SUP-3）")
    election = Election.objects.select_for_update().select_related("organization").get(pk=election.pk)
    if election.status not in VOIDABLE:
        raise ActionError(f"现在是“{election.get_status_display()}”阶段，不能宣布这次选举无效")
    reason = _text(reason, "reason", "理由和核查情况")
    document = decision_document.strip()
    if not document:
        raise ActionError("请填写上级的决定文号", "decision_document")
    if report is not None:
        if report.organization_id != election.organization_id or report.election_id not in (
            None,
            election.pk,
        ):
            raise ActionError("所依据的举报不是针对这次选举的", "report")
        if report.status != ReportStatus.CONCLUDED or report.conclusion not in (
            Conclusion.SUBSTANTIATED,
            Conclusion.PARTLY_SUBSTANTIATED,
        ):
            raise ActionError("所依据的举报须已办结且结论为属实或部分属实", "report")
    who = actor.username
    org = election.organization
    today = timezone.localdate()

    voided_committee = restored = None
    if election.status == ElectionStatus.COMPLETED:
        voided_committee = _installed_committee(election)
        if voided_committee is not None:
            restored = (
                Committee.objects.filter(
                    organization=org, is_current=False, elected_on__lt=voided_committee.elected_on
                )
                .order_by("-elected_on", "-id")
                .first()
            )
            voided_committee.is_current = False
            voided_committee.save(update_fields=["is_current"])
            record(
                who,
                "void_committee",
                voided_committee,
                before={"is_current": True},
                after={"is_current": False},
                summary=f"“{org.name}”选举被宣布无效（{document}），由其产生的委员会不再是本届委员会",
            )
            if restored is not None:
                restored.is_current = True
                restored.save(update_fields=["is_current"])
                record(
                    who,
                    "restore_committee",
                    restored,
                    before={"is_current": False},
                    after={"is_current": True},
                    summary=f"“{org.name}”恢复{cn_date(restored.elected_on)}选举产生的委员会为本届委员会",
                )

    for approval in election.approvals.filter(decision=Approval.Decision.PENDING):
        approval.decision = Approval.Decision.REFUSED
        approval.decided_on = today
        approval.decided_by = who
        approval.document = document
        approval.comments = "选举已被上级宣布无效（R-SUP-3）"
        approval.save()
        record(
            who,
            "decide",
            approval,
            after=snapshot(approval),
            summary=f"{election}：{approval.get_kind_display()}——选举已宣布无效，不予同意",
        )

    before = snapshot(election, ["status"])
    election.status = ElectionStatus.VOIDED
    election.save(update_fields=["status"])

    reopened = Election.objects.create(
        organization=org,
        has_committee=election.has_committee,
        committee_seats=election.committee_seats,
        deputy_seats=election.deputy_seats,
        term_years=election.term_years,
        planned_on=max(election.planned_on, today),
        readiness=election.readiness,
        composition=election.composition,
        minimum_party_age=election.minimum_party_age,
        reopened_from=election,
    )
    for contest in election.contests.all():
        reopened.contests.create(post=contest.post, seats=contest.seats, position=contest.position)

    voiding = Voiding.objects.create(
        election=election,
        reopened_as=reopened,
        reason=reason,
        decision_document=document,
        decided_on=today,
        decided_by=upper,
        decided_by_name=_name(actor),
        report=report,
        committee_voided=voided_committee,
        committee_restored=restored,
    )
    record(
        who,
        "void_election",
        election,
        before=before,
        after=snapshot(election, ["status"]) | {"voiding": snapshot(voiding)},
        summary=f"{election}：上级宣布选举无效（{document}，R-SUP-3）",
    )
    record(
        who,
        "reopen_election",
        reopened,
        after=snapshot(reopened) | {"contests": [c.post for c in reopened.contests.all()]},
        summary=f"{org.name}：原选举被宣布无效后重新进行换届选举（R-SUP-3）",
    )
    return voiding
