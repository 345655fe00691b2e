"""What the certificate services share: errors in the API's shape, field checks, the
certificate's validity, the public URL, and the results and certificates in an actor's scope."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode
from apps.dossiers.models import Dossier
from apps.evaluation.models import Assignment, CouncilResult

from ..models import Certificate


def _error(code: ErrorCode, message: str, **extra) -> ApplicationError:
    return ApplicationError(code, message, extra=extra)


def _not_found(key: str, **extra) -> ApplicationError:
    return _error(
        ErrorCode.NOT_FOUND, _("Not found, or outside your jurisdiction."), key=key, **extra
    )


def _required(value: str, key: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(ErrorCode.INVALID, _("This field is required."), key=key)
    return value


def _not_in_future(day: date, key: str) -> None:
    if day > timezone.localdate():
        raise _error(ErrorCode.INVALID, _("The date cannot be in the future."), key=key)


def _full_clean(obj, *, keys: dict[str, str] | None = None, **kwargs) -> None:
    """`full_clean()`, with a refusal reported as a 400 naming the first key (the caller's
    argument name, through `keys`, where it differs from the model field's)."""
    try:
        obj.full_clean(**kwargs)
    except DjangoValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        raise _error(ErrorCode.INVALID, messages[0], key=(keys or {}).get(key, key)) from exc


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; the 29–31st becomes the month's last day if needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(valid_from: date) -> date:
    """The expiry of a certificate issued on `valid_from`: 36 months later (QĐ 26/2026 Đ4.3).
    A period in months ends on the corresponding day of the last month (Civil Code Đ148)."""
    return add_months(valid_from, settings.OCOP_CERTIFICATE_MONTHS)


def public_url(product_code: str) -> str:
    return settings.OCOP_PUBLIC_PRODUCT_URL.format(code=product_code)


# --- scope helpers ---------------------------------------------------------------------------
def _results_in_scope(actor: User):
    return CouncilResult.objects.filter(
        assignment__dossier__in=Dossier.objects.for_user(actor)
    ).select_related(
        "assignment__council__round",
        "assignment__council__criteria_set",
        "assignment__dossier__product__producer",
        "assignment__dossier__province",
        "assignment__dossier__commune",
    )


def _result_get(actor: User, result_id: int) -> CouncilResult:
    result = _results_in_scope(actor).filter(pk=result_id).first()
    if result is None:
        raise _not_found("result_id")
    return result


def _certificate_get(actor: User, certificate_id: int, *, lock: bool = False) -> Certificate:
    if not Certificate.objects.for_user(actor).filter(pk=certificate_id).exists():
        raise _not_found("certificate_id")
    if lock:
        # Lock only the certificate row (for_user's joins would make PostgreSQL lock those too).
        return Certificate.objects.select_for_update().get(pk=certificate_id)
    return Certificate.objects.select_related("product").get(pk=certificate_id)


def _is_latest(result: CouncilResult) -> bool:
    """A result is the one to act on only if no later assignment (e.g. to the central council)
    superseded it."""
    latest = (
        Assignment.objects.filter(dossier_id=result.assignment.dossier_id)
        .order_by("-pk")
        .values("pk")
        .first()
    )
    return latest is not None and latest["pk"] == result.assignment_id


def _level(result: CouncilResult) -> str:
    return result.assignment.council.round.level


def _authority_role(stars: int) -> str:
    """Who decides on a certificate of `stars` (Đ8.2): the ministry for 5★, else the province."""
    return Role.MINISTRY_OFFICER if stars == 5 else Role.PROVINCE_LEADER


def _check_authority(cert: Certificate, actor: User) -> None:
    if actor.role != _authority_role(cert.stars):
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _(
                "5-star certificates are decided by the ministry; 3- and 4-star certificates "
                "by the provincial leader."
            ),
        )
