"""A flagged scanned sheet, confirmed whole by a scrutineer (R-BAL-4, R-MEET-4).

A sheet with any doubt on it (a doubtful mark, writing on a write-in line) is flagged when it is
read: nothing of it counts, not even the boxes the machine read with confidence, until a scrutineer
has looked at the whole registered sheet with the machine's reading drawn on every box (○, ×,
empty, ? for a doubt), corrected any box, and confirmed the sheet in one action. Only then is the
ballot stored, as the scrutineer confirmed it; the audit record keeps the machine's reading, the
confirmed one and every box corrected.

The counter who uploaded the sheet may not confirm it: counters and scrutineers are different
people in a round (R-MEET-4, :func:`xuanju.elections.duties.require_scrutineer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record
from xuanju.counting.models import BallotPrint, MarkDoubt, ScanPage
from xuanju.counting.scanning import page_place
from xuanju.counting.sheets import layout_finder, printed_layout
from xuanju.elections import duties
from xuanju.elections.actions import check_ballot, store_ballot
from xuanju.elections.models import BallotEntry, Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.paper.layout import BoxKind
from xuanju.paper.pages import PageError, page_at
from xuanju.paper.read import read_sheet
from xuanju.rules.counting import Path
from xuanju.rules.names import canonical_name

CANDIDATE_VALUES = ("for", "against", "blank")
VALUE_TEXT = {"for": "○ 赞成", "against": "× 不赞成", "blank": "弃权（无符号）", "ink": "有字迹"}


def _actor(user: Any) -> str:
    return getattr(user, "username", None) or str(user)


def _names(round_: Round) -> list[str]:
    return [c.member.name for c in ballot_order(list(round_.candidates.select_related("member")))]


@dataclass(frozen=True)
class SheetBox:
    """One box of a flagged sheet as the adjudication page lists it."""

    kind: str  # "candidate" or "write_in" (a write-in row: its name line and mark box together)
    index: int
    label: str
    machine: str  # the machine's reading in words; "存疑" for a doubtful box (no guess shown)
    doubt: str  # why the box is doubtful, "" when the machine read it with confidence
    value: str  # the value the form starts from: the machine's reading, or an earlier decision
    confirmed: str  # the confirmed value in words, once the sheet is confirmed
    cutout: int | None  # the MarkDoubt id whose cut-out the page may show


def machine_reading(
    page: ScanPage,
) -> tuple[dict[int, tuple[str, str | None]], dict[int, list[dict[str, Any]]]]:
    """(candidate index → (value, doubt)), (write-in row → its boxes' readings) from ``page.reading``."""
    candidates: dict[int, tuple[str, str | None]] = {}
    rows: dict[int, list[dict[str, Any]]] = {}
    for mark in page.reading:
        if mark["kind"] == BoxKind.CANDIDATE.value:
            candidates[mark["index"]] = (mark["value"], mark["doubt"])
        else:
            rows.setdefault(mark["index"], []).append(mark)
    return candidates, rows


def sheet_boxes(page: ScanPage) -> list[SheetBox]:
    """Every box of the sheet with the machine's reading, the doubtful ones first, then in sheet order."""
    names = _names(page.round)
    doubts = {(d.kind, d.index): d for d in page.doubts.all()}
    confirmed = page.confirmed_reading or {}
    candidates, rows = machine_reading(page)
    boxes: list[SheetBox] = []
    for index, (value, doubt_code) in sorted(candidates.items()):
        doubt = doubts.get((MarkDoubt.Kind.CANDIDATE.value, index))
        decided = doubt.decision if doubt is not None and doubt.decision in CANDIDATE_VALUES else ""
        flagged = doubt is not None or doubt_code is not None
        done = confirmed.get("candidates", [])
        boxes.append(
            SheetBox(
                kind="candidate",
                index=index,
                label=names[index] if index < len(names) else f"第{index + 1}位候选人",
                # A doubtful box shows no machine guess, so as not to lead the scrutineer's eye.
                machine="存疑" if flagged else VALUE_TEXT.get(value, value),
                doubt=doubt.reason if doubt is not None else ("存疑" if doubt_code else ""),
                value=decided if flagged else value,
                confirmed=VALUE_TEXT.get(done[index], "") if index < len(done) else "",
                cutout=doubt.pk if doubt is not None else None,
            )
        )
    for index, marks in sorted(rows.items()):
        doubt = doubts.get((MarkDoubt.Kind.WRITE_IN.value, index))
        inked = any(m["value"] != "blank" or m["doubt"] for m in marks)
        done = confirmed.get("write_ins", [])
        written = done[index] if index < len(done) else None
        boxes.append(
            SheetBox(
                kind="write_in",
                index=index,
                label=f"另选他人第{index + 1}行",
                machine="有字迹，须人工辨认" if inked else "空白",
                doubt=doubt.reason if doubt is not None else ("另选他人栏有字迹" if inked else ""),
                value=doubt.write_in_name if doubt is not None else "",
                confirmed=("" if written is None else (f"另选：{written}" if written else "不计另选")),
                cutout=doubt.pk if doubt is not None else None,
            )
        )
    boxes.sort(key=lambda b: (not b.doubt, b.kind != "candidate", b.index))
    return boxes


def _locked_page(page: ScanPage) -> ScanPage:
    page = ScanPage.objects.select_for_update().select_related("round", "file").get(pk=page.pk)
    if page.round.closed:
        raise ActionError("这一轮已经计票结束")
    return page


@transaction.atomic
def confirm_sheet(
    actor: Any, page: ScanPage, candidates: dict[int, str], write_ins: dict[int, str]
) -> BallotEntry:
    """A scrutineer confirms a flagged sheet whole: ``candidates`` gives every candidate box's value
    (for, against, blank) and ``write_ins`` every write-in row's name ("" for none), as read on the
    sheet image. Only now is the sheet counted (R-BAL-4); if the rules engine refuses the reading
    (say, a write-in beside no against-mark, R-BAL-2), nothing is saved and the message says why."""
    page = _locked_page(page)
    round_ = page.round
    duties.require_path(round_, Path.SCAN)
    duties.require_scrutineer(actor, round_, "确认存疑的选票")  # R-MEET-4, R-BAL-4
    if page.file.uploaded_by == _actor(actor):  # R-MEET-4: never the counter who uploaded it
        raise ActionError("这张选票的扫描件是您上传的，须由另一位监票人确认；计票人和监票人须由不同的人担任")
    if page.status != ScanPage.Status.REVIEW:
        raise ActionError(f"这张选票{page.get_status_display()}，不需要再确认")
    machine, rows = machine_reading(page)
    missing = [i for i in sorted(machine) if candidates.get(i) not in CANDIDATE_VALUES]
    if missing:
        names = _names(round_)
        shown = "、".join(names[i] if i < len(names) else str(i + 1) for i in missing[:5])
        raise ActionError(f"请对每位候选人的符号栏作出确认：{shown}还没有选择", "candidates")
    # R-NAME-5: a name kept as the scrutineer typed it (trimmed); nothing visible is no name.
    names_written = {
        row: (write_ins.get(row, "").strip() if canonical_name(write_ins.get(row, "")) else "")
        for row in rows
    }
    keys = [c.key for c in ballot_order(list(round_.candidates.select_related("member")))]
    marks: dict[str, list[str]] = {"for": [], "against": []}
    for index in sorted(machine):
        if candidates[index] in marks:
            marks[candidates[index]].append(keys[index])
    ballot = check_ballot(
        round_, marks["for"], marks["against"], [n for _, n in sorted(names_written.items()) if n]
    )
    confirmed = {
        "candidates": [candidates[i] for i in sorted(machine)],
        "write_ins": [names_written[r] for r in sorted(rows)],
    }
    corrected = [
        i for i in sorted(machine) if machine[i][1] is None and machine[i][0] != candidates[i]
    ]  # boxes the machine read with confidence and the scrutineer changed
    decider = _actor(actor)
    for doubt in page.doubts.all():
        doubt.decision = (
            candidates[doubt.index]
            if doubt.kind == MarkDoubt.Kind.CANDIDATE and doubt.index in candidates
            else "name"
        )
        doubt.write_in_name = (
            names_written.get(doubt.index, "") if doubt.kind == MarkDoubt.Kind.WRITE_IN else ""
        )
        doubt.decided_by = decider
        doubt.save(update_fields=["decision", "write_in_name", "decided_by"])
    entry = store_ballot(
        actor,
        round_,
        ballot,
        sheet=page.serial,
        source=BallotEntry.Source.SCAN,
        entered_by=page.file.uploaded_by,
        confirmed_by=decider,
    )
    page.ballot = entry
    page.status = ScanPage.Status.COUNTED
    page.confirmed_reading = confirmed
    page.confirmed_by = decider
    page.confirmed_at = timezone.now()
    page.save(update_fields=["ballot", "status", "confirmed_reading", "confirmed_by", "confirmed_at"])
    record(
        decider,
        "confirm_scanned_sheet",
        page,
        before={"machine": [[i, *machine[i]] for i in sorted(machine)]},
        after={"serial": page.serial, "confirmed": confirmed, "corrected": corrected},
        summary=f"监票人确认{page_place(page)}的整张选票"
        + (f"（改正了机器读数 {len(corrected)} 处）" if corrected else ""),
    )
    return entry


# --- the sheet image with the reading drawn on it ------------------------------------------------

_GREEN = (40, 140, 40)
_RED = (30, 30, 210)
_BLUE = (190, 90, 20)
_GREY = (120, 120, 120)


def overlay_png(page: ScanPage) -> bytes | None:
    """The registered sheet with the reading drawn beside every box: ○, ×, – (empty) or ? (doubt),
    green for a confident reading, red for a doubt, blue for a scrutineer's confirmed value that
    differs from the machine's. None when the page cannot be registered (no printing, unreadable)."""
    print_ = BallotPrint.objects.filter(round=page.round).first()
    if print_ is None or not page.reading:
        return None
    try:
        image = page_at(bytes(page.file.content), page.file.filename, page.page_number - 1)
    except (PageError, IndexError):
        return None
    reading = read_sheet(image, layout_finder(print_))
    if reading.registered is None:
        return None
    layout = printed_layout(print_)
    scale = reading.px_per_mm
    canvas = cv2.cvtColor(reading.registered, cv2.COLOR_GRAY2BGR)
    machine, rows = machine_reading(page)
    confirmed = page.confirmed_reading or {}
    done = confirmed.get("candidates", [])
    written = confirmed.get("write_ins", [])
    for box in layout.boxes:
        r = box.rect
        if box.kind == BoxKind.CANDIDATE:
            value, doubt = machine.get(box.index, ("blank", None))
            final = done[box.index] if box.index < len(done) else None
            sign = "?" if doubt else value
            colour = _RED if doubt else _GREEN
            if final is not None and (doubt or final != value):
                sign, colour = final, _BLUE
        elif box.kind == BoxKind.WRITE_IN_MARK:
            marks = [m for m in rows.get(box.index, []) if m["kind"] == box.kind.value]
            value, doubt = (marks[0]["value"], marks[0]["doubt"]) if marks else ("blank", None)
            sign = "?" if doubt or value != "blank" else "blank"
            colour = _RED if sign == "?" else _GREEN
        else:
            marks = [m for m in rows.get(box.index, []) if m["kind"] == box.kind.value]
            inked = bool(marks) and (marks[0]["value"] != "blank" or marks[0]["doubt"])
            final_name = written[box.index] if box.index < len(written) else None
            colour = _BLUE if final_name else (_RED if inked else _GREEN)
            _outline(canvas, r.x, r.y, r.right, r.bottom, scale, colour)
            continue
        _outline(canvas, r.x, r.y, r.right, r.bottom, scale, colour)
        _sign(canvas, sign, r.right + 1.2, r.y + (r.h - 6.0) / 2, 6.0, scale, colour)
    ok, data = cv2.imencode(".png", canvas, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    return bytes(data) if ok else None


def _px(v: float, scale: float) -> int:
    return round(v * scale)


def _outline(
    canvas: Any, x0: float, y0: float, x1: float, y1: float, scale: float, colour: tuple[int, int, int]
) -> None:
    m = 0.8
    cv2.rectangle(
        canvas, (_px(x0 - m, scale), _px(y0 - m, scale)), (_px(x1 + m, scale), _px(y1 + m, scale)), colour, 2
    )


def _sign(
    canvas: Any, sign: str, x: float, y: float, side: float, scale: float, colour: tuple[int, int, int]
) -> None:
    """The reading drawn in a square of ``side`` mm whose top-left is (x, y): ○, ×, – or ?."""
    cx, cy, half = _px(x + side / 2, scale), _px(y + side / 2, scale), _px(side * 0.38, scale)
    thick = max(2, _px(0.5, scale))
    if sign == "for":
        cv2.circle(canvas, (cx, cy), half, colour, thick, cv2.LINE_AA)
    elif sign == "against":
        cv2.line(canvas, (cx - half, cy - half), (cx + half, cy + half), colour, thick, cv2.LINE_AA)
        cv2.line(canvas, (cx - half, cy + half), (cx + half, cy - half), colour, thick, cv2.LINE_AA)
    elif sign == "blank":
        cv2.line(canvas, (cx - half // 2, cy), (cx + half // 2, cy), colour, thick, cv2.LINE_AA)
    else:
        size = side * scale / 30.0
        (w, h), _ = cv2.getTextSize("?", cv2.FONT_HERSHEY_SIMPLEX, size, thick)
        cv2.putText(
            canvas,
            "?",
            (cx - w // 2, cy + h // 2),
            cv2.FONT_HERSHEY_SIMPLEX,
            size,
            colour,
            thick,
            cv2.LINE_AA,
        )
