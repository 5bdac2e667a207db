"""The counting desk's state changes, each one transaction with its audit record (R-SUP-4).

Paper ballots are read twice, by two counters on two accounts (甲录入, 乙录入). Two readings that
agree become one ballot entry; two that differ stop the desk until a scrutineer has looked at the
paper and recorded the true reading. Every reading is checked by the rules engine as it is typed
(R-BAL-2..4), exactly as a ballot entered once is (xuanju.elections.actions.check_ballot), and every
printed sheet serial is accounted for (R-BAL-5). Each action commits before the page acknowledges it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.counting.desk import conflict_keys
from xuanju.counting.models import BallotPrint, DeskEntry, Paper, SheetNote
from xuanju.counting.readings import (
    ReadingError,
    conflict_text,
    format_serials,
    is_sheet,
    key_label,
    normalize_key,
    serial_of,
)
from xuanju.elections import duties
from xuanju.elections.actions import check_ballot, store_ballot
from xuanju.elections.models import BallotEntry, Round
from xuanju.rules.ballots import Ballot
from xuanju.rules.counting import Path
from xuanju.rules.names import canonical_name
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

LAYOUT_CODE = re.compile(r"^[0-9a-f]{8}$")


def _open_round(round_: Round) -> Round:
    """The round's row, locked so that desk actions on one round run one after another (on
    PostgreSQL; SQLite serializes writers anyway), and refused once the count is closed."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.closed:
        raise ActionError(f"第{locked.number}轮已经计票结束，不能再录入或登记")
    return locked


def _key(round_: Round, text: str) -> str:
    try:
        return normalize_key(text, round_.numbered_sheets)
    except ReadingError as error:
        raise ActionError(str(error), "key") from error


def reading_of(entry: DeskEntry | BallotEntry | Ballot) -> tuple[Any, ...]:
    """What two readings must share to agree: the same marks and write-ins (as sets of people:
    names compared as :func:`canonical_name`, R-NAME-5), the same number of ballots and the same
    void reason."""
    if isinstance(entry, Ballot):
        marks = (entry.for_, entry.against, entry.write_in, entry.count, entry.void_reason or "")
    else:
        marks = (entry.marks_for, entry.marks_against, entry.write_ins, entry.count, entry.void_reason)
    for_, against, write_in, count, void_reason = marks
    return (
        frozenset(for_),
        frozenset(against),
        frozenset(canonical_name(w) for w in write_in),  # R-NAME-5
        count,
        void_reason.strip(),
    )


# --- sheets -------------------------------------------------------------------------------


@transaction.atomic
def record_print(
    actor: Any, round_: Round, reserve: int, paper: str, large_print: bool, layout_code: str
) -> BallotPrint:
    """Record the paper ballots printed for ``round_``: serials 1..issued + reserve.

    A reprint is allowed with the same number of sheets only: the serials are the same and the
    PDF is reproducible, so every sheet printed either time is the same sheet.
    """
    round_ = _open_round(round_)
    if reserve < 0 or reserve > 10_000:
        raise ActionError("备用选票张数应在 0 至 10000 之间", "reserve")
    if paper not in Paper.values:
        raise ActionError("纸张只能是 A4 或 A3", "paper")
    if not LAYOUT_CODE.match(layout_code):
        raise ActionError("版式代码应为 8 位十六进制数", "layout_code")
    issued = round_.issued or 0
    sheets = issued + reserve
    existing = BallotPrint.objects.filter(round=round_).first()
    if existing is not None and existing.sheets != sheets:
        numbers = f"（编号 1-{existing.sheets}）" if round_.numbered_sheets else ""
        raise ActionError(
            f"第{round_.number}轮选票已印制 {existing.sheets} 张{numbers}，"
            f"重印只能印同样的张数，不能印 {sheets} 张",
            "reserve",
        )
    counting_started = round_.ballots.exists() or round_.desk_entries.exists() or round_.scan_files.exists()
    if existing is not None and existing.layout_code != layout_code and counting_started:
        # Sheets of the first printing may be in the ballot box: a new layout would make them
        # unreadable by the scanner and different from what the desk shows.
        raise ActionError(
            f"第{round_.number}轮已经开始计票，重印只能用原来的版面（{existing.get_paper_display()}"
            f"{'，大字版' if existing.large_print else ''}）",
            "paper",
        )
    before = snapshot(existing) if existing else None
    printed = existing or BallotPrint(round=round_)
    printed.sheets = sheets
    printed.reserve = reserve
    printed.paper = paper
    printed.large_print = large_print
    printed.layout_code = layout_code
    printed.printed_by = _actor(actor)
    printed.printed_at = timezone.now()
    printed.save()
    record(
        _actor(actor),
        "reprint_ballots" if existing else "print_ballots",
        printed,
        before=before,
        after=snapshot(printed),
        summary=f"{round_.contest}第{round_.number}轮印制选票 {sheets} 张（发出 {issued}，备用 {reserve}）",
    )
    return printed


@transaction.atomic
def count_sheets(actor: Any, round_: Round, spoiled: int, unused: int) -> BallotPrint:
    """Record how many unnumbered sheets no voter kept: spoiled and exchanged (作废换发) and left
    unused (未发出). Unnumbered sheets are all alike, so they are accounted for by counts, as at a
    meeting: printed = issued + spoiled + unused (R-BAL-5); more than the sheets not issued is refused."""
    round_ = _open_round(round_)
    if round_.numbered_sheets:
        raise ActionError("本轮选票印有编号，请按编号登记未发出和作废换发的选票")
    printed = BallotPrint.objects.select_for_update().filter(round=round_).first()
    if printed is None:
        raise ActionError("本轮选票没有在系统中登记印制，无法核对张数")
    if spoiled < 0 or unused < 0:
        raise ActionError("张数不能是负数", "spoiled")
    room = printed.sheets - (round_.issued or 0)
    if spoiled + unused > room:
        raise ActionError(
            f"印制 {printed.sheets} 张、发出 {round_.issued} 张，作废换发和未发出的合计最多 {room} 张，"
            f"登记的是 {spoiled + unused} 张，请重新清点",
            "unused",
        )
    before = snapshot(printed)
    printed.spoiled, printed.unused = spoiled, unused
    printed.save(update_fields=["spoiled", "unused"])
    record(
        _actor(actor),
        "count_sheets",
        printed,
        before=before,
        after=snapshot(printed),
        summary=f"第{round_.number}轮选票：作废换发 {spoiled} 张，未发出 {unused} 张",
    )
    return printed


def _check_serials(round_: Round, serials: Iterable[int]) -> tuple[list[int], BallotPrint]:
    if not round_.numbered_sheets:
        raise ActionError("本轮选票不编号，请登记作废换发和未发出的张数", "serials")
    printed = BallotPrint.objects.filter(round=round_).first()
    if printed is None:
        raise ActionError("本轮选票没有在系统中登记印制，无法按编号核对", "serials")
    wanted = sorted(set(serials))
    outside = [s for s in wanted if not 1 <= s <= printed.sheets]
    if outside:
        raise ActionError(
            f"编号 {format_serials(outside)} 超出本轮印制的选票编号 1-{printed.sheets}", "serials"
        )
    return wanted, printed


@transaction.atomic
def note_sheets(actor: Any, round_: Round, serials: Iterable[int], state: str) -> int:
    """Record printed sheets no voter kept: left unused (未发出) or spoiled and exchanged (作废换发).

    A sheet already read at the desk or counted is refused; so is a note that would leave fewer
    sheets than ballots issued (printed = issued + spoiled + unused, R-BAL-5).
    """
    round_ = _open_round(round_)
    if state not in SheetNote.State.values:
        raise ActionError("请选择未发出或作废换发", "state")
    wanted, printed = _check_serials(round_, serials)
    sheets = BallotEntry.objects.filter(round=round_, sheet__in=wanted).values_list("sheet", flat=True)
    counted = {s for s in sheets if s is not None}
    counted |= {
        int(k)
        for k in DeskEntry.objects.filter(round=round_, key__in=[str(s) for s in wanted]).values_list(
            "key", flat=True
        )
    }
    if counted:
        raise ActionError(
            f"第{format_serials(sorted(counted))}号选票已经录入或计入，不能登记为未发出或作废", "serials"
        )
    others = SheetNote.objects.filter(round=round_).exclude(serial__in=wanted).count()
    room = printed.sheets - (round_.issued or 0)
    if others + len(wanted) > room:
        raise ActionError(
            f"印制 {printed.sheets} 张、发出 {round_.issued} 张，未发出和作废换发的最多 {room} 张；"
            f"登记后将有 {others + len(wanted)} 张，请核对编号",
            "serials",
        )
    label = SheetNote.State(state).label
    for serial in wanted:
        SheetNote.objects.update_or_create(
            round=round_, serial=serial, defaults={"state": state, "noted_by": _actor(actor)}
        )
    record(
        _actor(actor),
        "note_sheets",
        round_,
        after={"state": state, "serials": wanted},
        summary=f"第{round_.number}轮选票 {format_serials(wanted)} 号登记为{label}",
    )
    return len(wanted)


@transaction.atomic
def clear_sheet_notes(actor: Any, round_: Round, serials: Iterable[int]) -> int:
    """Take back notes made by mistake (the sheets were handed out after all)."""
    round_ = _open_round(round_)
    wanted, _ = _check_serials(round_, serials)
    notes = SheetNote.objects.filter(round=round_, serial__in=wanted)
    found = sorted(notes.values_list("serial", flat=True))
    if not found:
        raise ActionError(f"编号 {format_serials(wanted)} 没有登记过", "serials")
    notes.delete()
    record(
        _actor(actor),
        "clear_sheet_notes",
        round_,
        after={"serials": found},
        summary=f"第{round_.number}轮选票 {format_serials(found)} 号撤销未发出或作废登记",
    )
    return len(found)


# --- double entry -------------------------------------------------------------------------


def _check_key(round_: Round, key: str, count: int) -> int | None:
    """The sheet serial of ``key`` after the accounting checks, or None for a group label."""
    serial = serial_of(key)
    if serial is None:
        if is_sheet(key) and count != 1:  # a batch and position: one unnumbered sheet
            raise ActionError(
                f"{key_label(key)}是一张选票；一叠相同的选票请填组号（如“组3”）再填张数", "count"
            )
        return None
    if count != 1:
        raise ActionError(f"第{key}号是一张选票的编号；一叠相同的选票请填组号（如“组3”）再填张数", "count")
    printed = BallotPrint.objects.filter(round=round_).first()
    if printed is not None and serial > printed.sheets:
        raise ActionError(f"第{key}号超出本轮印制的选票编号 1-{printed.sheets}，请核对选票上的编号", "key")
    note = SheetNote.objects.filter(round=round_, serial=serial).first()
    if note is not None:
        raise ActionError(
            f"第{key}号选票已登记为{note.get_state_display()}，不能计票；请核对选票上的编号", "key"
        )
    if BallotEntry.objects.filter(round=round_, sheet=serial).exists():
        raise ActionError(f"第{key}号选票已经计入本轮，同一张选票不能计两次", "key")
    return serial


def _stop_on_conflict(round_: Round) -> None:
    conflicts = conflict_keys(round_)
    if conflicts:
        raise ActionError(conflict_text(conflicts[0]))


@transaction.atomic
def enter_at_desk(
    actor: Any,
    round_: Round,
    key: str,
    slot: int,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> DeskEntry:
    """One counter's reading of the ballot ``key`` (a sheet serial, or a group label for ``count``
    identical ballots) at ``slot`` (1 甲录入, 2 乙录入).

    Refused when: the round is closed; any two readings in the round disagree (the desk stops
    until a scrutineer decides); the reading could not be counted (R-BAL-2..4); the serial is
    outside the printed range, noted unused or spoiled, or already counted (R-BAL-5); this slot
    already read the key; or the same account read the other slot (two counters, two accounts).
    When the other slot's reading agrees, the ballot is counted (source 双人录入); when it
    differs, the key waits for a scrutineer (:func:`resolve_conflict`).
    """
    round_ = _open_round(round_)
    duties.require_path(round_, Path.DESK)  # R-MEET-4: the plain entry page cannot bypass the desk
    duties.require_counter(actor, round_)
    key = _key(round_, key)
    if slot not in DeskEntry.Slot.values:
        raise ActionError("录入席只有甲、乙两席")
    _stop_on_conflict(round_)
    serial = _check_key(round_, key, count)
    label = key_label(key)
    readings = {e.slot: e for e in DeskEntry.objects.filter(round=round_, key=key)}
    if any(e.ballot_id for e in readings.values()):
        raise ActionError(f"{label}已经两次录入一致并计入，不能重复录入", "key")
    if slot in readings:
        mine = readings[slot]
        raise ActionError(
            f"{label}的{mine.get_slot_display()}已由 {mine.entered_by} 录入；"
            "录错了请先撤回再录，或核对选票编号",
            "key",
        )
    other = readings.get(3 - slot)
    if other is not None and other.entered_by == _actor(actor):
        raise ActionError(
            f"{label}的{other.get_slot_display()}是您录入的；两次录入须由两名计票人用各自的账号分别进行",
            "key",
        )
    ballot = check_ballot(round_, marks_for, marks_against, write_ins, count, void_reason)
    entry = DeskEntry.objects.create(
        round=round_,
        key=key,
        slot=slot,
        marks_for=list(ballot.for_),
        marks_against=list(ballot.against),
        write_ins=list(ballot.write_in),
        count=ballot.count,
        void_reason=ballot.void_reason or "",
        entered_by=_actor(actor),
    )
    # Who read which key, not what: the reading itself is in the entry (R-SUP-1 holds: a key is a
    # sheet serial or a group label, never a voter).
    record(
        _actor(actor),
        "enter_at_desk",
        entry,
        after={"round": round_.pk, "key": key, "slot": slot, "count": ballot.count},
    )
    if other is not None and reading_of(other) == reading_of(ballot):
        counted = store_ballot(
            actor,
            round_,
            ballot,
            sheet=serial,
            source=BallotEntry.Source.DOUBLE_ENTRY,
            entered_by=_actor(actor),
        )
        DeskEntry.objects.filter(pk__in=[entry.pk, other.pk]).update(ballot=counted)
        entry.ballot = counted
    return entry


@transaction.atomic
def resolve_conflict(
    actor: Any,
    round_: Round,
    key: str,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> BallotEntry:
    """A scrutineer, with the paper ballot in hand, records the true reading of a key the two
    counters read differently (R-BAL-4: a void ballot's reason is confirmed this way too). Both
    counters' readings stay on record, linked to the ballot entry (source 监票人裁定)."""
    round_ = _open_round(round_)
    duties.require_path(round_, Path.DESK)
    duties.require_scrutineer(actor, round_, "裁定两次录入不一致的选票")  # R-MEET-4, R-BAL-4
    key = _key(round_, key)
    label = key_label(key)
    readings = list(DeskEntry.objects.filter(round=round_, key=key, ballot__isnull=True))
    if len(readings) != 2:
        raise ActionError(f"{label}没有待裁定的不一致录入")
    serial = serial_of(key)
    if is_sheet(key) and count != 1:
        raise ActionError(f"{key_label(key)}是一张选票，张数只能是 1", "count")
    ballot = check_ballot(round_, marks_for, marks_against, write_ins, count, void_reason)
    counted = store_ballot(
        actor, round_, ballot, sheet=serial, source=BallotEntry.Source.SCRUTINEER, confirmed_by=_actor(actor)
    )
    DeskEntry.objects.filter(pk__in=[r.pk for r in readings]).update(ballot=counted)
    record(
        _actor(actor),
        "resolve_conflict",
        counted,
        after={"round": round_.pk, "key": key, "readings": sorted(r.pk for r in readings)},
        summary=f"监票人核对原票，裁定{label}",
    )
    return counted


@transaction.atomic
def withdraw_desk_entry(actor: Any, entry: DeskEntry, as_scrutineer: bool = False) -> None:
    """A counter takes back their own reading while its key is not counted and not in dispute;
    a scrutineer may take back any reading not yet counted (a mistyped sheet number)."""
    round_ = _open_round(entry.round)
    entry = DeskEntry.objects.get(pk=entry.pk)
    label = key_label(entry.key)
    if entry.ballot_id is not None:
        raise ActionError(f"{label}已经计入，录入不能再撤回")
    if as_scrutineer and entry.entered_by != _actor(actor):
        duties.require_scrutineer(actor, round_, "撤回他人的录入")
    if not as_scrutineer:
        if entry.entered_by != _actor(actor):
            raise ActionError(
                f"{label}的{entry.get_slot_display()}是 {entry.entered_by} 录入的，只能由本人撤回"
            )
        if DeskEntry.objects.filter(round=round_, key=entry.key).count() == 2:
            raise ActionError(f"{label}两次录入不一致，须由监票人核对原票后裁定，不能自行撤回")
    record_deletion(
        _actor(actor), "withdraw_desk_entry", entry, summary=f"撤回{label}的{entry.get_slot_display()}"
    )
