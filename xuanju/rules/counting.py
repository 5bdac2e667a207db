"""When a round's count may be closed, and who may do what at the count (R-MEET-4, R-BAL-4/5).

Pure decisions over plain values: the shell (``xuanju.counting.closing``) gathers the state of a
round and words the codes returned here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    """How the paper ballots of a round are counted (选举办法, R-MEET-3)."""

    DOUBLE_ENTRY = "double_entry"  # 双人录入: two counters agree, a scrutineer decides differences
    SCAN = "scan"  # 扫描计票: the scanner reads, a scrutineer decides doubtful marks; sheets it
    # cannot read are entered at the double-entry desk
    SINGLE_ENTRY = "single_entry"  # 单人录入: a scrutineer confirms each entry or group


class Path(StrEnum):
    """The ways a ballot can enter the count."""

    DESK = "desk"  # a reading at the double-entry desk
    SINGLE = "single"  # the plain entry page, one ballot or a group at a time
    SCAN = "scan"  # an uploaded scan, and the scrutineer's decisions on it


ALLOWED_PATHS: dict[Method, frozenset[Path]] = {
    Method.DOUBLE_ENTRY: frozenset({Path.DESK}),
    Method.SCAN: frozenset({Path.SCAN, Path.DESK}),
    Method.SINGLE_ENTRY: frozenset({Path.SINGLE}),
}


def path_allowed(method: Method, path: Path) -> bool:
    """R-MEET-3/4: a ballot enters the count only by the path the round's method allows, so that
    every counted ballot passed two people (two counters, or a counter and a scrutineer)."""
    return path in ALLOWED_PATHS[method]


class Duty(StrEnum):
    COUNTER = "counter"  # 计票人: enters ballots (readings, single entries, scan uploads)
    SCRUTINEER = "scrutineer"  # 监票人: confirms, decides, voids, deletes, closes


def duty_conflict(duty: Duty, name: str, counters: frozenset[str], scrutineers: frozenset[str]) -> bool:
    """R-MEET-4: counters work under the scrutineers, so one account is not both in one round: who
    entered a ballot in it may not confirm, decide, delete or close in it, and vice versa."""
    if duty == Duty.COUNTER:
        return name in scrutineers
    return name in counters


class Blocker(StrEnum):
    SHEETS_UNACCOUNTED = "sheets_unaccounted"  # printed ≠ issued + spoiled + unused (R-BAL-5)
    WAITING_FOR_SECOND = "waiting_for_second"  # desk readings with one side only
    DESK_CONFLICTS = "desk_conflicts"  # desk readings that differ, for a scrutineer (R-BAL-4)
    SCAN_IN_REVIEW = "scan_in_review"  # scanned sheets with doubts not decided (R-BAL-4)
    UNCONFIRMED = "unconfirmed"  # single entries no scrutineer has confirmed
    VOID_UNCONFIRMED = "void_unconfirmed"  # void ballots whose reason no scrutineer confirmed (R-BAL-4)
    RETURNED_MISMATCH = "returned_mismatch"  # ballots entered ≠ ballots returned
    AUDIT_OPEN = "audit_open"  # a sampling audit started and not concluded (docs/sampling-audit.md)
    RESCAN_SUSPECTED = "rescan_suspected"  # unnumbered pages that may be a sheet scanned twice
    BATCH_MISMATCH = "batch_mismatch"  # a scanned batch whose sheets ≠ the sheets counted into it


@dataclass(frozen=True)
class CountState:
    """What the close of a round depends on. Keys are sheet serials or group labels."""

    printed: int | None  # sheets printed by the system, None when not printed here
    issued: int
    spoiled: int
    unused: int
    waiting: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    in_review: tuple[int, ...] = ()  # scanned pages waiting for decisions (their serials)
    unconfirmed: int = 0  # ballots entered once and not yet confirmed
    void_unconfirmed: int = 0  # void ballots the counters agreed on, not yet confirmed by a scrutineer
    entered: int = 0
    returned: int = 0
    audit_open: bool = False  # a sampling audit (抽样复核) was started and has not concluded
    suspected_rescans: int = 0  # unnumbered pages whose marks look like a sheet already scanned
    # Scanned batches of unnumbered sheets whose count differs: (batch, sheets stated, sheets scanned).
    batch_mismatches: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class CloseBlocker:
    code: Blocker
    keys: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()


def close_blockers(state: CountState) -> list[CloseBlocker]:
    """Everything that still stops the count from being closed; empty when it may close.

    R-BAL-5: every printed sheet is issued, spoiled or unused, and the ballots entered are the
    ballots returned. R-BAL-4 / R-MEET-4: no reading waits for its second counter, no difference
    or scanned doubt waits for a scrutineer, no single entry waits for its confirmation, and every
    void ballot's reason, recorded by the counters, is confirmed by a scrutineer.
    """
    blockers: list[CloseBlocker] = []
    if state.printed is not None:
        unaccounted = state.printed - state.issued - state.spoiled - state.unused
        if unaccounted != 0:
            blockers.append(
                CloseBlocker(
                    Blocker.SHEETS_UNACCOUNTED,
                    numbers=(state.printed, state.issued, state.spoiled, state.unused, unaccounted),
                )
            )
    if state.waiting:
        blockers.append(CloseBlocker(Blocker.WAITING_FOR_SECOND, keys=state.waiting))
    if state.conflicts:
        blockers.append(CloseBlocker(Blocker.DESK_CONFLICTS, keys=state.conflicts))
    if state.in_review:
        blockers.append(CloseBlocker(Blocker.SCAN_IN_REVIEW, numbers=state.in_review))
    if state.unconfirmed:
        blockers.append(CloseBlocker(Blocker.UNCONFIRMED, numbers=(state.unconfirmed,)))
    if state.void_unconfirmed:
        blockers.append(CloseBlocker(Blocker.VOID_UNCONFIRMED, numbers=(state.void_unconfirmed,)))
    if state.entered != state.returned:
        blockers.append(CloseBlocker(Blocker.RETURNED_MISMATCH, numbers=(state.entered, state.returned)))
    if state.audit_open:  # the scrutineers started checking the count against the paper: finish first
        blockers.append(CloseBlocker(Blocker.AUDIT_OPEN))
    # R-BAL-5 on unnumbered sheets: a sheet scanned twice would be counted twice, so a page that may
    # be a rescan waits for the scrutineers, and every batch's sheets scanned equal those counted in.
    if state.suspected_rescans:
        blockers.append(CloseBlocker(Blocker.RESCAN_SUSPECTED, numbers=(state.suspected_rescans,)))
    for batch, stated, scanned in state.batch_mismatches:
        blockers.append(CloseBlocker(Blocker.BATCH_MISMATCH, numbers=(batch, stated, scanned)))
    return blockers
