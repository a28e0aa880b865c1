import django.db.models.expressions
from django.db import migrations, models

# PostgreSQL keeps no statistics of an expression that only a partial index holds, so it guessed a
# third of the open, unthemed risks at or above the threshold and read the whole table for them;
# with these it sees how few there are and looks them up in the index.
STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS risk_escalation (mcv) "
    "ON status, (baf_theme_id IS NULL), (current_likelihood * current_consequence) FROM risks_risk"
)


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS)
        schema_editor.execute("ANALYZE risks_risk")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS risk_escalation")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_token_id_auditentry_token_name"),
        ("partnerships", "0006_register_import"),
        ("risks", "0005_unthemed_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="risk", name="risk_open_unthemed"),
        migrations.AddIndex(
            model_name="risk",
            index=models.Index(
                django.db.models.expressions.CombinedExpression(
                    models.F("current_likelihood"), "*", models.F("current_consequence")
                ),
                models.F("partnership"),
                condition=models.Q(("baf_theme__isnull", True), ("status", "open")),
                name="risk_open_unthemed_score",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
