"""The paper sheets of a stored round: their layout and ids, the same each time they are printed or read.

The election and round references in a sheet's QR code are the database ids; the layout code
fingerprints title, seats, candidates and paper, so a sheet printed before a change is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from xuanju.elections.rounds import ballot_order
from xuanju.paper.layout import Paper, SheetLayout, SheetSpec, layout_sheet
from xuanju.paper.sheet_id import SheetId
from xuanju.rules.tally import NO_WRITE_IN_KINDS, RoundKind

if TYPE_CHECKING:
    from xuanju.counting.models import BallotPrint
    from xuanju.elections.models import Round


def round_spec(round_: Round, paper: str | None = None, large_print: bool = False) -> SheetSpec:
    """What the sheets of ``round_`` show: candidates in ballot order (R-BAL-1), write-in lines as
    many as seats except on a tie revote, where only the tied may be voted on (R-BAL-2, R-CNT-3),
    and on a pre-election, which only narrows the proposed list (R-CAND-4)."""
    contest = round_.contest
    organization = contest.election.organization
    candidates = ballot_order(list(round_.candidates.select_related("member")))
    return SheetSpec(
        title=f"{organization.name}{contest.get_post_display()}选举票",
        round_line=(
            f"{round_.meeting.held_on:%Y年%-m月%-d日} · 第{round_.number}轮{round_.get_kind_display()}"
            f" · 应选{round_.seats}人"
        ),
        seats=round_.seats,
        candidates=tuple(c.member.name for c in candidates),
        write_in_rows=0 if RoundKind(round_.kind) in NO_WRITE_IN_KINDS else round_.seats,
        paper=Paper(paper) if paper else None,
        large_print=large_print,
    )


def printed_layout(print_: BallotPrint) -> SheetLayout:
    """The layout the round's sheets were printed with."""
    return layout_sheet(round_spec(print_.round, print_.paper, print_.large_print))


def sheet_ids(print_: BallotPrint) -> list[SheetId]:
    """The ids of the printed sheets: serials 1..sheets, or on unnumbered sheets the same id on
    every sheet (election, round and layout only), so that no sheet can be told from another
    before it is marked (R-SUP-1)."""
    layout = printed_layout(print_)
    round_ = print_.round
    election = str(round_.contest.election_id)
    if not round_.numbered_sheets:
        return [SheetId(election, str(round_.pk), None, layout.code)] * print_.sheets
    return [SheetId(election, str(round_.pk), serial, layout.code) for serial in range(1, print_.sheets + 1)]


def layout_finder(print_: BallotPrint) -> Callable[[SheetId], SheetLayout | None]:
    """For the scanner: the layout of a sheet of this round, None for any other sheet."""
    layout = printed_layout(print_)
    round_ = print_.round

    def find(sheet: SheetId) -> SheetLayout | None:
        if sheet.election == str(round_.contest.election_id) and sheet.round == str(round_.pk):
            return layout
        return None

    return find
