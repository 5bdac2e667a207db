"""The line-based markup of document templates, parsed into blocks the writers lay out.

A template (a Django template, see :mod:`xuanju.documents.templates`) renders to lines of this
markup; docs/documents.md is the reference for organizations that edit their own. Each line is one
block, read by its start:

    # 标题             the title (several "# " lines make a title of several lines)
    文号：…            the document number (发文字号)
    主送：…            the main addressee (主送机关)
    ## 一、…           a first-level heading (黑体)
    ### （一）…        a second-level heading (楷体)
    #### 1.…           a third-level heading (仿宋, bold)
    | a | b |          a table row; consecutive rows form one table, the first row is its header
    落款：…            the issuing organization (发文机关署名), right, above the date
    日期：…            the date (成文日期)
    抄送：…            the copy recipients (抄送机关), at the foot
    印发：机关 | 日期   the issuing office and printing date (印发机关和印发日期), at the foot
    ---                a page break
    \\…                a paragraph taken literally, whatever it starts with
    anything else      a paragraph of body text, first line indented two characters

Blank lines are ignored. Everything here is pure: text in, blocks or a :class:`MarkupError` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADING_MARKS = {"## ": 1, "### ": 2, "#### ": 3}
FIELD_PREFIXES = ("文号：", "主送：", "落款：", "日期：", "抄送：", "印发：")
# What makes a line of free text read as markup; :func:`literal` protects such lines.
_SIGILS = ("#", "|", "\\", "---", *FIELD_PREFIXES)


@dataclass(frozen=True, slots=True)
class Title:
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentNumber:
    text: str


@dataclass(frozen=True, slots=True)
class Addressee:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 一、 (黑体), 2 （一） (楷体), 3 1. (仿宋 bold)
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Signature:
    text: str


@dataclass(frozen=True, slots=True)
class DateLine:
    text: str


@dataclass(frozen=True, slots=True)
class CarbonCopy:
    text: str


@dataclass(frozen=True, slots=True)
class Printed:
    office: str
    date: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = (
    Title
    | DocumentNumber
    | Addressee
    | Heading
    | Paragraph
    | Table
    | Signature
    | DateLine
    | CarbonCopy
    | Printed
    | PageBreak
)


class MarkupError(Exception):
    """A line the markup cannot read; ``line`` counts from 1 in the rendered text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"第{line}行：{message}")
        self.line = line
        self.message = message  # Chinese


def literal(text: str) -> str:
    """``text`` (one line of free text from a record) as a paragraph, never read as markup."""
    line = " ".join(text.split())
    return "\\" + line if line.startswith(_SIGILS) else line


def cell(text: str) -> str:
    """``text`` made safe inside a table row or a one-line field: one line, no column bars."""
    return " ".join(text.split()).replace("|", "｜")


def before_closing(blocks: Sequence[Block], index: int) -> bool:
    """Whether ``blocks[index]`` comes right before the signature or the date. The writers keep it
    on the page that holds them, so that the closing block never stands on a page of its own."""
    return index + 1 < len(blocks) and isinstance(blocks[index + 1], (Signature, DateLine))


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of rendered markup, in order; raises :class:`MarkupError` naming the line."""
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    table_start = 0
    title: list[str] = []

    def flush() -> None:
        if table:
            blocks.append(Table(table[0], tuple(table[1:])))
            table.clear()
        if title:
            blocks.append(Title(tuple(title)))
            title.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            if title:
                flush()
            row = _row(line, number)
            if table and len(row) != len(table[0]):
                raise MarkupError(
                    number, f"表格这一行有{len(row)}栏，与第{table_start}行表头的{len(table[0])}栏不一致"
                )
            if not table:
                table_start = number
            table.append(row)
            continue
        if line.startswith("# "):
            if table:
                flush()
            title.append(_required(line[2:], number, "标题"))
            continue
        flush()
        blocks.append(_block(line, number))
    flush()
    if not any(isinstance(b, Title) for b in blocks):
        raise MarkupError(max(1, len(text.splitlines())), "文书须有标题（以“# ”开头的一行）")
    return tuple(blocks)


def _block(line: str, number: int) -> Block:
    if line.startswith("\\"):
        return Paragraph(line[1:].strip())
    if line == "---":
        return PageBreak()
    for mark, level in HEADING_MARKS.items():
        if line.startswith(mark):
            return Heading(level, _required(line[len(mark) :], number, "标题"))
    if line.startswith("#"):
        raise MarkupError(number, "“#”后须有空格；标题用“# ”，各级小标题用“## ”“### ”“#### ”")
    field, _, value = line.partition("：")
    prefix = field + "："
    if prefix in FIELD_PREFIXES:
        value = _required(value, number, field)
        if prefix == "文号：":
            return DocumentNumber(value)
        if prefix == "主送：":
            return Addressee(value)
        if prefix == "落款：":
            return Signature(value)
        if prefix == "日期：":
            return DateLine(value)
        if prefix == "抄送：":
            return CarbonCopy(value)
        office, bar, date = value.rpartition("|")
        if not bar:
            raise MarkupError(number, "印发行的写法是“印发：印发机关 | 印发日期”")
        return Printed(_required(office, number, "印发机关"), _required(date, number, "印发日期"))
    return Paragraph(line)


def _row(line: str, number: int) -> tuple[str, ...]:
    if not line.endswith("|") or len(line) < 2:
        raise MarkupError(number, "表格行须以“|”开头、以“|”结尾，如“| 姓名 | 得票 |”")
    return tuple(part.strip() for part in line[1:-1].split("|"))


def _required(value: str, number: int, what: str) -> str:
    value = value.strip()
    if not value:
        raise MarkupError(number, f"{what}不能为空")
    return value
