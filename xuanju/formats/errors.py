"""Input errors with the Chinese message users see and the JSON path they point at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Located:
    path: str  # a JSON path such as $.ballots[3].for[1]
    message: str  # Chinese

    def __str__(self) -> str:
        return f"{self.path}：{self.message}"


class InputError(Exception):
    """A file or value that cannot be used as given; ``problems`` say what and where."""

    def __init__(self, problems: Sequence[Located]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


def json_path(parts: Sequence[str | int]) -> str:
    """``("ballots", 3, "for")`` → ``$.ballots[3].for``."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
