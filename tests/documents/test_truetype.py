"""The document fonts' own subsetter: a valid TrueType font with exactly the glyphs asked for."""

from __future__ import annotations

import io
import struct

import pytest
from fontTools.ttLib import TTFont

from xuanju.documents import truetype
from xuanju.documents.pdf_writer import SANS, SERIF, SERIF_BOLD


@pytest.mark.parametrize("font", [SERIF, SERIF_BOLD, SANS], ids=lambda f: f.path.name)
def test_a_subset_keeps_the_outlines_and_advances_of_the_glyphs_asked_for(font):
    full = TTFont(font.path)
    cmap = full.getBestCmap()
    names = [cmap[ord(c)] for c in "选举结果报告单中共A1"]
    ids = [0, *sorted({full.getGlyphID(n) for n in names})]
    data = truetype.subset(truetype.load(font.path), ids)

    cut = TTFont(io.BytesIO(data))
    assert cut["maxp"].numGlyphs == len(ids)
    order = cut.getGlyphOrder()
    for new, old in enumerate(ids):
        old_name, new_name = full.getGlyphOrder()[old], order[new]
        assert cut["hmtx"][new_name] == full["hmtx"][old_name]
        before, after = full["glyf"][old_name], cut["glyf"][new_name]
        assert after.numberOfContours == before.numberOfContours
        if before.numberOfContours:
            assert list(after.coordinates) == list(before.coordinates)
            assert list(after.endPtsOfContours) == list(before.endPtsOfContours)
    # The whole-font checksum (head.checkSumAdjustment) comes out as the format requires.
    padded = data + b"\0" * (-len(data) % 4)
    assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA


def test_the_same_glyphs_give_the_same_bytes():
    source = truetype.load(SERIF.path)
    assert truetype.subset(source, [0, 5, 9]) == truetype.subset(source, [0, 5, 9])


def test_a_font_with_cff_outlines_is_refused():
    from xuanju.paper.fonts import BUNDLED_FONT

    with pytest.raises(truetype.NotSimple):
        truetype.parse(BUNDLED_FONT.read_bytes())
