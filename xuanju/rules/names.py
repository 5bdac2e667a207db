"""Names: comparing them as people (R-NAME-5) and surname stroke order (姓氏笔画排序, R-NAME-1..4).

Pure functions over strings; the stroke data is the generated constant in
:mod:`xuanju.rules.stroke_table` (and :mod:`xuanju.rules.stroke_table_rime`), parsed into
dictionaries on first use.  See docs/stroke-data.md for where the data comes from.

Sort policy, beyond the letter of the rules:

* **Character key.**  A character compares by stroke count (R-NAME-1), then by its stroke
  shapes 横 1 < 竖 2 < 撇 3 < 点 4 < 折 5, stroke by stroke (R-NAME-2), then by code point, so
  that two different surnames with the same strokes (于 and 干 are both 横横竖) still form two
  separate groups instead of interleaving.
* **Compound surnames (复姓).**  The surname key is the sequence of its characters' keys,
  compared in order: 欧阳 sorts with the 8-stroke surnames by 欧, and after every name whose
  surname is the single character 欧 (a shorter sequence that is a prefix sorts first).  This is
  the common practice of ordering a compound surname by its first character, then its second,
  and it keeps each surname's names together.
* **Unknown characters** (Latin letters, digits, characters outside the table) never raise:
  they sort after every known character at the same position, among themselves by code point.
  A standard character whose stroke count is known but whose shapes are not (108 rare
  characters of CJK Extensions E/F) sorts by its count and after all characters of that count
  with known shapes.  :func:`unknown_characters` lists both kinds so the shell can warn.
* **Traditional characters** missing from the table sort as their simplified form (R-NAME-1
  counts simplified forms), via the Unihan ``kSimplifiedVariant`` fold in the table.
* **Consistent with comparison.**  The sort key starts from :func:`canonical_name`, so two
  spellings of one person (R-NAME-5) always have the same key and sort together.

Comparison policy (R-NAME-5), :func:`canonical_name`:

* **NFKC**, so full-width letters and digits, compatibility ideographs (U+F900…) and Kangxi
  radicals (⼀) compare as the characters they stand for.
* **Removed**: every whitespace character (``str.isspace``: ASCII blanks, U+00A0, U+3000 and the
  other Zs, line and paragraph separators), every control (Cc) and format (Cf) character — the
  zero-width space, joiners and non-joiner U+200B–U+200D, word joiner U+2060, BOM U+FEFF, soft
  hyphen U+00AD, bidirectional marks and embeddings, Mongolian vowel separator, tag characters —
  and the remaining Unicode *default-ignorable* code points that are not Cf: the combining
  grapheme joiner U+034F, variation selectors U+180B–U+180F, U+FE00–U+FE0F, U+E0100–U+E01EF
  (an ideographic variation sequence names the same character), and the Hangul fillers U+115F,
  U+1160, U+3164, U+FFA0, which render blank.  All of them are invisible or blank in print: a
  spelling that differs from another only by them cannot be told apart on paper.
* **Separator dots** of transliterated names (阿依古丽·买买提) become U+00B7 MIDDLE DOT, the dot of
  the national standard for such names: the look-alikes in :data:`_DOTS` (· ・ ･ • ‧ ∙ ⋅ ꞏ ⸱ ․
  ﹒ ． and the ASCII full stop).  A run of dots is one dot, and a dot at either end is dropped,
  since it separates nothing.  A name written with no dot at all stays a different spelling: the
  rule unifies dots, it does not remove them.
* **Kept**: everything else, including bracketed notes: 张伟（大） and 张伟（小） are two people
  even though they sort together (R-NAME-4).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from xuanju.rules import stroke_table, stroke_table_rime

__all__ = [
    "COMPOUND_SURNAMES",
    "MIDDLE_DOT",
    "CharKey",
    "NameKey",
    "canonical_name",
    "normalize_name",
    "sort_names",
    "stroke_count",
    "stroke_key",
    "stroke_shapes",
    "surname_of",
    "unknown_characters",
]

#: Compound surnames (复姓) recognised by :func:`surname_of`.  A name whose first two characters
#: form one of these is taken to carry that compound surname, except a two-character name, which
#: cannot be a compound surname plus a given name.
_COMPOUND_SURNAMES_TEXT = """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 轩辕 端木 西门 南宫
    独孤 澹台 公冶 宗政 濮阳 太史 申屠 钟离 闻人 万俟 赫连 呼延 单于 太叔 仲孙 淳于 拓跋 鲜于
    闾丘 司空 亓官 司寇 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 段干 百里 东郭 羊舌 微生 梁丘 左丘
    东门 南门 公羊 公西 巫马 夹谷 第五
    """
COMPOUND_SURNAMES: frozenset[str] = frozenset(_COMPOUND_SURNAMES_TEXT.split())

# A character's sort key: (unknown?, stroke count, stroke shapes, code point).  Shapes are the
# digit string; "9" stands for "count known, shapes not" and sorts after every real sequence.
CharKey = tuple[int, int, str, int]
# A name's sort key: (surname keys, given name longer than one character?, given name keys).
NameKey = tuple[tuple[CharKey, ...], bool, tuple[CharKey, ...]]

_SHAPES_UNKNOWN = "9"

# R-NAME-4: notes in brackets, full-width or ASCII (also 〔〕 【】 [], used the same way).
_NOTE = re.compile(r"（[^（）]*）|\([^()]*\)|〔[^〔〕]*〕|【[^【】]*】|\[[^\[\]]*\]")
_BRACKETS = "（）()〔〕【】[]"
# R-NAME-4: separators of transliterated names (买买提·艾力) and look-alikes people type.
_DOTS = frozenset(
    "\u00b7"  # · MIDDLE DOT
    "\u0387"  # · GREEK ANO TELEIA
    "\u2022"  # • BULLET
    "\u2027"  # ‧ HYPHENATION POINT
    "\u2219"  # ∙ BULLET OPERATOR
    "\u22c5"  # ⋅ DOT OPERATOR
    "\u30fb"  # ・ KATAKANA MIDDLE DOT
    "\ua78f"  # ꞏ LATIN LETTER SINOLOGICAL DOT
    "\ufe52"  # ﹒ SMALL FULL STOP
    "\uff0e"  # ． FULLWIDTH FULL STOP
    "\uff65"  # ･ HALFWIDTH KATAKANA MIDDLE DOT
    "\u2e31"  # ⸱ WORD SEPARATOR MIDDLE DOT
    "\u2024"  # ․ ONE DOT LEADER
    "."
)
#: The one separator dot of transliterated names after :func:`canonical_name` (R-NAME-5).
MIDDLE_DOT = "\u00b7"
_DOT_RUN = re.compile("[" + re.escape("".join(sorted(_DOTS))) + "]+")
# R-NAME-5: default-ignorable code points outside Cc/Cf (Unicode DerivedCoreProperties.txt).
_IGNORABLE = re.compile("[\u034f\u115f\u1160\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")


def _parse(data: str) -> dict[str, str]:
    """``"一1丁12…"`` → ``{"一": "1", "丁": "12", …}``: a character, then its digits."""
    return {m.group(1): m.group(2) for m in re.finditer(r"(\D)(\d+)", data)}


@cache
def _merged_shapes() -> dict[str, str]:
    return {**_parse(stroke_table.SHAPES), **_parse(stroke_table_rime.SHAPES)}


@cache
def _counts() -> dict[str, int]:
    return {char: int(count) for char, count in _parse(stroke_table.COUNTS).items()}


@cache
def _folds() -> dict[str, str]:
    pairs = stroke_table.FOLDS
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}


def _resolve(char: str) -> str:
    """The character whose entry stands for ``char``: itself, or its simplified form."""
    if len(char) != 1:
        raise ValueError(f"expected one character, got {char!r}")
    table = _merged_shapes()
    if char in table or char in _counts():
        return char
    return _folds().get(char, char)


def stroke_shapes(char: str) -> str | None:
    """Stroke shapes of one character in writing order, digits 1 横 2 竖 3 撇 4 点 5 折.

    ``None`` when the table has no shapes for it (R-NAME-2 then falls back, see module doc).
    A traditional character not in the table answers for its simplified form.
    """
    return _merged_shapes().get(_resolve(char))


def stroke_count(char: str) -> int | None:
    """Stroke count of one character (simplified form), or ``None`` when unknown (R-NAME-1)."""
    resolved = _resolve(char)
    shapes = _merged_shapes().get(resolved)
    if shapes is not None:
        return len(shapes)
    return _counts().get(resolved)


def _visible(text: str) -> str:
    """``text`` without whitespace, control, format and other default-ignorable characters."""
    text = _IGNORABLE.sub("", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf"))


# Names of common Chinese characters only: already canonical (NFKC leaves them, nothing to remove).
_PLAIN = re.compile("[\u4e00-\u9fff]*")


@lru_cache(maxsize=65536)
def canonical_name(name: str) -> str:
    """The form in which two spellings of a name are compared: equal forms, one person (R-NAME-5).

    NFKC; whitespace (incl. U+3000) and invisible characters removed; the separator dots of
    transliterated names unified to :data:`MIDDLE_DOT`, a run of them to one, none at either
    end.  See the module docstring for the exact lists.  Idempotent: removing a character can
    let NFKC compose what it separated, so the steps repeat until nothing changes (each repeat
    only shortens the text).  For display keep the name as written; compare and count by this.
    Cached: a count asks for the same few names over and over.
    """
    if _PLAIN.fullmatch(name):
        return name
    text = name
    while True:
        step = unicodedata.normalize("NFKC", _visible(text))
        step = _DOT_RUN.sub(MIDDLE_DOT, _visible(step)).strip(MIDDLE_DOT)
        if step == text:
            return text
        text = step


def normalize_name(name: str) -> str:
    """The part of a name that sorts (R-NAME-4).

    :func:`canonical_name` (so spellings of one person share a key, R-NAME-5), then drops
    bracketed notes (（女） （回族） (x) …, nested ones too, and a stray bracket left over) and the
    middle dots of transliterated names.
    """
    text = canonical_name(name)
    previous = None
    while previous != text:
        previous, text = text, _NOTE.sub("", text)
    return "".join(
        ch
        for ch in text
        if ch not in _DOTS
        and ch not in _BRACKETS
        and not ch.isspace()
        and unicodedata.category(ch) not in ("Cc", "Cf", "Zs")
    )


def surname_of(name: str) -> str:
    """The surname (姓) of a name, after :func:`normalize_name`.

    A compound surname from :data:`COMPOUND_SURNAMES` when the name starts with one and has at
    least one more character; otherwise the first character.  ``""`` for an empty name.
    Transliterated names without a surname (买买提·艾力) sort by their first character.
    """
    text = normalize_name(name)
    if len(text) > 2 and text[:2] in COMPOUND_SURNAMES:
        return text[:2]
    return text[:1]


def _char_key(char: str) -> CharKey:
    shapes = stroke_shapes(char)
    if shapes is not None:
        return (0, len(shapes), shapes, ord(char))  # R-NAME-1, R-NAME-2
    count = stroke_count(char)
    if count is not None:
        return (0, count, _SHAPES_UNKNOWN, ord(char))  # R-NAME-1; shapes unknown sort last
    return (1, 0, "", ord(char))  # not in the table: after every known character


@lru_cache(maxsize=8192)  # pure; a round's candidates are ranked again on every count
def stroke_key(name: str) -> NameKey:
    """Sort key of a name in surname stroke order (R-NAME-1..4).

    ``(surname, has a given name of more than one character, given name)`` where surname and
    given name are tuples of character keys.  Names equal in key are equal after
    :func:`normalize_name`; a stable sort keeps them in input order (R-NAME-4).
    """
    text = normalize_name(name)  # R-NAME-4
    surname = surname_of(text)
    given = text[len(surname) :]
    return (
        tuple(_char_key(c) for c in surname),  # R-NAME-1, R-NAME-2 (compound: char by char)
        len(given) > 1,  # R-NAME-3: one-character given names first
        tuple(_char_key(c) for c in given),  # R-NAME-3: then character by character
    )


def sort_names(names: Iterable[str]) -> list[str]:
    """Names in surname stroke order; names equal in key keep their input order (R-NAME-4).

    Relies on :func:`sorted` being stable.
    """
    return sorted(names, key=stroke_key)


def unknown_characters(name: str) -> list[str]:
    """Characters of the normalized name whose stroke shapes are unknown, first occurrence order.

    These sort by the fallback described in the module docstring; the shell may warn about them.
    Characters inside bracketed notes are not part of the key and are not reported.
    """
    seen: list[str] = []
    for char in normalize_name(name):
        if stroke_shapes(char) is None and char not in seen:
            seen.append(char)
    return seen
