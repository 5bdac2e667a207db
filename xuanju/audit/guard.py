"""Database triggers that refuse UPDATE, DELETE (and TRUNCATE) of audit records (R-SUP-4), and
keep the chain head (``audit_chainhead``) moving forward only.

Installed by migrations 0002 (records) and 0003 (head). The head may be created only for the chain as
it stands (pk 1, the number of records, the newest hash), and updated only forward: its count grows
by exactly the records appended since the record it named, and its hash becomes the newest record's.
Moving it back, deleting it or truncating it is refused, so "delete the last rows and fix the head"
needs the guard lifted first. Several records may be appended under one move (a bulk import, e.g.
benchmarks/supervision.py), so the check counts the records since the old head rather than "+1".

Only a test that must empty the database between tests (a transactional browser test) lifts the
guard, and puts it back; ``remove`` lifts both tables' triggers.
"""

from __future__ import annotations

from typing import Any

GENESIS = "0" * 64
_NEWEST = "(SELECT hash FROM audit_auditrecord ORDER BY id DESC LIMIT 1)"
# How many records were appended after the one the old head named (all of them from the genesis).
_SINCE_OLD = (
    "(SELECT COUNT(*) FROM audit_auditrecord WHERE id > "
    "COALESCE((SELECT id FROM audit_auditrecord WHERE hash = OLD.last_hash), 0))"
)

INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_record_no_update BEFORE UPDATE ON audit_auditrecord
           BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS audit_record_no_delete BEFORE DELETE ON audit_auditrecord
           BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;""",
        """CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead
           BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS audit_chainhead_insert BEFORE INSERT ON audit_chainhead
           WHEN NEW.id IS NOT 1 OR NEW."count" IS NOT (SELECT COUNT(*) FROM audit_auditrecord)
             OR NEW.last_hash IS NOT COALESCE({_NEWEST}, '{GENESIS}')
           BEGIN SELECT RAISE(ABORT, 'the audit chain head must name the chain as it stands'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS audit_chainhead_forward BEFORE UPDATE ON audit_chainhead
           WHEN NEW.id IS NOT OLD.id OR NEW."count" <= OLD."count"
             OR NEW.last_hash IS NOT {_NEWEST} OR NEW."count" IS NOT OLD."count" + {_SINCE_OLD}
           BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward to the newest record'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$;""",
        """CREATE OR REPLACE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
           FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();""",
        """CREATE OR REPLACE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_auditrecord
           FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only();""",
        f"""CREATE OR REPLACE FUNCTION audit_chainhead_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
           DECLARE newest varchar;
           BEGIN
             IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
               RAISE EXCEPTION 'the audit chain head cannot be removed';
             END IF;
             SELECT hash INTO newest FROM audit_auditrecord ORDER BY id DESC LIMIT 1;
             IF TG_OP = 'INSERT' THEN
               IF NEW.id <> 1 OR NEW."count" <> (SELECT COUNT(*) FROM audit_auditrecord)
                  OR NEW.last_hash <> COALESCE(newest, '{GENESIS}') THEN
                 RAISE EXCEPTION 'the audit chain head must name the chain as it stands';
               END IF;
               RETURN NEW;
             END IF;
             IF NEW.id <> OLD.id OR NEW."count" <= OLD."count" OR NEW.last_hash IS DISTINCT FROM newest
                OR NEW."count" <> OLD."count" + {_SINCE_OLD} THEN
               RAISE EXCEPTION 'the audit chain head only moves forward to the newest record';
             END IF;
             RETURN NEW;
           END; $$;""",
        """CREATE OR REPLACE TRIGGER audit_chainhead_forward_only BEFORE INSERT OR UPDATE OR DELETE
           ON audit_chainhead FOR EACH ROW EXECUTE FUNCTION audit_chainhead_forward_only();""",
        """CREATE OR REPLACE TRIGGER audit_chainhead_no_truncate BEFORE TRUNCATE ON audit_chainhead
           FOR EACH STATEMENT EXECUTE FUNCTION audit_chainhead_forward_only();""",
    ],
}

REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_record_no_update;",
        "DROP TRIGGER IF EXISTS audit_record_no_delete;",
        "DROP TRIGGER IF EXISTS audit_chainhead_no_delete;",
        "DROP TRIGGER IF EXISTS audit_chainhead_insert;",
        "DROP TRIGGER IF EXISTS audit_chainhead_forward;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord;",
        "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;",
        "DROP FUNCTION IF EXISTS audit_record_append_only();",
        "DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_chainhead;",
        "DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;",
        "DROP FUNCTION IF EXISTS audit_chainhead_forward_only();",
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
