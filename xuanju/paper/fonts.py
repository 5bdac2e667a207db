"""Which CJK fonts a ballot PDF embeds, and which characters none of them can show.

A PDF must embed its font (a viewer without it would print blanks), and a name printed as an empty
box is worse than no sheet at all: the voter cannot tell who the line is for. So the renderer asks
:func:`uncovered` first and refuses, naming the characters, instead of printing tofu.

Search order: ``XUANJU_FONT`` (a .ttf/.otf/.ttc/.otc file), then the OFL subset shipped in
``fonts/`` (common hanzi, enough for almost every name), then the system fonts in
:data:`SYSTEM_FALLBACKS` for the rare characters the subset lacks. Parsing a CJK font's character
map costs 50–270 ms, so each file's map is read once per process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

ENV_VAR = "XUANJU_FONT"
BUNDLED_FONT = Path(__file__).parent / "fonts" / "NotoSansSC-Ballot.otf"


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    index: int = 0  # the face within a .ttc/.otc collection


#: Fonts for the characters the bundled subset lacks, tried in order; those not installed are
#: skipped. Debian's fonts-noto-cjk collection holds JP, KR, SC, TC, HK: face 2 draws the
#: simplified forms a mainland ballot needs.
SYSTEM_FALLBACKS: list[FontFile] = [
    FontFile(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    FontFile(Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")),
]


class FontUnusable(Exception):
    """``XUANJU_FONT`` names a file that is missing or not a font."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def ballot_fonts() -> tuple[FontFile, ...]:
    """Every font available for ballots, the preferred first (see the module's search order)."""
    fonts: list[FontFile] = []
    chosen = os.environ.get(ENV_VAR, "").strip()
    if chosen:
        fonts.append(_env_font(Path(chosen).expanduser()))
    fonts.append(FontFile(BUNDLED_FONT))
    fonts.extend(f for f in SYSTEM_FALLBACKS if f.path.is_file() and f not in fonts)
    return tuple(fonts)


def fonts_for(text: str) -> tuple[FontFile, ...]:
    """The preferred font plus only those fallbacks needed for ``text``: every embedded font costs
    parsing and subsetting time, and most ballots need just the first."""
    return _cover(text)[0]


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` (in order of first appearance) that no available font has."""
    missing = _cover(text)[1]
    return [c for c in dict.fromkeys(text) if c in missing]


def _cover(text: str) -> tuple[tuple[FontFile, ...], set[str]]:
    """The fonts ``text`` needs and the characters left over; a fallback's character map is read
    only when the fonts before it leave something uncovered."""
    available = ballot_fonts()
    needed = [available[0]]
    missing = _missing_from(available[0], text)
    for font in available[1:]:
        if not missing:
            break
        covered = {c for c in missing if ord(c) in _cmap(font)}
        if covered:
            needed.append(font)
            missing -= covered
    return tuple(needed), missing


def _missing_from(font: FontFile, text: str) -> set[str]:
    cmap = _cmap(font)
    return {c for c in text if ord(c) not in cmap}


@cache
def _cmap(font: FontFile) -> frozenset[int]:
    try:
        with TTFont(font.path, fontNumber=font.index, lazy=True) as face:
            return frozenset(face.getBestCmap())
    except (OSError, TTLibError, AssertionError) as error:  # fontTools asserts on some bad files
        raise FontUnusable(font.path) from error


@cache
def _env_font(path: Path) -> FontFile:
    """A collection names several faces; take the simplified-Chinese one so that shared code points
    get mainland glyph forms, not Japanese or traditional ones."""
    if not path.is_file():
        raise FontUnusable(path)
    if path.suffix.lower() not in (".ttc", ".otc"):
        return FontFile(path)
    try:
        with TTCollection(path, lazy=True) as collection:
            families = [str(face["name"].getDebugName(1) or "") for face in collection.fonts]
    except (OSError, TTLibError, AssertionError) as error:
        raise FontUnusable(path) from error
    simplified = [i for i, family in enumerate(families) if family.endswith(" SC")]
    return FontFile(path, simplified[0] if simplified else 0)
