import secrets

from django.db import migrations


def fill(apps, schema_editor):
    """Give every existing lot its own random public identifier. Lots registered before the
    published flag existed were public (their QR codes may be printed), so they stay
    published; lots created from now on start unpublished."""
    Lot = apps.get_model("traceability", "Lot")
    taken = set()
    for lot in Lot.objects.filter(public_id__isnull=True).only("pk").iterator():
        public_id = secrets.token_urlsafe(16)
        while public_id in taken:
            public_id = secrets.token_urlsafe(16)
        taken.add(public_id)
        Lot.objects.filter(pk=lot.pk).update(public_id=public_id, published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0003_lot_public_id_published"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
