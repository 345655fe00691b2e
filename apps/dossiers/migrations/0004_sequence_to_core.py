"""The gap-free counters move to apps.core (`apps/core/sequences.py`), which every app uses:
their values are copied, then the dossiers' table goes."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    old = apps.get_model("dossiers", "Sequence")
    new = apps.get_model("core", "Sequence")
    new.objects.bulk_create(
        [new(key=row.key, value=row.value) for row in old.objects.all()], batch_size=500
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("dossiers", "Sequence")
    new = apps.get_model("core", "Sequence")
    old.objects.bulk_create(
        [old(key=row.key, value=row.value) for row in new.objects.all()], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("dossiers", "0003_reevaluation"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="Sequence"),
    ]
