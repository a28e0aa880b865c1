"""The NPSA matrix as the trust's starting configuration (one row; an administrator adapts it).

The values are written out here, not imported, so that this migration always creates the same
row whatever later code says the defaults are.
"""

from django.db import migrations

LIKELIHOOD = [
    {"name": "Rare", "guidance": "This will probably never happen or recur (probability under 0.1%)."},
    {
        "name": "Unlikely",
        "guidance": "Do not expect it to happen or recur, but it is possible it may do so (0.1% to 1%).",
    },
    {"name": "Possible", "guidance": "Might happen or recur occasionally (1% to 10%)."},
    {"name": "Likely", "guidance": "Will probably happen or recur, but it is not a persisting issue (10% to 50%)."},
    {"name": "Almost certain", "guidance": "Will undoubtedly happen or recur, possibly frequently (over 50%)."},
]
CONSEQUENCE = [
    {"name": "Negligible", "guidance": "Minimal injury needing no or minimal treatment; no time off work."},
    {"name": "Minor", "guidance": "Minor injury or illness needing minor intervention; up to 3 days off work."},
    {
        "name": "Moderate",
        "guidance": "Moderate injury needing professional intervention; 4 to 14 days off work; a reportable incident.",
    },
    {"name": "Major", "guidance": "Major injury leading to long-term incapacity or disability; over 14 days off work."},
    {"name": "Catastrophic", "guidance": "An incident leading to death, or multiple permanent injuries."},
]
BANDS = [
    {"name": "Low", "lowest": 1, "highest": 3, "colour": "green"},
    {"name": "Moderate", "lowest": 4, "highest": 6, "colour": "yellow"},
    {"name": "High", "lowest": 8, "highest": 12, "colour": "amber"},
    {"name": "Extreme", "lowest": 15, "highest": 25, "colour": "red"},
]


def create_matrix(apps, schema_editor):
    RiskMatrix = apps.get_model("risks", "RiskMatrix")
    RiskMatrix.objects.get_or_create(
        pk=1,
        defaults={
            "likelihood": LIKELIHOOD,
            "consequence": CONSEQUENCE,
            "bands": BANDS,
            "escalation_threshold": 15,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(create_matrix, migrations.RunPython.noop)]
