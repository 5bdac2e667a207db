"""Template hygiene: Django's {# … #} comment ends at the line's end, so a comment that runs on
to the next line is printed on the page as text."""

from __future__ import annotations

from pathlib import Path

import xuanju

ROOT = Path(xuanju.__file__).parent


def test_no_template_comment_runs_over_a_line():
    broken = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert not broken, f"use {{% comment %}} for comments over several lines: {broken}"
