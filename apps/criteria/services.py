"""Scoring with the stored criteria: build the engine's `SheetSpec` from a sheet and rank.

The engine (the `engine` package) is the single source of truth for totals, stars and minimums; this
module only translates between the database and the engine, and turns engine errors into
`CriteriaError`s with Vietnamese messages and the offending key.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from . import engine
from .errors import CriteriaError, CriteriaErrorCode
from .models import Sheet


def sheet_spec(*, sheet: Sheet) -> engine.SheetSpec:
    """The engine's view of a stored sheet: criteria in printed order with their options.

    Invariant: one `CriterionSpec` per stored criterion, options numbered as stored, points and
    markers exactly as stored (after errata), and an option `rejects` exactly when the data ties a
    knock-out to it (`Option.knockout_rule`; the loader puts a section's `zero_points` rule on
    each 0-point option of the section). Use `selectors.sheet_get` to fetch it in few queries.
    """
    criteria = []
    for criterion in sheet.criteria.all():
        applies_when = None
        if criterion.depends_on_id is not None:
            applies_when = engine.Applicability(
                criterion=criterion.depends_on.code,
                min_option=criterion.depends_on_min_option,
                text=criterion.applies_when_text,
            )
        criteria.append(
            engine.CriterionSpec(
                code=criterion.code,
                part=criterion.part,
                max_points=criterion.max_points,
                options=tuple(
                    engine.OptionSpec(
                        number=o.number,
                        points=o.points,
                        min_star=o.min_star,
                        rejects=bool(o.knockout_rule),
                    )
                    for o in criterion.options.all()
                ),
                knockout=criterion.knockout,
                applies_when=applies_when,
            )
        )
    return engine.SheetSpec(number=sheet.number, criteria=tuple(criteria))


def sheet_evaluation_blocker(*, sheet: Sheet) -> CriteriaError | None:
    """Why this sheet cannot be scored (values awaiting review), or None when it can."""
    try:
        engine.validate_sheet(sheet_spec(sheet=sheet))
    except engine.InvalidSheet as exc:
        return _sheet_error(sheet, exc)
    return None


def sheet_evaluate(
    *,
    sheet: Sheet,
    scorecards: Sequence[engine.Scorecard],
    rules: engine.CouncilRules | None = None,
) -> engine.RankingResult:
    """Rank one product from its scorecards (one for a self-assessment, several for a council).

    Invariant: the result is exactly `engine.rank` on the stored sheet; nothing is computed
    here. Bad scorecards or rules raise a 400 `CriteriaError` naming the key; a stored sheet
    the engine refuses raises a 409 `CriteriaError`.
    """
    try:
        return engine.rank(sheet_spec(sheet=sheet), scorecards, rules or engine.CouncilRules())
    except engine.InvalidSheet as exc:
        raise _sheet_error(sheet, exc) from exc
    except engine.InvalidScorecard as exc:
        raise _scorecard_error(sheet, exc, council=len(scorecards) > 1) from exc


def _sheet_error(sheet: Sheet, exc: engine.InvalidSheet) -> CriteriaError:
    return CriteriaError(
        CriteriaErrorCode.SHEET_NOT_EVALUABLE,
        _(
            "Sheet %(number)s cannot be scored yet: its printed values are awaiting review "
            "(%(key)s)."
        )
        % {"number": sheet.number, "key": exc.key},
        extra={"key": exc.key, "reason": exc.code},
    )


def _scorecard_error(sheet: Sheet, exc: engine.InvalidScorecard, council: bool) -> CriteriaError:
    values = {"key": exc.key, "number": sheet.number, "value": exc.value}
    messages = {
        "unknown_criterion": _("Sheet %(number)s has no criterion “%(key)s”."),
        "option_out_of_range": _("Criterion %(key)s has no option %(value)s."),
        "not_applicable": _("Criterion %(key)s does not apply: %(condition)s."),
        "unknown_knockout": _("“%(value)s” is not a knock-out of sheet %(number)s."),
        "no_scorecards": _("At least one scorecard is required."),
        "bad_rule": _("The council rule “%(key)s” is not valid."),
    }
    if exc.code == "not_applicable":
        criterion = next(c for c in sheet.criteria.all() if c.code == exc.key)
        values["condition"] = criterion.applies_when_text or _("its condition is not met")
    extra: dict[str, object] = {"key": exc.key}
    if council and exc.member is not None:
        extra["member"] = exc.member
    if exc.code == "unknown_knockout":
        extra["value"] = exc.value
    known = exc.code in CriteriaErrorCode._value2member_map_
    code = CriteriaErrorCode(exc.code) if known else CriteriaErrorCode.INVALID
    message = messages[exc.code] % values if exc.code in messages else str(exc)
    return CriteriaError(code, message, extra=extra)


def sheet_evaluate_applicable(
    *, sheet: Sheet, choices: dict[str, int], knockouts: Sequence[str] = ()
) -> tuple[engine.RankingResult, dict[str, int]]:
    """Rank one scorecard after dropping choices for criteria that no longer apply (5.2 once
    5.1 says there is no story), so lowering one answer never blocks on an answer that depended
    on it. Returns the result and the choices kept. Any other bad choice still raises."""
    kept = dict(choices)
    while True:
        try:
            result = sheet_evaluate(
                sheet=sheet, scorecards=[engine.Scorecard(choices=kept, knockouts=tuple(knockouts))]
            )
            return result, kept
        except CriteriaError as exc:
            key = exc.extra.get("key")
            if exc.code == CriteriaErrorCode.NOT_APPLICABLE and key in kept:
                kept.pop(key)
                continue
            raise
