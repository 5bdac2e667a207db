"""Small files that declare huge decoded sizes: the upload bombs of issue 13, made here byte by byte
(not with the code under test), for the tests and benchmarks/scan_memory.py."""

from __future__ import annotations

import struct
import zlib


def pdf(
    pages: list[tuple[float, float]],
    contents: list[bytes] | None = None,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal PDF whose pages have the given MediaBox sizes in points, optional content streams
    and image XObjects (name → stream dictionary with an empty stream) shared by every page."""
    objects: list[bytes] = []
    first_image = 3 + len(pages) + len(contents or [])
    names = list(images or {})
    resources = ""
    if names:
        entries = " ".join(f"/{n} {first_image + i} 0 R" for i, n in enumerate(names))
        resources = f" /Resources << /XObject << {entries} >> >>"
    kids = " ".join(f"{3 + i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    first_extra = 3 + len(pages)
    for i, (width, height) in enumerate(pages):
        extra = ""
        if contents is not None:
            extra = f" /Contents {first_extra + i} 0 R"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:g} {height:g}]{extra}{resources} >>".encode()
        )
    for content in contents or []:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    for name in names:
        objects.append((images or {})[name] + b"\nstream\n\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def huge_page_pdf() -> bytes:
    """One page of 14,400 × 14,400 pt: 40,000 × 40,000 pixels at 200 dpi."""
    return pdf([(14400, 14400)])


def many_pages_pdf(count: int = 3000) -> bytes:
    """``count`` blank A4 pages."""
    return pdf([(595, 842)] * count)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A white 8-bit grayscale PNG of ``width`` × ``height``, compressed row by row (about 900 KB
    for 30,000 × 30,000 at 8 bits; built without ever holding the raw image)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def huge_bilevel_png(width: int = 30000, height: int = 30000) -> bytes:
    """The same size at 1 bit per pixel: about 150 KB, as in the issue."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
