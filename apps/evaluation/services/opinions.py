"""Written opinions or a meeting: how the council evaluates a dossier (Đ7.3.d, Đ7.6.d)."""

from apps.criteria import engine
from apps.criteria.services import sheet_evaluate
from apps.dossiers.choices import DossierKind

from ..choices import ScorecardStatus
from ..models import (
    Assignment,
    Scorecard,
)
from .shared import council_rules


def written_opinions(assignment: Assignment) -> bool:
    """A re-evaluation is evaluated by written opinions (Đ7.6.d); other dossiers in a meeting
    of the council (Đ7.3.d)."""
    return assignment.dossier.kind == DossierKind.REEVALUATION


def meeting_needed(
    *, assignment: Assignment, submitted: list[Scorecard] | None = None, sheet=None
) -> bool:
    """Whether the council must meet on this dossier: always, unless it decides by written
    opinions; then only when the opinions diverge, i.e. the submitted scorecards' totals spread
    more than the council's `spread_threshold` (the same rule that stops `council_conclude`, so a
    meeting is needed exactly when the council cannot conclude without discussing). `submitted`
    and `sheet` may be given prefetched (a prefetched sheet ranks without queries)."""
    if not written_opinions(assignment):
        return True
    if submitted is None:
        submitted = list(assignment.scorecards.filter(status=ScorecardStatus.SUBMITTED))
    if len(submitted) < 2:
        return False
    cards = [
        engine.Scorecard(choices=dict(s.choices), knockouts=tuple(s.knockouts), member=str(s.pk))
        for s in submitted
    ]
    result = sheet_evaluate(
        sheet=sheet or assignment.dossier.sheet,
        scorecards=cards,
        rules=council_rules(assignment.council, council_size=None),
    )
    return result.spread_exceeded
