"""The inbox (待办): what waits for an account, gathered from every app through a small registry.

An app registers a :class:`Source` in its ``AppConfig.ready`` (elections: requests to approve and
objections to answer; supervision: reports to handle; organizations: reminders received). This
module imports nothing from those apps, so any app may register without an import cycle; later work
(vacancies, campaigns) adds its own source the same way.

The navigation shows the total on every page, so each source's ``count`` must be one cheap query
(an indexed COUNT); the list is only built on the inbox page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.http import HttpRequest

from xuanju.accounts.models import User


@dataclass(frozen=True)
class Item:
    """One thing waiting: what it is, for which organization, since when, and where to act."""

    title: str
    organization: str
    url: str
    since: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # the section's heading on the inbox page, e.g. 待批复的请示
    count: Callable[[User], int]
    items: Callable[[User], list[Item]]
    order: int = 100


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or replace, by key) a source of inbox items."""
    _SOURCES[source.key] = source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def waiting_count(user: User) -> int:
    return sum(source.count(user) for source in sources())


@dataclass(frozen=True)
class Section:
    source: Source
    items: list[Item]


def sections(user: User) -> list[Section]:
    return [Section(source, source.items(user)) for source in sources()]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``inbox_count``, computed only if a template shows it, and once."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return waiting_count(user)

    return {"inbox_count": count}
