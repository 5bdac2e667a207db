"""Who may decide a reading the two counters disagree on (监票人裁定)."""

from __future__ import annotations

from xuanju.accounts.models import Role, User
from xuanju.accounts.scope import can_manage
from xuanju.organizations.models import Organization


def can_scrutinize(user: User, org: Organization) -> bool:
    """Decide a disputed ballot of ``org``'s election: its scrutineers' accounts, and its
    organizers (who may also count). Counters may not: they are the ones who disagreed."""
    if can_manage(user, org):
        return True
    return user.organization_id == org.pk and user.role == Role.SCRUTINEER
