"""Build the CJK fonts embedded in document PDFs: xuanju/documents/fonts/*.ttf.

Noto Serif CJK SC Regular and Bold (SIL Open Font License 1.1, no reserved font names) from Debian's
``fonts-noto-cjk``, cut down like the ballot font (scripts/build_ballot_font.py) to the 8,105
characters of the 通用规范汉字表 (from the stroke table), ASCII and the punctuation of official
documents. The regular face stands in for 仿宋 and 楷体, the bold one for 小标宋: those typefaces are
not free to redistribute (see docs/documents.md). Headings in 黑体 style use the ballot's Noto Sans
subset (xuanju/paper/fonts/NotoSansSC-Ballot.otf), converted here as well.

Each subset is then converted once from CFF to TrueType outlines (``glyf``, quadratic curves within
one font unit of the cubic ones): :mod:`xuanju.documents.truetype` cuts a document's subset of a
TrueType font by copying glyph bytes, in a few milliseconds, where subsetting the CFF font with
fontTools took 0.3–1 s per PDF (see benchmarks/documents.py).

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/build_document_fonts.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

from xuanju.paper.fonts import BUNDLED_FONT
from xuanju.rules.stroke_table import STANDARD

SOURCES = {
    "NotoSerifSC-Document-Regular.ttf": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "NotoSerifSC-Document-Bold.ttf": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
}
SANS = "NotoSansSC-Document.ttf"
FAMILY = "Noto Serif CJK SC"
TARGET = Path(__file__).resolve().parent.parent / "xuanju" / "documents" / "fonts"
EXTRA = "，。、；：？！“”‘’（）《》【】〔〕〈〉「」『』—…·○×√□■●％℃－～　"
MAX_ERROR = 1.0  # font units (of 1,000 to the em): how far a quadratic curve may stray from the cubic
_MAXP_TRUETYPE = {
    "maxZones": 1,
    "maxTwilightPoints": 0,
    "maxStorage": 0,
    "maxFunctionDefs": 0,
    "maxInstructionDefs": 0,
    "maxStackElements": 0,
    "maxSizeOfInstructions": 0,
    "maxComponentElements": 0,
    "maxComponentDepth": 0,
}


def simplified_face(collection: Path) -> int:
    """The index of the SC face, checked by name rather than trusted to stay at 2."""
    with TTCollection(collection, lazy=True) as fonts:
        families = [str(face["name"].getDebugName(1) or "") for face in fonts.fonts]
    return families.index(FAMILY)


def to_truetype(source: Path, output: Path) -> None:
    """``source`` (CFF outlines) as a TrueType font: the same glyphs in the same order, unhinted."""
    font = TTFont(source)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for name, value in _MAXP_TRUETYPE.items():
        setattr(maxp, name, value)
    post = font["post"]
    post.formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(output)
    print(f"{output}: {output.stat().st_size:,} bytes")


def main() -> None:
    text = STANDARD + "".join(chr(c) for c in range(0x20, 0x7F)) + EXTRA
    with tempfile.TemporaryDirectory() as folder:
        text_file = Path(folder) / "chars.txt"
        text_file.write_text(text, encoding="utf-8")
        for name, source in SOURCES.items():
            cff = Path(folder) / "subset.otf"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fontTools.subset",
                    str(source),
                    f"--font-number={simplified_face(source)}",
                    f"--text-file={text_file}",
                    f"--output-file={cff}",
                    "--layout-features=",
                    "--no-hinting",
                    "--name-IDs=*",
                ],
                check=True,
            )
            to_truetype(cff, TARGET / name)
    to_truetype(BUNDLED_FONT, TARGET / SANS)


if __name__ == "__main__":
    main()
