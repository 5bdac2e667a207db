"""The test deck of a round counted by scanning (测试票, logic-and-accuracy test): which sheets, with
which marks, and how a scan of them is compared with what was printed.

Before the real sheets of a round are scanned, the scanner must read a small deck of sheets with
known marks exactly as printed (R-BAL-4: a ballot is counted as the voter marked it, and the machine
that reads it is shown to do so first). The deck exercises every box of the round's sheet: each
candidate's box with a ○, with a × and empty; each write-in row's mark box with and without a ○, and
its name line with and without a name; one sheet votes for more people than there are seats (an
invalid ballot, R-BAL-3), when the round has more candidates than seats.

Pure values, no I/O: the shell (``xuanju.counting.testdeck``) prints, reads and words the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Sign(StrEnum):
    """What a box of a deck sheet carries, as the scanner reports it."""

    FOR = "for"  # ○ in a mark box
    AGAINST = "against"  # × in a mark box
    BLANK = "blank"  # nothing
    INK = "ink"  # a name written on a write-in line


CANDIDATE = "candidate"
WRITE_IN_MARK = "write_in_mark"
WRITE_IN_NAME = "write_in_name"

#: The names printed on a deck's write-in lines, row by row (then numbered).
DECK_NAMES = ("测试甲", "测试乙", "测试丙", "测试丁", "测试戊", "测试己", "测试庚", "测试辛", "测试壬")


@dataclass(frozen=True)
class DeckSheet:
    """One sheet of the deck: ``candidates`` by candidate index, ``write_in_marks`` and
    ``write_in_names`` ("" for none) by write-in row."""

    serial: int
    purpose: str  # what the sheet tests, in Chinese, printed in the deck's list
    candidates: tuple[Sign, ...]
    write_in_marks: tuple[Sign, ...]
    write_in_names: tuple[str, ...]
    over_vote: bool = False

    def expected(self) -> dict[tuple[str, int], Sign]:
        """What the scanner must report, box by box: (kind, index) → sign."""
        out = {(CANDIDATE, i): s for i, s in enumerate(self.candidates)}
        out |= {(WRITE_IN_MARK, i): s for i, s in enumerate(self.write_in_marks)}
        out |= {(WRITE_IN_NAME, i): Sign.INK if n else Sign.BLANK for i, n in enumerate(self.write_in_names)}
        return out


def deck_name(row: int) -> str:
    return DECK_NAMES[row] if row < len(DECK_NAMES) else f"测试{row + 1}"


def design(candidates: int, seats: int, write_in_rows: int) -> tuple[DeckSheet, ...]:
    """The deck for a sheet of ``candidates`` mark boxes and ``write_in_rows`` write-in rows.

    1. every candidate ○ (more than ``seats`` for-marks: the over-vote sheet, R-BAL-3; with as
       many candidates as seats no sheet can vote for too many);
    2. every candidate ×, every write-in row with a name and a ○ (filled write-ins, R-BAL-2);
    3. nothing marked (every candidate abstains, write-ins blank);
    4. the first candidate ×, every write-in mark box ○ with no name (blank write-ins);
    5. ○, ×, empty in turn, so that neighbouring boxes differ.

    Sheets 2 and 4 need write-in rows and are left out where the sheet has none (a tie revote).
    """
    if candidates < 1 or seats < 1 or write_in_rows < 0:
        raise ValueError("a sheet has at least one candidate and one seat")
    none = (Sign.BLANK,) * write_in_rows
    no_names = ("",) * write_in_rows
    sheets: list[tuple[str, tuple[Sign, ...], tuple[Sign, ...], tuple[str, ...]]] = [
        ("全部画“○”", (Sign.FOR,) * candidates, none, no_names)
    ]
    if write_in_rows:
        sheets.append(
            (
                "全部画“×”，另选他人栏写上姓名并画“○”",
                (Sign.AGAINST,) * candidates,
                (Sign.FOR,) * write_in_rows,
                tuple(deck_name(r) for r in range(write_in_rows)),
            )
        )
    else:
        sheets.append(("全部画“×”", (Sign.AGAINST,) * candidates, none, no_names))
    sheets.append(("全部不画符号（弃权），另选他人栏空白", (Sign.BLANK,) * candidates, none, no_names))
    if write_in_rows:
        first_against = (Sign.AGAINST,) + (Sign.BLANK,) * (candidates - 1)
        sheets.append(
            ("第1位画“×”，另选他人栏只画“○”、不写姓名", first_against, (Sign.FOR,) * write_in_rows, no_names)
        )
    turns = (Sign.FOR, Sign.AGAINST, Sign.BLANK)
    sheets.append(("“○”“×”、不画依次交替", tuple(turns[i % 3] for i in range(candidates)), none, no_names))
    deck = []
    for serial, (purpose, marks, write_marks, names) in enumerate(sheets, start=1):
        # R-BAL-3: for-marks plus write-ins more than the seats make the ballot invalid
        over = marks.count(Sign.FOR) + sum(1 for n in names if n) > seats
        shown = purpose + ("（赞成人数多于应选人数，应为无效票）" if over else "")
        deck.append(DeckSheet(serial, shown, marks, write_marks, names, over))
    return tuple(deck)


_VALUES = frozenset(s.value for s in Sign)


@dataclass(frozen=True)
class Difference:
    """A box read otherwise than printed: ``read`` is what the scanner reported (``doubt`` set
    when it left the box to a person); ``read`` is None when the box was not read at all."""

    kind: str
    index: int
    expected: Sign
    read: Sign | None
    doubt: str | None


def compare(sheet: DeckSheet, reading: dict[tuple[str, int], tuple[str, str | None]]) -> list[Difference]:
    """The boxes of ``sheet`` that ``reading`` ((kind, index) → (value, doubt)) does not match.

    A mark box matches only when read as printed with no doubt: a test deck is printed by machine,
    so anything short of a definite, right reading is a difference. A name line matches when read
    as written on (a person reads the name, so its doubt is expected) or as blank without doubt.
    """
    differences = []
    for (kind, index), want in sheet.expected().items():
        got = reading.get((kind, index))
        if got is None:
            differences.append(Difference(kind, index, want, None, None))
            continue
        value, doubt = got
        read = Sign(value) if value in _VALUES else None
        if kind == WRITE_IN_NAME and want == Sign.INK:
            ok = read == Sign.INK
        else:
            ok = read == want and doubt is None
        if not ok:
            differences.append(Difference(kind, index, want, read, doubt))
    return differences
