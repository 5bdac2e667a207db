"""Who may see and change vetting (built on xuanju.organizations.scope), and until when.

Also importable from :mod:`xuanju.vetting.services`, their old home.
"""

from __future__ import annotations

from xuanju.accounts.models import User
from xuanju.elections.models import Election, ElectionStatus
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.scope import can_manage, can_oversee, manages_or_oversees

#: The conditions and the structure targets can change until the provisional candidates go to the
#: upper level (R-RPT-2): after that the upper level reviews the slate against what it had set.
CONDITIONS_OPEN = (ElectionStatus.PLANNING, ElectionStatus.PLAN_SUBMITTED, ElectionStatus.PLAN_APPROVED)
#: Vetting is written while people are chosen and while the upper level reviews them.
VETTING_OPEN = (ElectionStatus.PLAN_APPROVED, ElectionStatus.CANDIDATES_SUBMITTED)


def sees_vetting(user: User, org: Organization) -> bool:
    """Vetting records, condition checks, profiles of the slate and its structure: the organizers
    of ``org`` and its upper level only — never members, counters, scrutineers or inspectors."""
    return manages_or_oversees(user, org)


def sets_conditions(user: User, election: Election) -> bool:
    """The conditions and the structure targets are the upper level's (R-CAND-1): its organization
    department (``can_oversee``: a strict ancestor), never the organization itself."""
    return can_oversee(user, election.organization)


def edits_profile(user: User, member: Member) -> bool:
    """Profiles and sanctions on record are personal data: those who manage the roster."""
    return can_manage(user, member.organization)
