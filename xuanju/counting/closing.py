"""Who counted and who scrutinized a round, and what still stops its count from closing, gathered
from the desk, the sheets and the scans and worded for the close page (R-MEET-4, R-BAL-4/5).

The decisions are in :mod:`xuanju.rules.counting`; the election flow asks through
:mod:`xuanju.elections.hooks` (registered in ``CountingConfig.ready``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from xuanju.counting.desk import conflict_keys
from xuanju.counting.models import (
    BallotPrint,
    DeskEntry,
    MarkDoubt,
    SamplingAudit,
    ScanFile,
    ScanPage,
    SheetNote,
)
from xuanju.counting.readings import format_serials, key_label
from xuanju.counting.scan_batches import batch_counts
from xuanju.elections.models import BallotEntry, CountingMethod, Round
from xuanju.rules.counting import Blocker, CloseBlocker, CountState, close_blockers


def duties(round_: Round) -> tuple[frozenset[str], frozenset[str]]:
    """(counters, scrutineers) of ``round_``: who entered, read or uploaded ballots in it, and who
    confirmed, decided or voided them. Account names only, never anything about a voter."""
    counters = set(DeskEntry.objects.filter(round=round_).values_list("entered_by", flat=True))
    counters |= set(ScanFile.objects.filter(round=round_).values_list("uploaded_by", flat=True))
    counters |= set(BallotEntry.objects.filter(round=round_).values_list("entered_by", flat=True))
    scrutineers = set(BallotEntry.objects.filter(round=round_).values_list("confirmed_by", flat=True))
    scrutineers |= set(MarkDoubt.objects.filter(page__round=round_).values_list("decided_by", flat=True))
    scrutineers |= set(ScanPage.objects.filter(round=round_).values_list("confirmed_by", flat=True))
    return frozenset(counters - {""}), frozenset(scrutineers - {""})


def _waiting(round_: Round) -> tuple[str, ...]:
    entries = DeskEntry.objects.filter(round=round_, ballot__isnull=True).order_by("pk")
    keys: dict[str, int] = {}
    for entry in entries:
        keys[entry.key] = keys.get(entry.key, 0) + 1
    return tuple(k for k, n in keys.items() if n == 1)


def count_state(round_: Round, returned: int) -> CountState:
    printed = BallotPrint.objects.filter(round=round_).first()
    notes = list(SheetNote.objects.filter(round=round_).values_list("state", flat=True))
    spoiled, unused = notes.count(SheetNote.State.SPOILED), notes.count(SheetNote.State.UNUSED)
    if not round_.numbered_sheets:  # R-BAL-5 by counts
        spoiled, unused = (printed.spoiled, printed.unused) if printed else (0, 0)
    ballots = BallotEntry.objects.filter(round=round_)
    unconfirmed = 0
    if round_.counting_method == CountingMethod.SINGLE_ENTRY:
        unconfirmed = ballots.filter(confirmed_by="", void_reason="").count()
    void_unconfirmed = ballots.filter(confirmed_by="").exclude(void_reason="").count()
    review = ScanPage.objects.filter(round=round_, status=ScanPage.Status.REVIEW).order_by("serial")
    return CountState(
        printed=printed.sheets if printed else None,
        issued=round_.issued or 0,
        spoiled=spoiled,
        unused=unused,
        waiting=_waiting(round_),
        conflicts=tuple(conflict_keys(round_)),
        in_review=tuple(p.serial or 0 for p in review),
        unconfirmed=unconfirmed,
        void_unconfirmed=void_unconfirmed,
        entered=ballots.aggregate(n=Sum("count"))["n"] or 0,
        returned=returned,
        audit_open=SamplingAudit.objects.filter(
            round=round_, verdict__in=(SamplingAudit.Verdict.OPEN, SamplingAudit.Verdict.FULL_COUNT)
        ).exists(),
        suspected_rescans=ScanPage.objects.filter(round=round_, status=ScanPage.Status.SUSPECT).count(),
        batch_mismatches=tuple(
            (b.batch, b.stated, b.sheets)
            for b in batch_counts(round_)
            if b.stated is not None and not b.matches
        ),
    )


def _keys(keys: tuple[str, ...]) -> str:
    shown = "、".join(key_label(k) for k in keys[:10])
    return shown + (f"等 {len(keys)} 个" if len(keys) > 10 else "")


def blocker_text(blocker: CloseBlocker) -> str:
    """The Chinese sentence for one blocker, saying what and where."""
    code, n = blocker.code, blocker.numbers
    if code == Blocker.SHEETS_UNACCOUNTED:
        printed, issued, spoiled, unused, left = n
        return (
            f"选票印制 {printed} 张，发出 {issued} 张、作废换发 {spoiled} 张、未发出 {unused} 张，"
            f"还有 {left} 张没有下落：请在计票台登记未发出或作废换发的选票编号（R-BAL-5）"
            if left > 0
            else f"选票印制 {printed} 张，登记的发出、作废换发和未发出共多出 {-left} 张，请核对（R-BAL-5）"
        )
    if code == Blocker.WAITING_FOR_SECOND:
        return f"{_keys(blocker.keys)}只有一席录入，还在等另一名计票人录入（共 {len(blocker.keys)} 个）"
    if code == Blocker.DESK_CONFLICTS:
        return f"{_keys(blocker.keys)}两次录入不一致，须由监票人核对原票后裁定（R-BAL-4）"
    if code == Blocker.SCAN_IN_REVIEW:
        serials = [s for s in n if s]
        where = f"编号 {format_serials(serials)} " if serials else ""
        return f"扫描的选票 {where}共 {len(n)} 张有存疑，待监票人整张确认；确认之前不计入（R-BAL-4）"
    if code == Blocker.UNCONFIRMED:
        return f"还有 {n[0]} 条单人录入没有经监票人确认（R-MEET-4）"
    if code == Blocker.VOID_UNCONFIRMED:
        return f"还有 {n[0]} 条废票的原因没有经监票人确认（R-BAL-4）"
    if code == Blocker.RESCAN_SUSPECTED:
        return (
            f"扫描的选票中有 {n[0]} 页与已扫描的选票标记笔迹相似，可能是同一张重复扫描，待监票人对照原票判断"
        )
    if code == Blocker.BATCH_MISMATCH:
        batch, stated, scanned = n
        return (
            f"第{batch}批清点 {stated} 张，扫描计入和待定的 {scanned} 张，两者不符："
            "请监票人重新清点这一批，找出漏扫或重复扫描的选票"
        )
    if code == Blocker.AUDIT_OPEN:
        return "本轮的抽样复核还没有完成：请复核完抽取的全部选票"
    entered, returned = n
    return f"已录入选票 {entered} 张，与收回的 {returned} 张不符，请核对后再结束计票（R-BAL-5）"


def blockers(round_: Round, returned: int) -> list[str]:
    return [blocker_text(b) for b in close_blockers(count_state(round_, returned))]


def ballot_deleted(entry: BallotEntry) -> None:
    """A scanned sheet whose ballot a scrutineer deletes is no longer counted: its page is kept as
    not counted, so the sheet may be scanned again. Desk readings of a deleted ballot lose their
    link and stand as a difference for a scrutineer (desk.conflict_keys)."""
    ScanPage.objects.filter(ballot=entry).update(
        status=ScanPage.Status.REJECTED, problem="监票人已撤销这张选票的计入", ballot=None
    )


class CountingFlow:
    def duties(self, round_: Round) -> tuple[frozenset[str], frozenset[str]]:
        return duties(round_)

    def close_blockers(self, round_: Round, returned: int) -> list[str]:
        return blockers(round_, returned)

    def ballot_deleted(self, entry: BallotEntry) -> None:
        ballot_deleted(entry)

    def test_deck(self, round_: Round) -> dict[str, Any] | None:
        from xuanju.counting import testdeck

        return testdeck.summary(round_)
