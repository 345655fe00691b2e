from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema, step 1 of 3: the public identifier (nullable until 0004 fills it) and the
    published flag. 0004 fills the identifiers, 0005 makes them unique and required."""

    dependencies = [
        ("traceability", "0002_lot_trace_items_events_audit"),
    ]

    operations = [
        migrations.AddField(
            model_name="lot",
            name="public_id",
            field=models.CharField(
                editable=False, max_length=22, null=True, verbose_name="public identifier"
            ),
        ),
        migrations.AddField(
            model_name="lot",
            name="published",
            field=models.BooleanField(
                default=False,
                help_text="Show the lot's public trace page (and resolve its QR code).",
                verbose_name="published",
            ),
        ),
    ]
