"""Checkpoints of the audit chain (R-SUP-4): a page checks from the newest one on; a full walk still
finds a break before it."""

from __future__ import annotations

import pytest

from tests.audit.attacks import edit_and_recompute, sql
from xuanju.audit import checkpoints
from xuanju.audit.models import AuditRecord, Checkpoint
from xuanju.audit.trail import KEY_ENV, record, verify
from xuanju.cli import main

pytestmark = pytest.mark.django_db


def _records(count: int, start: int = 0) -> list[AuditRecord]:
    return [
        record("t", "test", object_type="x", object_id=str(i), after={"i": i})
        for i in range(start, start + count)
    ]


def _checkpoint_after(count: int) -> tuple[list[AuditRecord], Checkpoint]:
    entries = _records(count)
    point = checkpoints.record(verify())
    assert point is not None
    return entries, point


@pytest.mark.rule("R-SUP-4")
def test_without_a_checkpoint_the_whole_chain_is_walked_and_one_is_stored():
    _records(5)
    result = checkpoints.verify_since()
    assert result.intact and result.since == 0 and result.checked == 5
    [point] = Checkpoint.objects.all()
    assert (point.position, point.record_hash) == (5, AuditRecord.objects.order_by("pk").last().hash)


@pytest.mark.rule("R-SUP-4")
def test_the_audit_verify_command_stores_a_checkpoint_at_the_end_of_the_chain():
    _records(4)
    assert main(["audit", "verify"]) == 0
    assert Checkpoint.objects.get().position == 4


@pytest.mark.rule("R-SUP-4")
def test_records_after_the_checkpoint_are_checked_one_by_one():
    _checkpoint_after(4)
    later = _records(3, start=4)
    result = checkpoints.verify_since()
    assert result.intact and result.since == 4 and result.checked == 7 and result.last_id == later[-1].pk


@pytest.mark.rule("R-SUP-4")
def test_tampering_after_the_checkpoint_is_found_by_the_page():
    _checkpoint_after(4)
    later = _records(3, start=4)
    sql("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过", later[1].pk])
    result = checkpoints.verify_since()
    assert (
        result.broken is not None and result.broken.position == 6 and result.broken.record_id == later[1].pk
    )
    assert result.checked == 5


@pytest.mark.rule("R-SUP-4")
def test_a_deleted_record_after_the_checkpoint_and_a_cut_tail_are_found():
    _checkpoint_after(3)
    later = _records(3, start=3)
    sql("DELETE FROM audit_auditrecord WHERE id = %s", [later[0].pk])
    assert checkpoints.verify_since().broken.position == 4
    sql("DELETE FROM audit_auditrecord WHERE id > %s", [later[0].pk])
    assert checkpoints.verify_since().broken.position == 4  # the head still counts 6


@pytest.mark.rule("R-SUP-4")
def test_an_edit_of_the_checkpoints_own_record_or_a_deletion_before_it_is_found_by_the_page():
    entries, point = _checkpoint_after(5)
    sql("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过", entries[-1].pk])
    assert checkpoints.verify_since().broken.position == point.position
    sql("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", [entries[-1].summary, entries[-1].pk])
    assert checkpoints.verify_since().intact
    sql("DELETE FROM audit_auditrecord WHERE id = %s", [entries[1].pk])
    broken = checkpoints.verify_since().broken
    assert broken is not None and "记录被删除或插入" in broken.reason


@pytest.mark.rule("R-SUP-4")
def test_a_recomputed_chain_breaks_the_checkpoint_unless_the_checkpoint_is_forged_too():
    """What the page's check does not prove: an edit before the checkpoint, recomputed through the
    chain, changes the hash at the checkpoint, which the page sees. Only if the checkpoint row is
    forged as well (possible without the key) does the page pass; then, as before checkpoints, only
    the key's MACs, the heads log or a printed 审计校验码 show the rewrite (see the next test)."""
    entries, point = _checkpoint_after(6)
    _records(2, start=6)
    edit_and_recompute(2, "改过")  # every later hash and the head recomputed, no key
    assert checkpoints.verify_since().broken.position == point.position  # the checkpoint's hash moved
    # The attacker also rewrites the checkpoint (possible without the key): the page passes ...
    rewritten = AuditRecord.objects.get(pk=entries[-1].pk)
    sql("UPDATE audit_checkpoint SET record_hash = %s WHERE id = %s", [rewritten.hash, point.pk])
    assert checkpoints.verify_since().intact
    # Consistent hashes, no key, no heads log (off in tests): the full walk cannot tell either.
    assert verify().intact


@pytest.mark.rule("R-SUP-4")
def test_with_the_key_a_forged_checkpoint_is_not_used(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "k" * 64)
    entries, point = _checkpoint_after(6)
    assert point.mac
    monkeypatch.delenv(KEY_ENV)
    edit_and_recompute(2, "改过", strip_macs=False)
    rewritten = AuditRecord.objects.get(pk=entries[-1].pk)
    sql("UPDATE audit_checkpoint SET record_hash = %s WHERE id = %s", [rewritten.hash, point.pk])
    monkeypatch.setenv(KEY_ENV, "k" * 64)
    result = checkpoints.verify_since()
    assert not result.intact and result.since == 0  # the checkpoint's MAC fails: walked from the first
    assert result.broken.position == 2
    assert any("核验点没有相符的密钥校验码" in note for note in result.notes)


@pytest.mark.rule("R-SUP-4")
def test_a_break_before_the_checkpoint_is_still_found_by_the_full_verify(capsys):
    entries, _ = _checkpoint_after(5)
    sql("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过", entries[1].pk])
    # The page's check does not read record 2 (it is before the checkpoint and not its record) ...
    assert checkpoints.verify_since().intact
    # ... the full walk does, and names it.
    assert verify().broken.position == 2
    assert main(["audit", "verify"]) == 2
    assert "第 2 条" in capsys.readouterr().err
    assert Checkpoint.objects.count() == 1  # no checkpoint is stored over a break
