from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assurance", "0006_ig_gap"),
        ("partnerships", "0006_register_import"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="igitem",
            index=models.Index(
                condition=models.Q(("status", "in_place")),
                fields=["review_on", "partnership"],
                name="igitem_in_place_review",
            ),
        ),
    ]
