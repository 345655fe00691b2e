"""Writes of the evaluation context: rounds and councils, assignment, conflicts of interest,
members' scorecards, and the council's result. Every rule is enforced here, not in the pages.

The parts, by what they do:
- `rounds`: the province's rounds and their councils;
- `assignments`: a dossier assigned to a council, in the round it belongs to;
- `conflicts`: ties to producers, conflicts flagged and declared;
- `scorecards`: members' scorecards, saved, submitted and reopened;
- `conclusion`: the council's result;
- `opinions`: written opinions, or a meeting;
- `advisory`: the advisory team's report and laboratory requests;
- `field_visits`: the advisory team's field visits and their photos;
- `shared`: errors, the audit trail, the council's rules, the assignment a member or adviser
  sees.
Callers import the service functions from this package; a test that replaces a name a service
looks up patches it in the part that uses it.
"""

from .advisory import (
    REPORT_FIELDS,
    advisory_report_awaited,
    advisory_report_save,
    advisory_report_submit,
    lab_request_create,
)
from .assignments import assignment_create
from .conclusion import council_conclude, eligible_members
from .conflicts import conflict_declare, conflicts_flag, producer_link_record
from .field_visits import field_visit_photo_add, field_visit_record
from .opinions import meeting_needed, written_opinions
from .rounds import council_create, round_create, round_planned
from .scorecards import scorecard_open, scorecard_save, scorecard_submit, scorecards_reopen
from .shared import council_rules

__all__ = [
    "REPORT_FIELDS",
    "advisory_report_awaited",
    "advisory_report_save",
    "advisory_report_submit",
    "assignment_create",
    "conflict_declare",
    "conflicts_flag",
    "council_conclude",
    "council_create",
    "council_rules",
    "eligible_members",
    "field_visit_photo_add",
    "field_visit_record",
    "lab_request_create",
    "meeting_needed",
    "producer_link_record",
    "round_create",
    "round_planned",
    "scorecard_open",
    "scorecard_save",
    "scorecard_submit",
    "scorecards_reopen",
    "written_opinions",
]
