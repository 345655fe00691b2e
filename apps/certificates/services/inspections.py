"""Post-recognition inspections of a certificate (QĐ 26/2026 Đ9)."""

from datetime import date

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core.exceptions import ErrorCode

from ..choices import InspectionKind, InspectionOutcome, InspectionScope
from ..models import Inspection
from .shared import _certificate_get, _error, _full_clean, _not_in_future, _required

INSPECTOR_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER})


@transaction.atomic
def inspection_record(
    *,
    certificate_id: int,
    inspected_on: date,
    kind: str,
    scope: str,
    outcome: str,
    location: Point,
    findings: str,
    actor: User,
    follow_up: str = "",
) -> Inspection:
    """Record a post-recognition inspection (Đ9) of a certificate in the actor's jurisdiction:
    periodic or ad hoc (Đ9.2.a), of the criteria and/or of the use of the OCOP mark (Đ9.3), with
    its outcome. By the provincial OCOP office or leader for the products of their province,
    whatever the stars (Đ9.4.a), or by the ministry, for 5★ and, when needed, 3★/4★ (Đ9.4.b).
    The date lies between the certificate's issue and today; the location is a WGS 84 point."""
    cert = _certificate_get(actor, certificate_id)
    if actor.role not in INSPECTOR_ROLES:
        raise _error(
            ErrorCode.PERMISSION_DENIED,
            _("Only the provincial OCOP office or leader, or the ministry, records inspections."),
        )
    for key, value, choices in (
        ("kind", kind, InspectionKind),
        ("scope", scope, InspectionScope),
        ("outcome", outcome, InspectionOutcome),
    ):
        if value not in choices.values:
            raise _error(
                ErrorCode.INVALID,
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
                key=key,
                choices=list(choices.values),
            )
    findings = _required(findings, "findings")
    _not_in_future(inspected_on, "inspected_on")
    if inspected_on < cert.valid_from:
        raise _error(
            ErrorCode.INVALID,
            _("The inspection cannot predate the certificate."),
            key="inspected_on",
        )
    if not isinstance(location, Point) or (location.srid or 4326) != 4326:
        raise _error(ErrorCode.INVALID, _("Send the location as a WGS 84 point."), key="location")
    location.srid = 4326
    inspection = Inspection(
        certificate=cert,
        inspected_on=inspected_on,
        kind=kind,
        scope=scope,
        outcome=outcome,
        location=location,
        findings=findings,
        follow_up=(follow_up or "").strip(),
        inspector=actor,
    )
    _full_clean(inspection)
    inspection.save()
    return inspection
