"""Writes of the dossier context. Every status change goes through `dossier_transition`.

The services are split by what they do: creating and editing (`editing`), the workflow and its
transition table (`workflow`), snapshots between submissions (`snapshots`), notifications
(`notifications`) and evidence files (`evidence`); this module is the context's interface."""

from ._common import current_criteria_set
from .editing import (
    commune_assessment_save,
    dossier_create,
    dossier_forms_update,
    dossier_self_assess,
    provide_active_certificates,
    provide_standing_certificate,
    samples_record,
)
from .evidence import evidence_upload
from .notifications import dossier_people, notifications_mark_read, notify, notify_transition
from .snapshots import dossier_snapshot, snapshot_diff
from .workflow import TRANSITIONS, Transition, dossier_round_record, dossier_transition

__all__ = [
    "TRANSITIONS",
    "Transition",
    "commune_assessment_save",
    "current_criteria_set",
    "dossier_create",
    "dossier_people",
    "dossier_forms_update",
    "dossier_round_record",
    "dossier_self_assess",
    "dossier_snapshot",
    "dossier_transition",
    "evidence_upload",
    "notifications_mark_read",
    "notify",
    "notify_transition",
    "provide_active_certificates",
    "provide_standing_certificate",
    "samples_record",
    "snapshot_diff",
]
