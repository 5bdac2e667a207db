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
from xuanju.paper.election_file import ballot_refs, ballot_spec
from xuanju.paper.layout import LayoutProblem, Paper, layout_sheet
from xuanju.paper.sheet_id import SheetId
from xuanju.rules.names import sort_names, unknown_characters
from xuanju.rules.tally import ElectionRound, tally_round
from xuanju.server import DEFAULT_THREADS, DEFAULT_WORKERS

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


def _positive(text: str) -> int:
    number = _not_negative(text)
    if number == 0:
        raise argparse.ArgumentTypeError("应为正整数")
    return number


def _not_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"“{text}”不是非负整数")
    return int(text)


def cmd_ballots(args: argparse.Namespace) -> int:
    from xuanju.paper.fonts import FontUnusable
    from xuanju.paper.render import MAX_SERIAL, FontMissing, TextTooLong, ballot_pdf

    round_ = parse_election(_read(args.file))
    spec = ballot_spec(round_, keep_order=args.keep_order, paper=args.paper, large_print=args.large_print)
    try:
        layout = layout_sheet(spec)
    except LayoutProblem as problem:
        paper = args.paper or "A3"
        raise InputError(
            [
                Located(
                    "$.candidates",
                    f"候选人太多，一张选票排不下：需要 {problem.rows_needed} 行，{paper} 纸每栏最多排 {problem.rows_available} 行",
                )
            ]
        ) from None
    count = (round_.issued if args.sheets is None else args.sheets) + args.reserve
    if not 1 <= count <= MAX_SERIAL:
        raise InputError([Located("--sheets", f"要印的选票张数应在 1 到 {MAX_SERIAL} 之间，现在是 {count}")])
    election, round_ref = ballot_refs(round_)
    sheets = [SheetId(election, round_ref, serial, layout.code) for serial in range(1, count + 1)]
    try:
        pdf = ballot_pdf(layout, sheets)
    except FontMissing as missing:
        raise InputError(_font_problems(round_, missing.characters)) from None
    except FontUnusable as unusable:
        raise InputError(
            [Located("XUANJU_FONT", f"{unusable.path} 不是可用的字体文件（应为 .ttf、.otf 或 .ttc）")]
        ) from None
    except TextTooLong as long:
        raise InputError(
            [Located(_text_path(round_, long.text), "太长，选票上的格子排不下，请缩短")]
        ) from None
    _write(args.output, pdf)
    serials = f"{1:04d}–{count:04d}" if count > 1 else f"{1:04d}"
    paper = f"{layout.paper.value} 纸{'大字版' if args.large_print else ''}"
    order = "按文件顺序" if args.keep_order else "按姓氏笔画"
    print(
        f"已生成 {count} 张选票（编号 {serials}），{paper}，{layout.columns} 栏，"
        f"候选人 {len(spec.candidates)} 名{order}排列：{args.output}"
    )
    return EXIT_OK


SCAN_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf")


def cmd_scan(args: argparse.Namespace) -> int:
    """Read a folder of scanned sheets of one election file. Clear sheets become ballots; a sheet
    with any doubtful mark or handwriting is listed for people to decide, never counted on a guess
    (R-BAL-4); a serial seen twice is counted once."""
    from xuanju.paper.bounds import MAX_FILE_BYTES, too_large_file
    from xuanju.paper.election_file import file_sheets
    from xuanju.paper.pages import PageError, iter_pages
    from xuanju.paper.read import DOUBT_TEXT, SHEET_PROBLEM_TEXT, MarkValue, read_sheet

    round_ = parse_election(_read(args.election))
    folder = Path(args.dir)
    if not folder.is_dir():
        raise InputError([Located(args.dir, "不是一个文件夹")])
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SCAN_SUFFIXES)
    if not files:
        raise InputError([Located(args.dir, f"文件夹中没有扫描件（{'、'.join(SCAN_SUFFIXES)}）")])
    sheets = file_sheets(round_)
    names = {c.id: c.name for c in round_.candidates}
    counted: dict[int, dict[str, Any]] = {}
    seen: set[int] = set()
    lines: list[str] = []
    doubtful = rejected = duplicate = pages = 0
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
                raise too_large_file(path.name, path.stat().st_size)
            images = iter_pages(path.read_bytes(), path.name)
        except PageError as error:
            lines.append(f"{path.name}：{error}")
            rejected += 1
            continue
        for number, image in enumerate(images, start=1):
            pages += 1
            where = f"{path.name}" + (
                f" 第{number}页" if path.suffix.lower() in (".pdf", ".tif", ".tiff") else ""
            )
            reading = read_sheet(image, sheets.find)
            if reading.problem is not None or reading.sheet is None:
                problem = SHEET_PROBLEM_TEXT[reading.problem] if reading.problem else "无法识别"
                lines.append(f"{where}：未计入，{problem}")
                rejected += 1
                continue
            serial = reading.sheet.serial
            if serial is None:  # `xuanju ballots` numbers its sheets; unnumbered ones are the web's
                lines.append(f"{where}：未计入，选票不编号，命令行只核对印有编号的选票")
                rejected += 1
                continue
            keys = sheets.candidate_ids[reading.sheet.layout]
            if serial in seen:
                lines.append(f"{where}：编号{serial:04d}重复扫描，只计一次")
                duplicate += 1
                continue
            seen.add(serial)
            doubts = [m for m in reading.marks if m.doubt is not None]
            inked = [
                m for m in reading.marks if m.box.kind.value != "candidate" and m.value != MarkValue.BLANK
            ]
            if doubts or inked:
                doubtful += 1
                for mark in doubts or inked:
                    box = mark.box
                    what = (
                        f"候选人{names[keys[box.index]]}"
                        if box.kind.value == "candidate"
                        else f"另选他人第{box.index + 1}行"
                    )
                    reason = DOUBT_TEXT[mark.doubt] if mark.doubt else "有书写"
                    lines.append(f"{where} 编号{serial:04d}：{what}，{reason}，须人工核对")
                    if args.cutouts:
                        _save_cutout(
                            args.cutouts,
                            f"{serial:04d}-{box.kind.value}-{box.index + 1}.png",
                            reading.cutout(box),
                        )
                continue
            ballot: dict[str, Any] = {}
            for mark in reading.marks:
                if mark.value in (MarkValue.FOR, MarkValue.AGAINST) and mark.box.kind.value == "candidate":
                    ballot.setdefault(mark.value.value, []).append(keys[mark.box.index])
            counted[serial] = ballot
    print(
        f"读取扫描件 {len(files)} 个文件 {pages} 页：识别计入 {len(counted)} 张，"
        f"须人工核对 {doubtful} 张，重复 {duplicate} 页，无法识别 {rejected} 页"
    )
    for line in lines:
        print(line)
    if args.output:
        document = json.loads(_read(args.election))
        document["ballots"] = [counted[s] for s in sorted(counted)]
        document.pop("ballots_returned", None)
        _write(args.output, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
        print(f"已写出识别计入的 {len(counted)} 张选票：{args.output}（须人工核对的未写入）")
    return EXIT_OK


def _save_cutout(folder: str, name: str, image: Any) -> None:
    import cv2

    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError([Located(folder, f"无法建立文件夹（{error.strerror or error}）")]) from None
    ok, data = cv2.imencode(".png", image)
    if ok:
        _write(str(target / name), bytes(data))


def _font_problems(round_: ElectionRound, characters: Sequence[str]) -> list[Located]:
    hint = "在选票字体中没有，请安装 fonts-noto-cjk 或用 XUANJU_FONT 指定字体"
    texts = [("$.title", "标题", round_.title)]
    texts += [(f"$.candidates[{i}].name", "姓名", c.name) for i, c in enumerate(round_.candidates)]
    problems = []
    for path, what, text in texts:
        found = [c for c in dict.fromkeys(text) if c in characters]
        if found:
            problems.append(Located(path, f"{what}中的{'、'.join(f'“{c}”' for c in found)}字{hint}"))
    return problems


def _text_path(round_: ElectionRound, text: str) -> str:
    for i, candidate in enumerate(round_.candidates):
        if " ".join(candidate.name.split()) == text:
            return f"$.candidates[{i}].name"
    return "$.title"


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except IsADirectoryError:
        raise InputError([Located(path, "这是一个文件夹，请给出 PDF 文件名")]) from None
    except FileNotFoundError:
        raise InputError([Located(path, "所在的文件夹不存在")]) from None
    except PermissionError:
        raise InputError([Located(path, "没有写入这个文件的权限")]) from None
    except OSError as error:
        raise InputError([Located(path, f"无法写入（{error.strerror or error}）")]) from None


def _django() -> None:
    """Set up Django for the commands that use the database (the others stay light)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    # Files these commands create (database, WAL, stored files, backups) are the account's alone.
    os.umask(0o077)
    import django

    django.setup()


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from xuanju.demo import demo_is_loaded, load_all
    from xuanju.server import run_server

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not args.no_demo and not demo_is_loaded():
        _print_demo(load_all())
    from xuanju.account_admin.setup import is_empty, setup_code

    if is_empty():
        print(
            "数据库是空的：在浏览器中打开下面的地址，填写初始化码 "
            f"{setup_code()} 建立最上级党组织和组织部门账号（或运行 xuanju init）。"
        )
    print(f"xuanju 已启动：http://{args.host}:{args.port}/　（按 Ctrl+C 停止）", flush=True)
    worker = None
    if not args.no_worker:  # reads uploaded scans in the background (xuanju/worker.py)
        from xuanju.worker import WorkerProcess

        worker = WorkerProcess()
        worker.start()
    try:
        run_server(args.host, args.port, args.workers, args.threads)
    finally:
        if worker is not None:
            worker.stop()
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    """The background worker alone, for a deployment that runs it as its own service."""
    _django()
    from xuanju.worker import run_worker

    run_worker(args.parent)
    return EXIT_OK


def _print_demo(demo: Any) -> None:
    from django.urls import reverse

    summary, election, congress, between = demo.county, demo.election, demo.congress, demo.between
    print(
        f"已载入演示数据：{summary.organizations} 个党组织，{summary.members} 名党员。演示账号（密码均为 {summary.password}）："
    )
    extra = congress.accounts if congress is not None else []
    for username, description in [*summary.accounts, *election.accounts, *extra]:
        print(f"  {username:<12} {description}")
    waiting = "、".join(f"第{key}号" for key in election.waiting)
    conflicts = "、".join(f"第{key}号" for key in election.conflicts)
    print(
        f"演示选举：{election.organization}换届，党员大会选举委员（应选 {election.seats} 人，"
        f"候选人 {len(election.candidates)} 人），实到 {election.present} 人；"
        f"第 {election.round_number} 轮发出选票 {election.issued} 张、印制 {election.printed} 张，"
        f"计票台已双人录入一致 {election.counted} 张"
        + (f"，{waiting}待乙录入" if waiting else "")
        + (f"，{conflicts}两次录入不一致、待监票人裁定" if conflicts else "")
        + f"。计票页面：{reverse('counting_overview', args=[election.round_id])}"
    )
    print(
        f"候选人条件和班子结构要求已由城关镇党委设定，{election.vetted} 名委员候选人已考察"
        f"（{reverse('election_vetting', args=[election.election_id])}）；后备人才库："
        f"{'、'.join(election.pools)}共 {election.pool_people} 人，{election.empty_township}及所属组织库中无人。"
    )
    if congress is not None:
        print(
            f"演示党员代表大会：{congress.organization}（{congress.members} 名党员），{congress.units} 个选举单位"
            f"选出代表 {congress.delegates_total} 名，经资格审查均为正式代表；选举委员 {congress.committee_seats} 名，"
            f"候选人 {congress.committee_candidates} 名已经县委组织部批复，大会待召开"
            f"（{reverse('congress_detail', args=[congress.congress_id])}，账号 "
            f"{'、'.join(u for u, _ in congress.accounts)}）。"
        )
    if between is not None:
        print(
            f"届中调整：{between.vacant_organization}委员{between.vacant_member}组织关系转出，缺额已 5 个月（补选不及时）；"
            f"{between.appointed_organization}书记由上级党组织指派（{between.appointed_member}）。"
        )
    campaign = demo.campaign
    if campaign is not None:
        print(
            f"集中换届：{campaign.name}，{campaign.organizations} 个村党组织，各处于不同步骤"
            f"（{reverse('campaign_board', args=[campaign.campaign_id])}，账号 town_org）。"
        )


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from xuanju.demo import demo_is_loaded, load_all

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
    _print_demo(load_all())  # the county, its demo election and congress, or nothing
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Verify the chain (records, head, MACs with the key, the heads log) and, with ``--anchor``,
    that it still holds the state a printed 审计校验码 names (R-SUP-4)."""
    _django()
    from xuanju.audit import checkpoints
    from xuanju.audit.anchor import AnchorSyntax
    from xuanju.audit.trail import check_anchor, verify

    if args.anchor is not None:
        try:
            check = check_anchor(args.anchor)
        except AnchorSyntax as error:
            raise InputError([Located("--anchor", error.message)]) from error
        result = check.verification
    else:
        result = verify()
    # A walk from the first record that found no break: pages check from here on (checkpoints.py).
    checkpoints.record(result)
    for note in result.notes:
        print(f"说明：{note}。")
    broken = result.broken
    if broken is None:
        keyed = f"，其中 {result.keyed} 条的密钥校验码相符" if result.keyed else ""
        logged = f"，与审计链头记录文件 {result.log_lines} 行相符" if result.log_lines else ""
        print(f"审计链完整：共 {result.checked} 条记录，逐条核验无误{keyed}{logged}（R-SUP-4）。")
    else:
        print(
            f"审计链在{_where(broken)}处断开：{broken.reason}。此前 {result.checked} 条记录核验无误。",
            file=sys.stderr,
        )
    if args.anchor is not None:
        print(check.message + "。", file=sys.stdout if check.holds else sys.stderr)
        return EXIT_OK if check.holds and broken is None else EXIT_BAD_INPUT
    return EXIT_OK if broken is None else EXIT_BAD_INPUT


def _where(broken: Any) -> str:
    if broken.position and broken.record_id:
        return f"第 {broken.position} 条（第 {broken.record_id} 号记录）"
    if broken.position:
        return f"第 {broken.position} 条（链尾）"
    return f"第 {broken.record_id} 号记录" if broken.record_id else "链尾"


def cmd_docs_gallery(args: argparse.Namespace) -> int:
    _django()
    from xuanju.documents.gallery import OfficeFailed, soffice, write_gallery
    from xuanju.elections.models import Election

    elections = Election.objects.select_related("organization").order_by("pk")
    if args.election:
        elections = elections.filter(pk__in=args.election)
        missing = sorted(set(args.election) - set(elections.values_list("pk", flat=True)))
        if missing:
            raise InputError([Located("--election", f"没有编号为 {'、'.join(map(str, missing))} 的选举")])
    office = not args.no_office
    if office and soffice() is None:
        print("提示：没有安装 LibreOffice（libreoffice-writer-nogui），只生成系统自己的 PDF", file=sys.stderr)
        office = False
    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():
        raise InputError([Located(args.out_dir, "这是一个文件，不是文件夹")])
    try:
        entries = write_gallery(out, elections, office=office, every_election=bool(args.election))
    except OfficeFailed as failed:
        raise InputError([Located("soffice", str(failed))]) from None
    differing = [e for e in entries if office and e.office_pages != e.pages]
    print(f"已写入 {len(entries)} 份文书：{out / 'index.html'}")
    for entry in differing:
        shown = "未能转换" if entry.office_pages is None else f"{entry.office_pages} 页"
        print(f"页数不同：{entry.name}（{entry.election}）系统 PDF {entry.pages} 页，LibreOffice {shown}")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=0)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from xuanju.backup import BackupError, backup

    try:
        path = backup(Path(args.output), Path(settings.DATA_DIR))
    except BackupError as error:
        raise InputError([Located(args.output, str(error))]) from None
    except OSError as error:
        raise InputError([Located(args.output, f"无法写入备份（{error.strerror or error}）")]) from None
    print(f"备份完成：{path}（校验值见 {path.name}.sha256）")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings

    from xuanju.backup import BackupError, restore

    try:
        restored = restore(Path(args.file), Path(settings.DATA_DIR))
    except BackupError as error:
        raise InputError([Located(args.file, str(error))]) from None
    print(f"已从 {args.file}（{restored.created} 的备份）恢复。")
    if restored.old_heads_log is not None:
        print(
            f"原有的审计链头记录文件已另存为 {restored.old_heads_log}（与事故记录一并保存），已换用备份中的记录文件。"
        )
    if restored.chain_broken is not None:
        print(f"审计链核验失败：{restored.chain_broken}。请勿使用这份数据，并报告上级。", file=sys.stderr)
        return EXIT_FAULT
    print(f"审计链完整：共 {restored.audit_records} 条记录，逐条核验无误（R-SUP-4）。")
    return EXIT_OK


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
    ballots = commands.add_parser(
        "ballots",
        help="生成可打印的纸质选票（PDF）",
        description="按选举文件生成纸质选票，每张一页，带编号和二维码",
    )
    ballots.add_argument("file", help="xuanju.election/1 格式的 JSON 文件（- 表示标准输入）")
    ballots.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
    ballots.add_argument("--sheets", type=_positive, help="印多少张（默认为文件中的发出选票数）")
    ballots.add_argument("--reserve", type=_not_negative, default=0, help="另加的备用选票张数（默认 0）")
    ballots.add_argument(
        "--paper", choices=[p.value for p in Paper], help="纸张（默认按候选人数自动选 A4 或 A3）"
    )
    ballots.add_argument("--large-print", action="store_true", help="大字版，方便年长党员")
    ballots.add_argument(
        "--keep-order",
        action="store_true",
        help="候选人按文件中的顺序排列（书记、副书记选票用上级批复的顺序）",
    )
    ballots.set_defaults(handler=cmd_ballots)
    scan = commands.add_parser(
        "scan",
        help="识别扫描的纸质选票",
        description="读取文件夹中的选票扫描件（PNG、JPEG、TIFF、PDF），按二维码识别每张选票，逐格判断标记",
    )
    scan.add_argument("dir", help="存放扫描件的文件夹")
    scan.add_argument("--election", required=True, help="印制选票所用的 xuanju.election/1 文件")
    scan.add_argument(
        "-o", "--output", help="把识别计入的选票写成 xuanju.election/1 文件，可用 xuanju tally 计票"
    )
    scan.add_argument("--cutouts", help="把存疑标记的截图存入这个文件夹，供人工核对")
    scan.set_defaults(handler=cmd_scan)
    serve = commands.add_parser(
        "serve", help="启动网页应用（首次运行时建库并载入演示数据）", description="启动网页应用"
    )
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument(
        "--workers", type=int, default=DEFAULT_WORKERS, help=f"工作进程数（默认 {DEFAULT_WORKERS}）"
    )
    serve.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help=f"每个进程的线程数（默认 {DEFAULT_THREADS}）"
    )
    serve.add_argument("--no-demo", action="store_true", help="空数据库也不载入演示数据")
    serve.add_argument(
        "--no-worker", action="store_true", help="不启动识别扫描件的后台进程（由 xuanju worker 另行运行时）"
    )
    serve.set_defaults(handler=cmd_serve)
    worker = commands.add_parser(
        "worker",
        help="运行后台进程：逐页识别上传的扫描件（xuanju serve 已自动启动）",
        description="运行后台进程：逐页识别上传的扫描件",
    )
    worker.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # set by xuanju serve
    worker.set_defaults(handler=cmd_worker)
    demo = commands.add_parser(
        "demo", help="载入演示用的党组织、党员、账号和一次进行中的换届选举", description="载入演示数据"
    )
    demo.set_defaults(handler=cmd_demo)
    migrate = commands.add_parser(
        "migrate", help="升级后更新数据库结构（先备份）", description="更新数据库结构并收集静态文件"
    )
    migrate.set_defaults(handler=cmd_migrate)
    backup = commands.add_parser(
        "backup",
        help="备份数据库和数据文件夹（服务运行时也可以）",
        description="把数据库和数据文件夹写成一个压缩、带校验值的备份文件",
    )
    backup.add_argument(
        "output",
        nargs="?",
        default=os.environ.get("XUANJU_BACKUP_DIR", "backups"),
        help="备份文件夹（默认 XUANJU_BACKUP_DIR 或 ./backups），或以 .tar.gz 结尾的文件名",
    )
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore",
        help="从备份恢复到空数据库，并核验审计链",
        description="从 xuanju backup 写的备份文件恢复到新建的空数据库，然后核验审计链",
    )
    restore.add_argument("file", help="备份文件（.tar.gz）")
    restore.set_defaults(handler=cmd_restore)
    audit = commands.add_parser("audit", help="审计记录", description="审计记录")
    audit_commands = audit.add_subparsers(
        dest="audit_command", required=True, parser_class=_Parser, metavar="命令"
    )
    verify = audit_commands.add_parser("verify", help="核验审计链，指出第一条被篡改的记录")
    verify.add_argument(
        "--anchor",
        metavar="审计校验码",
        help="核对文书上印的审计校验码，如 第1234条-4436-7F3A-91C2-0B5E（条数可省略，不分大小写）",
    )
    verify.set_defaults(handler=cmd_audit_verify)
    gallery = commands.add_parser(
        "docs-gallery",
        help="文书样张：把每种文书写成 .docx 和 PDF，附页面预览图和 index.html（供开发者检查版式）",
        description="文书样张：每次选举每种文书一份，.docx、PDF、页面预览图和 index.html",
    )
    gallery.add_argument("out_dir", help="写入的文件夹（不存在则新建）")
    gallery.add_argument(
        "--election",
        type=_positive,
        action="append",
        help="写这次选举的每种文书（编号，可重复）；不指定时每类选举（党员大会、党员代表大会、代表选举）各写一套",
    )
    gallery.add_argument("--no-office", action="store_true", help="不用 LibreOffice 转换 .docx")
    gallery.set_defaults(handler=cmd_docs_gallery)
    from xuanju.cli_accounts import add_commands
    from xuanju.venue import commands as venue_commands

    add_commands(commands, _Parser)
    venue_commands.add_commands(commands, _Parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if os.environ.get("XUANJU_OFFLINE"):  # venue mode and its worker: loopback only (xuanju.venue)
        from xuanju.venue import netguard

        netguard.install()
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
