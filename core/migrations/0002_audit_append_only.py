"""Make the audit trail append-only in the database itself.

PostgreSQL refuses UPDATE and DELETE of audit rows. SQLite refuses UPDATE; deletes there are
refused by the application (a SQLite trigger cannot tell a test database flush from a purge).
"""

from django.db import migrations

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER core_auditentry_append_only
        BEFORE UPDATE OR DELETE ON core_auditentry
        FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
    END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditentry_no_update"]


def forwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_UP, SQLITE_UP)


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


def _run(schema_editor, postgres_statements, sqlite_statements):
    statements = {"postgresql": postgres_statements, "sqlite": sqlite_statements}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
