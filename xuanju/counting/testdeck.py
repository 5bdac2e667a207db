"""The test deck of a round counted by scanning (测试票检验): printed with known marks, scanned by the
scrutineers, compared box by box with what was printed. Only an exact match unlocks the upload of
the round's real sheets (R-BAL-4: the machine that reads the ballots is shown to read them right).

The deck's sheets are the round's sheets (same layout, same layout code) with the marks printed on
them, a footer saying they are test sheets, and a QR code naming the round as ``<round>-test``: the
scanner of real sheets refuses them as sheets of another round, and the deck's reader refuses real
sheets, so the two can never be mixed up, and nothing of a deck is ever stored as a ballot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record
from xuanju.counting.models import BallotPrint, DeckRun
from xuanju.counting.sheets import printed_layout
from xuanju.elections import duties
from xuanju.elections.models import Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.paper.layout import BoxKind, SheetLayout
from xuanju.paper.pages import PageError, iter_pages
from xuanju.paper.read import DOUBT_TEXT, SHEET_PROBLEM_TEXT, Doubt, SheetProblem, read_sheet
from xuanju.paper.render import FontMissing, PrintedMark, TextTooLong, ballot_pdf
from xuanju.paper.sheet_id import SheetId
from xuanju.rules.counting import Path
from xuanju.rules.deck import CANDIDATE, WRITE_IN_NAME, DeckSheet, Difference, Sign, compare, design

DECK_SUFFIX = "-test"  # the round reference of a deck sheet's QR code: <round pk>-test
FOOTER = "测试票 · 仅供扫描检验 · 不计入选举结果"
SIGN_TEXT = {Sign.FOR: "“○”", Sign.AGAINST: "“×”", Sign.BLANK: "空白", Sign.INK: "写有姓名"}
MAX_EXTRA_PAGES = 5  # a deck scanned with a few pages too many is compared; far more is refused


def _actor(user: Any) -> str:
    return getattr(user, "username", None) or str(user)


def _print_of(round_: Round) -> BallotPrint:
    print_ = BallotPrint.objects.filter(round=round_).first()
    if print_ is None:
        raise ActionError("这一轮还没有用本系统印制选票：请先印制选票，再打印和检验测试票")
    return print_


def deck_ref(round_: Round) -> str:
    return f"{round_.pk}{DECK_SUFFIX}"


def deck_of(print_: BallotPrint) -> tuple[SheetLayout, tuple[DeckSheet, ...]]:
    """The layout the round's sheets were printed with, and the deck for it."""
    layout = printed_layout(print_)
    spec = layout.spec
    return layout, design(len(spec.candidates), spec.seats, spec.write_in_rows)


def deck_ids(print_: BallotPrint, layout: SheetLayout, deck: Sequence[DeckSheet]) -> list[SheetId]:
    round_ = print_.round
    return [SheetId(str(round_.contest.election_id), deck_ref(round_), s.serial, layout.code) for s in deck]


def _printed_marks(layout: SheetLayout, sheet: DeckSheet) -> list[PrintedMark]:
    marks = []
    for box in layout.boxes:
        if box.kind == BoxKind.CANDIDATE:
            sign = sheet.candidates[box.index]
        elif box.kind == BoxKind.WRITE_IN_MARK:
            sign = sheet.write_in_marks[box.index]
        else:
            name = sheet.write_in_names[box.index]
            if name:
                marks.append(PrintedMark(box.rect, "name", name))
            continue
        if sign == Sign.FOR:
            marks.append(PrintedMark(box.rect, "circle"))
        elif sign == Sign.AGAINST:
            marks.append(PrintedMark(box.rect, "cross"))
    return marks


@transaction.atomic
def print_test_deck(actor: Any, round_: Round) -> tuple[bytes, tuple[DeckSheet, ...]]:
    """The deck as one PDF, its marks drawn by the machine on the round's own sheet (audited)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.closed:
        raise ActionError("这一轮已经计票结束")
    duties.require_path(round_, Path.SCAN)  # R-MEET-4: only a round counted by scanning has a deck
    print_ = _print_of(round_)
    layout, deck = deck_of(print_)
    try:
        pdf = ballot_pdf(
            layout, deck_ids(print_, layout, deck), [_printed_marks(layout, s) for s in deck], FOOTER
        )
    except (FontMissing, TextTooLong):  # pragma: no cover - the round's own sheets printed already
        raise ActionError("测试票排版失败：请先重新印制本轮选票") from None
    record(
        _actor(actor),
        "print_test_deck",
        round_,
        after={"layout_code": layout.code, "sheets": len(deck)},
        summary=f"{round_.contest}第{round_.number}轮打印测试票 {len(deck)} 张",
    )
    return pdf, deck


def passed_run(round_: Round) -> DeckRun | None:
    """The run that unlocked the round's scanning: passed, for the layout now printed."""
    print_ = BallotPrint.objects.filter(round=round_).first()
    if print_ is None:
        return None
    return (
        DeckRun.objects.filter(round=round_, passed=True, layout_code=print_.layout_code)
        .order_by("run_at", "pk")
        .first()
    )


def require_passed(round_: Round) -> None:
    """Refuse the upload of real sheets until the test deck matched (R-BAL-4)."""
    if passed_run(round_) is None:
        raise ActionError(
            f"第{round_.number}轮还没有通过测试票检验：请先在“扫描选票”页打印测试票，由监票人扫描上传，"
            "识别结果与测试票完全一致后，才能上传正式选票"
        )


@dataclass(frozen=True)
class _Page:
    number: int  # 1.. across the uploaded files
    filename: str
    serial: int | None
    problem: str | None
    reading: dict[tuple[str, int], tuple[str, str | None]]


def _finder(print_: BallotPrint, layout: SheetLayout) -> Callable[[SheetId], SheetLayout | None]:
    round_ = print_.round

    def find(sheet: SheetId) -> SheetLayout | None:
        if sheet.election == str(round_.contest.election_id) and sheet.round == deck_ref(round_):
            return layout
        return None

    return find


def _read(
    files: Sequence[tuple[str, bytes]], print_: BallotPrint, layout: SheetLayout, limit: int
) -> list[_Page]:
    find = _finder(print_, layout)
    pages: list[_Page] = []
    for filename, data in files:
        try:
            images = iter_pages(data, filename)
            for image in images:
                if len(pages) >= limit:
                    raise ActionError(
                        f"测试票只有 {limit - MAX_EXTRA_PAGES} 张，上传的扫描件超过 {limit} 页，请只上传测试票"
                    )
                reading = read_sheet(image, find)
                problem = SHEET_PROBLEM_TEXT[reading.problem] if reading.problem is not None else None
                if reading.problem == SheetProblem.UNKNOWN_ROUND:
                    problem = "不是本轮的测试票（可能是正式选票或其他轮次的票）"
                marks = {
                    (m.box.kind.value, m.box.index): (m.value.value, m.doubt.value if m.doubt else None)
                    for m in reading.marks
                }
                serial = reading.sheet.serial if reading.sheet is not None else None
                pages.append(_Page(len(pages) + 1, filename, serial, problem, marks))
        except PageError as error:
            raise ActionError(str(error)) from None
    return pages


def _box_label(kind: str, index: int, names: list[str]) -> str:
    if kind == CANDIDATE:
        return names[index] if index < len(names) else f"第{index + 1}位候选人"
    return f"另选他人第{index + 1}行" + ("姓名栏" if kind == WRITE_IN_NAME else "符号栏")


def doubt_text(value: str) -> str:
    try:
        return DOUBT_TEXT[Doubt(value)]
    except (ValueError, KeyError):
        return value


def _difference_text(serial: int, d: Difference, names: list[str]) -> str:
    if d.read is None:
        got = "没有读出"
    elif d.doubt is not None:
        got = f"存疑（{doubt_text(d.doubt)}）"
    else:
        got = SIGN_TEXT[d.read]
    return (
        f"测试票{serial}号 · {_box_label(d.kind, d.index, names)}：应为{SIGN_TEXT[d.expected]}，识别为{got}"
    )


def differences(deck: Sequence[DeckSheet], pages: Sequence[_Page], names: list[str]) -> list[str]:
    """Every way the scanned deck differs from the printed one, in Chinese; empty when it matches."""
    out: list[str] = []
    by_serial = {s.serial: s for s in deck}
    seen: set[int] = set()
    for page in pages:
        where = f"{page.filename} 第{page.number}页"
        if page.problem is not None:
            out.append(f"{where}：{page.problem}")
            continue
        if page.serial not in by_serial:
            out.append(f"{where}：测试票编号{page.serial}不在本轮测试票中")
            continue
        if page.serial in seen:
            out.append(f"{where}：测试票{page.serial}号重复扫描")
            continue
        seen.add(page.serial)
        out.extend(
            _difference_text(page.serial, d, names) for d in compare(by_serial[page.serial], page.reading)
        )
    missing = [s.serial for s in deck if s.serial not in seen]
    if missing:
        out.append(f"测试票{'、'.join(str(s) for s in missing)}号没有扫描到")
    return out


def run_test_deck(actor: Any, round_: Round, files: Sequence[tuple[str, bytes]]) -> DeckRun:
    """Read the scanned deck and compare it with what was printed; pass only on an exact match.
    Run by a scrutineer (R-MEET-4: counters work under the scrutineers, who check the machine)."""
    if round_.closed:
        raise ActionError("这一轮已经计票结束")
    duties.require_path(round_, Path.SCAN)
    duties.require_scrutineer(actor, round_, "进行测试票检验")  # R-MEET-4
    print_ = _print_of(round_)
    if passed_run(round_) is not None:
        raise ActionError("本轮测试票检验已经通过，可以上传正式选票；不需要再检验")
    if not files:
        raise ActionError("请选择测试票的扫描件", "scans")
    layout, deck = deck_of(print_)
    pages = _read(files, print_, layout, len(deck) + MAX_EXTRA_PAGES)  # outside the transaction: slow
    names = [c.member.name for c in ballot_order(list(round_.candidates.select_related("member")))]
    found = differences(deck, pages, names)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.closed:
            raise ActionError("这一轮已经计票结束")
        if passed_run(locked) is not None:
            raise ActionError("本轮测试票检验已经通过，可以上传正式选票；不需要再检验")
        run = DeckRun.objects.create(
            round=locked,
            layout_code=layout.code,
            sheets=len(deck),
            pages=len(pages),
            passed=not found,
            differences=found,
            files=[
                {"filename": name[:200], "sha256": hashlib.sha256(data).hexdigest()} for name, data in files
            ],
            run_by=_actor(actor),
            run_at=timezone.now(),
        )
        record(
            _actor(actor),
            "run_test_deck",
            run,
            after={"round": locked.pk, "passed": run.passed, "pages": run.pages, "differences": found},
            summary=f"{locked.contest}第{locked.number}轮测试票检验{'通过' if run.passed else '未通过'}",
        )
    return run


def summary(round_: Round) -> dict[str, Any] | None:
    """The deck's result for the round's pages and documents, None where the round has no run."""
    runs = list(DeckRun.objects.filter(round=round_).order_by("run_at", "pk"))
    if not runs:
        return None
    passed = passed_run(round_)
    last = passed or runs[-1]
    return {
        "passed": passed is not None,
        "run": last,
        "failed_before": [r for r in runs if not r.passed and r.pk != last.pk and r.run_at <= last.run_at],
        "runs": len(runs),
    }
