"""Every change to accounts: create, change, reset, deactivate, and the bulk and meeting variants.

The organization department manages the accounts of its own organization and of every organization
beneath it (:func:`may_manage_accounts`); the organizers of a meeting issue its counters' and
scrutineers' accounts. Each action is one transaction that checks, writes and appends an audit
record naming the account (accounts are never deleted, so the trail always resolves). Passwords are
generated here, returned once to be handed out, and never stored or audited in clear.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from xuanju.accounts.models import Role, User
from xuanju.audit.trail import record
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.scope import can_manage

# No 0/O, 1/l/I: the password is read off a printed slip and typed by hand.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12

# Meeting duties (elections.MeetingRole.Role) to the account role that does them.
MEETING_ROLE_TO_ROLE = {
    "chief_scrutineer": Role.SCRUTINEER,
    "scrutineer": Role.SCRUTINEER,
    "counter": Role.COUNTER,
}


def new_password() -> str:
    """A random password of letters and digits (about 70 bits), with at least one of each."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _actor(actor: Any) -> str:
    return getattr(actor, "username", None) or str(actor)


def may_manage_accounts(user: Any, org: Organization) -> bool:
    """Accounts of ``org`` are managed by the organization department of ``org`` or above (or a
    superuser); the command line (a string actor, the operator) may manage any."""
    if not isinstance(user, User):
        return True
    if user.is_superuser:
        return True
    own = user.organization
    return own is not None and user.role == Role.ORGANIZATION_DEPARTMENT and org.path.startswith(own.path)


def is_account_manager(user: User) -> bool:
    """Whether the account manages accounts at all (for the navigation)."""
    return user.is_superuser or (
        user.organization_id is not None and user.role == Role.ORGANIZATION_DEPARTMENT
    )


def manageable_accounts(user: User) -> QuerySet[User]:
    """The accounts ``user`` manages: those of organizations in their subtree."""
    accounts = User.objects.select_related("organization", "meeting")
    if user.is_superuser:
        return accounts
    own = user.organization
    if own is None or user.role != Role.ORGANIZATION_DEPARTMENT:
        return accounts.none()
    return accounts.filter(organization__path__startswith=own.path)


def _require_manager(actor: Any, org: Organization | None) -> None:
    if org is None:
        raise ActionError("账号必须属于一个党组织", "organization")
    if not may_manage_accounts(actor, org):
        raise ActionError(f"您不能管理“{org.name}”的账号：只有本级及上级党组织的组织部门可以", "organization")


def _check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise ActionError("请填写用户名", "username")
    if len(username) > 150:
        raise ActionError("用户名不能超过 150 个字符", "username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ActionError(
            f"用户名“{username}”只能由字母、数字、汉字和 @ . + - _ 组成，不能有空格", "username"
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(f"用户名“{username}”已被使用，请换一个", "username")
    return username


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ActionError(f"没有“{role}”这种角色", "role") from None


def _facts(account: User) -> dict[str, Any]:
    """What the audit trail keeps of an account: never its password."""
    return {
        "username": account.username,
        "display_name": account.display_name,
        "organization": account.organization_id,
        "role": account.role,
        "member": account.member_id,
        "meeting": account.meeting_id,
        "is_active": account.is_active,
        "must_change_password": account.must_change_password,
    }


def _describe(account: User) -> str:
    org = account.organization.name if account.organization else "无党组织"
    return f"账号“{account.username}”（{account}，{org}，{account.get_role_display()}）"


@dataclass(frozen=True)
class Issued:
    """An account just created or reset and its password, to hand out once."""

    account: User
    password: str


def _create(
    actor: Any,
    username: str,
    display_name: str,
    organization: Organization,
    role: Role,
    *,
    member: Member | None = None,
    meeting: Any = None,
    password: str | None = None,
    must_change: bool = True,
) -> Issued:
    if not organization.is_active:
        raise ActionError(f"“{organization.name}”已撤销，不能为它建立账号", "organization")
    username = _check_username(username)
    password = password or new_password()
    account = User(
        username=username,
        display_name=display_name.strip()[:50],
        organization=organization,
        role=role,
        member=member,
        meeting=meeting,
        must_change_password=must_change,
    )
    account.set_password(password)
    account.save()
    record(
        _actor(actor), "create_account", account, after=_facts(account), summary=f"新建{_describe(account)}"
    )
    return Issued(account, password)


@transaction.atomic
def create_account(
    actor: Any,
    username: str,
    display_name: str,
    organization: Organization | None,
    role: str,
    member: Member | None = None,
    password: str | None = None,
) -> Issued:
    """A new account with a generated password (unless ``password`` is given by the operator on the
    command line) that its holder must change at the first sign-in."""
    _require_manager(actor, organization)
    assert organization is not None
    if member is not None and member.organization_id != organization.pk:
        raise ActionError(f"{member.name}不在“{organization.name}”的党员名册中", "member")
    return _create(
        actor, username, display_name, organization, _check_role(role), member=member, password=password
    )


@transaction.atomic
def change_account(actor: Any, account: User, role: str, organization: Organization | None) -> User:
    """Move an account to another organization or give it another role, both within the actor's reach."""
    _require_manager(actor, account.organization)
    _require_manager(actor, organization)
    assert organization is not None
    if account.meeting_id is not None:
        raise ActionError("会议专用的计票、监票账号不能改角色或党组织；会议结束后自动失效")
    if isinstance(actor, User) and actor.pk == account.pk:
        raise ActionError("不能修改自己的角色和党组织，请由上级组织部门修改")
    before = _facts(account)
    account.role = _check_role(role)
    account.organization = organization
    account.save(update_fields=["role", "organization"])
    record(
        _actor(actor),
        "change_account",
        account,
        before=before,
        after=_facts(account),
        summary=f"修改{_describe(account)}",
    )
    return account


@transaction.atomic
def reset_password(actor: Any, account: User) -> Issued:
    """A new password for ``account``, which its holder must change at the next sign-in."""
    _require_meeting_or_account_manager(actor, account)
    if not account.is_active:
        raise ActionError(f"账号“{account.username}”已停用，请先恢复再重设密码")
    password = new_password()
    before = _facts(account)
    account.set_password(password)
    # A meeting's slip is used for that meeting only: its holder is not asked to choose a password.
    account.must_change_password = account.meeting_id is None
    account.save(update_fields=["password", "must_change_password"])
    record(
        _actor(actor),
        "reset_password",
        account,
        before=before,
        after=_facts(account),
        summary=f"重设{_describe(account)}的密码",
    )
    return Issued(account, password)


def _require_meeting_or_account_manager(actor: Any, account: User) -> None:
    meeting = account.meeting
    if meeting is not None and isinstance(actor, User) and can_manage(actor, meeting.election.organization):
        return
    _require_manager(actor, account.organization)


@transaction.atomic
def set_active(actor: Any, account: User, active: bool) -> User:
    """Deactivate (停用) or restore an account. Accounts are never deleted: the audit trail names them."""
    _require_manager(actor, account.organization)
    if isinstance(actor, User) and actor.pk == account.pk and not active:
        raise ActionError("不能停用自己的账号")
    if account.is_active == active:
        return account
    if active and account.meeting_expired:
        raise ActionError("会议已结束，会议专用的计票、监票账号不能恢复")
    return _set_active(actor, account, active)


def _set_active(actor: Any, account: User, active: bool) -> User:
    before = _facts(account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    record(
        _actor(actor),
        "activate_account" if active else "deactivate_account",
        account,
        before=before,
        after=_facts(account),
        summary=f"{'恢复' if active else '停用'}{_describe(account)}",
    )
    return account


@transaction.atomic
def password_changed(account: User) -> None:
    """The holder chose their own password: the reset's obligation is met."""
    if account.must_change_password:
        account.must_change_password = False
        account.save(update_fields=["must_change_password"])
    record(account.username, "change_own_password", account, summary=f"{_describe(account)}修改了自己的密码")


# --- bulk -------------------------------------------------------------------------------------


def _free_username(stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … the first not yet used (case-insensitively)."""
    candidate, number = stem, 1
    while candidate.lower() in taken or User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    taken.add(candidate.lower())
    return candidate


def organizations_without_secretary(actor: Any, top: Organization) -> QuerySet[Organization]:
    """Active organizations in ``top``'s subtree that have no active secretary account."""
    with_secretary = User.objects.filter(role=Role.SECRETARY, is_active=True).values("organization")
    return (
        Organization.objects.filter(path__startswith=top.path, dissolved_on__isnull=True)
        .exclude(pk__in=with_secretary)
        .order_by("path")
    )


def _secretary_name(org: Organization) -> str:
    from xuanju.organizations.models import CommitteeSeat

    seat = (
        CommitteeSeat.objects.filter(
            committee__organization=org, committee__is_current=True, post="secretary"
        )
        .select_related("member")
        .first()
    )
    return seat.member.name if seat is not None and seat.member_id else ""


@transaction.atomic
def secretary_accounts(actor: Any, organizations: Iterable[Organization], prefix: str = "sj") -> list[Issued]:
    """A secretary's account (书记/组织员) for each of ``organizations`` that has none yet, named
    ``<prefix><organization number>``, with the current secretary's name where the committee is
    recorded. All or none."""
    organizations = list(organizations)
    if not organizations:
        raise ActionError("所选范围内没有尚无书记账号的党组织")
    for org in organizations:
        _require_manager(actor, org)
    taken: set[str] = set()
    issued = []
    for org in organizations:
        if User.objects.filter(organization=org, role=Role.SECRETARY, is_active=True).exists():
            continue
        username = _free_username(f"{prefix}{org.pk}", taken)
        issued.append(_create(actor, username, _secretary_name(org), org, Role.SECRETARY))
    if not issued:
        raise ActionError("所选党组织都已有书记账号")
    return issued


@transaction.atomic
def member_accounts(
    actor: Any, members: Iterable[Member], role: str = Role.MEMBER, prefix: str = "dy"
) -> list[Issued]:
    """An account linked to each roster entry of ``members`` that has no active account yet."""
    members = list(members)
    if not members:
        raise ActionError("请至少选择一名党员", "members")
    checked = _check_role(role)
    if checked in (Role.COUNTER, Role.SCRUTINEER):
        raise ActionError("计票人、监票人的账号请在会议的“监票人、计票人”页面建立，只用于那次会议", "role")
    taken: set[str] = set()
    issued = []
    for member in members:
        _require_manager(actor, member.organization)
        if member.left_on is not None:
            raise ActionError(f"{member.name}已不在册，不能建立账号", "members")
        if User.objects.filter(member=member, is_active=True).exists():
            continue
        username = _free_username(f"{prefix}{member.pk}", taken)
        issued.append(_create(actor, username, member.name, member.organization, checked, member=member))
    if not issued:
        raise ActionError("所选党员都已有账号", "members")
    return issued


# --- meeting roles ----------------------------------------------------------------------------


def meeting_accounts(meeting: Any) -> QuerySet[User]:
    return User.objects.filter(meeting=meeting).select_related("member").order_by("pk")


@transaction.atomic
def issue_meeting_accounts(actor: Any, meeting: Any, reissue: bool = False) -> list[Issued]:
    """Accounts for the counters and scrutineers appointed for ``meeting`` (R-MEET-4) that work
    only in its rounds and stop when it ends. New accounts for the appointed who have none; with
    ``reissue``, new passwords (new slips) for every active one, the old slips no longer work."""
    org = meeting.election.organization
    if isinstance(actor, User) and not can_manage(actor, org):
        raise ActionError("只有本党组织的组织者可以为监票人、计票人建立账号")
    if meeting.closed:
        raise ActionError("会议已结束，不能再为监票人、计票人建立账号")
    roles = list(meeting.roles.select_related("member").order_by("role", "pk"))
    if not roles:
        raise ActionError("会议还没有确定监票人、计票人")
    issued = []
    existing = {a.member_id: a for a in meeting_accounts(meeting).filter(is_active=True)}
    taken: set[str] = set()
    for appointment in roles:
        role = MEETING_ROLE_TO_ROLE[appointment.role]
        account = existing.get(appointment.member_id)
        if account is not None and account.role != role:
            _set_active(actor, account, False)
            account = None
        if account is None:
            username = _free_username(f"hy{meeting.pk}-{appointment.member_id}", taken)
            issued.append(
                _create(
                    actor,
                    username,
                    appointment.member.name,
                    org,
                    role,
                    member=appointment.member,
                    meeting=meeting,
                    must_change=False,
                )
            )
        elif reissue:
            issued.append(reset_password(actor, account))
    # Whoever is no longer appointed loses the account.
    appointed = {r.member_id for r in roles}
    for member_id, account in existing.items():
        if member_id not in appointed:
            _set_active(actor, account, False)
    if not issued:
        raise ActionError("每位监票人、计票人都已有本次会议的账号；如需重新打印，请选择“更换密码，重新打印”")
    return issued


def search(accounts: QuerySet[User], q: str) -> QuerySet[User]:
    q = q.strip()
    if not q:
        return accounts
    return accounts.filter(
        Q(username__icontains=q) | Q(display_name__icontains=q) | Q(organization__name__icontains=q)
    )
