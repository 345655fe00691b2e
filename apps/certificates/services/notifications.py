"""Telling the producer's accounts and the commune's officers about a decision on their dossier,
through the dossiers context's one notification service (`apps.dossiers.services.notify`)."""

import logging

from django.db import transaction

from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_people, notify

log = logging.getLogger(__name__)


def _notify_dossier(dossier_id: int, subject: str, message: str) -> int:
    """In-app notification (on the dossier) and one email to the producer's accounts and the
    commune officers. Returns how many were notified. Raises if the email cannot be sent."""
    dossier = Dossier.objects.select_related("product").get(pk=dossier_id)
    return notify(
        dossier=dossier,
        recipients=dossier_people(dossier),
        subject=subject,
        message=message,
        fail_silently=False,
    )


def _notify_after_commit(dossier_id: int, subject: str, message: str) -> None:
    """Notify once the transaction commits; a mail failure is logged, the decision stands."""

    def send():
        try:
            _notify_dossier(dossier_id, subject, message)
        except Exception:  # noqa: BLE001 — the decision is committed; report and go on
            log.exception("could not notify dossier %s", dossier_id)

    transaction.on_commit(send)
