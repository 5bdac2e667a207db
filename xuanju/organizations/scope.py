"""Who may see and change what: an account's reach is its organization's subtree.

Every view asks these functions; nobody sees or changes data outside their subtree. This is the
home of the access rules every app shares; an app's own questions (a congress's pages, a reserve
pool, vetting records, reports) are its ``access.py``, built on these.
(Old import path: ``xuanju.organizations.scope``.)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from xuanju.accounts.models import Role, User
from xuanju.organizations.models import Organization

READ_SUBTREE = {Role.ORGANIZATION_DEPARTMENT, Role.SECRETARY, Role.INSPECTOR}


def visible_organizations(user: User) -> QuerySet[Organization]:
    """Organizations the user may read: the subtree of their organization (their own only for
    members, counters and scrutineers)."""
    if user.is_superuser:
        return Organization.objects.all()
    org = user.organization
    if org is None:
        return Organization.objects.none()
    if user.role in READ_SUBTREE:
        return Organization.objects.filter(path__startswith=org.path)
    return Organization.objects.filter(pk=org.pk)


def can_read(user: User, org: Organization) -> bool:
    if user.is_superuser:
        return True
    own = user.organization
    if own is None:
        return False
    if user.role in READ_SUBTREE:
        return org.path.startswith(own.path)
    return org.pk == own.pk


def can_manage(user: User, org: Organization) -> bool:
    """Change the organization's own data: members, committee, terms.

    The organization department manages everything beneath it (and its own organization); a
    secretary manages their own organization. Inspectors and the election roles change nothing here.
    """
    if user.is_superuser:
        return True
    own = user.organization
    if own is None:
        return False
    if user.role == Role.ORGANIZATION_DEPARTMENT:
        return org.path.startswith(own.path)
    if user.role == Role.SECRETARY:
        return org.pk == own.pk
    return False


def can_oversee(user: User, org: Organization) -> bool:
    """Act as the upper level of ``org``: restructure it, approve its delays, remind it.

    Only the organization department of a strict ancestor (or a superuser).
    """
    if user.is_superuser:
        return True
    own = user.organization
    return (
        own is not None
        and user.role == Role.ORGANIZATION_DEPARTMENT
        and org.path.startswith(own.path)
        and org.pk != own.pk
    )


def manages_or_oversees(user: User, org: Organization) -> bool:
    """The organizers of ``org`` and its upper level: who sees vetting records, condition checks and
    reserve pools — never members, counters, scrutineers or inspectors."""
    return can_manage(user, org) or can_oversee(user, org)


def sees_personal_data(user: User, org: Organization) -> bool:
    """ID numbers and phones in full: only those who manage the organization's roster."""
    return can_manage(user, org)


def can_count(user: User, org: Organization) -> bool:
    """Enter ballots of ``org``'s election: its organizers, and its counters and scrutineers."""
    if can_manage(user, org):
        return True
    return user.organization_id == org.pk and user.role in (Role.COUNTER, Role.SCRUTINEER)


def can_scrutinize(user: User, org: Organization) -> bool:
    """Act as a scrutineer of ``org``'s count (监票人): confirm single entries, decide what the
    counters read differently or the scanner doubted, void a sheet, delete a counted ballot and
    close the count. Its scrutineers' accounts, and its organizers — but never an account that
    entered ballots in the same round (R-MEET-4, xuanju.elections.duties). Counters may not."""
    if can_manage(user, org):
        return True
    return user.organization_id == org.pk and user.role == Role.SCRUTINEER


def can_supervise(user: User, org: Organization) -> bool:
    """Supervise ``org``'s elections (objections, compliance, audit trails): the upper level's
    organization department (can_oversee) and the inspectors whose subtree holds ``org``."""
    return can_oversee(user, org) or (user.role == Role.INSPECTOR and can_read(user, org))


def supervised_q(user: User, prefix: str = "") -> Q:
    """A condition on an organization (reached through ``prefix``) matching what ``user``
    supervises: the same answers as :func:`can_supervise`, for a whole queryset at once."""
    if user.is_superuser:
        return Q()
    own = user.organization
    if own is None or user.role not in (Role.INSPECTOR, Role.ORGANIZATION_DEPARTMENT):
        return Q(pk__in=[])
    subtree = Q(**{f"{prefix}path__startswith": own.path})
    if user.role == Role.ORGANIZATION_DEPARTMENT:  # the upper level of the organizations beneath
        return subtree & ~Q(**{f"{prefix}pk": own.pk})
    return subtree


def is_supervisor(user: User) -> bool:
    """Whether the account supervises anything at all (for the navigation)."""
    return user.is_superuser or (
        user.organization_id is not None and user.role in (Role.INSPECTOR, Role.ORGANIZATION_DEPARTMENT)
    )


def can_create_beneath(user: User, parent: Organization) -> bool:
    """New organizations are set up by the organization department of ``parent`` or above."""
    if user.is_superuser:
        return True
    own = user.organization
    return own is not None and user.role == Role.ORGANIZATION_DEPARTMENT and parent.path.startswith(own.path)


def user_of(request: HttpRequest) -> User:
    """The signed-in account of a request (views are all behind login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("请先登录")
    return user


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您没有权限查看或修改这个党组织的数据")
