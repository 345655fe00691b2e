"""The one jurisdiction rule behind every `for_user()` queryset method."""

from django.db.models import QuerySet

from .choices import PROVINCIAL_ROLES, Role


def jurisdiction_filter(qs: QuerySet, user, *, province: str, commune: str, owner: str) -> QuerySet:
    """Narrow `qs` to what `user` may see.

    National roles see everything; provincial roles (officer, leader, council, advisory team) the
    rows whose `province` is in their provinces; commune officers the rows whose `commune` is in
    their communes; producers the rows they own through `owner`; anyone else, nothing. Field names
    are lookups from `qs`'s model, e.g. `owner="product__producer__users"`.
    """
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_national:
        return qs
    if user.role in PROVINCIAL_ROLES:
        return qs.filter(**{f"{province}__in": user.jurisdiction_provinces()})
    if user.role == Role.COMMUNE_OFFICER:
        return qs.filter(**{f"{commune}__in": user.jurisdiction_communes()})
    if user.role == Role.PRODUCER:
        return qs.filter(**{owner: user})
    return qs.none()
