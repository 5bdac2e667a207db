"""The paper sheets of an election file (``xuanju.election/1``), for ``xuanju ballots`` and ``xuanju scan``.

Built in one place so that printing and scanning the same file agree on its layout code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from xuanju.paper.layout import LayoutProblem, Paper, SheetLayout, SheetSpec, layout_sheet
from xuanju.paper.sheet_id import SheetId
from xuanju.rules.names import stroke_key
from xuanju.rules.tally import NO_WRITE_IN_KINDS, Candidate, ElectionRound, RoundKind

_ROUND_REFS = {
    RoundKind.REGULAR: "R1",
    RoundKind.TIE_REVOTE: "T1",
    RoundKind.FURTHER: "F1",
    RoundKind.PRE_ELECTION: "P1",
}
_ROUND_LINES = {
    RoundKind.REGULAR: "",
    RoundKind.TIE_REVOTE: "得票相等的候选人再次投票：",
    RoundKind.PRE_ELECTION: "预选（选出正式候选人）：",
    RoundKind.FURTHER: "另行选举：",
}


def ballot_spec(
    round_: ElectionRound, *, keep_order: bool = False, paper: str | None = None, large_print: bool = False
) -> SheetSpec:
    """The sheet for a round of an election file, built here once so that printing and scanning the
    same file agree on its layout code.

    R-BAL-1: candidates in surname stroke order, or as listed in the file (``keep_order``) for a
    secretary or deputy secretary ballot, which follows the upper level's approved order.
    R-BAL-2: one write-in line per seat, none on a tie revote (only the tied may be voted on) or a
    pre-election (it only narrows the proposed list)."""
    names = [c.name for c in ballot_candidates(round_, keep_order)]
    title = round_.title.strip()
    seats, count = round_.seats, len(names)
    return SheetSpec(
        title=title if title.endswith("选票") else f"{title}选票",
        round_line=f"{_ROUND_LINES[round_.kind]}应选 {seats} 名，候选人 {count} 名",
        seats=seats,
        candidates=tuple(names),
        write_in_rows=0 if round_.kind in NO_WRITE_IN_KINDS else seats,
        paper=None if paper is None else Paper(paper),
        large_print=large_print,
    )


def ballot_candidates(round_: ElectionRound, keep_order: bool) -> list[Candidate]:
    """The candidates in the order they stand on the sheet: a box's index is an index into this."""
    if keep_order:
        return list(round_.candidates)
    return sorted(round_.candidates, key=lambda c: stroke_key(c.name))  # stable: equal names keep file order


def ballot_refs(round_: ElectionRound) -> tuple[str, str]:
    """The election and round references a sheet's QR code carries for a file: a fingerprint of the
    title, and the kind of round (R regular, T tie revote, F further) with 1."""
    election = "F" + hashlib.sha256(round_.title.encode()).hexdigest()[:8]
    return election, _ROUND_REFS[round_.kind]


@dataclass(frozen=True)
class FileSheets:
    """For the scanner: the layout a sheet of this file was printed with, whichever of the printing
    options (paper, large print, kept order) were used, found by the layout code on the sheet; and
    the candidate ids in that sheet's order."""

    election: str
    round: str
    layouts: dict[str, SheetLayout]
    candidate_ids: dict[str, tuple[str, ...]]

    def find(self, sheet: SheetId) -> SheetLayout | None:
        if (sheet.election, sheet.round) != (self.election, self.round):
            return None
        # An unknown code still gets a layout, so the reader reports the mismatch, not a stranger.
        return self.layouts.get(sheet.layout) or next(iter(self.layouts.values()), None)


def file_sheets(round_: ElectionRound) -> FileSheets:
    election, round_ref = ballot_refs(round_)
    layouts: dict[str, SheetLayout] = {}
    ids: dict[str, tuple[str, ...]] = {}
    for keep_order in (False, True):
        for paper in (None, "A4", "A3"):
            for large_print in (False, True):
                spec = ballot_spec(round_, keep_order=keep_order, paper=paper, large_print=large_print)
                try:
                    layout = layout_sheet(spec)
                except LayoutProblem:
                    continue
                layouts.setdefault(layout.code, layout)
                ids.setdefault(layout.code, tuple(c.id for c in ballot_candidates(round_, keep_order)))
    return FileSheets(election, round_ref, layouts, ids)
