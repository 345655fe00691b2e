"""The daily run: the reminders of the re-evaluation window and of expiry."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from ..choices import CertificateStatus, PublicStatus, ReminderKind
from ..models import Certificate, ReminderSent, certificate_status
from .notifications import _notify_dossier

log = logging.getLogger(__name__)


def _reminder_due(cert: Certificate, today: date) -> str | None:
    """The reminder a certificate is due on `today`, if any. A run that missed days still sends
    a reminder while its period lasts (the window's opening until it closes; expiry anytime)."""
    opens = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
    closes = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
    if closes - timedelta(days=30) <= today <= closes:
        return ReminderKind.WINDOW_CLOSING
    if opens <= today <= closes:
        return ReminderKind.WINDOW_OPEN
    if certificate_status(cert, today) == PublicStatus.EXPIRED:
        return ReminderKind.EXPIRED
    return None


def _reminder_text(cert: Certificate, kind: str) -> tuple[str, str]:
    closes = cert.valid_until - timedelta(days=settings.OCOP_REEVALUATION_WINDOW_CLOSES_DAYS)
    values = {
        "product": cert.product.name,
        "code": cert.product_code,
        "until": f"{cert.valid_until:%d/%m/%Y}",
        "closes": f"{closes:%d/%m/%Y}",
    }
    if kind == ReminderKind.WINDOW_OPEN:
        return (
            _("OCOP re-evaluation: the filing window is open"),
            _(
                "The OCOP certificate of %(product)s (code %(code)s) expires on %(until)s. "
                "File the "
                "re-evaluation dossier with the commune by %(closes)s."
            )
            % values,
        )
    if kind == ReminderKind.WINDOW_CLOSING:
        return (
            _("OCOP re-evaluation: the filing window closes in 30 days"),
            _(
                "The re-evaluation dossier of %(product)s (code %(code)s) must be filed by "
                "%(closes)s; the "
                "certificate expires on %(until)s."
            )
            % values,
        )
    return (
        _("OCOP certificate expired"),
        _(
            "The OCOP certificate of %(product)s (code %(code)s) expired on %(until)s. "
            "The product may no "
            "longer use the OCOP mark until it is recognised again."
        )
        % values,
    )


def daily_run(*, today: date) -> dict[str, int]:
    """Send the reminders due on `today`: the re-evaluation window opens (180 days before
    expiry), it closes in 30 days, the certificate expired. Each certificate gets each kind of
    reminder once (`ReminderSent` is unique per certificate and kind, and is written in the same
    transaction as the email is sent), so reruns and overlapping runs send nothing twice.
    Revoked certificates and certificates replaced by a newer one of the product get none.
    Nothing else is written: statuses are computed. Returns counts per kind."""
    summary = {kind.value: 0 for kind in ReminderKind} | {"failed": 0}
    horizon = today + timedelta(days=settings.OCOP_REEVALUATION_WINDOW_OPENS_DAYS)
    newer = Certificate.objects.filter(
        product=OuterRef("product"),
        valid_from__gt=OuterRef("valid_from"),
        status=CertificateStatus.ACTIVE,
    )
    candidates = (
        Certificate.objects.filter(status=CertificateStatus.ACTIVE, valid_until__lte=horizon)
        .exclude(Exists(newer))
        .with_public_status(today)
        .select_related("product", "dossier")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for cert in candidates:
            kind = _reminder_due(cert, today)
            if kind is None or ReminderSent.objects.filter(certificate=cert, kind=kind).exists():
                continue
            subject, message = _reminder_text(cert, kind)
            try:
                with transaction.atomic():
                    reminder = ReminderSent.objects.create(
                        certificate=cert, kind=kind, sent_on=today
                    )
                    reminder.recipients = _notify_dossier(cert.dossier_id, subject, message)
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:  # another run recorded it first
                continue
            except Exception:  # noqa: BLE001 — one failed email must not stop the others; retried tomorrow
                log.exception("could not send the %s reminder of certificate %s", kind, cert.pk)
                summary["failed"] += 1
                continue
            summary[kind] += 1
    return summary
