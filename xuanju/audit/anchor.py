"""Anchors of the audit chain (审计校验码, R-SUP-4): a short digest of the chain at one position,
printed on the signed papers, so that the chain can be checked against paper kept outside the database.

Pure: text in, text out, no Django. The record's ``hash`` already covers every record before it, so
the state of the chain at position ``n`` is the hash of its ``n``-th record; the anchor is a digest
of that hash *and* the position, so a printed code belongs to exactly one place in the chain.

Length: 64 bits (16 hex digits, four groups of four). To make a rewritten chain match a printed
anchor an attacker must find a record whose digest hits 64 given bits: about 2^64 SHA-256 tries, some
fifty years for one GPU at 10^10 hashes a second, against hours for 48 bits. Sixteen characters
remain easy to read aloud and to type from paper.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

DIGEST_HEX = 16  # 64 bits
GROUP = 4
LABEL = "审计校验码"
_DOMAIN = "xuanju-anchor/1"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_:：,，.。/()（）]+")
_HEX = re.compile(r"[0-9A-F]+")


class AnchorSyntax(ValueError):
    """The text is not an anchor; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedAnchor:
    position: int | None  # None: the code was given without its position
    digest: str  # DIGEST_HEX upper-case hex digits, no separators


def digest(position: int, record_hash: str) -> str:
    """The 64-bit digest of the chain at ``position`` (1-based) whose record there has ``record_hash``,
    as upper-case hex without separators."""
    data = f"{_DOMAIN}|{position}|{record_hash}".encode("ascii")
    return hashlib.sha256(data).hexdigest()[:DIGEST_HEX].upper()


def grouped(hex_digest: str) -> str:
    """``4436-7F3A-91C2-0B5E``: groups of four joined by dashes."""
    return "-".join(hex_digest[i : i + GROUP] for i in range(0, len(hex_digest), GROUP))


def anchor_code(position: int, record_hash: str) -> str:
    """``第1234条 4436-7F3A-91C2-0B5E``: the position and the digest, as printed after 审计校验码."""
    return f"第{position}条 {grouped(digest(position, record_hash))}"


def anchor_text(position: int, record_hash: str) -> str:
    """The whole printed line: ``审计校验码 第1234条 4436-7F3A-91C2-0B5E``."""
    return f"{LABEL} {anchor_code(position, record_hash)}"


def parse(text: str) -> ParsedAnchor:
    """Read an anchor as a person types it from paper: with or without 审计校验码 and the position
    (第1234条, or digits before the code), with spaces, dashes or none, in any case, full-width or not.

    The last sixteen hex digits are the digest; digits before them, the position."""
    normalized = unicodedata.normalize("NFKC", text).upper().replace(LABEL, " ")
    marked = re.search(r"第\s*(\d+)\s*条", normalized)
    position: int | None = int(marked.group(1)) if marked else None
    if marked:
        normalized = normalized[: marked.start()] + " " + normalized[marked.end() :]
    compact = _SEPARATORS.sub("", normalized)
    if not compact:
        raise AnchorSyntax("请输入审计校验码，例如“第1234条 4436-7F3A-91C2-0B5E”")
    if not _HEX.fullmatch(compact):
        bad = next(c for c in compact if not _HEX.fullmatch(c))
        raise AnchorSyntax(f"审计校验码只含数字0–9和字母A–F，不能有“{bad}”")
    if len(compact) < DIGEST_HEX:
        raise AnchorSyntax(f"审计校验码应为{DIGEST_HEX}位（四组，每组四位），这里只有{len(compact)}位")
    prefix, code = compact[:-DIGEST_HEX], compact[-DIGEST_HEX:]
    if prefix:
        if position is not None or not prefix.isdigit():
            raise AnchorSyntax(f"审计校验码应为{DIGEST_HEX}位（四组，每组四位），这里多了“{prefix}”")
        position = int(prefix)
    if position is not None and position < 1:
        raise AnchorSyntax("审计校验码的条数从第1条起")
    return ParsedAnchor(position, code)
