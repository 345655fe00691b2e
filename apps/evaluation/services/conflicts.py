"""Conflicts of interest: ties recorded between people and producers, conflicts flagged by
the council's rules, and conflicts a member declares."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode, not_found

from ..choices import ConflictKind
from ..models import (
    Assignment,
    Conflict,
    ProducerLink,
)
from .shared import _assignment_for_member, _error, _event


def conflicts_flag(*, assignment: Assignment, actor: User) -> list[Conflict]:
    """Flag likely conflicts of the council's members on this dossier, per the council's rules:
    the member works for the producer (is one of its users), is a relative recorded on it, or
    advised its products. Idempotent."""
    kinds = assignment.council.flagged_kinds()
    producer = assignment.dossier.product.producer
    members = list(assignment.council.members.values_list("user_id", flat=True))
    found: list[tuple[int, str]] = []
    if ConflictKind.WORKS_FOR_PRODUCER in kinds:
        found += [
            (uid, ConflictKind.WORKS_FOR_PRODUCER)
            for uid in producer.users.filter(pk__in=members).values_list("pk", flat=True)
        ]
    link_kinds = {
        ProducerLink.Kind.RELATIVE: ConflictKind.RELATIVE,
        ProducerLink.Kind.ADVISER: ConflictKind.ADVISED_PRODUCT,
    }
    for link in ProducerLink.objects.filter(producer=producer, user_id__in=members):
        if link_kinds[link.kind] in kinds:
            found.append((link.user_id, link_kinds[link.kind]))
    created = []
    for user_id, kind in found:
        conflict, new = Conflict.objects.get_or_create(
            assignment=assignment, user_id=user_id, kind=kind
        )
        if new:
            created.append(conflict)
            _event(
                assignment,
                actor,
                "conflict_flagged",
                note=str(ConflictKind(kind).label),
                user=user_id,
            )
    return created


@transaction.atomic
def conflict_declare(*, assignment_id: int, member: User, note: str) -> Conflict:
    """A member declares a conflict on a dossier; from then on they cannot score it."""
    assignment = _assignment_for_member(assignment_id, member)
    conflict, _created = Conflict.objects.get_or_create(
        assignment=assignment,
        user=member,
        kind=ConflictKind.DECLARED,
        defaults={"note": note.strip()},
    )
    _event(assignment, member, "conflict_declared", note=note.strip())
    return conflict


@transaction.atomic
def producer_link_record(
    *, actor: User, producer_id: int, user_id: int, kind: str, note: str = ""
) -> ProducerLink:
    """Record a person's tie to a producer (relative, or adviser of its products), used by the
    councils' conflict rules. Provincial officers of the producer's province record them."""
    from apps.producers.models import Producer

    if actor.role != Role.PROVINCE_OFFICER:
        raise _error(
            ErrorCode.PERMISSION_DENIED, _("Only provincial OCOP officers record these ties.")
        )
    producer = Producer.objects.for_user(actor).filter(pk=producer_id).first()
    if producer is None:
        raise not_found()
    if kind not in ProducerLink.Kind.values:
        raise _error(ErrorCode.INVALID, _("Unknown kind of tie."), key="kind")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise _error(ErrorCode.INVALID, _("Unknown user."), key="user")
    link, _created = ProducerLink.objects.get_or_create(
        producer=producer, user=user, kind=kind, defaults={"note": note, "recorded_by": actor}
    )
    return link
