"""The test deck's design and comparison (xuanju.rules.deck): every box of the sheet exercised, an
over-vote wherever one is possible, and a scan matches only when read exactly as printed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanju.rules.deck import CANDIDATE, WRITE_IN_MARK, WRITE_IN_NAME, Sign, compare, design

pytestmark = pytest.mark.rule("R-BAL-4")

sheets = st.integers(1, 40).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(1, n), st.sampled_from(["seats", "none"]))
)


@given(sheets)
def test_every_box_is_exercised_each_way_and_an_over_vote_where_possible(shape) -> None:
    candidates, seats, rows_kind = shape
    rows = seats if rows_kind == "seats" else 0
    deck = design(candidates, seats, rows)
    assert [s.serial for s in deck] == list(range(1, len(deck) + 1))
    for index in range(candidates):
        assert {s.candidates[index] for s in deck} == {Sign.FOR, Sign.AGAINST, Sign.BLANK}
    for row in range(rows):
        assert {s.write_in_marks[row] for s in deck} == {Sign.FOR, Sign.BLANK}
        assert {bool(s.write_in_names[row]) for s in deck} == {True, False}
        # a name only beside a ○, on a sheet with at least as many × as names (R-BAL-2)
        for s in deck:
            if s.write_in_names[row]:
                assert s.write_in_marks[row] == Sign.FOR
                assert s.candidates.count(Sign.AGAINST) >= sum(1 for n in s.write_in_names if n)
    # R-BAL-3: more for-marks than seats is invalid; possible only with more candidates than seats
    assert deck[0].over_vote == (candidates > seats)  # every ○: the over-vote sheet
    assert any(s.over_vote for s in deck) == (candidates > seats)
    for s in deck:
        assert s.over_vote == (s.candidates.count(Sign.FOR) + sum(1 for n in s.write_in_names if n) > seats)
    # a blank write-in: a ○ beside a line with no name
    if rows:
        assert any(s.write_in_marks[0] == Sign.FOR and not s.write_in_names[0] for s in deck)


def test_the_deck_of_six_candidates_for_five_seats() -> None:
    deck = design(6, 5, 5)
    assert [s.purpose for s in deck] == [
        "全部画“○”（赞成人数多于应选人数，应为无效票）",
        "全部画“×”，另选他人栏写上姓名并画“○”",
        "全部不画符号（弃权），另选他人栏空白",
        "第1位画“×”，另选他人栏只画“○”、不写姓名",
        "“○”“×”、不画依次交替",
    ]
    assert (
        "".join("o" if m == Sign.FOR else "x" if m == Sign.AGAINST else "." for m in deck[4].candidates)
        == "ox.ox."
    )


def _read_as_printed(sheet) -> dict[tuple[str, int], tuple[str, str | None]]:
    out: dict[tuple[str, int], tuple[str, str | None]] = {}
    for (kind, index), sign in sheet.expected().items():
        out[(kind, index)] = (sign.value, "writing" if sign == Sign.INK else None)
    return out


def test_a_scan_matches_only_when_every_box_reads_as_printed_without_doubt() -> None:
    sheet = design(3, 2, 2)[1]  # every ×, names and ○ on both write-in lines
    reading = _read_as_printed(sheet)
    assert compare(sheet, reading) == []  # a written name goes to a person: its doubt is expected
    doubtful = reading | {(CANDIDATE, 1): ("against", "faint")}
    wrong = reading | {(WRITE_IN_MARK, 0): ("blank", None)}
    missing = {k: v for k, v in reading.items() if k != (WRITE_IN_NAME, 1)}
    assert [(d.kind, d.index, d.read, d.doubt) for d in compare(sheet, doubtful)] == [
        (CANDIDATE, 1, Sign.AGAINST, "faint")
    ]
    assert [(d.index, d.expected, d.read) for d in compare(sheet, wrong)] == [(0, Sign.FOR, Sign.BLANK)]
    assert [(d.kind, d.index, d.read) for d in compare(sheet, missing)] == [(WRITE_IN_NAME, 1, None)]
    blank_line = design(3, 2, 2)[2]
    inked = _read_as_printed(blank_line) | {(WRITE_IN_NAME, 0): ("ink", "writing")}
    assert [(d.kind, d.expected, d.read) for d in compare(blank_line, inked)] == [
        (WRITE_IN_NAME, Sign.BLANK, Sign.INK)
    ]
