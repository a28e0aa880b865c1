"""Write the default requirements matrix (``assurance.defaults``, where the choices are explained)
as rows, so an administrator sees and changes real records from the start."""

from django.db import migrations

from assurance.defaults import default_items

LEVELS = ("none", "aggregate", "personal", "special_category")
ARRANGEMENT_TYPES = (
    "informal",
    "single_action_waiver",
    "procured_contract",
    "mou",
    "provider_collaborative",
    "section_75",
    "lead_provider_subcontract",
    "alliance",
    "joint_venture",
    "research_collaboration",
    "other",
)
ITEMS = ("isa", "dpia", "dpa", "joint_controller", "caldicott", "partner_dspt", "privacy_notice", "ropa")


def create_defaults(apps, schema_editor):
    IGRequirement = apps.get_model("assurance", "IGRequirement")
    for arrangement_type in ARRANGEMENT_TYPES:
        for level in LEVELS:
            required = default_items(arrangement_type, level)
            flags = {item: item in required for item in ITEMS}
            IGRequirement.objects.get_or_create(arrangement_type=arrangement_type, data_sharing=level, defaults=flags)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
