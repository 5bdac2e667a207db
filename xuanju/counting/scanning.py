"""Scanned ballots: pages in, readings stored, clear sheets counted, doubtful marks queued.

The scanner (``xuanju.paper.read``) rejects rather than guesses; here every page it read is kept
with its reading, a sheet without doubts is counted at once, and a sheet with any doubtful mark or
any writing on a write-in line waits until a scrutineer has decided each one (R-BAL-4). A sheet
serial is counted once, whether it comes from the scanner or the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
from django.db import transaction

from xuanju.audit.trail import record
from xuanju.counting.actions import record_print
from xuanju.counting.models import BallotPrint, MarkDoubt, ScanFile, ScanPage, SheetNote
from xuanju.counting.sheets import round_spec, sheet_ids
from xuanju.elections import duties
from xuanju.elections.actions import check_ballot, store_ballot
from xuanju.elections.models import BallotEntry, Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.paper.layout import Box, BoxKind, LayoutProblem, Rect, layout_sheet
from xuanju.paper.read import DOUBT_TEXT, SHEET_PROBLEM_TEXT, MarkValue, SheetReading
from xuanju.paper.read import (
    read_sheet as read_sheet,  # the reader scan_batches calls (tests stand in for it)
)
from xuanju.paper.render import FontMissing, TextTooLong, ballot_pdf
from xuanju.rules.counting import Path
from xuanju.rules.names import canonical_name

MARK_NAMES = {"for": "○ 赞成", "against": "× 不赞成", "blank": "弃权（无符号）", "ink": "有字迹"}


def _actor(user: Any) -> str:
    return getattr(user, "username", None) or str(user)


def _png(image: Any) -> bytes:
    ok, buffer = cv2.imencode(".png", image)
    if not ok:  # pragma: no cover - OpenCV encodes any uint8 array
        raise ActionError("截图保存失败")
    return bytes(buffer)


def _print_of(round_: Round) -> BallotPrint:
    print_ = BallotPrint.objects.filter(round=round_).first()
    if print_ is None:
        raise ActionError("这一轮没有用本系统印制选票，无法识别扫描件；请在计票台录入")
    return print_


@transaction.atomic
def print_round(
    actor: Any, round_: Round, reserve: int, paper: str | None, large_print: bool
) -> tuple[bytes, BallotPrint]:
    """Lay out and render the round's sheets, and record the printing (serials 1..issued+reserve)."""
    try:
        layout = layout_sheet(round_spec(round_, paper, large_print))
    except LayoutProblem as problem:
        raise ActionError(
            f"候选人太多，一张选票排不下：需要 {problem.rows_needed} 行，每栏最多 {problem.rows_available} 行",
            "paper",
        ) from None
    print_ = record_print(actor, round_, reserve, layout.paper.value, large_print, layout.code)
    try:
        pdf = ballot_pdf(layout, sheet_ids(print_))
    except FontMissing as missing:
        raise ActionError(
            f"姓名中的{'、'.join(f'“{c}”' for c in missing.characters)}字在选票字体中没有，"
            "请管理员安装 fonts-noto-cjk 或用 XUANJU_FONT 指定字体"
        ) from None
    except TextTooLong as long:
        raise ActionError(f"“{long.text}”太长，选票上的格子排不下") from None
    return pdf, print_


@dataclass(frozen=True)
class UploadOutcome:
    pages: int
    counted: int
    review: int
    duplicate: int
    rejected: int


def scan_upload(actor: Any, round_: Round, filename: str, data: bytes) -> UploadOutcome:
    """Store one uploaded file and read every page of it now, one page in memory at a time (the
    web application reads in the background instead: xuanju.counting.scan_batches). Each page is
    committed on its own, so an interrupted upload keeps what was read; uploading the same file
    again reads only the pages still missing."""
    from xuanju.counting import scan_batches

    file = scan_batches.store_upload(actor, round_, filename, data)
    outcome = scan_batches.read_batch(file.pk, actor)
    file.refresh_from_db(fields=["state", "problem"])
    if file.state == ScanFile.State.FAILED:
        raise ActionError(file.problem)
    return outcome


def _reading_data(reading: SheetReading) -> list[dict[str, Any]]:
    return [
        {
            "kind": mark.box.kind.value,
            "index": mark.box.index,
            "value": mark.value.value,
            "confidence": round(mark.confidence, 3),
            "doubt": mark.doubt.value if mark.doubt else None,
        }
        for mark in reading.marks
    ]


def _serial_problem(round_: Round, serial: int) -> str | None:
    print_ = _print_of(round_)
    if serial > print_.sheets:
        return f"编号{serial}超出印制的 {print_.sheets} 张"
    note = SheetNote.objects.filter(round=round_, serial=serial).first()
    if note is not None:
        return f"编号{serial}已登记为{note.get_state_display()}，不应出现在投票箱中"
    return None


@transaction.atomic
def _store_page(actor: Any, round_: Round, file: ScanFile, number: int, reading: SheetReading) -> ScanPage:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    serial = reading.sheet.serial if reading.sheet else None
    page = ScanPage(
        round=round_, file=file, page_number=number, serial=serial, reading=_reading_data(reading)
    )
    if reading.problem is not None:
        page.status = ScanPage.Status.REJECTED
        page.problem = SHEET_PROBLEM_TEXT[reading.problem]
    elif serial is not None and (problem := _serial_problem(round_, serial)):
        page.status = ScanPage.Status.REJECTED
        page.problem = problem
    elif (
        BallotEntry.objects.filter(round=round_, sheet=serial).exists()
        or round_.scan_pages.filter(serial=serial, status=ScanPage.Status.REVIEW).exists()
    ):
        page.status = ScanPage.Status.DUPLICATE
        page.problem = f"编号{serial}的选票已经计入或正在裁定，这一页不再计入"
    else:
        page.status = ScanPage.Status.REVIEW
    page.save()
    if page.status == ScanPage.Status.REVIEW:
        _queue_doubts(page, reading)
        if not page.doubts.exists():
            _count(actor, page)
    record(
        _actor(actor),
        "scan_page",
        page,
        after={"serial": serial, "status": page.status, "problem": page.problem},
        summary=f"扫描 {file.filename} 第{number}页：{page.get_status_display()}",
    )
    return page


def _queue_doubts(page: ScanPage, reading: SheetReading) -> None:
    """A doubtful candidate mark is one decision; a write-in line with any ink (on the line or in its
    mark box) is one decision too, because only a person reads a handwritten name."""
    write_in_rows: dict[int, list[Any]] = {}
    for mark in reading.marks:
        if mark.box.kind == BoxKind.CANDIDATE:
            if mark.doubt is not None:
                MarkDoubt.objects.create(
                    page=page,
                    kind=MarkDoubt.Kind.CANDIDATE,
                    index=mark.box.index,
                    reason=DOUBT_TEXT[mark.doubt],
                    guess=mark.value.value,
                    confidence=mark.confidence,
                    cutout=_png(reading.cutout(mark.box)),
                )
        else:
            write_in_rows.setdefault(mark.box.index, []).append(mark)
    for index, marks in sorted(write_in_rows.items()):
        inked = [m for m in marks if m.value != MarkValue.BLANK or m.doubt is not None]
        if not inked:
            continue
        name_box = next((m.box for m in marks if m.box.kind == BoxKind.WRITE_IN_NAME), marks[0].box)
        mark_box = next((m.box for m in marks if m.box.kind == BoxKind.WRITE_IN_MARK), marks[0].box)
        reasons = sorted({DOUBT_TEXT[m.doubt] for m in inked if m.doubt is not None}) or ["另选他人栏有字迹"]
        row = _row_cutout(reading, name_box, mark_box)
        MarkDoubt.objects.create(
            page=page,
            kind=MarkDoubt.Kind.WRITE_IN,
            index=index,
            reason="；".join(reasons),
            guess="",
            confidence=0.0,
            cutout=_png(row),
        )


def _row_cutout(reading: SheetReading, name_box: Box, mark_box: Box) -> Any:
    left = min(name_box.rect.x, mark_box.rect.x)
    top = min(name_box.rect.y, mark_box.rect.y)
    right = max(name_box.rect.right, mark_box.rect.right)
    bottom = max(name_box.rect.bottom, mark_box.rect.bottom)
    return reading.cutout(Box(name_box.kind, name_box.index, Rect(left, top, right - left, bottom - top)))


def _ballot_of(page: ScanPage) -> Any:
    """The reading of a sheet once every doubt on it is decided, checked by the rules engine."""
    round_ = page.round
    keys = [c.key for c in ballot_order(list(round_.candidates.select_related("member")))]
    decided = {(d.kind, d.index): d for d in page.doubts.all()}
    marks: dict[str, list[str]] = {"for": [], "against": []}
    for mark in page.reading:
        if mark["kind"] != BoxKind.CANDIDATE.value:
            continue
        doubt = decided.get((MarkDoubt.Kind.CANDIDATE.value, mark["index"]))
        value = doubt.decision if doubt is not None else mark["value"]
        if value in marks:
            marks[value].append(keys[mark["index"]])
    write_ins = [
        d.write_in_name
        for (kind, _), d in sorted(decided.items())
        if kind == MarkDoubt.Kind.WRITE_IN and d.write_in_name
    ]
    return check_ballot(round_, marks["for"], marks["against"], write_ins)


def _count(actor: Any, page: ScanPage, scrutineer: bool = False) -> None:
    """Count a sheet: read clean at upload (entered by the uploader), or once a scrutineer has
    decided its last doubt (confirmed by them)."""
    entry = store_ballot(
        actor,
        page.round,
        _ballot_of(page),
        sheet=page.serial,
        source=BallotEntry.Source.SCAN,
        entered_by="" if scrutineer else _actor(actor),
        confirmed_by=_actor(actor) if scrutineer else "",
    )
    page.ballot = entry
    page.status = ScanPage.Status.COUNTED
    page.save(update_fields=["ballot", "status"])


@transaction.atomic
def decide_doubt(actor: Any, doubt: MarkDoubt, decision: str, write_in_name: str = "") -> MarkDoubt:
    """A scrutineer's decision on one doubtful mark, looking at its cut-out (R-BAL-4). When the
    last doubt of a sheet is decided, the sheet is counted; if the engine refuses the reading that
    results (say, a write-in beside no against-mark, R-BAL-2), nothing is saved and the message says why."""
    page = ScanPage.objects.select_for_update().select_related("round").get(pk=doubt.page_id)
    if page.round.closed:
        raise ActionError("这一轮已经计票结束")
    duties.require_path(page.round, Path.SCAN)
    duties.require_scrutineer(actor, page.round, "裁定存疑标记")  # R-MEET-4, R-BAL-4
    if page.status != ScanPage.Status.REVIEW:
        raise ActionError(f"这张选票已经{page.get_status_display()}，不需要再裁定")
    if doubt.kind == MarkDoubt.Kind.CANDIDATE and decision not in ("for", "against", "blank"):
        raise ActionError("请选择赞成、不赞成或弃权", "decision")
    before = {"decision": doubt.decision, "write_in_name": doubt.write_in_name}
    doubt.decision = decision if doubt.kind == MarkDoubt.Kind.CANDIDATE else "name"
    # R-NAME-5: kept as the scrutineer typed it (trimmed), compared by the rules engine as a person;
    # a name with nothing visible in it is no name.
    written = write_in_name.strip() if canonical_name(write_in_name) else ""
    doubt.write_in_name = written if doubt.kind == MarkDoubt.Kind.WRITE_IN else ""
    doubt.decided_by = _actor(actor)
    doubt.save(update_fields=["decision", "write_in_name", "decided_by"])
    record(
        _actor(actor),
        "decide_doubt",
        doubt,
        before=before,
        after={"decision": doubt.decision, "write_in_name": doubt.write_in_name, "serial": page.serial},
        summary=f"裁定编号{page.serial}的存疑标记",
    )
    if not page.doubts.filter(decision="").exists():
        _count(actor, page, scrutineer=True)
    return doubt


@transaction.atomic
def void_scanned_sheet(actor: Any, page: ScanPage, reason: str) -> ScanPage:
    """Declare a scanned sheet void (废票, R-BAL-4): torn, altered, or marked so the voter could be known."""
    page = ScanPage.objects.select_for_update().select_related("round").get(pk=page.pk)
    if page.round.closed:
        raise ActionError("这一轮已经计票结束")
    duties.require_path(page.round, Path.SCAN)
    duties.require_scrutineer(actor, page.round, "作废选票")  # R-BAL-4: scrutineers confirm a void
    if page.status != ScanPage.Status.REVIEW:
        raise ActionError(f"这张选票已经{page.get_status_display()}，不能再作废")
    if not reason.strip():
        raise ActionError("请写明作废原因", "void_reason")
    page.doubts.filter(decision="").update(decision="void", decided_by=_actor(actor))
    entry = store_ballot(
        actor,
        page.round,
        check_ballot(page.round, [], [], [], 1, reason),
        sheet=page.serial,
        source=BallotEntry.Source.SCAN,
        confirmed_by=_actor(actor),
    )
    page.ballot = entry
    page.status = ScanPage.Status.COUNTED
    page.save(update_fields=["ballot", "status"])
    record(_actor(actor), "void_scanned_sheet", page, after={"serial": page.serial, "reason": reason.strip()})
    return page
