"""The transitional extension of a certificate past its expiry (QĐ 26/2026 Đ12.3)."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ErrorCode

from ..choices import CertificateStatus
from ..models import Certificate, transitional_extension_applies
from .shared import _certificate_get, _check_authority, _error


@transaction.atomic
def certificate_extend(
    *, certificate_id: int, until: date, actor: User, note: str = ""
) -> Certificate:
    """Extend an active certificate after its expiry, to at most 180 days after it (the
    transition of QĐ 26/2026 Đ12.3), by the competent authority. Only a certificate in force on
    the day QĐ 26/2026 took effect qualifies (`transitional_extension_applies`). An extension
    may be moved later, never past the limit."""
    cert = _certificate_get(actor, certificate_id, lock=True)
    _check_authority(cert, actor)
    if cert.status == CertificateStatus.REVOKED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("A revoked certificate cannot be extended."),
            key="certificate_id",
        )
    if not transitional_extension_applies(cert):
        effective = settings.OCOP_QD26_EFFECTIVE_ON
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _(
                "The transitional extension (Article 12.3) applies only to certificates in force "
                "on %(day)s, the day Decision 26/2026/QĐ-TTg took effect."
            )
            % {"day": f"{effective:%d/%m/%Y}"},
            key="certificate_id",
            effective_on=effective.isoformat(),
        )
    limit = cert.valid_until + timedelta(days=settings.OCOP_TRANSITION_EXTENSION_DAYS)
    if not cert.valid_until < until <= limit:
        raise _error(
            ErrorCode.INVALID,
            _(
                "The extension must end after the expiry (%(expiry)s) and at most %(days)s "
                "days after it "
                "(%(limit)s)."
            )
            % {
                "expiry": f"{cert.valid_until:%d/%m/%Y}",
                "days": settings.OCOP_TRANSITION_EXTENSION_DAYS,
                "limit": f"{limit:%d/%m/%Y}",
            },
            key="until",
            limit=limit.isoformat(),
        )
    cert.extended_until = until
    cert.extension_note = (note or "").strip()
    cert.save(update_fields=["extended_until", "extension_note"])
    return cert
