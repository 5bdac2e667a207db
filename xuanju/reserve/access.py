"""Who may see and change a reserve talent pool.

The pool holds assessments of people, so ordinary members (and counters, scrutineers, inspectors)
never see it. An organization's organizers manage its pool; the upper level reads the pools beneath
it and does not change them.
"""

from __future__ import annotations

from xuanju.accounts.models import Role, User
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_manage, can_oversee, manages_or_oversees


def can_see_pool(user: User, org: Organization) -> bool:
    return manages_or_oversees(user, org)


def can_manage_pool(user: User, org: Organization) -> bool:
    """The organization's own organizers: its secretary, or the organization department it is the
    organization of. The organization department above reads only (can_oversee)."""
    if user.is_superuser:
        return True
    return can_manage(user, org) and not can_oversee(user, org)


def can_see_depth(user: User, root: Organization) -> bool:
    """The pool depth of everything beneath ``root``: the organization department at or above it."""
    if user.is_superuser:
        return True
    return user.role == Role.ORGANIZATION_DEPARTMENT and can_see_pool(user, root)
