from decimal import Decimal

from django.db import migrations


def create_thresholds(apps, schema_editor):
    TierThresholds = apps.get_model("core", "TierThresholds")
    TierThresholds.objects.get_or_create(
        pk=1, defaults={"tier1_min_value": Decimal("1000000"), "tier2_min_value": Decimal("100000")}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(create_thresholds, migrations.RunPython.noop)]
