"""Telling people about a dossier: an in-app notification on the dossier and one email. `notify`
is the one way to do it; the workflow (`notify_transition`) and the certificates context
(decisions, revocations, reminders) both call it, with their own recipients."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User

from ..choices import Action, DossierStatus
from ..models import (
    Dossier,
    Notification,
)

log = logging.getLogger(__name__)

S = DossierStatus


def dossier_people(dossier: Dossier) -> list[User]:
    """The producer's active accounts and the commune officers of the dossier's commune: who
    hears of a decision on the dossier's product."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(producers=dossier.product.producer_id)
            | Q(role=Role.COMMUNE_OFFICER, units=dossier.commune_id)
        )
        .distinct()
    )


def notify(
    *, dossier: Dossier, recipients, subject: str, message: str, fail_silently: bool = True
) -> int:
    """A notification on `dossier` for each of `recipients` (once each) and one email to those
    with an address. Returns how many were notified. A mail failure is logged; with
    `fail_silently=False` it raises instead, so the caller's transaction rolls back (a reminder
    is then tried again on the next run)."""
    people = list({u.pk: u for u in recipients}.values())
    Notification.objects.bulk_create(
        Notification(recipient=u, dossier=dossier, message=message) for u in people
    )
    emails = sorted({u.email for u in people if u.email})
    if emails:
        try:
            send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, emails)
        except Exception:  # noqa: BLE001 — the change is committed; report and go on
            if not fail_silently:
                raise
            log.exception("could not email the notification for dossier %s", dossier.pk)
    return len(people)


def _recipients(dossier: Dossier, action: str) -> list[User]:
    producer_users = list(dossier.product.producer.users.filter(is_active=True))
    commune_officers = list(
        User.objects.filter(role=Role.COMMUNE_OFFICER, units=dossier.commune, is_active=True)
    )
    province_officers = list(
        User.objects.filter(role=Role.PROVINCE_OFFICER, units=dossier.province, is_active=True)
    )
    if action == Action.SUBMIT:
        return province_officers if dossier.status == S.FORWARDED else commune_officers
    if action in (
        Action.COMMUNE_RETURN,
        Action.PROVINCE_RETURN,
        Action.COMMUNE_START_REVIEW,
        Action.PROVINCE_START_CHECK,
        Action.COMMUNE_ASSESS,
    ):
        return producer_users
    if action == Action.COMMUNE_FORWARD:
        return province_officers + producer_users
    if action == Action.PROVINCE_ACCEPT:
        return producer_users + commune_officers
    return []


def notify_transition(*, dossier_id: int, action: str, note: str = "") -> int:
    """In-app notification and email to the people concerned. Runs after commit; a mail
    failure is logged and does not undo the transition."""
    dossier = Dossier.objects.select_related("product__producer", "commune", "province").get(
        pk=dossier_id
    )
    message = _("Dossier %(receipt)s (%(product)s): %(status)s.") % {
        "receipt": dossier.receipt_number or f"#{dossier.pk}",
        "product": dossier.product.name,
        "status": dossier.get_status_display(),
    }
    if note:
        message += " " + _("Reason: %(note)s") % {"note": note}
    return notify(
        dossier=dossier,
        recipients=_recipients(dossier, action),
        subject=_("OCOP dossier update"),
        message=message,
    )


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications read: those of `ids` (others' ids are ignored), or
    all of them. Returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
