"""Scanned ballots: pages in, readings stored, clear sheets counted, flagged sheets queued.

The scanner (``xuanju.paper.read``) rejects rather than guesses; here every page it read is kept
with its reading, a sheet without doubts is counted at once, and a sheet with any doubtful mark or
any writing on a write-in line is flagged: nothing of it counts until a scrutineer has looked at the
whole sheet and confirmed every box (R-BAL-4, xuanju.counting.adjudication). A sheet serial is
counted once, whether it comes from the scanner or the desk. Real sheets are read only after the
round's test deck matched (xuanju.counting.testdeck).
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
from xuanju.paper import likeness
from xuanju.paper.layout import Box, BoxKind, LayoutProblem, Rect, layout_sheet
from xuanju.paper.read import DOUBT_TEXT, SHEET_PROBLEM_TEXT, MarkValue, SheetReading
from xuanju.paper.read import (
    read_sheet as read_sheet,  # the reader scan_batches calls (tests stand in for it)
)
from xuanju.paper.render import FontMissing, TextTooLong, ballot_pdf
from xuanju.rules.counting import Path
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

MARK_NAMES = {"for": "○ 赞成", "against": "× 不赞成", "blank": "弃权（无符号）", "ink": "有字迹"}


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


class RescanIndex:
    """The fingerprints of a round's unnumbered pages already scanned and not refused, kept for one
    batch's reading and brought up to date under the round's lock before each page is stored, so
    that a batch read by another worker meanwhile is compared with too."""

    def __init__(self, round_: Round) -> None:
        self.round_id = round_.pk
        self.seen = 0
        self.pages: list[int] = []
        self.prints: list[list[likeness.Grid] | None] = []

    def refresh(self) -> None:
        rows = (
            ScanPage.objects.filter(round_id=self.round_id, pk__gt=self.seen)
            .exclude(status__in=[ScanPage.Status.DUPLICATE, ScanPage.Status.REJECTED])
            .exclude(fingerprint=b"")
            .order_by("pk")
            .values_list("pk", "fingerprint")
        )
        for pk, print_ in rows:
            self.pages.append(pk)
            self.prints.append(likeness.parse(bytes(print_)))
            self.seen = max(self.seen, pk)

    def add(self, page: ScanPage) -> None:
        if page.fingerprint and page.status not in (ScanPage.Status.DUPLICATE, ScanPage.Status.REJECTED):
            self.pages.append(page.pk)
            self.prints.append(likeness.parse(bytes(page.fingerprint)))
            self.seen = max(self.seen, page.pk)

    def closest(self, print_: bytes) -> tuple[int, float] | None:
        """The page most like ``print_`` and the likeness; None when nothing can be compared."""
        found = likeness.best_match(print_, self.prints)
        return None if found is None else (self.pages[found[0]], found[1])


def page_place(page: ScanPage) -> str:
    """Where the scrutineers find a scanned sheet: by serial, or by batch and page."""
    return page.place


def _rescan_check(page: ScanPage, index: RescanIndex) -> None:
    """R-BAL-5 on unnumbered sheets: the same physical sheet is never counted twice. A page whose
    hand marks match a page already scanned is refused; one that is close is held for the
    scrutineers to compare the two papers (xuanju.paper.likeness, benchmarks/rescan.py)."""
    index.refresh()
    found = index.closest(bytes(page.fingerprint))
    if found is None:
        return
    other_pk, score = found
    if score < likeness.ASK:
        return
    other = ScanPage.objects.select_related("file").get(pk=other_pk)
    page.likeness, page.resembles = round(score, 4), other
    if score >= likeness.SAME_SHEET:
        page.status = ScanPage.Status.DUPLICATE
        page.problem = (
            f"与已扫描的{page_place(other)}选票标记笔迹一致（相似度 {score:.3f}），"
            "是同一张选票重复扫描，这一页不计入"
        )
    else:
        page.status = ScanPage.Status.SUSPECT
        page.problem = (
            f"与已扫描的{page_place(other)}选票标记笔迹相似（相似度 {score:.3f}），"
            "请监票人对照两张原票判断是否同一张选票重复扫描"
        )


def _sheet_kind_problem(round_: Round, reading: SheetReading) -> str | None:
    """A numbered sheet in an unnumbered round, or the reverse, was not printed for this round."""
    if reading.sheet is None:
        return None
    if round_.numbered_sheets and reading.sheet.serial is None:
        return "这张选票没有编号，本轮印制的选票都有编号：不是本轮印制的选票"
    if not round_.numbered_sheets and reading.sheet.serial is not None:
        return "这张选票印有编号，本轮印制的选票不编号：不是本轮印制的选票"
    return None


@transaction.atomic
def _store_page(
    actor: Any,
    round_: Round,
    file: ScanFile,
    number: int,
    reading: SheetReading,
    index: RescanIndex | None = None,
) -> ScanPage:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    serial = reading.sheet.serial if reading.sheet else None
    page = ScanPage(
        round=round_, file=file, page_number=number, serial=serial, reading=_reading_data(reading)
    )
    if reading.problem is None and not round_.numbered_sheets:
        page.fingerprint = likeness.fingerprint(reading.ink)
    if reading.problem is not None:
        page.status = ScanPage.Status.REJECTED
        page.problem = SHEET_PROBLEM_TEXT[reading.problem]
    elif problem := _sheet_kind_problem(round_, reading):
        page.status = ScanPage.Status.REJECTED
        page.problem = problem
    elif serial is None:
        page.status = ScanPage.Status.REVIEW
        _rescan_check(page, index or RescanIndex(round_))
    elif problem := _serial_problem(round_, serial):
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
    if index is not None:
        index.add(page)
    if page.status == ScanPage.Status.SUSPECT:
        _queue_doubts(page, reading)  # ready for the scrutineers should it prove another sheet
    if page.status == ScanPage.Status.REVIEW:
        _queue_doubts(page, reading)
        if not page.doubts.exists():
            _count(actor, page)
    record(
        _actor(actor),
        "scan_page",
        page,
        after={
            "serial": serial,
            "batch": file.batch,
            "status": page.status,
            "problem": page.problem,
            "likeness": page.likeness,
        },
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
    """The machine's reading of a sheet with no doubt on it, checked by the rules engine. A flagged
    sheet is never counted from here: a scrutineer confirms it whole (xuanju.counting.adjudication)."""
    round_ = page.round
    keys = [c.key for c in ballot_order(list(round_.candidates.select_related("member")))]
    marks: dict[str, list[str]] = {"for": [], "against": []}
    for mark in page.reading:
        if mark["kind"] == BoxKind.CANDIDATE.value and mark["value"] in marks:
            marks[mark["value"]].append(keys[mark["index"]])
    return check_ballot(round_, marks["for"], marks["against"], [])


def _count(actor: Any, page: ScanPage) -> None:
    """Count a sheet read clean at upload, as entered by the uploader (R-BAL-4: no doubt on it)."""
    if page.doubts.exists() or any(mark["doubt"] for mark in page.reading):  # R-BAL-4
        raise ActionError(f"{page_place(page)}的选票有存疑，须由监票人确认整张后才能计入")
    entry = store_ballot(
        actor,
        page.round,
        _ballot_of(page),
        sheet=page.serial,
        source=BallotEntry.Source.SCAN,
        entered_by=_actor(actor),
    )
    page.ballot = entry
    page.status = ScanPage.Status.COUNTED
    page.save(update_fields=["ballot", "status"])


@transaction.atomic
def decide_rescan(actor: Any, page: ScanPage, same_sheet: bool) -> ScanPage:
    """The scrutineers, with both papers in hand, say whether a page held as a possible rescan is
    the same sheet as the one it resembles (then it is not counted) or another voter's sheet (then
    it goes on as any scanned sheet: counted when read clean, else confirmed whole, R-BAL-4)."""
    page = ScanPage.objects.select_for_update().select_related("round", "file").get(pk=page.pk)
    if page.round.closed:
        raise ActionError("这一轮已经计票结束")
    duties.require_path(page.round, Path.SCAN)
    duties.require_scrutineer(actor, page.round, "判断是否重复扫描")
    if page.status != ScanPage.Status.SUSPECT:
        raise ActionError(f"这一页{page.get_status_display()}，不需要判断是否重复扫描")
    before = page.status
    if same_sheet:
        page.status = ScanPage.Status.DUPLICATE
        page.problem = "监票人对照原票确认是同一张选票重复扫描，这一页不计入"
        page.save(update_fields=["status", "problem"])
    else:
        page.status = ScanPage.Status.REVIEW
        page.problem = "监票人对照原票确认不是同一张选票"
        page.save(update_fields=["status", "problem"])
        if not page.doubts.exists():
            _count(actor, page)
    record(
        _actor(actor),
        "decide_rescan",
        page,
        after={"before": before, "same_sheet": same_sheet, "likeness": page.likeness},
        summary=f"监票人判断{page_place(page)}"
        + ("是重复扫描，不计入" if same_sheet else "不是重复扫描，按扫描结果处理"),
    )
    return page


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
