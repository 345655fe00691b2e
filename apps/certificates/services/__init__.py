"""Writes of the recognition stage and of what follows it: recognition decisions and the
certificates they issue, proposals to the ministry, closing without recognition, revocation,
the transitional extension, inspections, and the daily reminders.

Who decides what (QĐ 26/2026 Đ4, Đ7.3–7.4, Đ8.2):
- the provincial leader recognises 3★/4★ on the provincial council's result, or on the central
  council's result when a 5★ attempt scored below 90 there; proposes ≥90 results to the ministry;
- the ministry recognises 5★ on the central council's result;
- 1★/2★ and rejected products get no decision and no certificate;
- revocation and extension are decided by whoever recognises that many stars; a revocation case
  is opened first by the OCOP office of that level (the province's for 3★/4★, the ministry's
  for 5★) from a competent conclusion, and is due 15 days after it (Đ8.3–8.4).
Dossier statuses move only through `dossier_transition(..., internal=True)`.

The parts, by what they do:
- `recognition`: the decision and its certificates, the proposal to the ministry, closing
  without recognition;
- `decision_scans`: the signed decision, filed after the decision is recorded;
- `revocation`: revocation cases, opened, decided or closed, and revocation in one step;
- `extension`: the transitional extension (Đ12.3);
- `inspections`: post-recognition inspections (Đ9);
- `reminders`: the daily run of re-evaluation and expiry reminders;
- `notifications`: the in-app notification and email about a dossier;
- `shared`: errors, field checks, validity, the actor's scope and authority.
Callers import the service functions from this package; a test that replaces a name a service
looks up (e.g. `dossier_transition`) patches it in the part that uses it.
"""

from .decision_scans import SCAN_PREFIX, SCAN_ROLES, decision_scan_attach
from .extension import certificate_extend
from .inspections import INSPECTOR_ROLES, inspection_record
from .recognition import (
    MINISTRY_ISSUER,
    PDF_PREFIX,
    ministry_propose,
    recognition_decide,
    result_close_unrecognised,
)
from .reminders import daily_run
from .revocation import (
    certificate_revoke,
    revocation_close,
    revocation_decide,
    revocation_open,
    revocation_open_from_inspection,
)
from .shared import add_months, certificate_valid_until, public_url

__all__ = [
    "INSPECTOR_ROLES",
    "MINISTRY_ISSUER",
    "PDF_PREFIX",
    "SCAN_PREFIX",
    "SCAN_ROLES",
    "add_months",
    "certificate_extend",
    "certificate_revoke",
    "certificate_valid_until",
    "daily_run",
    "decision_scan_attach",
    "inspection_record",
    "ministry_propose",
    "public_url",
    "recognition_decide",
    "result_close_unrecognised",
    "revocation_close",
    "revocation_decide",
    "revocation_open",
    "revocation_open_from_inspection",
]
