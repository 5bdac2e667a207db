"""The audit chain cannot be rewritten unseen (R-SUP-4): the head's own guard, a missing head is a
break, the optional key's MACs, and anchors printed on the signed papers. Each attack is reported at
the first bad position. The heads log, which needs real commits, is in test_heads_log.py."""

from __future__ import annotations

import hashlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.audit import attacks
from tests.documents.reading import docx_text, generate
from tests.documents.world import finished_election
from tests.worlds import built_once
from xuanju.audit import guard
from xuanju.audit.anchor import AnchorSyntax, parse
from xuanju.audit.models import AuditRecord, ChainHead
from xuanju.audit.trail import KEY_ENV, check_anchor, record, verify
from xuanju.cli import main
from xuanju.documents.kinds import Kind
from xuanju.elections.models import Round

pytestmark = pytest.mark.django_db

KEY = "correct horse battery staple 0123456789abcdef"


def _records(n: int) -> tuple[int, list[AuditRecord]]:
    """``n`` new records and the number there were before (positions are base + 1 … base + n)."""
    base = AuditRecord.objects.count()
    return base, [record("t", "test", object_type="x", object_id=str(i), after={"i": i}) for i in range(n)]


# --- the anchor's text --------------------------------------------------------------------------


def test_R_SUP_4_an_anchor_is_64_bits_of_the_position_and_the_record_hash():
    from xuanju.audit.anchor import anchor_text, digest

    record_hash = "ab" * 32
    expected = hashlib.sha256(f"xuanju-anchor/1|1234|{record_hash}".encode()).hexdigest()[:16].upper()
    assert digest(1234, record_hash) == expected and len(expected) * 4 == 64
    grouped = "-".join(expected[i : i + 4] for i in range(0, 16, 4))
    assert anchor_text(1234, record_hash) == f"审计校验码 第1234条 {grouped}"
    assert digest(1235, record_hash) != expected  # the same hash elsewhere is another code


@pytest.mark.parametrize(
    "typed, position",
    [
        ("审计校验码 第1234条 4436-7F3A-91C2-0B5E", 1234),
        ("（审计校验码 第1234条 4436-7F3A-91C2-0B5E）", 1234),
        ("第1234条-4436-7f3a-91c2-0b5e", 1234),
        ("1234-4436-7F3A-91C2-0B5E", 1234),
        ("1234 4436 7F3A 91C2 0B5E", 1234),
        ("第 1234 条 44367F3A91C20B5E", 1234),
        ("４４３６－７Ｆ３Ａ－９１Ｃ２－０Ｂ５Ｅ", None),  # full-width, as some input methods type it
        ("4436 7f3a 91c2 0b5e", None),
    ],
)
def test_R_SUP_4_an_anchor_is_read_as_people_type_it(typed, position):
    parsed = parse(typed)
    assert parsed.digest == "44367F3A91C20B5E" and parsed.position == position


@pytest.mark.parametrize(
    "typed, says",
    [
        ("", "请输入审计校验码"),
        ("4436-7F3A-91C2", "应为16位"),
        ("第12条 4436-7F3A-91C2-0B5G", "不能有“G”"),
        ("第12条 1 4436-7F3A-91C2-0B5E", "多了“1”"),
        ("第0条 4436-7F3A-91C2-0B5E", "从第1条起"),
    ],
)
def test_R_SUP_4_what_is_no_anchor_is_refused_in_chinese(typed, says):
    with pytest.raises(AnchorSyntax) as refused:
        parse(typed)
    assert says in refused.value.message


# --- the head's guard ---------------------------------------------------------------------------


def test_R_SUP_4_the_database_refuses_to_delete_or_move_back_the_chain_head():
    _, entries = _records(3)
    head = ChainHead.objects.get()
    refused = [
        "DELETE FROM audit_chainhead",
        'UPDATE audit_chainhead SET "count" = "count" - 1',
        f"UPDATE audit_chainhead SET last_hash = '{entries[1].hash}'",
        'UPDATE audit_chainhead SET "count" = "count" + 1',  # forward, but no record was appended
        f"INSERT INTO audit_chainhead (id, last_hash, \"count\") VALUES (2, '{entries[-1].hash}', {head.count})",
    ]
    if connection.vendor == "postgresql":
        refused.append("TRUNCATE audit_chainhead")
    for statement in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ChainHead.objects.get().count == head.count and ChainHead.objects.count() == 1
    record("t", "test", object_type="x", object_id="after")  # the app still moves it forward
    assert ChainHead.objects.get().count == head.count + 1
    assert verify().broken is None


def test_R_SUP_4_a_bulk_import_moves_the_head_over_all_it_appended_at_once():
    """benchmarks/supervision.py copies valid records in and then sets the head once."""
    base, entries = _records(1)
    previous, rows = entries[-1].hash, []
    for i in range(3):
        row = AuditRecord(
            at=entries[-1].at,
            actor="bench",
            action="x",
            object_type="x",
            object_id=str(i),
            previous_hash=previous,
        )
        row.hash = attacks.rehash(previous, row)
        rows.append(row)
        previous = row.hash
    AuditRecord.objects.bulk_create(rows)
    with pytest.raises(DatabaseError), transaction.atomic():  # not over only some of them
        ChainHead.objects.filter(pk=1).update(last_hash=previous, count=base + 2)
    ChainHead.objects.filter(pk=1).update(last_hash=previous, count=base + 4)
    assert verify().broken is None and verify().checked == base + 4


def test_R_SUP_4_lifting_the_guard_still_lets_a_test_database_be_emptied():
    _records(2)
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")
        cursor.execute("DELETE FROM audit_chainhead")
    guard.install(connection)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_chainhead (id, last_hash, \"count\") VALUES (1, 'x', 5)")


# --- each attack, reported at the first bad position --------------------------------------------


def test_R_SUP_4_a_deleted_head_is_a_break_never_nothing_to_check(capsys):
    base, _ = _records(4)
    attacks.sql("DELETE FROM audit_chainhead")
    result = verify()
    assert result.checked == base + 4
    assert result.broken is not None and result.broken.position == base + 5 and result.broken.record_id == 0
    assert "链头记录不见了" in result.broken.reason
    assert main(["audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert f"第 {base + 5} 条" in err and "审计链完整" not in err


def test_R_SUP_4_nothing_more_is_written_once_the_head_is_gone():
    base, _ = _records(2)
    attacks.sql("DELETE FROM audit_chainhead")
    guard.remove(connection)  # even with the triggers down, the app does not start a new head
    with pytest.raises(PermissionError, match="审计链头记录缺失"):
        record("t", "test", object_type="x", object_id="after")
    assert AuditRecord.objects.count() == base + 2


def test_R_SUP_4_a_deleted_middle_record_is_reported_at_its_position():
    base, entries = _records(5)
    attacks.sql("DELETE FROM audit_auditrecord WHERE id = %s", [entries[2].pk])
    broken = verify().broken
    assert broken is not None and broken.position == base + 3 and broken.record_id == entries[3].pk


def test_R_SUP_4_an_edited_record_is_reported_at_its_position():
    base, entries = _records(5)
    attacks.sql("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过", entries[1].pk])
    result = verify()
    assert result.checked == base + 1
    assert result.broken is not None and result.broken.position == base + 2
    assert result.broken.record_id == entries[1].pk


def test_R_SUP_4_a_deleted_tail_with_an_unfixed_head_is_reported_after_the_last_record():
    base, entries = _records(4)
    attacks.sql("DELETE FROM audit_auditrecord WHERE id >= %s", [entries[2].pk])
    broken = verify().broken
    assert broken is not None and broken.position == base + 3 and broken.record_id == 0


# --- the key ------------------------------------------------------------------------------------


def test_R_SUP_4_the_key_catches_edit_and_recompute(monkeypatch, capsys):
    monkeypatch.setenv(KEY_ENV, KEY)
    base, _ = _records(5)
    assert verify().broken is None and verify().keyed == 5
    attacks.edit_and_recompute(base + 3, "改过的摘要")
    broken = verify().broken
    assert broken is not None and broken.position == base + 3 and "密钥校验码不符" in broken.reason
    assert main(["audit", "verify"]) == 2
    assert f"第 {base + 3} 条" in capsys.readouterr().err
    monkeypatch.delenv(KEY_ENV)  # without the key the recomputed chain reads as whole: why it exists
    assert verify().broken is None


def test_R_SUP_4_the_key_catches_macs_stripped_after_the_first_keyed_record(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    base, _ = _records(4)
    attacks.edit_and_recompute(base + 2, "改过的摘要", strip_macs=True)
    broken = verify().broken
    assert broken is not None and broken.position == base + 2 and "没有密钥校验码" in broken.reason


def test_R_SUP_4_the_key_catches_a_chain_recomputed_from_the_first_record_without_macs(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    _records(3)
    attacks.edit_and_recompute(1, "改过的摘要", strip_macs=True)
    broken = verify().broken
    assert broken is not None and broken.position == 1


def test_R_SUP_4_records_written_before_the_key_was_set_still_verify(monkeypatch):
    base, _ = _records(2)
    monkeypatch.setenv(KEY_ENV, KEY)
    _records(2)
    result = verify()
    assert result.broken is None and result.keyed == 2 and result.checked == base + 4


def test_R_SUP_4_a_wrong_key_is_a_break_at_the_first_keyed_record(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    base, _ = _records(2)
    monkeypatch.setenv(KEY_ENV, "another key")
    broken = verify().broken
    assert broken is not None and broken.position == base + 1


# --- anchors on printed papers ------------------------------------------------------------------


def _printed_anchor(paragraphs: list[str]) -> str:
    lines = [p for p in paragraphs if "审计校验码" in p]
    assert len(lines) == 1, paragraphs[-3:]
    return lines[0]


@built_once
def world():
    return finished_election(timezone.localdate())


def test_R_SUP_4_an_anchor_printed_on_a_round_result_holds_then_fails_after_a_recompute(world, capsys):
    first = Round.objects.filter(contest__election=world.election).order_by("pk").first()
    paragraphs, _ = docx_text(generate(world, Kind.ROUND_RESULT, first.pk).data)
    printed = _printed_anchor(paragraphs)
    # The anchor is the round's closing, whatever happened after it: position of that record.
    closing = AuditRecord.objects.get(action="close_round", object_id=str(first.pk))
    position = AuditRecord.objects.filter(pk__lte=closing.pk).count()
    assert f"第{position}条" in printed
    assert docx_text(generate(world, Kind.ROUND_RESULT, first.pk).data)[0] == paragraphs  # reproducible
    check = check_anchor(printed)
    assert check.holds and check.verification.anchored_at == position
    assert main(["audit", "verify", "--anchor", printed]) == 0
    assert "相符" in capsys.readouterr().out

    attacks.edit_and_recompute(position - 3, "改过的摘要")  # before the anchored record
    assert verify().broken is None  # hash chain and head alone see nothing
    check = check_anchor(printed)
    assert not check.holds and f"第 {position} 条与校验码" in check.message
    assert main(["audit", "verify", "--anchor", printed]) == 2
    assert "不符" in capsys.readouterr().err
    # Printed again now, the paper carries another code: the one kept on paper is what counts.
    assert _printed_anchor(docx_text(generate(world, Kind.ROUND_RESULT, first.pk).data)[0]) != printed


def test_R_SUP_4_an_anchor_typed_without_its_position_is_found_and_still_fails_after_a_recompute(world):
    reply = _printed_anchor(docx_text(generate(world, Kind.RESULTS_REPLY).data)[0])
    code = reply.split("条")[-1].strip(" ）")
    assert check_anchor(code.lower()).holds
    last = AuditRecord.objects.count()
    attacks.edit_and_recompute(last, "改过的摘要")
    check = check_anchor(code)
    assert not check.holds and "没有一条与校验码" in check.message


@pytest.mark.parametrize(
    "kind, action",
    [
        (Kind.RESULT_FORM, "close_round"),
        (Kind.RESULTS_REPORT, "submit_results"),
        (Kind.PLAN_REPLY, "decide"),
        (Kind.CANDIDATES_REPLY, "decide"),
        (Kind.RESULTS_REPLY, "decide"),
    ],
)
def test_R_SUP_4_every_signed_paper_prints_the_anchor_of_the_event_it_certifies(world, kind, action):
    printed = _printed_anchor(docx_text(generate(world, kind).data)[0])
    check = check_anchor(printed)
    assert check.holds
    anchored = AuditRecord.objects.order_by("pk")[check.verification.anchored_at - 1]
    assert anchored.action == action


def test_R_SUP_4_the_minutes_print_the_anchor_of_the_meetings_last_record(world):
    meeting = world.election.meetings.order_by("pk").first()
    printed = _printed_anchor(docx_text(generate(world, Kind.MINUTES, meeting.pk).data)[0])
    check = check_anchor(printed)
    assert check.holds
    anchored = AuditRecord.objects.order_by("pk")[check.verification.anchored_at - 1]
    rounds = {str(pk) for pk in Round.objects.filter(meeting=meeting).values_list("pk", flat=True)}
    assert (anchored.object_type, anchored.object_id) in {("elections.meeting", str(meeting.pk))} | {
        ("elections.round", pk) for pk in rounds
    }
    later = AuditRecord.objects.filter(pk__gt=anchored.pk)
    assert not later.filter(object_type="elections.meeting", object_id=str(meeting.pk)).exists()
    assert not later.filter(object_type="elections.round", object_id__in=rounds).exists()


def test_R_SUP_4_the_count_report_prints_the_same_anchor_as_the_round_result(world):
    first = Round.objects.filter(contest__election=world.election).order_by("pk").first()
    printed = _printed_anchor(docx_text(generate(world, Kind.ROUND_RESULT, first.pk).data)[0])
    page = f.client_for(world.accounts["secretary"]).get(reverse("count_report", args=[first.pk]))
    assert page.status_code == 200
    assert printed in page.content.decode()


def test_R_SUP_4_a_custom_template_without_the_anchor_still_prints_it(world):
    from xuanju.documents.models import DocumentTemplate

    DocumentTemplate.objects.create(
        organization=world.election.organization, kind=Kind.RESULTS_REPLY, body="# 批复\n此复。\n"
    )
    paragraphs, _ = docx_text(generate(world, Kind.RESULTS_REPLY).data)
    assert check_anchor(_printed_anchor(paragraphs)).holds


# --- the inspectors' page -----------------------------------------------------------------------

ROUTES = ["audit_anchor"]


def test_R_SUP_4_inspectors_check_an_anchor_on_their_page(world):
    inspector = f.account("inspector", world.tree.town, "inspector")
    first = Round.objects.filter(contest__election=world.election).order_by("pk").first()
    printed = _printed_anchor(docx_text(generate(world, Kind.ROUND_RESULT, first.pk).data)[0])
    client = f.client_for(inspector)
    url = reverse("audit_anchor")
    empty = client.get(url).content.decode()
    assert "核对审计校验码" in empty and "审计链完整" in empty
    page = client.get(url, {"code": printed}).content.decode()
    assert "相符。" in page and "审计链完整" in page
    page = client.get(url, {"code": "4436-7F3A"}).content.decode()
    assert "应为16位" in page
    position = int(printed.split("第")[1].split("条")[0])
    attacks.edit_and_recompute(position, "改过的摘要")
    page = client.get(url, {"code": printed}).content.decode()
    assert "不符。" in page


@pytest.mark.parametrize("name", ROUTES)
def test_R_SUP_4_outsiders_members_and_organizers_cannot_check_anchors(world, name):
    url = reverse(name)
    for who in ("secretary", "member", "outsider"):
        client = Client()
        client.force_login(world.accounts[who])
        assert client.get(url, {"code": "4436-7F3A-91C2-0B5E"}).status_code == 403, who
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_R_SUP_4_verify_refuses_an_anchor_that_is_no_anchor_in_chinese(capsys):
    _records(1)
    assert main(["audit", "verify", "--anchor", "第3条 XYZ"]) == 2
    err = capsys.readouterr().err
    assert "输入有误" in err and "--anchor" in err and "Traceback" not in err
