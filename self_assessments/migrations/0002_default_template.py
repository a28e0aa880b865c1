from django.db import migrations


def create_default(apps, schema_editor):
    from self_assessments.defaults import create_default as create

    create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("self_assessments", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
