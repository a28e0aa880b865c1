import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_token_id_auditentry_token_name"),
        ("partnerships", "0006_register_import"),
        ("risks", "0006_open_unthemed_by_score"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="risk",
            name="risk_open_unthemed_score",
        ),
        migrations.AddIndex(
            model_name="risk",
            index=models.Index(
                models.F("status"),
                models.F("baf_theme"),
                django.db.models.expressions.CombinedExpression(
                    models.F("current_likelihood"), "*", models.F("current_consequence")
                ),
                name="risk_status_theme_score",
            ),
        ),
    ]
