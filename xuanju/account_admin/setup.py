"""First run without the demo: the top organization and its first organization-department account.

Both ``xuanju init`` and the first-run page (xuanju.account_admin.views_setup) call :func:`initialize`.
It works only while the database has no organization: the check and the writes are one
transaction, and two concurrent first runs cannot both succeed — on SQLite the transaction takes
the write lock at BEGIN (settings: IMMEDIATE), on PostgreSQL both would create the first root at
the same materialized path, which is unique, so the second fails and is refused.

The page also asks for the setup code (:func:`setup_code`) that ``xuanju serve`` prints on the
console of an empty database: whoever reaches the page over the network first cannot claim the
installation without access to the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from xuanju.account_admin.actions import Issued, _create, new_password
from xuanju.accounts.models import Role
from xuanju.audit.trail import record, snapshot
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import KIND_CHOICES, SECTOR_CHOICES, Organization

ALREADY = "数据库中已有党组织，不能再初始化；如要从头开始，请换一个数据目录（XUANJU_DATA）或新建数据库"


def is_empty() -> bool:
    return not Organization.objects.exists()


def setup_code() -> str:
    """The first-run page's code: derived from the installation's secret key, so every worker
    process knows it and nobody without access to the machine does (XXXX-XXXX-XXXX)."""
    digest = salted_hmac("xuanju.account_admin.setup", "first-run", secret=settings.SECRET_KEY).hexdigest()
    code = digest[:12].upper()
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def code_matches(typed: str) -> bool:
    normal = typed.strip().upper().replace(" ", "").replace("－", "-")
    return constant_time_compare(normal.replace("-", ""), setup_code().replace("-", ""))


@dataclass(frozen=True)
class Initialized:
    organization: Organization
    issued: Issued


def initialize(
    actor: Any,
    name: str,
    kind: str,
    sector: str,
    username: str,
    display_name: str = "",
    password: str | None = None,
) -> Initialized:
    """Create the top organization and its organization department's first account, once.

    Without ``password`` one is generated that must be changed at the first sign-in."""
    name = name.strip()
    if not name:
        raise ActionError("请填写党组织名称", "name")
    if len(name) > 200:
        raise ActionError("党组织名称不能超过 200 个字", "name")
    if kind not in dict(KIND_CHOICES):
        raise ActionError(f"党组织类型应为{'、'.join(label for _, label in KIND_CHOICES)}之一", "kind")
    if kind == "branch":
        raise ActionError("最上级党组织应为党委或党总支（其下才能设党支部）", "kind")
    if sector not in dict(SECTOR_CHOICES):
        raise ActionError(f"领域应为{'、'.join(label for _, label in SECTOR_CHOICES)}之一", "sector")
    try:
        with transaction.atomic():
            if not is_empty():
                raise ActionError(ALREADY)
            org = Organization.objects.add_root({"name": name, "kind": kind, "sector": sector})
            record(
                str(actor),
                "initialize",
                org,
                after=snapshot(org),
                summary=f"首次运行：建立最上级党组织“{org.name}”",
            )
            issued = _create(
                actor,
                username,
                display_name,
                org,
                Role.ORGANIZATION_DEPARTMENT,
                password=password or new_password(),
                must_change=password is None,
            )
    except IntegrityError:
        raise ActionError(ALREADY) from None
    return Initialized(org, issued)
