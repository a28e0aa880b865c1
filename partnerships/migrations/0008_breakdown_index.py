from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_token_id_auditentry_token_name"),
        ("partnerships", "0007_review_due_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["status", "arrangement_type", "service_area", "material_contribution", "annual_value"],
                name="partnership_breakdown_idx",
            ),
        ),
    ]
