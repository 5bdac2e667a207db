"""The sampling audit (抽样复核) of a scanned round, as actions: start it from a seed rolled in the
room, record what each pulled sheet says on paper, and let the arithmetic of
:mod:`xuanju.rules.sampling_audit` confirm the outcome, ask for more sheets, or ask for a full hand
count, whose readings then govern the count. Only scrutineers act (R-MEET-4); every step is audited
with the seed, the sheets drawn and what was found. See docs/sampling-audit.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction

from xuanju.audit.trail import record, snapshot
from xuanju.counting.models import AuditDraw, DeskEntry, SamplingAudit, ScanPage
from xuanju.counting.readings import place_label, place_of
from xuanju.elections import duties
from xuanju.elections.models import BallotEntry, CountingMethod, Round
from xuanju.elections.rounds import election_round
from xuanju.organizations.actions import ActionError
from xuanju.rules.ballots import Ballot
from xuanju.rules.sampling_audit import (
    Assertion,
    Verdict,
    Votes,
    draw,
    evaluate,
    initial_draws,
    normalize_seed,
    reported_margin,
    round_assertions,
    sheet_votes,
)
from xuanju.rules.tally import RoundResult, tally_round

MIN_SEED_LENGTH = 10  # e.g. ten rolls of a ten-sided die: 10^10 possible draws
RISK_LIMITS = (1, 5, 10)  # per cent; the procedure's default is 5 (docs/sampling-audit.md)
READING_FIELDS = ("marks_for", "marks_against", "write_ins", "void_reason")


@dataclass(frozen=True)
class Machine:
    """The round as the machine counted it: one entry per sheet, in serial order, or on unnumbered
    sheets in batch and position order; ``keys`` name each sheet as the desk does (“12”, “3-17”)."""

    entries: list[BallotEntry]
    sheets: list[Votes]
    result: RoundResult
    names: dict[str, str]
    keys: list[str]

    def entry(self, key: str) -> BallotEntry:
        return self.entries[self.keys.index(key)]


def _places(round_: Round, entries: list[BallotEntry]) -> dict[int, tuple[int, int]]:
    """Where each unnumbered sheet is in the stacks: the batch and page it was scanned as, or the
    batch and position the desk entered it by (a sheet the scanner could not read)."""
    places: dict[int, tuple[int, int]] = {}
    for ballot, batch, page in ScanPage.objects.filter(round=round_, ballot__isnull=False).values_list(
        "ballot", "file__batch", "page_number"
    ):
        if batch is not None:
            places[ballot] = (batch, page)
    for ballot, key in DeskEntry.objects.filter(round=round_, ballot__isnull=False).values_list(
        "ballot", "key"
    ):
        place = place_of(key)
        if place is not None:
            places.setdefault(ballot, place)
    return places


def _ballot(reading: dict[str, Any]) -> Ballot:
    return Ballot(
        for_=tuple(reading.get("marks_for", ())),
        against=tuple(reading.get("marks_against", ())),
        write_in=tuple(reading.get("write_ins", ())),
        void_reason=reading.get("void_reason") or None,
    )


def _reading(entry: BallotEntry) -> dict[str, Any]:
    return {field: getattr(entry, field) for field in READING_FIELDS}


def machine_count(round_: Round) -> Machine:
    """The sheets of ``round_`` as counted, or ActionError saying why a sample cannot be drawn."""
    if round_.counting_method != CountingMethod.SCAN:
        raise ActionError("抽样复核用于扫描计票的轮次；人工录入的选票已由计票人和监票人逐张核对")
    entries = list(BallotEntry.objects.filter(round=round_).order_by("sheet", "pk"))
    if not entries:
        raise ActionError("本轮还没有计入的选票，计票完成后再抽样复核")
    if round_.numbered_sheets:
        loose = sum(entry.count for entry in entries if entry.sheet is None or entry.count != 1)
        keys = [str(entry.sheet) for entry in entries]
        where = "编号"
    else:
        places = _places(round_, entries)
        loose = sum(entry.count for entry in entries if entry.pk not in places or entry.count != 1)
        entries.sort(key=lambda entry: places.get(entry.pk, (0, 0)))
        keys = ["{}-{}".format(*places.get(entry.pk, (0, 0))) for entry in entries]
        where = "批次和张次"
    if loose:
        raise ActionError(
            f"本轮有 {loose} 张选票没有逐张对应的{where}，无法按{where}抽取；请对全部选票人工复核"
        )
    if ScanPage.objects.filter(round=round_, status=ScanPage.Status.SUSPECT).exists():
        raise ActionError("还有可能重复扫描的选票待监票人判断，判断完毕后再抽样复核")
    if ScanPage.objects.filter(round=round_, status=ScanPage.Status.REVIEW).exists():
        raise ActionError("还有扫描的选票待监票人裁定，裁定完毕后再抽样复核")
    counted = election_round(round_)
    sheets = [sheet_votes(_ballot(_reading(entry)), round_.seats) for entry in entries]
    result = tally_round(counted)
    names = {person.id: person.name for person in result.tally}
    return Machine(entries, sheets, result, names, keys)


def _assertions(machine: Machine) -> tuple[Assertion, ...] | None:
    try:
        return round_assertions(machine.sheets, machine.result)
    except ValueError:  # more sheets than the majority base: only a full count can say
        return None


def announced_draws(round_: Round, risk_limit: int) -> int | None:
    """How many sheets the first stage pulls, for the page before anyone starts; None: a sample
    cannot do better than counting every sheet by hand (a tie, or a margin too small)."""
    machine = machine_count(round_)
    assertions = _assertions(machine)
    if assertions is None:
        return None
    return initial_draws(assertions, machine.sheets, Fraction(risk_limit, 100))


def _locked(round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.closed:
        raise ActionError("本轮已结束计票，不能再抽样复核")
    return round_


@transaction.atomic
def start_audit(actor: Any, round_: Round, seed: str, risk_limit: int) -> SamplingAudit:
    """Draw the first stage from ``seed``; with no margin for a sample, every sheet at once."""
    round_ = _locked(round_)
    duties.require_scrutineer(actor, round_, "抽样复核")
    if SamplingAudit.objects.filter(round=round_).exists():
        raise ActionError("本轮已经开始抽样复核，不能重新抽取")
    if risk_limit not in RISK_LIMITS:
        raise ActionError("风险上限只能是 1%、5% 或 10%", "risk_limit")
    key = normalize_seed(seed)
    if len(key) < MIN_SEED_LENGTH or len(key) > 100:
        raise ActionError(f"随机种子须为 {MIN_SEED_LENGTH}～100 位数字或字母，请在会场当众掷骰子产生", "seed")
    machine = machine_count(round_)
    assertions = _assertions(machine)
    first = (
        None if assertions is None else initial_draws(assertions, machine.sheets, Fraction(risk_limit, 100))
    )
    audit = SamplingAudit.objects.create(
        round=round_, risk_limit=risk_limit, seed=key, started_by=duties.actor_name(actor)
    )
    if first is None:
        _draw_everything(audit, machine, start=0)
        audit.verdict = SamplingAudit.Verdict.FULL_COUNT
        audit.save(update_fields=["verdict"])
    else:
        _draw(audit, machine, first, start=0)
    record(
        duties.actor_name(actor),
        "start_sampling_audit",
        audit,
        after=snapshot(audit) | {"sheets": _pulled(audit)},
        summary=f"第{round_.number}轮抽样复核：随机种子 {key}，风险上限 {risk_limit}%，"
        + (f"抽取 {first} 张" if first else "差距过小，须对全部选票人工复核"),
    )
    return audit


def _pulled(audit: SamplingAudit) -> list[str]:
    return [d.key for d in audit.draws.order_by("number")]


def _new_draw(audit: SamplingAudit, number: int, key: str, full_count: bool = False) -> AuditDraw:
    """A draw of the sheet ``key``: by serial on numbered sheets, by batch and position on unnumbered."""
    place = place_of(key)
    if place is not None:
        return AuditDraw(audit=audit, number=number, batch=place[0], position=place[1], full_count=full_count)
    return AuditDraw(audit=audit, number=number, serial=int(key), full_count=full_count)


def _draw(audit: SamplingAudit, machine: Machine, count: int, start: int) -> None:
    positions = draw(audit.seed, len(machine.sheets), count, start=start)
    AuditDraw.objects.bulk_create(
        _new_draw(audit, start + k + 1, machine.keys[p - 1]) for k, p in enumerate(positions)
    )
    _fill_known(audit)


def _draw_everything(audit: SamplingAudit, machine: Machine, start: int) -> None:
    AuditDraw.objects.bulk_create(
        _new_draw(audit, start + k + 1, key, full_count=True) for k, key in enumerate(machine.keys)
    )
    _fill_known(audit)


def _fill_known(audit: SamplingAudit) -> None:
    """A sheet read once is not read again: later draws of it take the same reading."""
    known = {d.key: d for d in audit.draws.exclude(paper__isnull=True)}
    for pending in audit.draws.filter(paper__isnull=True):
        if pending.key in known:
            pending.paper, pending.read_by = known[pending.key].paper, known[pending.key].read_by
            pending.save(update_fields=["paper", "read_by"])


def _draws_of(audit: SamplingAudit, key: str) -> Any:
    place = place_of(key)
    if place is not None:
        return audit.draws.filter(batch=place[0], position=place[1])
    return audit.draws.filter(serial=int(key)) if key.isdigit() else audit.draws.none()


def sheet_label(key: str) -> str:
    place = place_of(key)
    return place_label(*place) if place is not None else f"编号 {key}"


def sheet_phrase(key: str) -> str:
    """“编号 12 的选票” or “第3批第17张选票”, as the audit's messages name a sheet."""
    place = place_of(key)
    return f"{place_label(*place)}选票" if place is not None else f"编号 {key} 的选票"


@transaction.atomic
def record_paper(actor: Any, audit: SamplingAudit, key: str | int, reading: dict[str, Any]) -> SamplingAudit:
    """What the pulled sheet ``key`` (its serial, or “3-17”: batch 3, position 17, on unnumbered
    sheets) says on paper, read by a scrutineer; once every drawn sheet is read, the stage is weighed."""
    key = str(key)
    round_ = _locked(audit.round)
    audit = SamplingAudit.objects.select_for_update().get(pk=audit.pk)
    duties.require_scrutineer(actor, round_, "抽样复核")
    if audit.verdict in (SamplingAudit.Verdict.CONFIRMED, SamplingAudit.Verdict.HAND_COUNTED):
        raise ActionError("本轮抽样复核已经完成")
    pending = list(_draws_of(audit, key).filter(paper__isnull=True))
    if not pending:
        raise ActionError(f"{sheet_phrase(key)}不在待复核的抽取名单中，或已经复核过")
    paper = {field: reading.get(field) or ([] if field != "void_reason" else "") for field in READING_FIELDS}
    for row in pending:
        row.paper, row.read_by = paper, duties.actor_name(actor)
        row.save(update_fields=["paper", "read_by"])
    # The one sheet is compared here; the whole round is counted only when a stage is weighed.
    entry = machine_count(round_).entry(key)
    differs = _differs(_reading(entry), paper, round_.seats)
    record(
        duties.actor_name(actor),
        "record_audited_sheet",
        audit,
        after={"sheet": key, "paper": paper, "differs": differs},
        summary=f"抽样复核：{sheet_phrase(key)}人工复核"
        + ("，与计票记录不一致" if differs else "，与计票记录一致"),
    )
    if not audit.draws.filter(paper__isnull=True).exists():
        _weigh(actor, audit, machine_count(round_))
    return audit


def _same(machine: dict[str, Any], paper: dict[str, Any]) -> bool:
    return all(
        sorted(machine[f]) == sorted(paper[f]) if f != "void_reason" else machine[f] == paper[f]
        for f in READING_FIELDS
    )


def _differs(machine: dict[str, Any], paper: dict[str, Any], seats: int) -> bool:
    return sheet_votes(_ballot(machine), seats) != sheet_votes(_ballot(paper), seats)


def _weigh(actor: Any, audit: SamplingAudit, machine: Machine) -> None:
    draws = list(audit.draws.order_by("number"))
    if any(d.full_count for d in draws):
        _conclude_full_count(actor, audit, machine, draws)
        return
    assertions = _assertions(machine) or ()
    position = {key: k + 1 for k, key in enumerate(machine.keys)}
    sample = [(position[d.key], sheet_votes(_ballot(d.paper or {}), audit.round.seats)) for d in draws]
    result = evaluate(assertions, machine.sheets, sample, Fraction(audit.risk_limit, 100))
    audit.measured_risk = result.risk
    audit.measures = [
        {
            "claim": m.assertion.describe(machine.names),
            "margin": float(m.margin),
            "risk": m.risk,
        }
        for m in result.measures
    ]
    found = [machine.keys[p - 1] for p in sorted(set(result.discrepancies))]
    if result.verdict is Verdict.CONFIRMED:
        audit.verdict = SamplingAudit.Verdict.CONFIRMED
        _correct(actor, audit, machine, draws)
        summary = f"抽样复核确认了计票结果：实测风险 {result.risk:.2%}，不超过 {audit.risk_limit}%"
    elif result.verdict is Verdict.ESCALATE:
        audit.stages += 1
        _draw(audit, machine, result.next_draws, start=len(draws))
        summary = f"抽样复核发现不一致（{'、'.join(sheet_label(k) for k in found)}），按规则追加抽取 {result.next_draws} 张"
    else:
        audit.verdict = SamplingAudit.Verdict.FULL_COUNT
        audit.stages += 1
        _draw_everything(audit, machine, start=len(draws))
        summary = "抽样未能在风险上限内确认计票结果，须对全部选票人工复核"
    audit.save()
    record(
        duties.actor_name(actor),
        "weigh_sampling_audit",
        audit,
        after=snapshot(audit) | {"discrepancies": found},
        summary=f"第{audit.round.number}轮：{summary}",
    )


def _correct(actor: Any, audit: SamplingAudit, machine: Machine, draws: list[AuditDraw]) -> None:
    """The paper governs: a sheet the scrutineers read differently from the machine is entered as
    they read it (R-BAL-4: the scrutineers decide a reading), audited with both readings."""
    read = {d.key: d.paper for d in draws if d.paper is not None}
    for key, entry in zip(machine.keys, machine.entries, strict=True):
        paper = read.get(key)
        if paper is None or _same(_reading(entry), paper):
            continue
        before = snapshot(entry)
        for field in READING_FIELDS:
            setattr(entry, field, paper[field])
        entry.source = BallotEntry.Source.SCRUTINEER
        entry.confirmed_by = duties.actor_name(actor)
        entry.save()
        record(
            duties.actor_name(actor),
            "correct_audited_sheet",
            entry,
            before=before,
            after=snapshot(entry),
            summary=f"抽样复核：{sheet_phrase(key)}按人工复核结果计入",
        )


def _conclude_full_count(actor: Any, audit: SamplingAudit, machine: Machine, draws: list[AuditDraw]) -> None:
    seats = audit.round.seats
    changed = [
        d.key
        for d in draws
        if d.full_count and _differs(_reading(machine.entry(d.key)), d.paper or {}, seats)
    ]
    _correct(actor, audit, machine, draws)
    audit.verdict = SamplingAudit.Verdict.HAND_COUNTED
    audit.measured_risk = 0.0
    audit.save()
    record(
        duties.actor_name(actor),
        "weigh_sampling_audit",
        audit,
        after=snapshot(audit) | {"corrected": changed},
        summary=f"第{audit.round.number}轮：全部选票已人工复核，{len(changed)} 张的计票结果按人工复核改正",
    )


def margins(round_: Round) -> list[tuple[str, float]]:
    """Each claim the outcome rests on and its reported margin, for the page before the audit."""
    machine = machine_count(round_)
    assertions = _assertions(machine) or ()
    return [(a.describe(machine.names), float(reported_margin(a, machine.sheets))) for a in assertions]
