"""The audit trail is append-only and tamper-evident (R-SUP-4)."""

from __future__ import annotations

import itertools

import pytest
from django.db import DatabaseError, connection, transaction

from tests import factories as f
from xuanju.audit import guard
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import record, verify_chain
from xuanju.cli import main

pytestmark = pytest.mark.django_db


def test_R_SUP_4_records_chain_and_verify():
    tree = f.county_tree()
    f.member(tree.village)
    checked, broken = verify_chain()
    assert broken is None and checked == AuditRecord.objects.count() > 5
    records = list(AuditRecord.objects.order_by("pk"))
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(records))


def test_R_SUP_4_records_cannot_be_changed_or_deleted_through_the_orm():
    entry = record("t", "test", object_type="x", object_id="1", after={"a": 1})
    entry.actor = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().update(actor="x")
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()


def test_R_SUP_4_the_database_refuses_update_and_delete_even_in_sql():
    record("t", "test", object_type="x", object_id="1", after={"a": 1})
    table = AuditRecord._meta.db_table
    for statement in (f"UPDATE {table} SET actor = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditRecord.objects.get().actor == "t"


def _tamper(sql: str, params: list) -> None:
    """Bypass the triggers the way an attacker with database access would."""
    table = AuditRecord._meta.db_table
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def test_R_SUP_4_verify_names_the_first_changed_record(capsys):
    entries = [record("t", "test", object_type="x", object_id=str(i), after={"i": i}) for i in range(5)]
    _tamper("UPDATE {table} SET summary = %s WHERE id = %s", ["改过", entries[2].pk])
    checked, broken = verify_chain()
    assert checked == 2 and broken is not None and broken.record_id == entries[2].pk
    assert main(["audit", "verify"]) == 2
    assert f"第 {entries[2].pk} 号记录" in capsys.readouterr().err


def test_R_SUP_4_verify_finds_a_deleted_record():
    entries = [record("t", "test", object_type="x", object_id=str(i), after={"i": i}) for i in range(4)]
    _tamper("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    _, broken = verify_chain()
    assert broken is not None and broken.record_id == entries[2].pk


def test_R_SUP_4_verify_finds_the_last_record_deleted():
    entries = [record("t", "test", object_type="x", object_id=str(i), after={"i": i}) for i in range(3)]
    _tamper("DELETE FROM {table} WHERE id = %s", [entries[-1].pk])
    _, broken = verify_chain()
    assert broken is not None and broken.record_id == 0


def test_R_SUP_4_audit_verify_command_reports_an_intact_chain(capsys):
    record("t", "test", object_type="x", object_id="1")
    assert main(["audit", "verify"]) == 0
    assert "审计链完整" in capsys.readouterr().out
