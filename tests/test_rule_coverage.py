"""Every rule ID the code cites is named by at least one test (R-… in ../shared/RULES.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
CITED = re.compile(r"\bR-([A-Z]+)-(\d+)\b")
NAMED_IN_TEST = re.compile(r"def test_R_([A-Z]+)_(\d+)_|rule\(\"R-([A-Z]+)-(\d+)\"\)")


def rule_ids_cited_in_code() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "xuanju").rglob("*.py"):
        ids.update(f"R-{area}-{number}" for area, number in CITED.findall(path.read_text(encoding="utf-8")))
    return ids


def rule_ids_named_by_tests() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for match in NAMED_IN_TEST.findall(path.read_text(encoding="utf-8")):
            area, number = (match[0], match[1]) if match[0] else (match[2], match[3])
            ids.add(f"R-{area}-{number}")
    return ids


def test_every_cited_rule_has_a_test_that_names_it():
    cited = rule_ids_cited_in_code()
    assert len(cited) > 30
    assert sorted(cited - rule_ids_named_by_tests()) == []
