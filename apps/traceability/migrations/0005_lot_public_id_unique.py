import apps.traceability.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema, step 3 of 3: every lot now has a public identifier; make it unique and required."""

    dependencies = [
        ("traceability", "0004_fill_lot_public_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="lot",
            name="public_id",
            field=models.CharField(
                default=apps.traceability.models.new_public_id,
                editable=False,
                max_length=22,
                unique=True,
                verbose_name="public identifier",
            ),
        ),
    ]
