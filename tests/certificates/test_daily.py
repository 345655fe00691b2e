"""`manage.py ocop_daily`: reminders once per certificate and kind, however often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from apps.certificates.models import ReminderSent
from apps.certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db


def _run(day) -> str:
    out = StringIO()
    call_command("ocop_daily", date=day.isoformat(), stdout=out)
    return out.getvalue()


def test_daily_run_is_idempotent(chain, decide, people):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    until = cert.valid_until
    mail.outbox.clear()

    assert "window_open=0" in _run(until - timedelta(days=181))
    assert mail.outbox == []

    opens = until - timedelta(days=180)
    assert "window_open=1" in _run(opens)
    assert "window_open=0" in _run(opens)  # rerun the same day
    assert "window_open=0" in _run(opens + timedelta(days=1))  # and the next day
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"sx@example.test", "xa@example.test"}
    assert cert.product_code in message.body

    closing = until - timedelta(days=150)
    assert "window_closing=1" in _run(closing)
    assert "window_closing=0" in _run(closing)
    expired = until + timedelta(days=1)
    assert "expired=1" in _run(expired)
    assert "expired=0" in _run(expired + timedelta(days=7))
    assert len(mail.outbox) == 3
    assert sorted(ReminderSent.objects.filter(certificate=cert).values_list("kind", flat=True)) == [
        "expired",
        "window_closing",
        "window_open",
    ]
    # in-app too: the recognition notice, then the three reminders
    assert people["producer"].notifications.filter(message__contains=cert.product_code).count() == 4


def test_a_run_that_missed_the_opening_day_still_reminds_once(chain, decide):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    mail.outbox.clear()
    _run(cert.valid_until - timedelta(days=170))
    _run(cert.valid_until - timedelta(days=169))
    assert len(mail.outbox) == 1


def test_revoked_certificates_get_no_reminders(chain, decide, people):
    cert = decide([chain.evaluated(4).pk]).certificates.get()
    certificate_revoke(
        certificate_id=cert.pk,
        ground="a",
        decision_number="5/QĐ-UBND",
        decided_on=cert.valid_from,
        actor=people["leader"],
    )
    mail.outbox.clear()
    _run(cert.valid_until - timedelta(days=180))
    _run(cert.valid_until + timedelta(days=1))
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_bad_date_is_refused():
    with pytest.raises(CommandError):
        call_command("ocop_daily", date="28/11/2026")
