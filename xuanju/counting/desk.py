"""The state of a round's counting desk, derived from the stored readings: conflicts, readings
waiting for the other slot, the next sheet number to type, and the accounting of the sheets."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Sum

from xuanju.counting.models import BallotPrint, DeskEntry, SheetNote
from xuanju.counting.readings import DESK_BATCH, format_serials, place_of, serial_of
from xuanju.elections.models import BallotEntry, Round


def conflict_keys(round_: Round) -> list[str]:
    """Keys both counters read but that are not counted: their readings differ (or the agreed
    ballot was deleted since), so a scrutineer must look at the paper. The desk stops on them."""
    rows = (
        DeskEntry.objects.filter(round=round_, ballot__isnull=True)
        .values("key")
        .annotate(readings=Count("pk"), first=Min("pk"))
        .filter(readings=2)
        .order_by("first")
    )
    return [row["key"] for row in rows]


def pending(round_: Round, slot: int) -> list[DeskEntry]:
    """Readings of ``slot`` that wait for the other slot (oldest first)."""
    entries = DeskEntry.objects.filter(round=round_, ballot__isnull=True).order_by("pk")
    by_key: dict[str, list[DeskEntry]] = {}
    for entry in entries:
        by_key.setdefault(entry.key, []).append(entry)
    return [group[0] for group in by_key.values() if len(group) == 1 and group[0].slot == slot]


def next_serial(round_: Round, slot: int) -> int | None:
    """The number to offer next at ``slot``: after the highest serial it has read, skipping
    sheets not handed out and sheets already counted; None past the last printed sheet."""
    keys = DeskEntry.objects.filter(round=round_, slot=slot).values_list("key", flat=True)
    read = {s for k in keys if (s := serial_of(k)) is not None}
    taken = read | set(SheetNote.objects.filter(round=round_).values_list("serial", flat=True))
    sheets = BallotEntry.objects.filter(round=round_, sheet__isnull=False).values_list("sheet", flat=True)
    taken |= {s for s in sheets if s is not None}
    serial = max(read, default=0) + 1
    while serial in taken:
        serial += 1
    printed = BallotPrint.objects.filter(round=round_).values_list("sheets", flat=True).first()
    if printed is not None and serial > printed:
        return None
    return serial


def next_place(round_: Round, slot: int) -> str:
    """On unnumbered sheets, the batch and position to offer next at ``slot``: the sheet after the
    furthest one it has read, the next batch after a full one (“3-50” → “4-1”)."""
    keys = DeskEntry.objects.filter(round=round_, slot=slot).values_list("key", flat=True)
    read = {p for k in keys if (p := place_of(k)) is not None}
    batch, position = max(read, default=(1, 0))
    while True:
        batch, position = (batch, position + 1) if position < DESK_BATCH else (batch + 1, 1)
        if (batch, position) not in read:
            return f"{batch}-{position}"


def next_key(round_: Round, slot: int) -> str:
    """What the desk offers to type next: a serial, or a batch and position; "" past the last sheet."""
    if not round_.numbered_sheets:
        return next_place(round_, slot)
    serial = next_serial(round_, slot)
    return str(serial) if serial is not None else ""


@dataclass(frozen=True)
class SheetAccount:
    """Every printed sheet accounted for: printed = issued + spoiled + unused (R-BAL-5), by serial
    on numbered sheets, by count on unnumbered ones (the serial texts are then empty)."""

    printed: int | None
    reserve: int | None
    issued: int
    spoiled: int
    unused: int
    counted: int  # ballots entered so far (the returned ballots, once all are entered)
    spoiled_serials: str
    unused_serials: str

    @property
    def outstanding(self) -> int:
        """Ballots issued and not yet entered."""
        return self.issued - self.counted

    @property
    def unaccounted(self) -> int | None:
        """Printed sheets neither issued nor noted as unused or spoiled (0 when all is in order)."""
        if self.printed is None:
            return None
        return self.printed - self.issued - self.spoiled - self.unused

    @property
    def balanced(self) -> bool:
        return self.unaccounted == 0


def sheet_account(round_: Round) -> SheetAccount:
    printed = BallotPrint.objects.filter(round=round_).first()
    counted = BallotEntry.objects.filter(round=round_).aggregate(n=Sum("count"))["n"] or 0
    if not round_.numbered_sheets:
        return SheetAccount(
            printed=printed.sheets if printed else None,
            reserve=printed.reserve if printed else None,
            issued=round_.issued or 0,
            spoiled=printed.spoiled if printed else 0,
            unused=printed.unused if printed else 0,
            counted=counted,
            spoiled_serials="",
            unused_serials="",
        )
    notes = list(SheetNote.objects.filter(round=round_).values_list("serial", "state"))
    spoiled = [s for s, state in notes if state == SheetNote.State.SPOILED]
    unused = [s for s, state in notes if state == SheetNote.State.UNUSED]
    return SheetAccount(
        printed=printed.sheets if printed else None,
        reserve=printed.reserve if printed else None,
        issued=round_.issued or 0,
        spoiled=len(spoiled),
        unused=len(unused),
        counted=counted,
        spoiled_serials=format_serials(spoiled),
        unused_serials=format_serials(unused),
    )
