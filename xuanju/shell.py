"""What every app's actions share: the refusal they raise and who they act for.

Every write happens in an action (``xuanju/<app>/actions.py``-style functions): one transaction
that checks, writes and appends an audit record. An action refuses with :class:`ActionError`, whose
message is Chinese and says what and why; the views show it (``xuanju.web.run_action``). Actions
act for an :data:`Actor` — a signed-in account, or a name such as the command line's — and the
audit trail names it with :func:`actor_name`.

This module sits just above ``xuanju.rules`` and imports no app, so every app may use it.
"""

from __future__ import annotations

from typing import Protocol, TypeAlias


class ActionError(Exception):
    """A request the rules or the data refuse; the message is Chinese and says what and why,
    ``field`` names the form field it is about (None: the request as a whole)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Account(Protocol):
    """An account an action acts for (``xuanju.accounts.models.User``)."""

    @property
    def username(self) -> str: ...


#: Who an action acts for: an account, or a name (the command line, a demo loader, a test).
Actor: TypeAlias = Account | str


def actor_name(actor: Actor) -> str:
    """The name the audit trail records for ``actor``: an account's username, else the text."""
    return getattr(actor, "username", None) or str(actor)


def display_name(account: Account) -> str:
    """How pages and documents name an account: its display name, else its username."""
    return getattr(account, "display_name", None) or account.username
