"""Every rule ID the code cites is named by at least one test (R-… in ../shared/RULES.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
CITED = re.compile(r"\bR-([A-Z]+)-(\d+)\b")
TEST_NAME = re.compile(r"def (test_\w+)")
ID_IN_NAME = re.compile(r"R_([A-Z]+)_(\d+)(?=_)")
MARKER = re.compile(r"rule\(\"R-([A-Z]+)-(\d+)\"\)")


def rule_ids_cited_in_code() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "xuanju").rglob("*.py"):
        ids.update(f"R-{area}-{number}" for area, number in CITED.findall(path.read_text(encoding="utf-8")))
    return ids


def rule_ids_named_by_tests() -> set[str]:
    """IDs in test names (test_R_CNT_4_..., several allowed) and in rule markers."""
    ids: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        for name in TEST_NAME.findall(text):
            ids.update(f"R-{area}-{number}" for area, number in ID_IN_NAME.findall(name))
        ids.update(f"R-{area}-{number}" for area, number in MARKER.findall(text))
    return ids


def test_every_cited_rule_has_a_test_that_names_it():
    cited = rule_ids_cited_in_code()
    assert len(cited) > 30
    assert sorted(cited - rule_ids_named_by_tests()) == []
