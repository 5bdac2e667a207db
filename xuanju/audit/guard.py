"""Database triggers that refuse UPDATE, DELETE (and TRUNCATE) of audit records (R-SUP-4).

Installed by migration 0002. Only a test that must empty the database between tests (a
transactional browser test) lifts the guard, and puts it back.
"""

from __future__ import annotations

from typing import Any

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_record_no_update BEFORE UPDATE ON audit_auditrecord
           BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS audit_record_no_delete BEFORE DELETE ON audit_auditrecord
           BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$;""",
        """CREATE OR REPLACE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
           FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();""",
        """CREATE OR REPLACE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_auditrecord
           FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only();""",
    ],
}

REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_record_no_update;",
        "DROP TRIGGER IF EXISTS audit_record_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord;",
        "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;",
        "DROP FUNCTION IF EXISTS audit_record_append_only();",
    ],
}


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


def install(connection: Any) -> None:
    _run(connection, INSTALL)


def remove(connection: Any) -> None:
    _run(connection, REMOVE)
