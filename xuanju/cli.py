"""The ``xuanju`` command: thin over ``xuanju.formats`` and ``xuanju.rules``.

Exit status: 0 success, 2 bad input (a Chinese message on stderr), 1 internal fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from xuanju.formats.election import parse_election, result_to_data
from xuanju.formats.errors import InputError, Located
from xuanju.formats.quota import allocate, parse_quota, quota_result_to_data
from xuanju.formats.text import quota_report, result_report
from xuanju.rules.names import sort_names, unknown_characters
from xuanju.rules.tally import tally_round

EXIT_OK, EXIT_FAULT, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"xuanju：命令参数有误（{message}）。用 xuanju --help 查看用法。\n")


def _read(path: str) -> str:
    """The text of ``path`` (``-`` for standard input), UTF-8 with or without a BOM."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError([Located(path, "找不到这个文件")]) from None
    except IsADirectoryError:
        raise InputError([Located(path, "这是一个文件夹，不是文件")]) from None
    except PermissionError:
        raise InputError([Located(path, "没有读取这个文件的权限")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            [Located(path, f"不是 UTF-8 编码的文本（第 {error.start + 1} 个字节无法识别）")]
        ) from None


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_tally(args: argparse.Namespace) -> int:
    round_ = parse_election(_read(args.file))
    data = result_to_data(round_, tally_round(round_))
    if args.json:
        _print_json(data)
    else:
        print(result_report(data))
    return EXIT_OK


def cmd_sort_names(args: argparse.Namespace) -> int:
    names = [line.strip() for line in _read("-").splitlines() if line.strip()]
    for number, name in enumerate(names, start=1):
        unknown = unknown_characters(name)
        if unknown:
            print(
                f"提示：第 {number} 行 “{name}” 中的 {'、'.join(unknown)} 不在笔画表中，排在同位置已知字之后",
                file=sys.stderr,
            )
    for name in sort_names(names):
        print(name)
    return EXIT_OK


def cmd_quota(args: argparse.Namespace) -> int:
    request = parse_quota(_read(args.file))
    data = quota_result_to_data(request, allocate(request))
    if args.json:
        _print_json(data)
    else:
        print(quota_report(data))
    return EXIT_OK


def _django() -> None:
    """Set up Django for the commands that use the database (the others stay light)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    import django

    django.setup()


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from xuanju.organizations.demo import demo_is_loaded, load_demo
    from xuanju.server import run_server

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not args.no_demo and not demo_is_loaded():
        _print_demo(load_demo())
    print(f"xuanju 已启动：http://{args.host}:{args.port}/　（按 Ctrl+C 停止）", flush=True)
    run_server(args.host, args.port, args.workers)
    return EXIT_OK


def _print_demo(summary: Any) -> None:
    print(
        f"已载入演示数据：{summary.organizations} 个党组织，{summary.members} 名党员。演示账号（密码均为 {summary.password}）："
    )
    for username, description in summary.accounts:
        print(f"  {username:<12} {description}")


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from xuanju.organizations.demo import demo_is_loaded, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    if demo_is_loaded():
        raise InputError(
            [
                Located(
                    "xuanju demo",
                    "数据库中已有党组织，演示数据只能载入空数据库（可设置 XUANJU_DATA 换一个数据目录）",
                )
            ]
        )
    _print_demo(load_demo())
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _django()
    from xuanju.audit.trail import verify_chain

    checked, broken = verify_chain()
    if broken is None:
        print(f"审计链完整：共 {checked} 条记录，逐条核验无误（R-SUP-4）。")
        return EXIT_OK
    where = f"第 {broken.record_id} 号记录" if broken.record_id else "链尾"
    print(f"审计链在{where}处断开：{broken.reason}。此前 {checked} 条记录核验无误。", file=sys.stderr)
    return EXIT_BAD_INPUT


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xuanju", description="党的基层组织选举工作系统")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="命令")
    tally = commands.add_parser(
        "tally", help="计票：读取一轮选举的选票文件，给出结果", description="计票并给出选举结果"
    )
    tally.add_argument("file", help="xuanju.election/1 格式的 JSON 文件（- 表示标准输入）")
    tally.add_argument("--json", action="store_true", help="输出 xuanju.result/1 格式的 JSON")
    tally.set_defaults(handler=cmd_tally)
    names = commands.add_parser(
        "sort-names", help="按姓氏笔画排序：从标准输入每行读一个姓名", description="按姓氏笔画为序排列姓名"
    )
    names.set_defaults(handler=cmd_sort_names)
    quota = commands.add_parser(
        "quota", help="分配代表名额", description="按基本名额加最大余数法分配代表名额"
    )
    quota.add_argument("file", help="xuanju.quota/1 格式的 JSON 文件（- 表示标准输入）")
    quota.add_argument("--json", action="store_true", help="输出 xuanju.quota-result/1 格式的 JSON")
    quota.set_defaults(handler=cmd_quota)
    serve = commands.add_parser(
        "serve", help="启动网页应用（首次运行时建库并载入演示数据）", description="启动网页应用"
    )
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--workers", type=int, default=2, help="工作进程数（默认 2）")
    serve.add_argument("--no-demo", action="store_true", help="空数据库也不载入演示数据")
    serve.set_defaults(handler=cmd_serve)
    demo = commands.add_parser("demo", help="载入演示用的党组织、党员和账号", description="载入演示数据")
    demo.set_defaults(handler=cmd_demo)
    audit = commands.add_parser("audit", help="审计记录", description="审计记录")
    audit_commands = audit.add_subparsers(
        dest="audit_command", required=True, parser_class=_Parser, metavar="命令"
    )
    verify = audit_commands.add_parser("verify", help="核验审计链，指出第一条被篡改的记录")
    verify.set_defaults(handler=cmd_audit_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except InputError as error:
        print("输入有误：", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_FAULT
    except BrokenPipeError:  # e.g. `xuanju tally … | head`: the reader left, nothing to report
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # the last guard: a fault is reported, never shown as a traceback
        if os.environ.get("XUANJU_DEBUG"):
            raise
        print(
            f"xuanju 内部错误（{type(error).__name__}），请把输入文件和这条消息报告给维护者。",
            file=sys.stderr,
        )
        return EXIT_FAULT


if __name__ == "__main__":
    sys.exit(main())
