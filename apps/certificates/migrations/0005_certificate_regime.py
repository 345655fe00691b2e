"""Each certificate names the process regime it was recognised under (the council's)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_regime(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Council = apps.get_model("evaluation", "Council")
    regime = Council.objects.filter(assignments__result__pk=OuterRef("result_id")).values("regime_code")[:1]
    Certificate.objects.update(regime_code=Subquery(regime))


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0004_revocation_case_constraints"),
        ("evaluation", "0002_advisory_report"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="regime_code",
            field=models.CharField(default="", max_length=64, verbose_name="process regime"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_regime, migrations.RunPython.noop),
    ]
