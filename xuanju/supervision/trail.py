"""An election's audit trail for the supervision pages: every audit record that concerns the
election, worded in Chinese, with each record's own hash checked, and the state of the whole chain
(R-SUP-1, R-SUP-4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import CharField, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from xuanju.accounts.models import User
from xuanju.audit.checkpoints import verify_since
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import Verification
from xuanju.display import names_of
from xuanju.elections.models import (
    Approval,
    Candidate,
    Contest,
    Election,
    Meeting,
    Objection,
    PublicNotice,
    Round,
)
from xuanju.supervision.compliance import handled_reports

ACTION_TEXT = {
    "start_election": "拟订换届方案",
    "submit_plan": "报送换届请示",
    "decide": "上级批复",
    "record_nomination": "登记推荐提名",
    "set_candidate": "确定人选",
    "publish_notice": "发布公示",
    "lodge_objection": "公示期间反映问题",
    "answer_objection": "答复反映的问题",
    "submit_candidates": "报送候选人预备人选",
    "open_meeting": "召开会议",
    "mark_present": "点名",
    "exclude_from_entitled": "不计入应到会人数",
    "close_roll": "结束点名",
    "adopt_procedure": "通过选举办法",
    "appoint": "确定监票人、计票人",
    "dismiss": "撤换监票人、计票人",
    "open_round": "发出选票",
    "record_ballot": "录入选票",
    "delete_ballot": "监票人删除已录入的选票",
    "confirm_ballot": "监票人确认录入",
    "close_round": "计票结束",
    "reduce_seats": "减少名额",
    "confirm_write_in": "确认另选他人",
    "submit_results": "报送选举结果",
    "print_ballots": "印制选票",
    "reprint_ballots": "重印选票",
    "note_sheets": "登记选票编号",
    "clear_sheet_notes": "清除选票编号登记",
    "enter_at_desk": "计票台录入",
    "resolve_conflict": "监票人裁定",
    "withdraw_desk_entry": "撤回计票台录入",
    "scan_upload": "上传扫描文件",
    "scan_page": "识别扫描页",
    "decide_doubt": "裁定存疑标记",
    "confirm_scanned_sheet": "监票人确认存疑的整张选票",
    "print_test_deck": "打印测试票",
    "run_test_deck": "测试票检验",
    "void_scanned_sheet": "扫描选票作废",
    "load_demo_election": "载入演示数据",
}


def _record_sources(election: Election) -> list[tuple[type[Any], QuerySet[Any], str]]:
    """Every kind of record that belongs to ``election``, with the foreign key (as the audit
    snapshots name it) that ties a deleted one to its parent."""
    from xuanju.counting.models import (
        BallotPrint,
        DeckRun,
        DeskEntry,
        MarkDoubt,
        ScanFile,
        ScanPage,
        SheetNote,
    )
    from xuanju.elections.models import Attendance, BallotEntry, Elected, MeetingRole, Nomination

    e = election.pk
    return [
        (Election, Election.objects.filter(pk=e), ""),
        (Approval, Approval.objects.filter(election=e), "election_id"),
        (Contest, Contest.objects.filter(election=e), "election_id"),
        (Candidate, Candidate.objects.filter(contest__election=e), "contest_id"),
        (Nomination, Nomination.objects.filter(contest__election=e), "contest_id"),
        (PublicNotice, PublicNotice.objects.filter(election=e), "election_id"),
        (Objection, Objection.objects.filter(notice__election=e), "notice_id"),
        (Meeting, Meeting.objects.filter(election=e), "election_id"),
        (Attendance, Attendance.objects.filter(meeting__election=e), "meeting_id"),
        (MeetingRole, MeetingRole.objects.filter(meeting__election=e), "meeting_id"),
        (Round, Round.objects.filter(contest__election=e), "contest_id"),
        (BallotEntry, BallotEntry.objects.filter(round__contest__election=e), "round_id"),
        (Elected, Elected.objects.filter(contest__election=e), "contest_id"),
        (BallotPrint, BallotPrint.objects.filter(round__contest__election=e), "round_id"),
        (SheetNote, SheetNote.objects.filter(round__contest__election=e), "round_id"),
        (DeskEntry, DeskEntry.objects.filter(round__contest__election=e), "round_id"),
        (ScanFile, ScanFile.objects.filter(round__contest__election=e), "round_id"),
        (ScanPage, ScanPage.objects.filter(round__contest__election=e), "round_id"),
        (MarkDoubt, MarkDoubt.objects.filter(page__round__contest__election=e), "page_id"),
        (DeckRun, DeckRun.objects.filter(round__contest__election=e), "round_id"),
    ]


def election_records(election: Election, user: User | None = None) -> QuerySet[AuditRecord]:
    """Every audit record that concerns ``election``, in the order of the chain.

    A record is matched by its object (type and id, through a subquery per kind, so a count with
    thousands of ballots stays one query); a record of an object since deleted (a dismissed
    scrutineer, a withdrawn entry) by the parent id its snapshot kept; the supervision app's records
    (voiding) by the election id in their snapshot, and the misconduct reports about the election
    only for a ``user`` who handles them (their inspectors). Nothing is joined across
    kinds: attendance and ballots stay apart (R-SUP-1).

    The ids come from a UNION of one query per kind and key, each an index scan (the expression
    indexes of ``AuditRecord.Meta``): one OR over them all made the database read the whole chain.
    """
    sources = _record_sources(election)
    parents: dict[str, list[int]] = {
        "election_id": [election.pk],
        "contest_id": list(Contest.objects.filter(election=election).values_list("pk", flat=True)),
        "notice_id": list(PublicNotice.objects.filter(election=election).values_list("pk", flat=True)),
        "meeting_id": list(Meeting.objects.filter(election=election).values_list("pk", flat=True)),
        "round_id": list(Round.objects.filter(contest__election=election).values_list("pk", flat=True)),
    }
    records = AuditRecord.objects.order_by()
    parts: list[QuerySet[Any]] = []
    supervision = [
        model._meta.label_lower
        for model in apps.get_app_config("supervision").get_models()
        if not model._meta.label_lower.startswith("supervision.report")
    ]
    for side in ("after", "before"):
        parts.append(
            records.filter(object_type__in=supervision, **{f"{side}__election_id": election.pk}).values("pk")
        )
    reports = handled_reports(user) if user is not None else None
    if reports is not None:  # the reports about the election that this user handles
        ids = [str(pk) for pk in reports.filter(election=election).values_list("pk", flat=True)]
        report_types = [
            model._meta.label_lower
            for model in apps.get_app_config("supervision").get_models()
            if model._meta.label_lower.startswith("supervision.report")
        ]
        if ids:
            parts.append(records.filter(object_type__in=report_types, object_id__in=ids).values("pk"))
    kinds_by_parent: dict[str, list[str]] = {}
    for model, queryset, parent in sources:
        kind = model._meta.label_lower
        ids = queryset.order_by().annotate(audit_id=Cast("pk", CharField())).values("audit_id")
        parts.append(records.filter(object_type=kind, object_id__in=Subquery(ids)).values("pk"))
        if parents.get(parent):
            kinds_by_parent.setdefault(parent, []).append(kind)
    for parent, kinds in kinds_by_parent.items():  # one part per key: fewer to plan
        gone = {f"before__{parent}__in": parents[parent]}
        parts.append(records.filter(object_type__in=kinds, **gone).values("pk"))
        if parent == "round_id":  # record_ballot and enter_at_desk keep {"round": pk}
            parts.append(records.filter(object_type__in=kinds, after__round__in=parents[parent]).values("pk"))
    union = parts[0].union(*parts[1:])
    return AuditRecord.objects.filter(pk__in=union).order_by("pk")


@dataclass(frozen=True)
class ChainStatus:
    verified: bool
    checked: int
    message: str  # Chinese


def chain_status(verification: Verification | None = None) -> ChainStatus:
    """The chain verified (R-SUP-4): from the newest checkpoint of a full walk on, the checkpoint's
    own record and place included (xuanju.audit.checkpoints says what that proves); the whole chain
    when there is none. ``verification``: one already made (e.g. by an anchor check), not walked again."""
    if verification is None:
        verification = verify_since()
    checked, broken = verification.checked, verification.broken
    if broken is None and verification.since:
        at = timezone.localtime(verification.since_at) if verification.since_at else None
        when = f"{at.year}年{at.month}月{at.day}日{at:%H:%M}" if at else ""
        return ChainStatus(
            True,
            checked,
            f"审计链完整：{when}全链核验至第 {verification.since} 条无误，此后的 "
            f"{checked - verification.since} 条记录已逐条校验，没有发现修改或删除（R-SUP-4）",
        )
    if broken is None:
        return ChainStatus(
            True, checked, f"审计链完整：已校验全部 {checked} 条记录，没有发现修改或删除（R-SUP-4）"
        )
    if broken.position:  # the first bad position in the chain, and the record's id where there is one
        where = f"第 {broken.position} 条" + (
            f"（第 {broken.record_id} 号记录）" if broken.record_id else "（链尾）"
        )
    else:
        where = f"第 {broken.record_id} 号记录" if broken.record_id else "链尾"
    return ChainStatus(False, checked, f"审计链在{where}处断开：{broken.reason}（R-SUP-4）")


PAGE_SIZE = 200  # records a page; an election with a counted congress has thousands


@dataclass(frozen=True)
class TrailRow:
    record: AuditRecord
    action: str  # Chinese
    object: str  # the kind of record, Chinese
    intact: bool  # the record's own hash still matches its content
    actor: str  # the person's name (display.who), the login when the account has none


def trail_page(
    election: Election, user: User | None = None, number: Any = 1
) -> tuple[Page[Any], list[TrailRow]]:
    """One page of the election's audit records worded for the trail page (``before``/``after``
    are not shown); the actors' names in one query for the page."""
    # The ids once (thousands of integers at most), then the page's records by id: the UNION is
    # planned and run once, not once to count and once more for the slice.
    ids = list(election_records(election, user).values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    records = list(AuditRecord.objects.filter(pk__in=list(page.object_list)).order_by("pk"))
    labels = {
        model._meta.label_lower: str(model._meta.verbose_name) for model, _, _ in _record_sources(election)
    }
    names = names_of(r.actor for r in records)
    rows = [
        TrailRow(
            r,
            ACTION_TEXT.get(r.action, r.action),
            labels.get(r.object_type, r.object_type),
            r.compute_hash() == r.hash,
            names.get(r.actor, r.actor),
        )
        for r in records
    ]
    return page, rows
