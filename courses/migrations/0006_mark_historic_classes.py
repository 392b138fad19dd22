from django.db import migrations


def mark(apps, schema_editor):
    """Classes recorded before this flag existed are those with a declared count."""
    TrainingClass = apps.get_model("courses", "TrainingClass")
    TrainingClass._base_manager.filter(declared_enrolled__isnull=False).update(
        historic=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_historic_class_details"),
    ]

    operations = [
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
