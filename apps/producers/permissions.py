"""Who may do what with producers, beyond the read scope given by `Producer.objects.for_user()`.

Read scope answers 404 (never reveal a row); these checks run on rows already in scope and
answer 403.
"""

from apps.accounts.choices import Role

from .choices import ON_BEHALF_ROLES, PERSONAL_DATA_ROLES
from .models import Producer


def can_create_producer(user) -> bool:
    """Producer accounts register their own entity; commune and provincial OCOP officers may
    register one on a producer's behalf (inside their jurisdiction, checked by the service)."""
    return bool(user and user.is_authenticated) and (
        user.role == Role.PRODUCER or user.role in ON_BEHALF_ROLES
    )


def can_edit_producer(user, producer: Producer) -> bool:
    """The producer's own users, and officers who may act on its behalf. The caller has already
    checked that `producer` is in the user's read scope."""
    if not (user and user.is_authenticated):
        return False
    if user.role in ON_BEHALF_ROLES:
        return Producer.objects.for_user(user).filter(pk=producer.pk).exists()
    if user.role == Role.PRODUCER:
        return producer.users.filter(pk=user.pk).exists()
    return False


def sees_personal_data(user, producer: Producer, *, linked_ids: set[int] | None = None) -> bool:
    """Officers (commune, province, national) and the producer's own users see the legal
    representative's personal data; nobody else does. Pass `linked_ids` (the producer ids the
    user is linked to) when checking many producers, to avoid a query per row."""
    if not (user and user.is_authenticated):
        return False
    if user.is_national or user.role in PERSONAL_DATA_ROLES:
        return True
    if user.role != Role.PRODUCER:
        return False
    if linked_ids is None:
        linked_ids = linked_producer_ids(user)
    return producer.pk in linked_ids


def linked_producer_ids(user) -> set[int]:
    return set(
        Producer.users.through.objects.filter(user=user).values_list("producer_id", flat=True)
    )
