"""``xuanju init`` and ``xuanju user …``: first run and accounts on the command line.

Thin over xuanju.account_admin.setup and xuanju.account_admin.actions; the operator at the console acts as
``命令行`` in the audit trail. Refusals are InputError (exit status 2, a Chinese message).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from xuanju.formats.errors import InputError, Located

ACTOR = "命令行"
KINDS = {"党委": "party_committee", "党总支": "general_branch", "党支部": "branch"}
SECTORS = {"村": "village", "社区": "community", "乡镇": "township", "机关": "state_organ",
           "企业": "enterprise", "学校": "school", "事业单位": "institution", "其他": "other"}  # fmt: skip


def _setup() -> None:
    from xuanju.cli import _django

    _django()


def _ask(value: str | None, prompt: str, option: str) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        answer = input(prompt).strip()
        if answer:
            return answer
    raise InputError([Located(option, "请用这个参数给出，或在终端中按提示输入")])


def _code(table: dict[str, str], value: str, option: str) -> str:
    if value in table:
        return table[value]
    if value in table.values():
        return value
    raise InputError([Located(option, f"“{value}”不是可选的值，应为{'、'.join(table)}之一")])


def _refused(error: Any, where: str) -> InputError:
    return InputError([Located(getattr(error, "field", None) or where, error.message)])


def _print_issued(issued: Any) -> None:
    account = issued.account
    print(f"  用户名：{account.username}")
    print(f"  初始密码：{issued.password}（只显示这一次）")


def cmd_init(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    from xuanju.account_admin.setup import ALREADY, initialize, is_empty
    from xuanju.organizations.actions import ActionError

    call_command("migrate", interactive=False, verbosity=0)
    if not is_empty():
        raise InputError([Located("xuanju init", ALREADY)])
    name = _ask(args.name, "最上级党组织名称（如 中共某某县委员会）：", "--name")
    kind = _code(KINDS, args.kind, "--kind")
    sector = _code(SECTORS, args.sector, "--sector")
    username = _ask(args.username, "组织部门账号的用户名：", "--username")
    try:
        done = initialize(ACTOR, name, kind, sector, username, args.display_name or "")
    except ActionError as error:
        raise _refused(error, "xuanju init") from None
    print(f"已建立最上级党组织“{done.organization.name}”和组织部门账号：")
    _print_issued(done.issued)
    print(
        "启动：xuanju serve --no-demo，然后在浏览器中打开 http://127.0.0.1:8000/ 用上面的用户名和密码登录，"
    )
    print("首次登录须修改密码；以后的账号在“账号管理”中建立，或用 xuanju user create。")
    return 0


def _organization(value: str) -> Any:
    from xuanju.organizations.models import Organization

    found = (
        Organization.objects.filter(pk=int(value))
        if value.isdigit()
        else Organization.objects.filter(name=value)
    )
    orgs = list(found[:2])
    if not orgs:
        raise InputError([Located("--org", f"没有名为或编号为“{value}”的党组织")])
    if len(orgs) > 1:
        raise InputError([Located("--org", f"有多个党组织名为“{value}”，请用编号（xuanju user list 可查）")])
    return orgs[0]


def _account(username: str) -> Any:
    from xuanju.accounts.models import User

    account = User.objects.filter(username=username).select_related("organization").first()
    if account is None:
        raise InputError([Located(username, "没有这个用户名的账号")])
    return account


def cmd_user_create(args: argparse.Namespace) -> int:
    _setup()
    from xuanju.account_admin import actions
    from xuanju.accounts.models import Role
    from xuanju.organizations.actions import ActionError

    roles = {r.label: r.value for r in Role if r not in (Role.COUNTER, Role.SCRUTINEER)}
    role = _code(roles, args.role, "--role")
    try:
        issued = actions.create_account(ACTOR, args.username, args.name, _organization(args.org), role)
    except ActionError as error:
        raise _refused(error, "xuanju user create") from None
    print(f"已建立账号（{issued.account.organization}，{issued.account.get_role_display()}）：")
    _print_issued(issued)
    print("本人首次登录须修改密码。")
    return 0


def cmd_user_reset(args: argparse.Namespace) -> int:
    _setup()
    from xuanju.account_admin import actions
    from xuanju.organizations.actions import ActionError

    try:
        issued = actions.reset_password(ACTOR, _account(args.username))
    except ActionError as error:
        raise _refused(error, args.username) from None
    print("密码已重设：")
    _print_issued(issued)
    return 0


def cmd_user_active(args: argparse.Namespace) -> int:
    _setup()
    from xuanju.account_admin import actions
    from xuanju.organizations.actions import ActionError

    active = args.user_command == "activate"
    try:
        account = actions.set_active(ACTOR, _account(args.username), active)
    except ActionError as error:
        raise _refused(error, args.username) from None
    print(f"账号“{account.username}”已{'恢复' if active else '停用'}。")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    _setup()
    from xuanju.accounts.models import User

    accounts = User.objects.select_related("organization").order_by("organization__path", "username")
    if args.org:
        org = _organization(args.org)
        accounts = accounts.filter(organization__path__startswith=org.path)
    if not args.all:
        accounts = accounts.filter(is_active=True)
    for a in accounts.iterator():
        org = f"{a.organization.name}（{a.organization_id}）" if a.organization else "—"
        state = "" if a.is_active else "（已停用）"
        print(f"{a.username}\t{a.display_name or '—'}\t{a.get_role_display()}\t{org}{state}")
    return 0


def cmd_user_secretaries(args: argparse.Namespace) -> int:
    _setup()
    from xuanju.account_admin import actions
    from xuanju.account_admin.sheets import passwords_workbook
    from xuanju.organizations.actions import ActionError

    top = _organization(args.org)
    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError([Located(args.output, "密码表应以 .xlsx 结尾")])
    if output.exists():
        raise InputError([Located(args.output, "文件已存在，不覆盖；请换一个文件名")])
    try:
        issued = actions.secretary_accounts(
            ACTOR, actions.organizations_without_secretary(ACTOR, top), args.prefix
        )
    except ActionError as error:
        raise _refused(error, "--org") from None
    from xuanju.cli import _write

    _write(str(output), passwords_workbook(issued))
    print(f"已为 {len(issued)} 个党组织建立书记账号，初始密码表：{output}（请妥善保管，分发后删除）")
    return 0


def add_commands(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="首次运行（不载入演示数据）：建立最上级党组织和组织部门的第一个账号",
        description="在空数据库中建立最上级党组织和它的组织部门账号，打印登录方法",
    )
    init.add_argument("--name", help="最上级党组织名称，如 中共某某县委员会（不给则提示输入）")
    init.add_argument("--kind", default="党委", help="类型：党委（默认）或 党总支")
    init.add_argument("--sector", default="机关", help=f"领域：{'、'.join(SECTORS)}（默认 机关）")
    init.add_argument("--username", help="组织部门账号的用户名（不给则提示输入）")
    init.add_argument("--display-name", help="组织部门账号的姓名")
    init.set_defaults(handler=cmd_init)

    user = commands.add_parser("user", help="账号：建立、重设密码、停用、恢复、列出", description="管理账号")
    users = user.add_subparsers(dest="user_command", required=True, parser_class=parser_class, metavar="命令")
    create = users.add_parser("create", help="建立账号，打印初始密码")
    create.add_argument("username", help="用户名")
    create.add_argument("--name", required=True, help="姓名")
    create.add_argument("--org", required=True, help="所属党组织的名称或编号")
    create.add_argument("--role", required=True, help="角色：组织部门、书记/组织员、党员、纪检监督")
    create.set_defaults(handler=cmd_user_create)
    reset = users.add_parser("reset", help="重设密码（本人下次登录须修改）")
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_user_reset)
    for name, text in (("deactivate", "停用账号（不删除）"), ("activate", "恢复停用的账号")):
        command = users.add_parser(name, help=text)
        command.add_argument("username")
        command.set_defaults(handler=cmd_user_active)
    listing = users.add_parser("list", help="列出账号")
    listing.add_argument("--org", help="只列这个党组织（名称或编号）及其下级的账号")
    listing.add_argument("--all", action="store_true", help="含已停用的账号")
    listing.set_defaults(handler=cmd_user_list)
    secretaries = users.add_parser(
        "secretaries", help="为党组织及其下级中没有书记账号的批量建立，写出初始密码表"
    )
    secretaries.add_argument("--org", required=True, help="党组织的名称或编号")
    secretaries.add_argument("-o", "--output", required=True, help="初始密码表（.xlsx）")
    secretaries.add_argument("--prefix", default="sj", help="用户名前缀（默认 sj，用户名如 sj12）")
    secretaries.set_defaults(handler=cmd_user_secretaries)
