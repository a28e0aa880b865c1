from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_token_id_auditentry_token_name"),
        ("partnerships", "0006_register_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="partnership",
            name="partnership_next_re_bd8ed8_idx",
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["next_review_date", "status"], name="partnership_review_due_idx"),
        ),
    ]
