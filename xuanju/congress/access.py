"""Who may see and change what of a congress (built on xuanju.organizations.scope).

- The organizers of the convening organization (``can_manage`` on the election's organization) do
  everything: quota, units, unit elections, credentials, the preparatory meeting.
- The upper level (``can_oversee``) reads everything and sees the plan it approves.
- A unit's organizers (``can_manage`` on one of the unit's organizations) read the congress's
  allocation and composition and their own unit.
- Members of the convening organization's subtree read the list of formal delegates only — the
  composition table rests on candidates not yet elected and stays with those who act on it.
"""

from __future__ import annotations

from xuanju.accounts.models import User
from xuanju.congress.models import Congress, ElectoralUnit
from xuanju.organizations.scope import can_manage, can_oversee


def organizes(user: User, congress: Congress) -> bool:
    return can_manage(user, congress.organization)


def oversees(user: User, congress: Congress) -> bool:
    return can_oversee(user, congress.organization)


def organizes_unit(user: User, unit: ElectoralUnit) -> bool:
    return any(can_manage(user, org) for org in unit.organizations.all())


def reads_congress(user: User, congress: Congress) -> bool:
    """The congress's pages: organizers, the upper level, and the units' organizers."""
    if organizes(user, congress) or oversees(user, congress):
        return True
    return any(organizes_unit(user, unit) for unit in congress.units.prefetch_related("organizations"))


def reads_unit(user: User, unit: ElectoralUnit) -> bool:
    return organizes(user, unit.congress) or oversees(user, unit.congress) or organizes_unit(user, unit)


def reads_delegate_list(user: User, congress: Congress) -> bool:
    """The formal delegates: everyone above, and any account of the convening organization's subtree."""
    if reads_congress(user, congress):
        return True
    own = user.organization
    return own is not None and own.path.startswith(congress.organization.path)
