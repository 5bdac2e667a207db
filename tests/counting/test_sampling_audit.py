"""The sampling audit of a scanned round (抽样复核) in the application: drawn from a seed, read by
scrutineers, confirming the outcome or escalating to a full hand count whose readings govern.

The machine's records are planted here as ballot entries of a scanned round; what the scrutineers
read on paper is chosen by each test, so the expected verdict follows from the test's own data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.counting.world import World, open_round_world
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.counting import sampling
from xuanju.counting.closing import blockers
from xuanju.counting.models import SamplingAudit
from xuanju.elections.models import BallotEntry, CountingMethod
from xuanju.organizations.actions import ActionError
from xuanju.rules.sampling_audit import draw

pytestmark = pytest.mark.django_db
SEED = "3141592653 5897932384"


@built_once
def world() -> World:
    """20 sheets scanned: every voter for the first five candidates, against the sixth."""
    world = open_round_world(timezone.localdate(), method=CountingMethod.SCAN)
    keys = world.keys()
    BallotEntry.objects.bulk_create(
        BallotEntry(
            round=world.round,
            marks_for=keys[:5],
            marks_against=keys[5:],
            sheet=serial,
            source=BallotEntry.Source.SCAN,
            entered_by="counter1",
        )
        for serial in range(1, 21)
    )
    return world


def _as_machine(entry: BallotEntry) -> dict:
    return {
        "marks_for": entry.marks_for,
        "marks_against": entry.marks_against,
        "write_ins": entry.write_ins,
        "void_reason": entry.void_reason,
    }


def _pending(audit: SamplingAudit) -> list[int]:
    return sorted(set(audit.draws.filter(paper__isnull=True).values_list("serial", flat=True)))


def test_the_sheets_are_drawn_from_the_seed_as_anyone_can_redraw_them(world: World) -> None:
    announced = sampling.announced_draws(world.round, 5)
    assert announced is not None and 0 < announced < 20
    audit = sampling.start_audit(world.accounts["scrutineer"], world.round, SEED, 5)
    # Serials 1..20 are the 20 sheets in order: position k is serial k.
    assert list(audit.draws.values_list("serial", flat=True)) == draw("31415926535897932384", 20, announced)
    record = AuditRecord.objects.filter(action="start_sampling_audit").get()
    assert "31415926535897932384" in record.summary
    assert [b for b in blockers(world.round, 20) if "抽样复核" in b]


def test_a_clean_sample_confirms_the_outcome_and_lets_the_count_close(world: World) -> None:
    scrutineer = world.accounts["scrutineer"]
    audit = sampling.start_audit(scrutineer, world.round, SEED, 5)
    for serial in _pending(audit):
        sampling.record_paper(scrutineer, audit, serial, _as_machine(BallotEntry.objects.get(sheet=serial)))
    audit.refresh_from_db()
    assert audit.verdict == SamplingAudit.Verdict.CONFIRMED and audit.measured_risk <= 0.05
    assert not [b for b in blockers(world.round, 20) if "抽样复核" in b]


def test_a_misread_found_by_the_sample_escalates_and_the_hand_count_governs(world: World) -> None:
    scrutineer = world.accounts["scrutineer"]
    keys = world.keys()
    audit = sampling.start_audit(scrutineer, world.round, SEED, 5)
    first = _pending(audit)
    # On paper, the first sheet pulled votes against the first candidate: the machine read it wrong.
    wrong = {"marks_for": keys[1:5], "marks_against": [keys[0], keys[5]], "write_ins": [], "void_reason": ""}
    sampling.record_paper(scrutineer, audit, first[0], wrong)
    for serial in first[1:]:
        sampling.record_paper(scrutineer, audit, serial, _as_machine(BallotEntry.objects.get(sheet=serial)))
    audit.refresh_from_db()
    assert audit.verdict in (SamplingAudit.Verdict.OPEN, SamplingAudit.Verdict.FULL_COUNT)
    assert audit.stages == 2 and _pending(audit), "a discrepancy must draw more sheets"
    while audit.verdict not in (SamplingAudit.Verdict.CONFIRMED, SamplingAudit.Verdict.HAND_COUNTED):
        for serial in _pending(audit):
            sampling.record_paper(
                scrutineer, audit, serial, _as_machine(BallotEntry.objects.get(sheet=serial))
            )
        audit.refresh_from_db()
    corrected = BallotEntry.objects.get(sheet=first[0])
    assert corrected.marks_against == [keys[0], keys[5]] and corrected.source == BallotEntry.Source.SCRUTINEER
    assert AuditRecord.objects.filter(action="correct_audited_sheet").count() == 1
    assert not [b for b in blockers(world.round, 20) if "抽样复核" in b]


def test_a_tie_goes_straight_to_a_full_hand_count(world: World) -> None:
    keys = world.keys()
    # The fifth and sixth candidates tie for the last seat: no sample can settle that.
    for entry in BallotEntry.objects.filter(sheet__lte=10):
        entry.marks_for, entry.marks_against = [*keys[:4], keys[5]], [keys[4]]
        entry.save()
    assert sampling.announced_draws(world.round, 5) is None
    audit = sampling.start_audit(world.accounts["scrutineer"], world.round, SEED, 5)
    assert audit.verdict == SamplingAudit.Verdict.FULL_COUNT and _pending(audit) == list(range(1, 21))


@pytest.mark.rule("R-MEET-4")
def test_only_a_scrutineer_who_did_not_count_may_audit(world: World) -> None:
    with pytest.raises(ActionError, match="监票"):
        sampling.start_audit(world.accounts["counter1"], world.round, SEED, 5)
    with pytest.raises(ActionError, match="随机种子"):
        sampling.start_audit(world.accounts["scrutineer"], world.round, "12345", 5)
    with pytest.raises(ActionError, match="风险上限"):
        sampling.start_audit(world.accounts["scrutineer"], world.round, SEED, 50)
    audit = sampling.start_audit(world.accounts["scrutineer"], world.round, SEED, 5)
    with pytest.raises(ActionError, match="已经开始"):
        sampling.start_audit(world.accounts["scrutineer"], world.round, "2718281828", 5)
    with pytest.raises(ActionError, match="不在待复核"):
        sampling.record_paper(world.accounts["scrutineer"], audit, 999, {})


def test_a_round_counted_at_the_desk_is_not_sampled(db) -> None:
    world = open_round_world(timezone.localdate())
    with pytest.raises(ActionError, match="扫描计票"):
        sampling.announced_draws(world.round, 5)


def test_the_page_announces_the_sample_then_takes_the_readings(world: World) -> None:
    client = client_for(world.accounts["scrutineer"])
    url = reverse("sampling_audit", args=[world.round.pk])
    page = client.get(url).content.decode()
    assert f"第一批须抽取 <b>{sampling.announced_draws(world.round, 5)}</b> 张" in page
    response = client.post(url, {"step": "start", "seed": "12", "risk_limit": "5"})
    assert "随机种子须为" in response.content.decode() and not SamplingAudit.objects.exists()
    client.post(url, {"step": "start", "seed": SEED, "risk_limit": "5"})
    audit = SamplingAudit.objects.get()
    serial = _pending(audit)[0]
    response = client.post(url, {"step": "read", "key": str(serial), "reading": "ooooox"}, follow=True)
    assert f"编号 {serial} 的选票已复核" in response.content.decode()
    assert audit.draws.filter(serial=serial).first().paper["marks_for"] == world.keys()[:5]


def test_the_report_carries_the_seed_the_sheets_and_the_verdict(world: World) -> None:
    from xuanju.documents import content
    from xuanju.documents.kinds import Kind

    scrutineer = world.accounts["scrutineer"]
    audit = sampling.start_audit(scrutineer, world.round, SEED, 5)
    assert Kind.SAMPLING_AUDIT not in {ref.kind for ref in content.available(world.election)}
    pulled = _pending(audit)
    for serial in pulled:
        sampling.record_paper(scrutineer, audit, serial, _as_machine(BallotEntry.objects.get(sheet=serial)))
    built = content.build(world.election, Kind.SAMPLING_AUDIT, world.round.pk)
    assert built.context["seed"] == "31415926535897932384"
    assert built.context["serials"] == "、".join(map(str, pulled))
    assert built.context["verdict"] == "抽样复核确认了计票结果" and built.context["anchor"]
    from tests.documents.reading import docx_text, generate, pdf_pages

    paragraphs, tables = docx_text(generate(world, Kind.SAMPLING_AUDIT, world.round.pk, "docx").data)
    assert paragraphs[0].endswith("第1轮抽样复核报告") and "31415926535897932384" in "".join(paragraphs)
    audit.refresh_from_db()
    assert len(tables[0]) == 1 + len(audit.measures) and len(audit.measures) == 6
    pages = pdf_pages(generate(world, Kind.SAMPLING_AUDIT, world.round.pk, "pdf").data)
    assert all(ink > 0.0005 for _, ink in pages) and "— 1 —" in pages[0][0]
