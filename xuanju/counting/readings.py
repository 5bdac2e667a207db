"""What the counters type at the desk, parsed: sheet keys, the keyboard reading of the marks,
write-in names and ranges of serials. Plain functions over strings, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xuanju.rules.names import canonical_name

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
# One key per candidate in ballot order: ○ 赞成, × 不赞成, no mark 弃权 (R-BAL-2).
READING_KEYS = {
    "o": FOR,
    "O": FOR,
    "1": FOR,
    "○": FOR,
    "x": AGAINST,
    "X": AGAINST,
    "2": AGAINST,
    "×": AGAINST,
    ".": ABSTAIN,
    "0": ABSTAIN,
    " ": ABSTAIN,
    "。": ABSTAIN,
}
MARK_SIGNS = {FOR: "○", AGAINST: "×", ABSTAIN: "·"}
MAX_SERIAL = 999_999  # six digits, as the sheet id in the QR code (xuanju.paper.sheet_id)
_SEPARATORS = re.compile(r"[、，,；;\s]+")
# Between write-in names: a space is not a separator, since it is no part of a name either
# (R-NAME-5): “王 芳” is one person, 王芳.
_NAME_SEPARATORS = re.compile(r"[、，,；;\r\n]+")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


class ReadingError(ValueError):
    """Input the desk cannot take; the message is Chinese and says what to type instead."""


DESK_BATCH = 50  # sheets per batch the counters take from the stack of unnumbered sheets
MAX_POSITION = 9_999  # a batch is a stack of sheets, never this large: a typing error
# “3-17”, “3/17”, “3－17”, “第3批第17张”: the 17th sheet of batch 3.
_PLACE = re.compile(r"^第?(\d{1,6})(?:批第?|[-－–—/／])(\d{1,6})张?$")
UNNUMBERED_HINT = "如 3-17（第3批第17张）"


def normalize_key(text: str, numbered: bool = True) -> str:
    """A sheet serial without leading zeros (“0012” → “12”); on unnumbered sheets the batch and
    position “3-17” (typed also as “第3批第17张”); or a group label as typed."""
    key = "".join(text.translate(_FULL_WIDTH_DIGITS).split())
    if not key:
        if not numbered:
            raise ReadingError(f"请填写批次和张次，{UNNUMBERED_HINT}；一叠相同的选票填组号，如“组3”")
        raise ReadingError("请填写选票编号（一叠相同的选票填组号，如“组3”）")
    if not numbered:
        return _place_key(key)
    if key.isdigit():
        serial = int(key)
        if not 1 <= serial <= MAX_SERIAL:
            raise ReadingError(f"选票编号 {key} 不对：编号从 1 开始，最多六位")
        return str(serial)
    if len(key) > 20:
        raise ReadingError("组号太长，请用简短的组号，如“组3”")
    return key


def _place_key(key: str) -> str:
    if key.isdigit():
        raise ReadingError(f"本轮选票不编号：请填写批次和张次，{UNNUMBERED_HINT}")
    match = _PLACE.match(key)
    if match is None:
        if key[0].isdigit():
            raise ReadingError(f"“{key}”不是批次和张次：请写成{UNNUMBERED_HINT}")
        if len(key) > 20:
            raise ReadingError("组号太长，请用简短的组号，如“组3”")
        return key
    batch, position = int(match.group(1)), int(match.group(2))
    if batch < 1 or not 1 <= position <= MAX_POSITION:
        raise ReadingError(f"批次和张次都从 1 开始，{UNNUMBERED_HINT}")
    return f"{batch}-{position}"


def serial_of(key: str) -> int | None:
    """The sheet serial a key names, or None for a group label or a batch and position."""
    return int(key) if key.isdigit() else None


def place_of(key: str) -> tuple[int, int] | None:
    """The batch and position a key names (“3-17” → (3, 17)), or None."""
    batch, dash, position = key.partition("-")
    if dash and batch.isdigit() and position.isdigit():
        return int(batch), int(position)
    return None


def is_sheet(key: str) -> bool:
    """Whether the key names one sheet (a serial, or a batch and position), not a group."""
    return serial_of(key) is not None or place_of(key) is not None


def place_label(batch: int, position: int) -> str:
    return f"第{batch}批第{position}张"


def conflict_text(key: str) -> str:
    """The desk's stop: which paper the scrutineers pull and compare with the two readings."""
    place = place_of(key)
    if place is not None:
        batch, position = place
        return (
            f"{place_label(batch, position)}选票两次录入不一致：请监票人从第{batch}批中按顺序数出"
            f"第{position}张原票，核对后裁定，之后才能继续录入"
        )
    return f"{key_label(key)}两次录入不一致，请监票人核对原票后裁定，之后才能继续录入"


def key_label(key: str) -> str:
    """How a message names the ballot(s) of a key."""
    if key.isdigit():
        return f"第{key}号选票"
    place = place_of(key)
    if place is not None:
        return f"{place_label(*place)}选票"
    return f"“{key}”这叠选票"


@dataclass(frozen=True)
class Marks:
    marks_for: list[str]
    marks_against: list[str]


def parse_reading(text: str, candidate_keys: list[str]) -> Marks:
    """“ox.o.” → for c1, c4; against c2; the others abstain. One character per candidate."""
    reading = text.rstrip("\r\n")
    if len(reading) != len(candidate_keys):
        raise ReadingError(
            f"标记读数有 {len(reading)} 位，候选人有 {len(candidate_keys)} 位：每位候选人按一个键"
            "（o 或 1 赞成，x 或 2 不赞成，. 或 0 或空格 弃权）"
        )
    marks: dict[str, list[str]] = {FOR: [], AGAINST: [], ABSTAIN: []}
    for position, (char, key) in enumerate(zip(reading, candidate_keys, strict=True), start=1):
        mark = READING_KEYS.get(char)
        if mark is None:
            raise ReadingError(
                f"第 {position} 位“{char}”不是标记键：o 或 1 赞成，x 或 2 不赞成，. 或 0 或空格 弃权"
            )
        marks[mark].append(key)
    return Marks(marks[FOR], marks[AGAINST])


def parse_names(text: str) -> list[str]:
    """Write-in names separated by 、 ， , ； or line breaks, each as typed but trimmed; names with
    nothing visible are dropped. Spaces inside a name stay in its spelling and are ignored when
    names are compared (R-NAME-5)."""
    names = (name.strip() for name in _NAME_SEPARATORS.split(text))
    return [name for name in names if canonical_name(name)]


def parse_serials(text: str) -> list[int]:
    """“41-45, 47” → [41, 42, 43, 44, 45, 47]; ranges may use - – — ~ 至 or 到."""
    serials: set[int] = set()
    cleaned = text.translate(_FULL_WIDTH_DIGITS)
    for part in _SEPARATORS.split(cleaned.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:[-–—~～至到](\d+))?", part)
        if match is None:
            raise ReadingError(f"“{part}”不是编号或编号范围，请写成如 41-45、47")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise ReadingError(f"编号范围“{part}”不对：应从小到大，且从 1 开始")
        if last - first > 10_000:
            raise ReadingError(f"编号范围“{part}”太大")
        serials.update(range(first, last + 1))
    if not serials:
        raise ReadingError("请填写选票编号，如 41-45、47")
    return sorted(serials)


def format_serials(serials: list[int]) -> str:
    """[41, 42, 43, 47] → “41-43、47”."""
    parts: list[str] = []
    ordered = sorted(serials)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return "、".join(parts)
