"""The advisory team's work (tổ tư vấn): its report to the chair (Đ7.3.c) and requests for
laboratory tests."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ErrorCode

from ..models import (
    AdvisoryReport,
    Assignment,
    LabTestRequest,
)
from .shared import _assignment_for_adviser, _error, _event


def advisory_report_awaited(assignment: Assignment) -> bool:
    """Whether members must still wait for the advisory team's report before submitting: the
    council requires it (its Quy chế setting) and has an advisory team, and the report is not
    sent yet."""
    council = assignment.council
    if not council.advisory_report_required or not council.advisors.exists():
        return False
    return not AdvisoryReport.objects.filter(
        assignment=assignment, status=AdvisoryReport.Status.SUBMITTED
    ).exists()


REPORT_FIELDS = ("assessment", "field_survey", "documents_requested", "recommendation")


@transaction.atomic
def advisory_report_save(*, assignment_id: int, adviser: User, **fields) -> AdvisoryReport:
    """The advisory team writes its report on the dossier as a draft (fields merged into what is
    saved). Any member of the team may write it; once sent to the chair it is locked."""
    unknown = sorted(set(fields) - set(REPORT_FIELDS))
    if unknown:
        raise _error(
            ErrorCode.INVALID, _("Unknown field “%(f)s”.") % {"f": unknown[0]}, key=unknown[0]
        )
    assignment = _assignment_for_adviser(assignment_id, adviser)
    if hasattr(assignment, "result"):
        raise _error(
            ErrorCode.BAD_TRANSITION, _("The council has already concluded on this product.")
        )
    report, created = AdvisoryReport.objects.select_for_update().get_or_create(
        assignment=assignment, defaults={"written_by": adviser}
    )
    if report.status == AdvisoryReport.Status.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The report has been sent to the chair and is locked."),
            key="status",
        )
    for name, value in fields.items():
        setattr(report, name, (value or "").strip())
    report.save()
    if created or fields:
        _event(assignment, adviser, "advisory_report_saved")
    return report


@transaction.atomic
def advisory_report_submit(*, assignment_id: int, adviser: User) -> AdvisoryReport:
    """Send the report to the council's chair (Đ7.3.c). It needs the assessment of the dossier,
    and the field survey: a field visit recorded on the dossier or, where none was made (a
    re-evaluation surveys only on a big change, Đ7.6.c), the survey section saying why."""
    assignment = _assignment_for_adviser(assignment_id, adviser)
    report = AdvisoryReport.objects.select_for_update().filter(assignment=assignment).first()
    if report is None or not report.assessment:
        raise _error(
            ErrorCode.INVALID,
            _("Write the assessment of the dossier before sending the report."),
            key="assessment",
        )
    if report.status == AdvisoryReport.Status.SUBMITTED:
        raise _error(
            ErrorCode.BAD_TRANSITION,
            _("The report has already been sent to the chair."),
            key="status",
        )
    if not report.field_survey and not assignment.field_visits.exists():
        raise _error(
            ErrorCode.INVALID,
            _(
                "Record the field survey: a visit to the production site, or in the survey "
                "section why "
                "none was made."
            ),
            key="field_survey",
        )
    report.status, report.submitted_by, report.submitted_at = (
        AdvisoryReport.Status.SUBMITTED,
        adviser,
        timezone.now(),
    )
    report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    _event(assignment, adviser, "advisory_report_submitted")
    return report


@transaction.atomic
def lab_request_create(
    *, assignment_id: int, adviser: User, tests: str, laboratory: str = ""
) -> LabTestRequest:
    """The advisory team asks for extra laboratory tests."""
    assignment = _assignment_for_adviser(assignment_id, adviser)
    lab = LabTestRequest.objects.create(
        assignment=assignment,
        tests=tests.strip(),
        laboratory=laboratory.strip(),
        requested_by=adviser,
    )
    _event(assignment, adviser, "lab_test_requested", note=tests.strip()[:200])
    return lab
