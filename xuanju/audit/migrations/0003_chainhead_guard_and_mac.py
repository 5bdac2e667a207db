"""Guard the chain head like the records (R-SUP-4), and give records a keyed MAC column.

The head's triggers refuse DELETE and TRUNCATE and let an UPDATE only move it forward to the newest
record (see xuanju.audit.guard). ``mac`` is nullable, so adding it is a plain ADD COLUMN on both
databases: no existing record is rewritten. The guard is installed again afterwards in case the
schema editor rebuilt the table (SQLite drops a table's triggers with it).
"""

from django.db import migrations, models

from xuanju.audit import guard


def forwards(apps, schema_editor):
    guard.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="mac",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
