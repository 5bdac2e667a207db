"""Generate the stroke table behind surname stroke order (R-NAME-1..4).

Development-time tool: it reads third-party data from where the ordinary package clients put
it, cross-checks the sources against each other and writes two Python modules, so that
``xuanju.rules`` needs no file or network at run or test time:

* ``xuanju/rules/stroke_table.py`` - stroke shapes from npm ``cnchar-order`` (MIT) plus, from
  Unihan (Unicode licence), the list of the 8,105 characters of 通用规范汉字表 (``kTGH``), stroke
  counts for the standard characters no shape source has (``kTotalStrokes``) and a
  traditional-to-simplified fold (``kSimplifiedVariant``);
* ``xuanju/rules/stroke_table_rime.py`` - the entries taken from Debian ``rime-data-stroke``
  (LGPL-3), kept apart with ``xuanju/rules/LICENSE-rime-stroke.txt`` beside it.

Regenerate (from the repository root)::

    npm install --prefix /tmp/strokesrc cnchar-order@3.2.6 cnchar@3.2.6
    apt-get update && apt-get install -y unicode-data=15.0.0-1 \\
        rime-data-stroke=0.0~git20230204.c8bc405-1
    .venv/bin/python scripts/build_stroke_table.py            # defaults below
    .venv/bin/ruff format xuanju/rules/stroke_table.py xuanju/rules/stroke_table_rime.py

Options (defaults in brackets): ``--npm-prefix`` [/tmp/strokesrc], ``--rime-dict``
[/usr/share/rime-data/stroke.dict.yaml], ``--unihan-dir`` [/usr/share/unicode], ``--out-dir``
[xuanju/rules], ``--date`` [today], ``--report`` (print the cross-check report only, write
nothing).

Shape digits follow GB13000.1 字符集汉字笔顺规范 / 折笔规范: 1 横 (incl. 提), 2 竖 (incl. 竖钩),
3 撇, 4 点 (incl. 捺), 5 折 (every other turning stroke).  cnchar-order files 竖钩 under its
"折笔" type; we put it with 竖 as the standard does (丁 12, 小 234, 了 52).  Published lists
depend on it: 李 (…子 = 521) precedes 杨 (…533) in the 19th Politburo list only with 竖钩 = 2.

Merge policy, checked by this script (see docs/stroke-data.md):

1. cnchar-order is the primary source (6,939 characters, 6,770 of the standard list).
2. rime-data-stroke fills the standard characters cnchar-order lacks.  Its dictionary has a
   main table from CNS 11643 (Taiwan stroke orders: 提 as 点, 竖钩 as 折) and, after a marker
   comment, a supplement "for compatibility with Mainland China's standard glyph"; the
   supplement's code wins when a character has both.
3. Where the two disagree, ``RESOLVED`` below names the winner.  Each winner is backed by
   components whose own entries (on which both sources agree) concatenate to exactly the
   winning code; the script re-checks that.  A few disagreements could not be decided from
   components; cnchar-order is kept for them (``UNDECIDED``).
4. ``COMPOSED``: a few rime-only characters whose rime code is demonstrably wrong (it
   contradicts the character's components) are replaced by the concatenation of their
   components' entries.  No stroke digits are typed by hand.
5. Standard characters with no shape source at all (108, all in CJK Extensions E/F, encoded
   after the sources were made) get a stroke count from Unihan ``kTotalStrokes`` only.
6. Unihan ``kTotalStrokes`` is compared with every shape entry and differences are reported,
   not applied: many of them are the count of the traditional glyph.
"""

from __future__ import annotations

import argparse
import bz2
import datetime as dt
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

# cnchar-order stroke letters → shape class, by the stroke name in its own stroke table.
PLAIN_SHAPES = {"横": "1", "提": "1", "竖": "2", "竖钩": "2", "撇": "3", "点": "4", "点2": "4", "捺": "4"}

# Disagreements cnchar-order vs rime (mainland) decided by components: char → (winner, parts).
RESOLVED: dict[str, tuple[str, tuple[str, ...]]] = {
    "凝": ("cnchar", ("冫", "疑")),
    "剿": ("cnchar", ("巛", "果", "刂")),
    "字": ("cnchar", ("宀", "子")),
    "廨": ("cnchar", ("广", "解")),
    "耍": ("cnchar", ("而", "女")),
    "舢": ("cnchar", ("舟", "山")),
    "萏": ("cnchar", ("艹", "臽")),
    "蓐": ("cnchar", ("艹", "辱")),
    "钸": ("cnchar", ("钅", "布")),
    "镧": ("cnchar", ("钅", "阑")),
    "鼷": ("cnchar", ("鼠", "奚")),
    "齑": ("cnchar", ("齐", "韭")),
    "齉": ("cnchar", ("鼻", "囊")),
    "德": ("rime", ("彳", "十", "罒", "一", "心")),
    "媾": ("rime", ("女", "冓")),
    "撅": ("rime", ("扌", "厥")),
    "炽": ("rime", ("火", "只")),
    "皙": ("rime", ("析", "白")),
    "膝": ("rime", ("月", "桼")),
    "邶": ("rime", ("北", "阝")),
    "锺": ("rime", ("钅", "重")),
    "雌": ("rime", ("此", "隹")),
    "鲺": ("rime", ("鱼", "虱")),
    "麒": ("rime", ("鹿", "其")),
    "麟": ("rime", ("鹿", "粦")),
    "黏": ("rime", ("黍", "占")),
}
# Disagreements no component check decides: cnchar-order kept, listed in the report.
UNDECIDED = frozenset("嚏囊塍弢彘搿毵纛谀豳酆铆霈龑龟")

# Rime-only characters whose rime code contradicts their components: char → parts.
COMPOSED: dict[str, tuple[str, ...]] = {
    "俙": ("亻", "希"),
    "坰": ("土", "冋"),
    "涐": ("氵", "我"),
    "蹐": ("𧾷", "脊"),
    "巉": ("山", "毚"),
}

RIME_SUPPLEMENT_MARK = "# 以下詞條繼承自原碼表"
CHUNK_WIDTH = 96  # display columns per string-literal line in the generated modules


def js_json_blobs(path: Path) -> list[object]:
    """The JSON.parse('…') literals embedded in a minified cnchar bundle."""
    text = path.read_text(encoding="utf-8")
    return [json.loads(blob) for blob in re.findall(r"JSON\.parse\('(.*?)'\)", text, re.S)]


def load_cnchar_order(package: Path) -> dict[str, str]:
    order: dict[str, str] | None = None
    letters: dict[str, dict[str, str]] | None = None
    for blob in js_json_blobs(package / "cnchar.order.min.js"):
        assert isinstance(blob, dict)
        first = next(iter(blob.values()))
        if isinstance(first, dict) and "type" in first:
            letters = blob
        elif isinstance(first, str):
            order = blob
    assert order is not None and letters is not None, "cnchar-order bundle layout changed"
    digit: dict[str, str] = {}
    for letter, info in letters.items():
        names = info["name"].split("|")
        plain = {PLAIN_SHAPES[name] for name in names if name in PLAIN_SHAPES}
        if plain:
            assert len(plain) == 1 and len(names) == 1, info
            digit[letter] = plain.pop()
        else:
            assert info["type"] == "折笔", info
            digit[letter] = "5"
    return {char: "".join(digit[x] for x in code) for char, code in order.items()}


def load_cnchar_counts(package: Path) -> dict[str, int]:
    for blob in js_json_blobs(package / "cnchar.min.js"):
        if isinstance(blob, dict) and "1" in blob and blob["1"] == "一乙":
            return {char: int(count) for count, chars in blob.items() for char in chars}
    raise AssertionError("cnchar bundle layout changed")


def load_rime(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(CNS 11643 main table, mainland supplement), first code of each character."""
    main: dict[str, str] = {}
    supplement: dict[str, str] = {}
    target = main
    in_body = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(RIME_SUPPLEMENT_MARK):
            target = supplement
        if line == "...":
            in_body = True
            continue
        if not in_body or not line or line.startswith("#"):
            continue
        char, code = line.split("\t")[:2]
        target.setdefault(char, code.translate(str.maketrans("hspnz", "12345")))
    assert supplement, "rime supplement marker not found"
    return main, supplement


def load_unihan(directory: Path, fields: set[str]) -> tuple[dict[str, dict[str, str]], str]:
    data: dict[str, dict[str, str]] = {}
    version = ""
    for path in sorted(directory.glob("Unihan_*.txt.bz2")):
        with bz2.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("# Unicode version:"):
                    version = line.split(":", 1)[1].strip()
                if not line.startswith("U+"):
                    continue
                code_point, field, value = line.rstrip("\n").split("\t", 2)
                if field in fields:
                    data.setdefault(chr(int(code_point[2:], 16)), {})[field] = value
    return data, version


def first_count(entry: dict[str, str]) -> int | None:
    value = entry.get("kTotalStrokes")
    return int(value.split()[0]) if value else None


def package_version(directory: Path) -> str:
    return str(json.loads((directory / "package.json").read_text(encoding="utf-8"))["version"])


def debian_version(package: str) -> str:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def string_constant(name: str, entries: Iterable[str]) -> str:
    """``NAME = ("…" "…")`` split into lines that stay within the line length."""
    lines: list[str] = []
    current = ""
    for entry in entries:
        if current and width(current + entry) > CHUNK_WIDTH:
            lines.append(current)
            current = ""
        current += entry
    if current:
        lines.append(current)
    body = "\n".join(f'    "{line}"' for line in lines)
    return f"{name} = (\n{body}\n)\n"


def build(args: argparse.Namespace) -> int:
    order_dir = args.npm_prefix / "node_modules" / "cnchar-order"
    cnchar_dir = args.npm_prefix / "node_modules" / "cnchar"
    cn = load_cnchar_order(order_dir)
    cn_counts = load_cnchar_counts(cnchar_dir)
    cns, supplement = load_rime(args.rime_dict)
    rime = {**cns, **supplement}
    unihan, unicode_version = load_unihan(args.unihan_dir, {"kTGH", "kTotalStrokes", "kSimplifiedVariant"})
    tgh = sorted(
        (c for c, e in unihan.items() if "kTGH" in e), key=lambda c: int(unihan[c]["kTGH"].split(":")[1])
    )
    assert len(tgh) == 8105, len(tgh)
    standard = set(tgh)
    report: list[str] = [f"通用规范汉字表 (Unihan {unicode_version} kTGH): {len(tgh)} characters"]

    # cnchar's own count table against the order data.
    count_diff = [c for c in cn if c in cn_counts and cn_counts[c] != len(cn[c])]
    report.append(f"cnchar-order entries: {len(cn)}; cnchar count table disagrees on {len(count_diff)}")

    # cnchar-order vs rime (mainland where it has a supplement entry).
    both = sorted(c for c in cn if c in rime)
    differ = [c for c in both if cn[c] != rime[c]]
    report.append(f"cnchar-order vs rime-data-stroke: {len(both)} in both, {len(differ)} differ")
    unexplained = sorted(set(differ) - set(RESOLVED) - UNDECIDED)
    stale = sorted((set(RESOLVED) | UNDECIDED) - set(differ))
    assert not unexplained and not stale, (unexplained, stale)

    shapes_main = dict(cn)
    shapes_rime: dict[str, str] = {}
    for char in differ:
        winner = RESOLVED.get(char, ("cnchar", ()))[0]
        report.append(
            f"  {char} cnchar {cn[char]} rime {rime[char]} -> {winner}"
            + (" (undecided)" if char in UNDECIDED else "")
        )
        if winner == "rime":
            del shapes_main[char]
            shapes_rime[char] = rime[char]
    for char in sorted(standard - set(cn)):
        if char in rime:
            shapes_rime[char] = rime[char]
    merged = {**shapes_main, **shapes_rime}

    def compose(parts: tuple[str, ...]) -> str:
        # Components missing from the merged table (radical forms such as 冫 艹) come from rime.
        return "".join(merged.get(p) or rime[p] for p in parts)

    failed = []
    for char, (winner, parts) in RESOLVED.items():
        if not compose(parts) == merged[char] == (cn if winner == "cnchar" else rime)[char]:
            failed.append(f"{char} {compose(parts)} {cn[char]} {rime[char]}")
    assert not failed, failed
    for char, parts in COMPOSED.items():
        assert char not in cn and char in shapes_rime, char
        composed = compose(parts)
        assert composed != shapes_rime[char], char
        report.append(f"  {char} rime {shapes_rime[char]} -> composed {'+'.join(parts)} {composed}")
        shapes_rime[char] = merged[char] = composed
    from_supplement = sum(1 for c in shapes_rime if c in supplement)
    report.append(
        f"rime entries used: {len(shapes_rime)} ({from_supplement} mainland supplement, "
        f"{len(shapes_rime) - from_supplement} CNS main table), {len(COMPOSED)} composed"
    )

    counts_only = {}
    for char in tgh:
        if char not in merged:
            count = first_count(unihan[char])
            assert count is not None, char
            counts_only[char] = count
    shaped_standard = sum(1 for c in tgh if c in merged)
    report.append(
        f"coverage of the standard list: shapes {shaped_standard}, count only {len(counts_only)}, "
        f"none {len(standard) - shaped_standard - len(counts_only)}"
    )

    mismatch = [
        c for c in merged if (n := first_count(unihan.get(c, {}))) is not None and n != len(merged[c])
    ]
    report.append(f"stroke count differs from Unihan kTotalStrokes: {len(mismatch)} (Unihan not applied)")
    report.extend(
        f"  {c} shapes {len(merged[c])} Unihan {unihan[c]['kTotalStrokes']}"
        f" {'standard' if c in standard else ''}"
        for c in mismatch
    )

    fold = {}
    for char, entry in sorted(unihan.items()):
        if char in merged or char in counts_only or "kSimplifiedVariant" not in entry:
            continue
        targets = {chr(int(cp[2:], 16)) for cp in entry["kSimplifiedVariant"].split()} - {char}
        targets = {t for t in targets if t in merged or t in counts_only}
        if len(targets) == 1:
            fold[char] = targets.pop()
    report.append(f"traditional → simplified folds (Unihan kSimplifiedVariant): {len(fold)}")

    print("\n".join(report))
    if args.report:
        return 0

    assert all(set(v) <= set("12345") and v for v in merged.values())
    command = "python scripts/build_stroke_table.py " + " ".join(sys.argv[1:])
    order_version = package_version(order_dir)
    rime_version = debian_version("rime-data-stroke")
    unicode_deb = debian_version("unicode-data")
    main_header = f'''# GENERATED by scripts/build_stroke_table.py - do not edit; regenerate instead.
# Generated {args.date} with: {command.strip()}
# Sources:
#   npm cnchar-order {order_version} (MIT, (c) theajack): stroke order of {len(cn)} characters, mapped
#     to the five shapes 1 横(提) 2 竖(竖钩) 3 撇 4 点(捺) 5 折; {len(shapes_main)} entries kept here.
#   npm cnchar {package_version(cnchar_dir)} (MIT): stroke counts, cross-check only.
#   Unihan {unicode_version} from Debian unicode-data {unicode_deb} (Unicode License v3):
#     kTGH (the 8,105 characters of 通用规范汉字表, 2013), kTotalStrokes (counts of the
#     {len(counts_only)} standard characters no shape source has), kSimplifiedVariant (folds).
# Entries from Debian rime-data-stroke (LGPL-3) live in stroke_table_rime.py, not here.
# Cross-check report and merge policy: docs/stroke-data.md.
"""Stroke table for surname stroke order (R-NAME-1/2): generated data, no code."""

'''
    main = (
        main_header
        + "# Character followed by its stroke shapes, one digit per stroke in writing order.\n"
        + string_constant("SHAPES", (c + shapes_main[c] for c in sorted(shapes_main)))
        + "\n# Standard characters without shape data: character followed by its stroke count.\n"
        + string_constant("COUNTS", (c + str(counts_only[c]) for c in sorted(counts_only)))
        + "\n# Traditional (or variant) character followed by the simplified character it sorts as.\n"
        + string_constant("FOLDS", (c + fold[c] for c in sorted(fold)))
        + "\n# The 8,105 characters of 通用规范汉字表 in table order (Unihan kTGH).\n"
        + string_constant("STANDARD", tgh)
    )
    rime_header = f'''# GENERATED by scripts/build_stroke_table.py - do not edit; regenerate instead.
# Generated {args.date} with: {command.strip()}
#
# Data derived from rime-stroke (Debian package rime-data-stroke {rime_version}),
# file /usr/share/rime-data/stroke.dict.yaml: main table from the CNS 11643 stroke sequences,
# supplement for mainland glyphs compiled by 孙海峰, 徐孟罗, 唐捺之, 谢振斌;
# Copyright GONG Chen, Kunki Chiu, 雪齋, 四季的風.
# Licensed under the GNU Lesser General Public License version 3; see LICENSE-rime-stroke.txt
# beside this file.  This module holds only that data (re-encoded h/s/p/n/z -> 1/2/3/4/5,
# {len(COMPOSED)} entries composed from their components' entries), so it can be replaced or
# regenerated on its own.
"""Stroke shapes from rime-data-stroke (LGPL-3): generated data, no code."""

'''
    rime_module = (
        rime_header
        + "# Character followed by its stroke shapes, one digit per stroke in writing order.\n"
        + string_constant("SHAPES", (c + shapes_rime[c] for c in sorted(shapes_rime)))
    )
    (args.out_dir / "stroke_table.py").write_text(main, encoding="utf-8")
    (args.out_dir / "stroke_table_rime.py").write_text(rime_module, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-prefix", type=Path, default=Path("/tmp/strokesrc"))
    parser.add_argument("--rime-dict", type=Path, default=Path("/usr/share/rime-data/stroke.dict.yaml"))
    parser.add_argument("--unihan-dir", type=Path, default=Path("/usr/share/unicode"))
    parser.add_argument("--out-dir", type=Path, default=Path("xuanju/rules"))
    parser.add_argument("--date", default=dt.date.today().isoformat())
    parser.add_argument("--report", action="store_true", help="print the cross-check report only")
    return build(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
