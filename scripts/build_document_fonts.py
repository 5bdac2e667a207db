"""Build the serif CJK font subsets embedded in document PDFs: xuanju/documents/fonts/.

Noto Serif CJK SC Regular and Bold (SIL Open Font License 1.1, no reserved font names) from Debian's
``fonts-noto-cjk``, cut down like the ballot font (scripts/build_ballot_font.py) to the 8,105
characters of the 通用规范汉字表 (from the stroke table), ASCII and the punctuation of official
documents. The regular face stands in for 仿宋 and 楷体, the bold one for 小标宋: those typefaces are
not free to redistribute (see docs/documents.md). Headings in 黑体 style use the ballot's Noto Sans
subset.

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/build_document_fonts.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

from xuanju.rules.stroke_table import STANDARD

SOURCES = {
    "NotoSerifSC-Document-Regular.otf": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "NotoSerifSC-Document-Bold.otf": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
}
FAMILY = "Noto Serif CJK SC"
TARGET = Path(__file__).resolve().parent.parent / "xuanju" / "documents" / "fonts"
EXTRA = "，。、；：？！“”‘’（）《》【】〔〕〈〉「」『』—…·○×√□■●％℃－～　"


def simplified_face(collection: Path) -> int:
    """The index of the SC face, checked by name rather than trusted to stay at 2."""
    with TTCollection(collection, lazy=True) as fonts:
        families = [str(face["name"].getDebugName(1) or "") for face in fonts.fonts]
    return families.index(FAMILY)


def main() -> None:
    text = STANDARD + "".join(chr(c) for c in range(0x20, 0x7F)) + EXTRA
    text_file = TARGET / "chars.txt"
    text_file.write_text(text, encoding="utf-8")
    try:
        for name, source in SOURCES.items():
            output = TARGET / name
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fontTools.subset",
                    str(source),
                    f"--font-number={simplified_face(source)}",
                    f"--text-file={text_file}",
                    f"--output-file={output}",
                    "--layout-features=",
                    "--no-hinting",
                    "--name-IDs=*",
                ],
                check=True,
            )
            print(f"{output}: {output.stat().st_size:,} bytes")
    finally:
        text_file.unlink()


if __name__ == "__main__":
    main()
