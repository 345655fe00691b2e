"""Reads of the criteria context. Criteria sets are public legal data: no per-user scope."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from .errors import CriteriaError, CriteriaErrorCode
from .models import CriteriaSet, Criterion, Section, Sheet


def criteria_set_list() -> QuerySet[CriteriaSet]:
    """Every criteria set, newest first."""
    return CriteriaSet.objects.order_by("-effective_from", "code")


def criteria_set_get(*, slug: str) -> CriteriaSet:
    """The set with this URL slug, or a 404 `CriteriaError`."""
    criteria_set = CriteriaSet.objects.filter(slug=slug).first()
    if criteria_set is None:
        raise CriteriaError(
            CriteriaErrorCode.NOT_FOUND,
            _("There is no criteria set “%(slug)s”.") % {"slug": slug},
            extra={"key": "slug"},
        )
    return criteria_set


def sheet_list(*, criteria_set: CriteriaSet) -> QuerySet[Sheet]:
    """The sheets of a set in printed order, with their classification leaf."""
    return criteria_set.sheets.select_related("classification").order_by("number")


def sheet_get(*, slug: str, number: int) -> Sheet:
    """One sheet with everything needed to show or score it, in a constant number of queries.

    Raises a 404 `CriteriaError` for an unknown set or sheet number.
    """
    criteria_set = criteria_set_get(slug=slug)
    criteria = (
        Criterion.objects.select_related("depends_on", "section", "group")
        .prefetch_related("options")
        .order_by("order")
    )
    sheet = (
        criteria_set.sheets.select_related("criteria_set", "classification")
        .prefetch_related(
            "parts",
            Prefetch("sections", queryset=Section.objects.prefetch_related("groups")),
            Prefetch("criteria", queryset=criteria),
        )
        .filter(number=number)
        .first()
    )
    if sheet is None:
        raise CriteriaError(
            CriteriaErrorCode.NOT_FOUND,
            _("Criteria set %(code)s has no sheet number %(number)s.")
            % {"code": criteria_set.code, "number": number},
            extra={"key": "number"},
        )
    return sheet
