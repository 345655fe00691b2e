"""Revocation cases, data: every revocation recorded before was decided in one step, so it becomes
a decided case ("revoked") resting on a conclusion of the decision's date (the earliest it can
have been known), due 15 days later (QĐ 26/2026 Đ8.4), opened and signed by whoever recorded it;
its certificate points at it."""

from datetime import timedelta

from django.db import migrations

REVOCATION_DAYS = 15  # OCOP_REVOCATION_DAYS's default when this migration was written


def forwards(apps, schema_editor):
    Revocation = apps.get_model("certificates", "Revocation")
    Certificate = apps.get_model("certificates", "Certificate")
    for case in Revocation.objects.select_related("decided_by").order_by("pk"):
        user = case.decided_by
        case.status = "revoked"
        case.concluded_on = case.decided_on
        case.deadline = case.decided_on + timedelta(days=REVOCATION_DAYS)
        case.opened_by_id = case.decided_by_id
        case.signer_name = case.signer_name or user.full_name or user.username
        case.save(update_fields=["status", "concluded_on", "deadline", "opened_by", "signer_name"])
        Certificate.objects.filter(pk=case.certificate_id).update(revocation=case)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_revocation_cases_and_inspection_content"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
