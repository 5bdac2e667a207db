"""The changes a resubmitted request to hold the election made since the returned version (退回修改,
R-RPT-1, R-RPT-4), worded for the request page and the 请示 document. The comparison itself is the
pure :func:`xuanju.rules.revisions.content_changes`; this names the plan's items in Chinese."""

from __future__ import annotations

from typing import Any

from xuanju.rules.revisions import ChangeKind, content_changes

REVISION_KEY = "revision"  # where a resubmitted request keeps what it changed (not itself compared)

PLAN_LABELS = {  # the items of plan_content, as the request names them
    "organization": "党组织",
    "term": "本届委员会任期",
    "readiness": "换届准备情况",
    "form": "会议形式",
    "planned_on": "拟召开日期",
    "agenda": "会议议程",
    "committee_seats": "委员名额",
    "deputy_seats": "副书记名额",
    "term_years": "任期（年）",
    "composition": "结构和人选条件",
    "nomination": "提名办法",
    "method": "选举办法",
    "discipline_seats": "纪委委员名额",
    "discipline_deputy_seats": "纪委副书记名额",
    "full_members": "正式党员人数",
    "congress": "代表名额、构成和分配",
    "quota": "代表名额",
    "total": "代表名额",
    "allocation": "名额分配",
}
KIND_WORDS = {ChangeKind.ADDED: "新增", ChangeKind.REMOVED: "删去", ChangeKind.CHANGED: "修改"}


def revision_record(returned: Any, content: dict[str, Any]) -> dict[str, Any] | None:
    """What a request resubmitted after ``returned`` (an Approval returned for changes) records of
    it: the return (date, number, comments) and the changes, as plain JSON; None when nothing
    changed."""
    changes = content_changes(returned.content, content, ignore=(REVISION_KEY,))
    if not changes:
        return None
    return {
        "returned_on": returned.decided_on.isoformat() if returned.decided_on else "",
        "document": returned.document,
        "comments": returned.comments,
        "changes": [
            {"path": list(c.path), "kind": c.kind.value, "before": c.before, "after": c.after}
            for c in changes
        ],
    }


def _plain(value: Any) -> str:
    if value is None:
        return "（无）"
    if value == "":
        return "（未填写）"
    if isinstance(value, dict):
        return "，".join(f"{PLAN_LABELS.get(str(k), str(k))}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "；".join(_plain(v) for v in value)
    return str(value)


def label_of(path: list[str] | tuple[str, ...]) -> str:
    return "·".join(PLAN_LABELS.get(part, part) for part in path)


def change_rows(revision: dict[str, Any] | None) -> list[dict[str, str]]:
    """The recorded changes as rows: item, what the returned version said, what it says now."""
    if not revision:
        return []
    rows = []
    for change in revision.get("changes", []):
        kind = ChangeKind(change["kind"])
        rows.append(
            {
                "label": label_of(change["path"]),
                "kind": KIND_WORDS[kind],
                "before": "（无）" if kind is ChangeKind.ADDED else _plain(change["before"]),
                "after": "（删去）" if kind is ChangeKind.REMOVED else _plain(change["after"]),
            }
        )
    return rows
