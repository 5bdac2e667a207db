"""What the QR code of a ballot sheet says: election, round, sheet serial (if any) and layout code.

``XJ1/<election>/<round>/<serial>/<layout code>``, e.g. ``XJ1/17/42/0031/3fa2b9c0``, for a numbered
sheet; ``XJ1/<election>/<round>/<layout code>``, e.g. ``XJ1/17/42/3fa2b9c0``, for an unnumbered one,
where every sheet of a round carries the same code. Election and round are references chosen by
whoever prints (database ids in the web application, a fingerprint of the file for ``xuanju
ballots``). Nothing in it relates to a voter (R-SUP-1): serials are printed in order and handed out
from the stack, and an unnumbered sheet is the same as every other sheet of its round (R-BAL-4: a
procedure may treat any number on a ballot as a mark that could identify the voter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "XJ1"
_REF = r"[A-Za-z0-9-]{1,24}"
_PATTERN = re.compile(rf"^{PREFIX}/({_REF})/({_REF})/(?:(\d{{1,6}})/)?([0-9a-f]{{8}})$")


@dataclass(frozen=True, slots=True)
class SheetId:
    election: str
    round: str
    serial: int | None  # None: an unnumbered sheet, the same as every other of its round
    layout: str

    def payload(self) -> str:
        if self.serial is None:
            return f"{PREFIX}/{self.election}/{self.round}/{self.layout}"
        return f"{PREFIX}/{self.election}/{self.round}/{self.serial:04d}/{self.layout}"


def parse_sheet_id(text: str) -> SheetId | None:
    """The sheet id a QR code carries, or None when it is not one of ours."""
    match = _PATTERN.match(text.strip())
    if match is None:
        return None
    election, round_, serial, layout = match.groups()
    return SheetId(election, round_, int(serial) if serial is not None else None, layout)
