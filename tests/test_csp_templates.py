"""The templates hold nothing the Content-Security-Policy (xuanju/csp.py) would block: no inline
<script>, no on…= event handler, no style= attribute, and every <style> block carries the nonce.
A quick guard for new templates; tests/browser checks the rendered pages in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

from xuanju.csp import policy

ROOT = Path(__file__).resolve().parent.parent / "xuanju"
TEMPLATES = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)


def _where(pattern: str) -> list[str]:
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(pattern, line, re.IGNORECASE):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    return found


def test_no_inline_script_handler_or_style_attribute():
    assert len(TEMPLATES) > 50
    assert _where(r"<script(?![^>]*\ssrc=)[^>]*>") == []
    assert _where(r"<[a-z][^>]*\son[a-z]+\s*=") == []
    assert _where(r"<[a-z][^>]*\sstyle\s*=") == []
    assert _where(r'<style(?![^>]*nonce="\{\{ csp_nonce \}\}")[^>]*>') == []


def test_the_policy_allows_nothing_inline_and_nothing_foreign():
    text = policy("abc")
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "*" not in text
    assert "script-src 'self'" in text and "style-src 'self' 'nonce-abc'" in text
    assert "frame-ancestors 'none'" in text and "object-src 'none'" in text
