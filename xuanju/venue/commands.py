"""``xuanju keys …`` and ``xuanju venue …``: the command line of the venue kit (docs/venue.md).

Central system::

    xuanju keys init                       the county's signing key (once)
    xuanju keys show                       its public key and fingerprint, to print and carry
    xuanju venue export-meeting ELECTION -o FILE
    xuanju venue import FILE --fingerprint 会场密钥指纹

Venue laptop (no network)::

    xuanju venue PACKAGE --county-fingerprint 县级密钥指纹 --usb U盘文件夹
    xuanju venue export [-o FILE]          the results package (onto the stick by default)
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from xuanju.formats.errors import InputError, Located

EXIT_OK, EXIT_FAULT = 0, 1


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    os.umask(0o077)  # the database, keys and packages are the account's alone
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- keys --------------------------------------------------------------------------------------


def cmd_keys_init(args: argparse.Namespace) -> int:
    _django()
    from xuanju.venue import keys, signing

    try:
        key = keys.init_county_key()
    except (signing.SigningError, OSError) as error:
        raise InputError([Located(str(keys.county_key_path()), str(error))]) from None
    print(f"已生成县级签名密钥：{keys.county_key_path()}（私钥，只存在这台服务器上，请一并备份）")
    print(f"公钥：{signing.public_path(keys.county_key_path())}")
    print(f"公钥指纹：{signing.fingerprint(key.public_key())}（打印出来交给各会场的组织者）")
    return EXIT_OK


def cmd_keys_show(args: argparse.Namespace) -> int:
    _django()
    from cryptography.hazmat.primitives import serialization

    from xuanju.venue import keys, signing

    try:
        key = keys.county_key()
    except signing.SigningError as error:
        raise InputError([Located(str(keys.county_key_path()), str(error))]) from None
    public = key.public_key()
    print(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
    )
    print(f"公钥文件：{signing.public_path(keys.county_key_path())}")
    print(f"公钥指纹：{signing.fingerprint(public)}")
    print(
        "核对方法（见 README）：openssl pkey -pubin -in 公钥文件 -outform DER | tail -c 32 | sha256sum，取前 32 位"
    )
    return EXIT_OK


# --- venue -------------------------------------------------------------------------------------


def _venue_export_meeting(argv: list[str]) -> int:
    parser = _sub("export-meeting", "导出会场数据包（中心系统，上级同意候选人后）")
    parser.add_argument("election", type=int, help="选举编号（选举页面地址中的数字）")
    parser.add_argument("-o", "--output", required=True, help="写入的会场数据包文件（.json）")
    args = parser.parse_args(argv)
    _django()
    from xuanju.elections.models import Election
    from xuanju.venue import package, signing

    election = Election.objects.select_related("organization").filter(pk=args.election).first()
    if election is None:
        raise InputError([Located("election", f"没有编号为 {args.election} 的选举")])
    try:
        signed = package.export_meeting("xuanju venue export-meeting", election, Path(args.output))
    except (package.PackageRefused, signing.SigningError) as error:
        raise InputError([Located(str(election), str(error))]) from None
    except OSError as error:
        raise InputError([Located(args.output, f"无法写入（{error.strerror or error}）")]) from None
    payload = signed.payload
    print(f"已导出会场数据包：{args.output}")
    print(
        f"  {election}：名册 {len(payload['roll'])} 人，"
        f"{len(payload['contests'])} 项选举职务，会场账号 {len(payload['accounts'])} 个"
    )
    print(f"  县级密钥指纹：{signed.fingerprint}（会场开始时须输入）")
    return EXIT_OK


def _venue_export(argv: list[str]) -> int:
    parser = _sub("export", "导出会场结果数据包（会场电脑）")
    parser.add_argument("-o", "--output", help="写入的结果数据包文件（默认写入 U 盘文件夹或当前文件夹）")
    args = parser.parse_args(argv)
    _django()
    from xuanju.venue import install, results, signing

    venue = install.current()
    if venue is None:
        raise InputError([Located("XUANJU_DATA", "这台电脑的数据文件夹不是会场：没有会场数据包")])
    try:
        payload = results.results_payload(venue)
    except install.VenueError as error:
        raise InputError([Located("xuanju venue export", str(error))]) from None
    if args.output:
        output = Path(args.output)
    else:
        usb = install.usb_folder()
        folder = usb if usb is not None else Path.cwd()
        output = folder / f"会场结果-选举{venue.election_id}-{datetime.now():%Y%m%d-%H%M%S}.json"
    try:
        signing.write_signed(output, signing.sign(venue.key(), payload))
    except OSError as error:
        raise InputError([Located(str(output), f"无法写入（{error.strerror or error}）")]) from None
    print(f"已导出会场结果数据包：{output}")
    print(
        f"  {len(payload['rounds'])} 轮投票，{len(payload['documents'])} 份文书，审计记录 {payload['audit']['count']} 条"
    )
    print(f"  会场密钥指纹：{venue.venue_fingerprint}（与计票结果报告上印的相同；导入时须输入）")
    return EXIT_OK


def _venue_import(argv: list[str]) -> int:
    parser = _sub("import", "导入会场结果数据包（中心系统）")
    parser.add_argument("file", help="会场导出的结果数据包")
    parser.add_argument(
        "--fingerprint", required=True, help="计票结果报告上印的会场密钥指纹，如 3F2A-91C2-…（共 8 组）"
    )
    args = parser.parse_args(argv)
    _django()
    from xuanju.venue.merge import ImportRefused, import_results

    try:
        imported = import_results(Path(args.file), args.fingerprint, "xuanju venue import")
    except ImportRefused as refused:
        raise InputError([Located(args.file, problem) for problem in refused.problems]) from None
    if imported.already:
        print(f"这份结果数据包已导入过（{imported.election}），没有再做改动。")
    else:
        print(
            f"已导入会场结果：{imported.election}，{imported.rounds} 轮投票逐轮重新计票无误，"
            f"会场审计记录 {imported.records} 条已并入审计链（标明来自会场）。"
        )
    return EXIT_OK


def _venue_run(argv: list[str]) -> int:
    parser = _sub("PACKAGE", "会场模式：核验会场数据包，在不联网的电脑上开会")
    parser.add_argument("package", help="中心系统导出的会场数据包")
    parser.add_argument(
        "--county-fingerprint", required=True, help="县级密钥指纹（中心系统 xuanju keys show 打印的）"
    )
    parser.add_argument("--usb", help="U 盘上的文件夹：会议期间自动备份到这里，结果也默认导出到这里")
    parser.add_argument("--backup-every", type=int, default=30, help="自动备份的间隔秒数（默认 30）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只供本机浏览器）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument(
        "--prepare", action="store_true", help="只核验并装入数据包、打印账号，不启动网页（会前检查）"
    )
    args = parser.parse_args(argv)
    if args.backup_every < 5:
        parser.error("--backup-every 至少 5 秒")
    from xuanju.venue import netguard

    netguard.install()  # before anything else runs: nothing in this process reaches the network
    os.environ["XUANJU_OFFLINE"] = "1"  # the scan worker, a child process, installs it too
    _django()
    from django.core.management import call_command

    from xuanju.venue import install

    _migrate()
    try:
        installed = install.install(Path(args.package), args.county_fingerprint)
    except install.VenueError as error:
        raise InputError([Located(args.package, str(error))]) from None
    venue = installed.venue
    if installed.resumed:
        print(f"继续会场：{installed.election_name}（数据包与这台电脑上的相同，签名核验无误）")
    else:
        print(f"会场数据包签名核验无误，已装入：{installed.election_name}")
        print("会场账号和初始密码（首次登录须修改密码；请分别交给本人）：")
        for username, name, password in installed.passwords:
            print(f"  {username:<14} {name:<8} {password}")
    print(f"县级密钥指纹：{venue.county_fingerprint}")
    print(f"会场密钥指纹：{venue.venue_fingerprint}（印在每张计票结果报告上）")
    usb = Path(args.usb) if args.usb else None
    if usb is not None:
        install.set_usb_folder(usb)
    if args.prepare:
        return EXIT_OK
    from xuanju.server import run_server
    from xuanju.venue.usb import AutoBackup
    from xuanju.worker import WorkerProcess

    call_command("collectstatic", interactive=False, verbosity=0)
    backups = None
    if usb is not None:
        backups = AutoBackup(usb, args.backup_every)
        written = backups.run_once()
        print(f"已备份到 U 盘：{written}；之后每有改动每 {args.backup_every} 秒自动备份一次")
    else:
        print("提示：没有指定 --usb，会议期间不会自动备份到 U 盘", file=sys.stderr)
    from django.db import connection

    connection.close()  # the server's processes open their own
    print(f"会场模式已启动（不连接网络）：http://{args.host}:{args.port}/　（按 Ctrl+C 停止）", flush=True)
    worker = WorkerProcess()
    worker.start()
    if backups is not None:
        backups.start()
    try:
        run_server(args.host, args.port, 1, 4)
    finally:
        worker.stop()
        if backups is not None:
            backups.stop()
            backups.run_once()
    return EXIT_OK


class _SubParser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, f"xuanju venue：命令参数有误（{message}）。用 xuanju venue --help 查看用法。\n")


def _sub(name: str, description: str) -> argparse.ArgumentParser:
    return _SubParser(prog=f"xuanju venue {name}", description=description)


VENUE_COMMANDS = {"export-meeting": _venue_export_meeting, "export": _venue_export, "import": _venue_import}


def cmd_venue(args: argparse.Namespace) -> int:
    handler = VENUE_COMMANDS.get(args.what)
    if handler is not None:
        return handler(list(args.rest))
    return _venue_run([args.what, *args.rest])


def add_commands(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="县级签名密钥（会场数据包）", description="县级签名密钥")
    keys_commands = keys.add_subparsers(
        dest="keys_command", required=True, parser_class=parser_class, metavar="命令"
    )
    keys_commands.add_parser("init", help="生成县级签名密钥（只需一次）").set_defaults(handler=cmd_keys_init)
    keys_commands.add_parser("show", help="显示县级公钥和指纹").set_defaults(handler=cmd_keys_show)
    venue = commands.add_parser(
        "venue",
        help="会场模式：不联网开会（export-meeting、PACKAGE、export、import，见 docs/venue.md）",
        description=(
            "xuanju venue export-meeting 选举编号 -o 文件：导出会场数据包；"
            "xuanju venue 数据包 --county-fingerprint 指纹 --usb U盘文件夹：会场模式；"
            "xuanju venue export：导出结果数据包；"
            "xuanju venue import 文件 --fingerprint 会场密钥指纹：导入结果"
        ),
    )
    venue.add_argument(
        "what", metavar="数据包或命令", help="会场数据包文件，或 export-meeting、export、import"
    )
    venue.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    venue.set_defaults(handler=cmd_venue)
