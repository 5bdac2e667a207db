"""The heads log (R-SUP-4): each committed head appended to a file outside the database, so that a
truncated or recomputed chain shows against it. Real commits: these tests run in transactions of
their own and empty the database afterwards (the guard lifted for that flush, then put back)."""

from __future__ import annotations

import stat
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from tests.audit import attacks
from xuanju.audit import guard
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import record, verify
from xuanju.cli import main


@pytest.fixture
def guard_back_after_flush(django_db_blocker) -> Iterator[None]:
    """Set up before the database fixture, so this runs after its flush: put the guard back."""
    yield
    with django_db_blocker.unblock():
        guard.install(connection)


@pytest.fixture
def committed(guard_back_after_flush, transactional_db, settings, tmp_path) -> Iterator[object]:
    guard.install(connection)
    settings.AUDIT_HEADS_LOG = tmp_path / "audit-heads.log"
    yield settings.AUDIT_HEADS_LOG
    guard.remove(connection)  # the flush after the test deletes the records


def _lines(path) -> list[tuple[int, str]]:
    return [(int(line.split()[0]), line.split()[1]) for line in path.read_text().splitlines()]


def test_R_SUP_4_one_line_per_committed_transaction_in_a_private_file(committed):
    base = AuditRecord.objects.count()
    with transaction.atomic():
        for i in range(3):
            record("t", "test", object_type="x", object_id=str(i))
        assert not committed.exists()  # nothing before the commit
    last = record("t", "test", object_type="x", object_id="3")
    newest = AuditRecord.objects.order_by("pk")
    assert _lines(committed) == [(base + 3, newest[base + 2].hash), (base + 4, last.hash)]
    assert stat.S_IMODE(committed.stat().st_mode) == 0o600
    with pytest.raises(ValueError), transaction.atomic():  # rolled back: no line
        record("t", "test", object_type="x", object_id="4")
        raise ValueError
    assert len(_lines(committed)) == 2
    result = verify()
    assert result.broken is None and result.log_lines == 2


def test_R_SUP_4_the_heads_log_catches_a_deleted_tail_with_a_fixed_head(committed, capsys):
    base = AuditRecord.objects.count()
    for i in range(5):
        record("t", "test", object_type="x", object_id=str(i))
    attacks.delete_tail_and_fix_head(base + 3)
    result = verify()
    assert result.checked == base + 3
    assert result.broken is not None and result.broken.position == base + 4 and result.broken.record_id == 0
    assert f"头记录文件第 4 行记着第 {base + 4} 条" in result.broken.reason
    assert main(["audit", "verify"]) == 2
    assert f"第 {base + 4} 条" in capsys.readouterr().err


def test_R_SUP_4_without_the_heads_log_a_fixed_head_hides_the_deleted_tail(committed, settings):
    """Why the log exists: the head alone, fixed up, agrees with the shortened chain."""
    base = AuditRecord.objects.count()
    for i in range(4):
        record("t", "test", object_type="x", object_id=str(i))
    attacks.delete_tail_and_fix_head(base + 2)
    settings.AUDIT_HEADS_LOG = None
    assert verify().broken is None


def test_R_SUP_4_the_heads_log_catches_edit_and_recompute(committed):
    base = AuditRecord.objects.count()
    entries = [record("t", "test", object_type="x", object_id=str(i)) for i in range(5)]
    attacks.edit_and_recompute(base + 2, "改过的摘要")
    broken = verify().broken
    assert broken is not None and broken.position == base + 2 and broken.record_id == entries[1].pk
    assert "头记录文件第 2 行" in broken.reason
