"""The organization tree as .xlsx: import with a row-by-row error report, and a blank template.

The layout is the one the national Party-member information system (全国党员管理信息系统) exports
and county staff keep: one organization per row with its name, its parent's name, its kind
(党委/党总支/党支部), sector, date set up, and its current committee (election date and the
members by post). The discipline is the roster import's (:mod:`xuanju.organizations.roster`):

* Reading (:func:`parse_tree`) never looks at the database and never saves: it gives typed rows and
  errors naming the row as Excel numbers it, the column letter and header, and what is wrong.
* Checking (:func:`check_tree`) compares the rows with the database, within the importing
  organization department's subtree only, and runs again at confirmation inside the transaction.
* Saving (:func:`xuanju.organizations.tree_save.import_tree`) happens only after the user confirmed a preview without errors, in
  one transaction: all rows or none. A tree is imported whole — a row left out would orphan the
  rows beneath it — so unlike the roster there is no "valid rows only".

Decisions:

* **Matching key: the organization's name within the importing organization's subtree** (active
  organizations only). A row whose name is already there updates that organization (kind, sector,
  date set up, parent, committee) instead of adding a second one, so the same file can be imported
  again after corrections. A name held by two active organizations in the subtree is an error (we
  cannot know which one is meant); a name repeated in the file is an error on every row with it.
* A parent may be named in the file (in any row, earlier or later) or be an organization already in
  the subtree. A parent outside the subtree, a branch as parent, or a chain of parents that loops
  back is refused with the rows named.
* The importing organization itself may appear as a row (county files start with it): its kind
  must stay, its parent cannot be changed from here, its sector, date and committee are updated.
* The committee's members must be on the roster of the organization or the organizations beneath
  it (members are imported with the roster, after the tree). When they are not (yet), the row's
  organization is still imported and the preview warns, with row and column, that the committee
  was not recorded; importing the same file again after the roster brings it in. A committee with
  the same election date as the current one is left as it is.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from xuanju.display import cn_date
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import POST_CHOICES, Committee, Member, Organization
from xuanju.organizations.roster.columns import (
    Column,
    RosterFileError,
    RowError,
    reading_fields,
    reading_to_dict,
)
from xuanju.organizations.roster.reading import _open_workbook, _read_bytes
from xuanju.organizations.roster.table import HEADER_SEARCH_ROWS, locate_table
from xuanju.organizations.roster.values import EXCEL_ERRORS, _CellError, _text, parse_date
from xuanju.organizations.scope import can_manage
from xuanju.rules.names import canonical_name

logger = logging.getLogger(__name__)

MAX_ROWS = 5_000
TREE_SHEET = "党组织"
INSTRUCTIONS_SHEET = "填写说明"
POST_TITLES = dict(POST_CHOICES)
KIND_TEXT = {"party_committee": "党委", "general_branch": "党总支", "branch": "党支部"}
SECTOR_TEXT = {
    "village": "村",
    "community": "社区",
    "township": "乡镇",
    "state_organ": "机关",
    "enterprise": "企业",
    "school": "学校",
    "institution": "事业单位",
    "other": "其他",
}


class TreeFileError(RosterFileError):
    """The file as a whole cannot be read as an organization tree; the message says why."""


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "党组织名称",
        ("党组织名称", "组织名称", "党组织全称", "组织全称", "名称"),
        True,
        "必填，写全称",
    ),
    Column(
        "parent",
        "上级党组织",
        ("上级党组织", "上级党组织名称", "上级组织", "上级组织名称", "隶属党组织"),
        True,
        "必填（导入所在的本级组织可留空），写全称；可以是本文件中的组织（前后行都可以）或系统中已有的组织",
    ),
    Column(
        "kind",
        "组织类别",
        ("组织类别", "党组织类别", "组织类型", "党组织类型", "类别"),
        True,
        "必填，填“党委”“党总支”或“党支部”",
    ),
    Column(
        "sector",
        "所在领域",
        ("所在领域", "领域", "单位类别", "所属领域", "党组织所在单位情况"),
        False,
        "村、社区、乡镇、机关、企业、学校、事业单位或其他；留空的按“其他”（已有组织保持不变）",
    ),
    Column(
        "founded_on",
        "成立日期",
        ("成立日期", "成立时间", "建立日期", "组织成立日期"),
        False,
        "如 1998-07-01，可留空",
    ),
    Column(
        "elected_on",
        "本届委员会选举日期",
        ("本届委员会选举日期", "本届选举日期", "换届日期", "换届时间", "届次选举日期", "选举日期"),
        False,
        "填写了委员会成员的必填，如 2021-09-08",
    ),
    *(
        Column(post, title, (title, *(("其他委员", "委员会委员") if post == "member" else ())), False, note)
        for post, title, note in (
            ("secretary", "书记", "本届委员会书记（不设委员会的只设书记）"),
            ("deputy_secretary", "副书记", "多人用“、”隔开"),
            ("organization", "组织委员", ""),
            ("propaganda", "宣传委员", ""),
            ("discipline", "纪检委员", ""),
            ("youth", "青年委员", ""),
            ("women", "妇女委员", ""),
            ("united_front", "统战委员", ""),
            ("member", "委员", "其他委员，多人用“、”隔开"),
        )
    ),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
ALIASES = {alias: c.field for c in COLUMNS for alias in c.aliases}
POSTS = tuple(post for post, _ in POST_CHOICES)
NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def org_key(name: str) -> str:
    """An organization name as compared: full-width forms folded, all spaces dropped."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", name))


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    """A row whose cells passed every check; ``posts`` is ((post, (name, …)), …) as written."""

    row: int
    name: str
    parent: str
    kind: str
    sector: str  # '' when the cell is blank: a new organization gets 其他, an existing one keeps its own
    founded_on: date | None
    elected_on: date | None
    posts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("founded_on", "elected_on"):
            data[key] = data[key].isoformat() if data[key] else None
        data["posts"] = [[post, list(names)] for post, names in self.posts]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeRow:
        values = dict(data)
        for key in ("founded_on", "elected_on"):
            values[key] = date.fromisoformat(values[key]) if values[key] else None
        values["posts"] = tuple((post, tuple(names)) for post, names in values["posts"])
        return cls(**values)


@dataclass
class TreeReading:
    """What a workbook holds: valid rows, errors, warnings (row-level, not blocking) and notes."""

    sheet: str
    header_row: int
    columns: dict[str, tuple[str, str]]  # field -> (letter, header as written)
    rows: list[TreeRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data_rows: int = 0
    # Filled by check_tree: per row, what confirming will do (新建/更新/不变) and the committee.
    plan: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def to_dict(self) -> dict[str, Any]:
        """The parsed file only (no database findings): the check runs again at confirmation."""
        return reading_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeReading:
        return cls(**reading_fields(data, TreeRow.from_dict))

    def cell(self, name: str) -> tuple[str, str]:
        return self.columns.get(name) or self.columns["name"]


# --- reading cells --------------------------------------------------------------------------


def parse_kind(value: Any) -> str:
    text = _text(value).replace(" ", "")
    if not text:
        raise _CellError("组织类别未填写，应填“党委”“党总支”或“党支部”")
    if "总支" in text:
        return "general_branch"
    if "支部" in text:
        return "branch"
    if text in ("党委", "基层党委", "党的基层委员会") or text.endswith("党委") or text.endswith("委员会"):
        return "party_committee"
    raise _CellError(f"组织类别应填“党委”“党总支”或“党支部”，现在是“{text}”")


SECTOR_WORDS = (
    ("社区", "community"),
    ("村", "village"),
    ("乡", "township"),
    ("镇", "township"),
    ("街道", "township"),
    ("机关", "state_organ"),
    ("企业", "enterprise"),
    ("公司", "enterprise"),
    ("学校", "school"),
    ("高校", "school"),
    ("中学", "school"),
    ("小学", "school"),
    ("事业", "institution"),
    ("医院", "institution"),
    ("其他", "other"),
    ("社会组织", "other"),
)


def parse_sector(value: Any) -> str:
    text = _text(value).replace(" ", "")
    if not text:
        return ""
    for word, sector in SECTOR_WORDS:
        if word in text:
            return sector
    raise _CellError(f"所在领域“{text}”无法识别，应填村、社区、乡镇、机关、企业、学校、事业单位或其他")


def parse_org_name(value: Any, header: str) -> str:
    text = " ".join(_text(value).split())
    if len(text) > 200:
        raise _CellError(f"{header}“{text[:20]}…”超过 200 个字")
    return text


def parse_names(value: Any, header: str) -> tuple[str, ...]:
    text = _text(value)
    # Spaces aligning two-character names (“王  芳”) are not separators between Chinese characters.
    text = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff](?:$|[、，,；;/]))", "", text)
    names = tuple(n for n in NAME_SPLIT.split(text) if n)
    for name in names:
        if len(name) > 50:
            raise _CellError(f"{header}中的“{name[:20]}…”超过 50 个字，多人请用“、”隔开")
    return names


# --- reading a workbook ---------------------------------------------------------------------


def _is_tree_header(keys: list[str]) -> bool:
    return any(ALIASES.get(k) == "name" for k in keys)


def parse_tree(file: Any, today: date | None = None) -> TreeReading:
    """Read an organization-tree workbook without looking at the database."""
    today = today or timezone.localdate()
    try:
        workbook = _open_workbook(_read_bytes(file))
    except RosterFileError as error:
        raise TreeFileError(error.message.replace("名册文件", "文件").replace("党员名册", "党组织")) from None
    try:
        return _parse_workbook(workbook, today)
    except TreeFileError:
        raise
    except RosterFileError as error:
        raise TreeFileError(error.message) from None
    except Exception:
        logger.warning("tree workbook could not be read", exc_info=True)
        raise TreeFileError(
            "文件内容无法读取（可能已损坏）；请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再上传"
        ) from None
    finally:
        workbook.close()


def _parse_workbook(workbook: Any, today: date) -> TreeReading:
    table = locate_table(
        workbook,
        columns=COLUMNS,
        is_header=_is_tree_header,
        error=TreeFileError,
        not_found=lambda _names: (
            f"在前 {HEADER_SEARCH_ROWS} 行中没有找到表头；表头须有“党组织名称”“上级党组织”“组织类别”等列，"
            "可下载导入模板对照"
        ),
    )
    sheet, header_row, columns = table.sheet, table.header_row, table.columns
    reading = TreeReading(sheet=sheet.title, header_row=header_row, columns=columns)
    for index, cells in table.rows():
        reading.data_rows += 1
        if reading.data_rows > MAX_ROWS:
            raise TreeFileError(f"文件超过 {MAX_ROWS} 个党组织，请分成几个文件导入")
        row, errors = _parse_row(sheet.title, index, cells, columns, today)
        if row is not None:
            reading.rows.append(row)
        reading.errors.extend(errors)
    if reading.data_rows == 0:
        raise TreeFileError(f"工作表“{sheet.title}”的表头（第 {header_row} 行）下面没有党组织")
    return reading


def _parse_row(
    sheet: str, index: int, cells: dict[str, Any], columns: dict[str, tuple[str, str]], today: date
) -> tuple[TreeRow | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def error(name: str, message: str) -> None:
        letter, header = columns.get(name) or columns["name"]
        errors.append(RowError(sheet, index, letter, header, message))

    def header_of(name: str) -> str:
        return columns[name][1] if name in columns else COLUMN_BY_FIELD[name].title

    def read(name: str, parse: Any) -> None:
        raw = cells.get(name)
        if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
            error(name, f"{header_of(name)}是公式的错误值“{raw.strip()}”，请填写实际内容")
            return
        try:
            values[name] = parse(raw)
        except _CellError as problem:
            error(name, str(problem))

    read("name", lambda v: parse_org_name(v, header_of("name")))
    if values.get("name") == "":
        error("name", f"{header_of('name')}未填写")
    read("parent", lambda v: parse_org_name(v, header_of("parent")))
    read("kind", parse_kind)
    read("sector", parse_sector)
    for name in ("founded_on", "elected_on"):
        raw = cells.get(name)
        if _text(raw) == "" and not isinstance(raw, date):
            values[name] = None
        else:
            read(name, lambda v, n=name: parse_date(v, header_of(n), False, today)[0])
    posts: list[tuple[str, tuple[str, ...]]] = []
    for post in POSTS:
        if post in columns:
            read(post, lambda v, p=post: parse_names(v, header_of(p)))
            if values.get(post):
                posts.append((post, values.pop(post)))
            else:
                values.pop(post, None)
    if errors:
        return None, errors
    founded, elected = values["founded_on"], values["elected_on"]
    if founded and elected and elected < founded:
        error("elected_on", f"本届委员会选举日期 {cn_date(elected)} 早于成立日期 {cn_date(founded)}")
    if posts and elected is None:
        error("elected_on", "填写了委员会成员，须填写本届委员会选举日期")
    if elected is not None and not any(p == "secretary" for p, _ in posts):
        error("secretary" if "secretary" in columns else "elected_on", "填写了选举日期，须填写书记")
    secretaries = [n for p, names in posts if p == "secretary" for n in names]
    if len(secretaries) > 1:
        error("secretary", f"书记只能有一名，现在是{'、'.join(secretaries)}")
    seen: dict[str, str] = {}
    for post, names in posts:
        for name in names:
            key = canonical_name(name)
            if key in seen:
                error(post, f"{name}在“{POST_TITLES[seen[key]]}”和“{POST_TITLES[post]}”两栏都出现了")
            seen[key] = post
    if errors:
        return None, errors
    return TreeRow(row=index, posts=tuple(posts), **values), []


# --- checks against the database -----------------------------------------------------------


@dataclass
class _Node:
    key: str  # "row:N" for rows of the file, "org:PK" for organizations left as they are
    kind: str
    parent: str | None  # key of the parent; None above the importing organization


def check_tree(reading: TreeReading, actor: Any, root: Organization) -> TreeReading:
    """Compare the rows with the database under ``root``; fill ``errors``, ``warnings`` and ``plan``."""
    errors: list[RowError] = []
    warnings: list[RowError] = []
    sheet = reading.sheet

    def fail(row: int, name: str, message: str) -> None:
        letter, header = reading.cell(name)
        errors.append(RowError(sheet, row, letter, header, message))

    def warn(row: int, name: str, message: str) -> None:
        letter, header = reading.cell(name)
        warnings.append(RowError(sheet, row, letter, header, message))

    if not can_manage(actor, root) or root.kind == "branch" or not root.is_active:
        raise ActionError(f"您不能在“{root.name}”下导入党组织")
    subtree = list(Organization.objects.filter(path__startswith=root.path, dissolved_on__isnull=True))
    by_path = {o.path: o for o in subtree}
    by_name: dict[str, list[Organization]] = defaultdict(list)
    for org in subtree:
        by_name[org_key(org.name)].append(org)

    rows_by_name: dict[str, list[TreeRow]] = defaultdict(list)
    for row in reading.rows:
        rows_by_name[org_key(row.name)].append(row)
    for rows in rows_by_name.values():
        for row in rows:
            others = [r.row for r in rows if r is not row]
            if others:
                fail(row.row, "name", f"“{row.name}”与第 " + "、".join(map(str, others)) + " 行重复")

    # The organization each row updates (matching key: the name within the subtree).
    matched: dict[int, Organization] = {}
    for row in reading.rows:
        found = by_name.get(org_key(row.name), [])
        if len(found) > 1:
            fail(
                row.row,
                "name",
                f"“{root.name}”及其下级中有 {len(found)} 个名为“{row.name}”的党组织，无法确定更新哪一个；"
                "请先在系统中把名称改得能区分",
            )
        elif found:
            matched[row.row] = found[0]
    key_of_org = {org.pk: f"row:{n}" for n, org in matched.items()}

    def org_node_key(org: Organization) -> str:
        return key_of_org.get(org.pk, f"org:{org.pk}")

    nodes: dict[str, _Node] = {}
    for org in subtree:
        if org.pk in key_of_org:
            continue
        parent = by_path.get(org.path[: -org.steplen]) if org.pk != root.pk else None
        nodes[f"org:{org.pk}"] = _Node(f"org:{org.pk}", org.kind, org_node_key(parent) if parent else None)
    root_key = org_node_key(root)
    outside_names = set()
    parent_names = {org_key(r.parent) for r in reading.rows if r.parent} - set(rows_by_name) - set(by_name)
    if parent_names:
        outside_names = {
            org_key(n)
            for n in Organization.objects.filter(dissolved_on__isnull=True)
            .exclude(path__startswith=root.path)
            .values_list("name", flat=True)
        } & parent_names
    for row in reading.rows:
        key = f"row:{row.row}"
        existing = matched.get(row.row)
        if existing is not None and existing.pk == root.pk:
            nodes[key] = _Node(key, row.kind, None)
            if row.kind != root.kind:
                fail(row.row, "kind", f"“{root.name}”是{KIND_TEXT[root.kind]}，导入时不能改变本级组织的类别")
            actual = Organization.objects.get_parent(root) if root.depth > 1 else None
            if row.parent and (actual is None or org_key(row.parent) != org_key(actual.name)):
                fail(row.row, "parent", f"“{root.name}”是导入所在的本级组织，它的上级不能通过导入改变")
            continue
        nodes[key] = _Node(key, row.kind, None)
        if not row.parent:
            fail(row.row, "parent", "上级党组织未填写")
            continue
        parent_key = org_key(row.parent)
        if parent_key == org_key(row.name):
            fail(row.row, "parent", "上级党组织不能是它自己")
            continue
        in_file = rows_by_name.get(parent_key, [])
        in_db = by_name.get(parent_key, [])
        if len(in_file) == 1:
            nodes[key].parent = f"row:{in_file[0].row}"
        elif in_file:
            fail(row.row, "parent", f"上级党组织“{row.parent}”在文件中出现了不止一次")
        elif len(in_db) == 1:
            nodes[key].parent = org_node_key(in_db[0])
        elif in_db:
            fail(row.row, "parent", f"“{root.name}”及其下级中有 {len(in_db)} 个名为“{row.parent}”的党组织")
        elif parent_key in outside_names:
            fail(
                row.row,
                "parent",
                f"上级党组织“{row.parent}”不在“{root.name}”及其下级组织中，导入只能在您管理的范围内进行",
            )
        else:
            fail(row.row, "parent", f"文件中和系统中都没有名为“{row.parent}”的党组织（名称须完全一致）")

    failed_rows = {e.row for e in errors}
    for row in reading.rows:
        node = nodes[f"row:{row.row}"]
        if node.parent is None or row.row in failed_rows:
            continue
        parent = nodes.get(node.parent)
        if parent is not None and parent.kind == "branch":
            fail(row.row, "parent", f"上级“{row.parent}”是党支部，党支部之下不能再设党组织")
    _check_cycles(reading, nodes, root_key, fail)

    children: dict[str, int] = defaultdict(int)
    for node in nodes.values():
        if node.parent:
            children[node.parent] += 1
    kind_failed = {e.row for e in errors if e.column == reading.cell("kind")[0]}
    for row in reading.rows:
        if row.kind == "branch" and children[f"row:{row.row}"] and row.row not in kind_failed:
            fail(row.row, "kind", f"“{row.name}”之下有党组织，不能是党支部")

    _plan_rows(reading, matched, nodes, warn)
    reading.errors = sorted([*reading.errors, *errors], key=lambda e: (e.row, len(e.column), e.column))
    reading.warnings = sorted(warnings, key=lambda e: (e.row, len(e.column), e.column))
    return reading


def _check_cycles(reading: TreeReading, nodes: dict[str, _Node], root_key: str, fail: Any) -> None:
    for row in reading.rows:
        key = f"row:{row.row}"
        seen = [key]
        current = nodes[key].parent
        while current is not None and current != root_key:
            if current in seen:
                loop = [int(k[4:]) for k in seen[seen.index(current) :] if k.startswith("row:")]
                if row.row in loop:
                    fail(
                        row.row,
                        "parent",
                        "上级关系形成了循环（第 " + "、".join(map(str, sorted(loop))) + " 行互为上下级）",
                    )
                break
            seen.append(current)
            node = nodes.get(current)
            current = node.parent if node else None


def _plan_rows(
    reading: TreeReading, matched: dict[int, Organization], nodes: dict[str, _Node], warn: Any
) -> None:
    """What confirming does to each row, and its committee's members found on the roster."""
    current = {
        c.organization_id: c
        for c in Committee.objects.filter(organization__in=[o.pk for o in matched.values()], is_current=True)
    }
    for row in reading.rows:
        org = matched.get(row.row)
        plan: dict[str, Any] = {"org": org.pk if org else None, "seats": [], "committee": ""}
        if org is None:
            plan["action"] = "新建"
        else:
            changed = (
                row.kind != org.kind
                or (row.sector and row.sector != org.sector)
                or (row.founded_on and row.founded_on != org.founded_on)
            )
            plan["action"] = "更新" if changed else "不变"
        if row.elected_on is not None:
            plan["committee"], plan["seats"] = _plan_committee(
                row, org, current.get(org.pk) if org else None, warn
            )
            if plan["seats"] and plan["action"] == "不变":
                plan["action"] = "更新"
        reading.plan[row.row] = plan


def _plan_committee(
    row: TreeRow, org: Organization | None, committee: Committee | None, warn: Any
) -> tuple[str, list[tuple[str, int]]]:
    assert row.elected_on is not None
    if committee is not None and committee.elected_on == row.elected_on:
        return "本届委员会已登记，不变", []
    if committee is not None and row.elected_on < committee.elected_on:
        warn(
            row.row,
            "elected_on",
            f"系统中已登记{committee.elected_on.year}年{committee.elected_on.month}月{committee.elected_on.day}日"
            "选举的本届委员会，比文件中的新，委员会不导入",
        )
        return "不导入（系统中的更新）", []
    if org is None:
        members: list[Member] = []
    else:
        members = list(
            Member.objects.filter(organization__path__startswith=org.path, left_on__isnull=True).only(
                "id", "name", "status"
            )
        )
    by_name: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_name[canonical_name(member.name)].append(member)
    seats: list[tuple[str, int]] = []
    missing: list[tuple[str, str]] = []
    for post, names in row.posts:
        for name in names:
            found = by_name.get(canonical_name(name), [])
            if len(found) == 1 and found[0].status == "full":
                seats.append((post, found[0].pk))
            elif len(found) == 1:
                missing.append((post, f"{name}是预备党员，没有被选举权"))
            elif found:
                missing.append((post, f"名册中有 {len(found)} 名{name}，无法确定是哪一位"))
            else:
                missing.append((post, f"{name}不在本组织（含下级）的党员名册中"))
    if missing:
        for post, message in missing:
            warn(row.row, post, f"{message}；委员会暂不导入，导入党员名册后再次导入本文件即可登记")
        return "暂不导入（成员不在名册中）", []
    return (
        f"登记{row.elected_on.year}年{row.elected_on.month}月{row.elected_on.day}日选举的委员会（{len(seats)} 人）",
        seats,
    )


def read_tree(file: Any, *, actor: Any, root: Organization, today: date | None = None) -> TreeReading:
    """Read and check an organization-tree workbook for ``actor`` importing under ``root``; save nothing."""
    return check_tree(parse_tree(file, today), actor, root)
