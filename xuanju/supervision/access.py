"""Who may report, handle reports and void an election (built on xuanju.organizations.scope).

Also importable from :mod:`xuanju.supervision.actions`, their old home.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanju.accounts.models import Role, User
from xuanju.elections.models import Election
from xuanju.organizations.models import Organization
from xuanju.supervision.models import Report


def may_report_named(user: User, org: Organization) -> bool:
    """A signed-in account reports by name on its own organization or one above or beneath it."""
    own = user.organization
    return own is not None and (org.path.startswith(own.path) or own.path.startswith(org.path))


def reports_for(user: User) -> QuerySet[Report]:
    """The reports ``user`` handles: none unless they are an inspector of the upper level."""
    own = user.organization
    if own is None or user.role != Role.INSPECTOR:
        return Report.objects.none()
    # The reported organization is never the user's own one nor above it, except for reports
    # about the root, handled by the root's own inspectors.
    own_or_above = [*own.ancestor_paths(), own.path]
    root_case = Q(organization=own, handled_by=own, organization__depth=1)
    return Report.objects.filter(handled_by__path__startswith=own.path).filter(
        ~Q(organization__path__in=own_or_above) | root_case
    )


def can_handle(user: User, report: Report) -> bool:
    return reports_for(user).filter(pk=report.pk).exists()


def is_reporter(user: User, report: Report) -> bool:
    return report.reporter_id is not None and report.reporter_id == user.pk


def can_void(user: User, election: Election) -> bool:
    """Only the organization department of a level above the election's organization (R-SUP-3)."""
    own = user.organization
    org = election.organization
    return (
        own is not None
        and user.role == Role.ORGANIZATION_DEPARTMENT
        and org.path.startswith(own.path)
        and org.pk != own.pk
    )
