"""The bundled document fonts in fpdf2, parsed once per process and embedded without fontTools.

fpdf2 (2.8.9, pinned) builds a ``TTFFont`` for every document by parsing the font file (cmap,
widths of every glyph: about 90 ms for the three faces) and, when the PDF is written, subsets it
with fontTools (0.3–1 s for CFF). Here:

- :func:`add` registers a face on a document from a prototype parsed once per process: the
  document's font shares the prototype's read-only tables (cmap, widths, glyph ids) and has its own
  subset map and font descriptor;
- :class:`Output` (passed to ``FPDF.output``) embeds those faces as fpdf2 would embed a TrueType
  font — a Type0 font over a CIDFontType2 with a CIDToGIDMap, a ToUnicode map and the same widths —
  but cuts the subset with :mod:`xuanju.documents.truetype`. Other fonts (the system's fallbacks
  for rare characters) still go through fpdf2's own path.

Used glyphs are numbered in glyph-id order, so the bytes depend only on the text.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFContentStream,
    PDFFont,
    PDFFontStream,
    _build_cmap_blocks,
)
from fpdf.output import _tt_font_widths as tt_font_widths
from fpdf.syntax import Name, PDFArray

from xuanju.documents import truetype

_lock = threading.Lock()
_prototypes: dict[Path, TTFFont] = {}


class BundledFont(TTFFont):
    """A document's face whose tables are shared with a per-process prototype."""

    __slots__ = ("source",)
    source: Path  # the font file, whose parsed tables truetype.load keeps

    def close(self) -> None:  # the shared tables stay open for the next document
        pass


def _prototype(path: Path) -> TTFFont:
    with _lock:
        found = _prototypes.get(path)
        if found is None:
            found = TTFFont(FPDF(), path, "prototype", "")
            truetype.load(path)  # parsed (and checked to be simple TrueType) now, not mid-document
            _prototypes[path] = found
        return found


def add(pdf: FPDF, family: str, path: Path) -> None:
    """Register the bundled TrueType font at ``path`` as ``family`` (regular style) on ``pdf``."""
    prototype = _prototype(path)
    font = BundledFont.__new__(BundledFont)
    for slot in TTFFont.__slots__:
        if hasattr(prototype, slot):  # fpdf2 leaves some unset (unicode_range)
            setattr(font, slot, getattr(prototype, slot))
    font.source = path
    font.i = len(pdf.fonts) + 1
    font.fontkey = family.lower()
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.desc = copy.copy(prototype.desc)  # gets this document's object id and font file
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


class Output(OutputProducer):
    """fpdf2's output, with :class:`BundledFont` faces embedded by :func:`_embed`."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, Any]:
        fonts = self.fpdf.fonts  # the document's registry (a dict), hidden from fpdf2 for a moment
        registered = dict(fonts)
        ours = sorted((f for f in registered.values() if isinstance(f, BundledFont)), key=lambda f: f.i)
        for font in ours:
            del fonts[font.fontkey]
        try:
            result: dict[int, Any] = super()._add_fonts(*args, **kwargs)
        finally:
            fonts.clear()
            fonts.update(registered)
        for font in ours:
            result[font.i] = self._embed(font)
        return result

    def _embed(self, font: BundledFont) -> PDFFont:
        fontname = f"MPDFAA+{font.name}"
        used = [(glyph, code) for glyph, code in font.subset.items() if glyph is not None]
        order = sorted({0, *(glyph.glyph_id for glyph, _ in used)})
        new_id = {gid: number for number, gid in enumerate(order)}
        stream = truetype.subset(truetype.load(font.source), order)

        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(
            subtype="CIDFontType2", base_font=fontname, d_w=font.desc.missing_width, w=tt_font_widths(font)
        )
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])

        # ToUnicode: which character each code stands for (search, copy and paste).
        bf_char = [
            f"<{code:04X}> <{''.join(_utf16_hex(c) for c in glyph.unicode)}>\n"
            for glyph, code in used
            if isinstance(glyph.unicode, tuple) and glyph.unicode
        ]
        to_unicode = PDFContentStream(
            (
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
                "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                f"{_build_cmap_blocks(bf_char, 'bfchar')}"
                "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
            ).encode("latin-1")
        )
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode

        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info

        descriptor = font.desc
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor

        cid_to_gid = bytearray(2 * 256 * 256)
        for glyph, code in used:
            gid = new_id[glyph.glyph_id]
            cid_to_gid[2 * code] = gid >> 8
            cid_to_gid[2 * code + 1] = gid & 0xFF
        cid_to_gid_map = PDFContentStream(contents=bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_to_gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_map

        font_file = PDFFontStream(contents=stream)
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file  # type: ignore[attr-defined]

        font.subset.pick.cache_clear()
        font.subset.get_glyph.cache_clear()
        return composite


def _utf16_hex(code: int) -> str:
    if code > 0xFFFF:  # a surrogate pair
        return f"{0xD800 | (code - 0x10000) >> 10:04X}{0xDC00 | (code & 0x3FF):04X}"
    return f"{code:04X}"
