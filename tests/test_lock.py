"""requirements.lock (production installs with --require-hashes) stays in step with pyproject.toml:
every pinned dependency at the same version, every package with its hashes. Regenerate it with the
command at the top of the file after changing a dependency."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)", block)
        if match:
            entries[_normal(match.group(1))] = (match.group(2), block.count("--hash=sha256:"))
    return entries


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = _lock()
    for requirement in project["dependencies"]:
        name, version = re.match(r"([A-Za-z0-9._-]+)(?:\[[^]]*\])?==(\S+)", requirement).groups()
        assert lock.get(_normal(name), ("missing", 0))[0] == version, f"{name}: regenerate requirements.lock"
    assert all(hashes >= 1 for _version, hashes in lock.values())
    dev = {_normal(r.split("==")[0]) for r in project["optional-dependencies"]["dev"]}
    assert not dev & set(lock), "development tools do not belong in the production lock"
    assert {"pip-tools", "pip-audit"} <= dev
