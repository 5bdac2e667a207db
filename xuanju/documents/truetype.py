"""A fast TrueType subsetter for the bundled document fonts: read once per process, cut by slicing.

fpdf2 embeds a font by handing it to fontTools' subsetter, which for the bundled CFF fonts parsed,
subset, re-compiled and re-measured every charstring of the document: 0.3–1 s per PDF, nearly all
of a document's time. The bundled fonts are now TrueType (``glyf`` outlines, converted once at
build time by ``scripts/build_document_fonts.py``) with simple glyphs only, so a subset is a matter
of copying the used glyphs' bytes in a new order and writing the tables that index them:

- ``glyf``, ``loca`` (long offsets), ``hmtx``: the used glyphs, in the order asked for;
- ``head`` (long ``loca``, new checksum adjustment), ``hhea`` and ``maxp`` (new glyph counts);
- ``post`` as format 3 (no glyph names), ``OS/2`` and ``name`` as they are.

No ``cmap``: the PDF addresses glyphs by id (a CIDFontType2 with a CIDToGIDMap), which needs only
``glyf``, ``head``, ``hhea``, ``hmtx``, ``loca`` and ``maxp`` (ISO 32000-1, 9.9). The output is a
function of the source font and the glyph ids alone, so the same document gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_COPIED = ("OS/2", "name")
_COMPOSITE = -1  # numberOfContours of a composite glyph (glyph ids inside it would need remapping)


class NotSimple(ValueError):
    """The font is not one this subsetter handles (no glyf, or composite glyphs)."""


@dataclass(frozen=True)
class Source:
    """A TrueType font split into what a subset is built from."""

    glyphs: tuple[bytes, ...]  # each glyph's glyf data, by glyph id
    metrics: tuple[bytes, ...]  # each glyph's hmtx entry (advance, left side bearing), 4 bytes
    head: bytes
    hhea: bytes
    maxp: bytes
    post: bytes  # the 32-byte header of a format 3 post table
    copied: tuple[tuple[str, bytes], ...]  # tables taken over unchanged


def _tables(data: bytes) -> dict[str, bytes]:
    version, count = struct.unpack_from(">IH", data, 0)
    if version != 0x00010000:
        raise NotSimple("not a TrueType (glyf) font")
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


@cache
def load(path: Path) -> Source:
    """The font at ``path``, parsed once per process."""
    return parse(path.read_bytes())


def parse(data: bytes) -> Source:
    tables = _tables(data)
    for tag in ("head", "hhea", "maxp", "hmtx", "loca", "glyf", "post"):
        if tag not in tables:
            raise NotSimple(f"no {tag} table")
    head, hhea, maxp = tables["head"], tables["hhea"], tables["maxp"]
    glyph_count = struct.unpack_from(">H", maxp, 4)[0]
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    loca = tables["loca"]
    if long_offsets:
        offsets = struct.unpack_from(f">{glyph_count + 1}I", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{glyph_count + 1}H", loca))
    glyf = tables["glyf"]
    glyphs = tuple(glyf[offsets[i] : offsets[i + 1]] for i in range(glyph_count))
    for glyph in glyphs:
        if len(glyph) >= 2 and struct.unpack_from(">h", glyph)[0] == _COMPOSITE:
            raise NotSimple("composite glyphs")
    hmtx = tables["hmtx"]
    long_metrics = struct.unpack_from(">H", hhea, 34)[0]
    metrics = [hmtx[4 * i : 4 * i + 4] for i in range(long_metrics)]
    last_advance = hmtx[4 * (long_metrics - 1) : 4 * long_metrics - 2]
    for i in range(glyph_count - long_metrics):  # glyphs after the last long metric share its advance
        at = 4 * long_metrics + 2 * i
        metrics.append(last_advance + hmtx[at : at + 2])
    post = struct.pack(">I", 0x00030000) + tables["post"][4:32]
    copied = tuple((tag, tables[tag]) for tag in _COPIED if tag in tables)
    return Source(glyphs, tuple(metrics), head, hhea, maxp, post, copied)


def subset(source: Source, glyph_ids: Sequence[int]) -> bytes:
    """A font of the glyphs ``glyph_ids`` (the first should be 0, .notdef), numbered in that order."""
    glyf = bytearray()
    offsets = []
    for gid in glyph_ids:
        offsets.append(len(glyf))
        glyph = source.glyphs[gid]
        glyf += glyph
        glyf += b"\0" * (-len(glyph) % 4)
    offsets.append(len(glyf))
    count = len(glyph_ids)
    head = bytearray(source.head)
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    hhea = bytearray(source.hhea)
    struct.pack_into(">H", hhea, 34, count)
    maxp = bytearray(source.maxp)
    struct.pack_into(">H", maxp, 4, count)
    tables = {
        "glyf": bytes(glyf),
        "head": bytes(head),
        "hhea": bytes(hhea),
        "hmtx": b"".join(source.metrics[gid] for gid in glyph_ids),
        "loca": struct.pack(f">{count + 1}I", *offsets),
        "maxp": bytes(maxp),
        "post": source.post,
        **dict(source.copied),
    }
    font, places = _assemble(tables)
    adjustment = (0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF
    struct.pack_into(">I", font, places["head"] + 8, adjustment)
    return bytes(font)


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _assemble(tables: dict[str, bytes]) -> tuple[bytearray, dict[str, int]]:
    """The font file of ``tables`` and where each table starts in it."""
    tags = sorted(tables)
    count = len(tags)
    power = 1
    while power * 2 <= count:
        power *= 2
    header = struct.pack(
        ">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16
    )
    directory = bytearray()
    body = bytearray()
    places = {}
    offset = 12 + 16 * count
    for tag in tags:
        data = tables[tag]
        places[tag] = offset + len(body)
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data), places[tag], len(data))
        body += data
        body += b"\0" * (-len(data) % 4)
    return bytearray(header) + directory + body, places
