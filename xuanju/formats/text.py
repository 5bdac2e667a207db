"""Plain-text reports for the terminal, rendered from the same documents ``--json`` prints."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from xuanju.formats.election import shown_threshold
from xuanju.formats.wording import BASE_NAMES, KIND_NAMES, NO_MEMBERS_NO_BASE, STATUS_NAMES


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w, r) for h, w, r in zip(headers, widths, right, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)) for row in rows)
    return lines


def result_report(result: dict[str, Any]) -> str:
    """The ``xuanju.result/1`` document as a Chinese report.

    In a pre-election (预选) the "elected" are those who advance to the formal list (R-CNT-8). No
    majority threshold is printed for a round where none applies (R-CNT-4).
    """
    names = {p["id"]: p["name"] for p in result["tally"]}
    ballots = result["ballots"]
    pre_election = result["kind"] == "pre_election" or result.get("stage") == "pre_election"
    chosen, chosen_list = ("入选", "正式候选人") if pre_election else ("当选", "当选人")
    lines = []
    if result.get("title"):
        lines.append(result["title"])
    lines.append(
        f"轮次：{KIND_NAMES[result['kind']]}　{'应取正式候选人' if pre_election else '应选'}：{result['seats']} 人"
        f"　结果：{STATUS_NAMES[result['status']]}"
    )
    lines.append(
        f"选票：发出 {ballots['issued']}，收回 {ballots['returned']}，有效 {ballots['valid']}，"
        f"无效 {ballots['invalid']}，废票 {ballots['void']}"
    )
    threshold = shown_threshold(result)
    if threshold is not None:
        lines.append(
            f"当选基数：{BASE_NAMES[result['majority_base']]} {result['base']} 人，"
            f"{'列为正式候选人' if pre_election else '当选'}至少需赞成票 {threshold} 票（超过半数）"
        )
    elif result["status"] in ("meeting_invalid", "round_void"):
        pass  # nobody is elected: no threshold applies
    elif pre_election and result["kind"] == "pre_election":
        lines.append(f"预选：得票多的前 {result['seats']} 名列为正式候选人，不需要超过半数")
    else:
        lines.append(f"再次投票：以得票多的{'列为正式候选人' if pre_election else '当选'}，不需要超过半数")
    lines.append("")
    rows = [
        [
            str(rank),
            p["name"] + ("（另选）" if p["write_in"] else ""),
            str(p["for"]),
            str(p["against"]),
            str(p["abstain"]),
            chosen if p["elected"] else ("须再次投票" if p["id"] in result["tied"] else ""),
        ]
        for rank, p in enumerate(result["tally"], start=1)
    ]
    lines += table(
        ["序号", "姓名", "赞成", "不赞成", "弃权", "结果"], rows, [True, False, True, True, True, False]
    )
    lines.append("")
    if result["elected_in_stroke_order"]:
        lines.append(
            f"{chosen_list}（按姓氏笔画）：" + "、".join(names[i] for i in result["elected_in_stroke_order"])
        )
    else:
        lines.append(f"{chosen_list}：无")
    next_round = result["next_round"]
    if next_round is not None:
        who = "、".join(names.get(i, i) for i in next_round["candidates"])
        lines.append(f"下一轮：{KIND_NAMES[next_round['kind']]} {next_round['seats']} 个名额，候选人：{who}")
    lines.append("")
    lines.append("说明：")
    lines.extend(f"  {i}. {note}" for i, note in enumerate(result["notes"], start=1))
    return "\n".join(lines)


def quota_report(result: dict[str, Any]) -> str:
    lines = []
    if result.get("title"):
        lines.append(result["title"])
    lines.append(
        f"代表名额 {result['total']} 名，每个选举单位基本名额 {result['base_per_unit']} 名，其余按正式党员人数以最大余数法分配"
    )
    lines.append("")
    rows = [
        [
            a["name"],
            str(a["full_members"]),
            f"{a['quota']:.2f}",
            str(a["seats"]),
            NO_MEMBERS_NO_BASE if a["full_members"] == 0 else "",  # R-DEL-3: why it has no seat
        ]
        for a in result["allocation"]
    ]
    lines += table(
        ["选举单位", "正式党员", "应得份额", "名额", "说明"], rows, [False, True, True, True, False]
    )
    lines.extend(result["notes"])
    return "\n".join(lines)
