"""Evidence files attached to a dossier's criteria."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ErrorCode

from ..models import (
    EvidenceFile,
)

# --- evidence files --------------------------------------------------------------------------
from ._common import _event, _require_editable_by_producer, _scoped


def evidence_upload(
    *,
    dossier_id: int,
    actor: User,
    file,
    annex_type: str,
    criterion_code: str = "",
    title: str = "",
    replaces_id: int | None = None,
) -> EvidenceFile:
    """Attach an evidence file to the dossier (optionally to one criterion), or replace one.

    The content is checked before anything is stored; the row is created in its own transaction
    after the object is stored, and the object is deleted again if that transaction fails, so a
    refused or failed upload leaves neither a row nor an orphan. A replacement keeps the old
    version (`replaced_by` points at the new one).
    """
    from apps.core.files import stored_file_or_cleanup, upload_check

    from ..choices import AnnexType

    if annex_type not in AnnexType.values:
        raise ApplicationError(
            ErrorCode.INVALID, _("Unknown annex type."), extra={"key": "annex_type"}
        )
    # Scope and status first, so an out-of-scope caller learns nothing from the file checks.
    dossier = _scoped(actor, dossier_id)
    _require_editable_by_producer(dossier, actor)
    if criterion_code and not dossier.sheet.criteria.filter(code=criterion_code).exists():
        raise ApplicationError(
            ErrorCode.INVALID,
            _("Sheet %(n)s has no criterion “%(code)s”.")
            % {"n": dossier.sheet.number, "code": criterion_code},
            extra={"key": "criterion_code"},
        )
    checked = upload_check(file=file)
    with stored_file_or_cleanup(checked=checked, file=file, prefix="dossiers") as storage_name:
        with transaction.atomic(durable=True):
            dossier = _scoped(actor, dossier_id, lock=True)
            _require_editable_by_producer(dossier, actor)
            previous = None
            if replaces_id is not None:
                previous = (
                    EvidenceFile.objects.select_for_update()
                    .filter(dossier=dossier, pk=replaces_id, replaced_by__isnull=True)
                    .first()
                )
                if previous is None:
                    raise ApplicationError(
                        ErrorCode.INVALID,
                        _("The file to replace is not a current file of this dossier."),
                        extra={"key": "replaces"},
                    )
            new = EvidenceFile.objects.create(
                dossier=dossier,
                annex_type=annex_type,
                criterion_code=criterion_code,
                title=title,
                original_name=checked.original_name,
                storage_name=storage_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                version=previous.version + 1 if previous else 1,
                uploaded_by=actor,
            )
            if previous is not None:
                previous.replaced_by = new
                previous.save(update_fields=["replaced_by"])
            _event(
                dossier,
                actor,
                "file_replaced" if previous else "file_uploaded",
                note=f"{checked.original_name} ({checked.sha256[:12]})",
            )
    return new
