"""Who sees and runs a campaign: the organization departments and inspectors whose subtree holds
the campaign's organization see it; only the department that arranged it (or a superuser) changes
it and sends its reminders."""

from __future__ import annotations

from xuanju.accounts.models import Role, User
from xuanju.campaigns.models import Campaign
from xuanju.organizations.models import Organization
from xuanju.organizations.scope import can_read


def sees_campaigns(user: User) -> bool:
    """Whether the account has campaigns to look at (for the navigation)."""
    return user.is_superuser or (
        user.organization_id is not None and user.role in (Role.ORGANIZATION_DEPARTMENT, Role.INSPECTOR)
    )


def arranges_campaigns(user: User) -> Organization | None:
    """The organization whose department the account arranges campaigns for, if any."""
    if user.role == Role.ORGANIZATION_DEPARTMENT and user.organization is not None:
        return user.organization
    return None


def sees_campaign(user: User, campaign: Campaign) -> bool:
    return user.is_superuser or (sees_campaigns(user) and can_read(user, campaign.organization))


def runs_campaign(user: User, campaign: Campaign) -> bool:
    return user.is_superuser or (
        user.role == Role.ORGANIZATION_DEPARTMENT and user.organization_id == campaign.organization_id
    )
