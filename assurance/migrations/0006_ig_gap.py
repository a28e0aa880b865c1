import django.db.models.deletion
from django.db import migrations, models


def build(apps, schema_editor):
    """The rows for the partnerships already held (``assurance.ig_state`` keeps them in step after)."""
    from assurance.defaults import default_matrix
    from assurance.ig_state import gap_from

    matrix = default_matrix()
    for cell in apps.get_model("assurance", "IGRequirement").objects.all():
        matrix[(cell.arrangement_type, cell.data_sharing)] = {
            name
            for name in (
                "isa",
                "dpia",
                "dpa",
                "joint_controller",
                "caldicott",
                "partner_dspt",
                "privacy_notice",
                "ropa",
            )
            if getattr(cell, name)
        }
    rows = {}
    states = apps.get_model("assurance", "IGState").objects.values_list(
        "partnership_id", "item", "in_place_until", "in_progress"
    )
    for pk, item, until, in_progress in states.iterator(chunk_size=5000):
        rows.setdefault(pk, {})[item] = (until, in_progress)
    IGGap = apps.get_model("assurance", "IGGap")
    partnerships = apps.get_model("partnerships", "Partnership").objects.values_list(
        "pk", "arrangement_type", "data_sharing"
    )
    gaps = []
    for pk, kind, level in partnerships.iterator(chunk_size=5000):
        start = gap_from(level, matrix.get((kind, level), set()), rows.get(pk, {}))
        if start is not None:
            gaps.append(IGGap(partnership_id=pk, gap_from=start))
    IGGap.objects.bulk_create(gaps, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assurance", "0005_drop_unused_igitem_index"),
        ("partnerships", "0006_register_import"),
    ]

    operations = [
        migrations.CreateModel(
            name="IGGap",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("gap_from", models.DateField(verbose_name="IG gap from")),
                (
                    "partnership",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partnerships.partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "IG gap",
                "indexes": [models.Index(fields=["gap_from", "partnership"], name="iggap_from")],
                "constraints": [models.UniqueConstraint(fields=("partnership",), name="one_ig_gap_per_partnership")],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
