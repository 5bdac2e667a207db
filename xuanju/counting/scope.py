"""Who may decide a reading the two counters disagree on (监票人裁定): see
:func:`xuanju.organizations.scope.can_scrutinize`, kept here under its old import path."""

from __future__ import annotations

from xuanju.organizations.scope import can_scrutinize

__all__ = ["can_scrutinize"]
