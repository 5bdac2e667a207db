"""Build the CJK font subset embedded in ballot PDFs: xuanju/paper/fonts/NotoSansSC-Ballot.otf.

Noto Sans CJK SC (SIL Open Font License 1.1, no reserved font names) from Debian's
``fonts-noto-cjk``, cut down to the 8,105 characters of the 通用规范汉字表 (from the stroke table),
ASCII, the punctuation and the ballot symbols. About 1.9 MB, so a fresh machine prints ballots
without installing fonts; names with rarer characters use a system font (see ``xuanju.paper.fonts``).

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/build_ballot_font.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xuanju.rules.stroke_table import STANDARD

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_INDEX = 2  # Noto Sans CJK SC inside the collection
TARGET = Path(__file__).resolve().parent.parent / "xuanju" / "paper" / "fonts" / "NotoSansSC-Ballot.otf"
EXTRA = "，。、；：？！“”‘’（）《》【】〔〕—…·○×√□■●％"


def main() -> None:
    text = STANDARD + "".join(chr(c) for c in range(0x20, 0x7F)) + EXTRA
    text_file = TARGET.with_suffix(".chars.txt")
    text_file.write_text(text, encoding="utf-8")
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fontTools.subset",
                str(SOURCE),
                f"--font-number={SOURCE_INDEX}",
                f"--text-file={text_file}",
                f"--output-file={TARGET}",
                "--layout-features=",
                "--no-hinting",
                "--name-IDs=*",
            ],
            check=True,
        )
    finally:
        text_file.unlink()
    print(f"{TARGET}: {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
