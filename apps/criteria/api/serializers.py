"""Input and output shapes of the criteria API.

Output serializers read models or engine results. The evaluation input is checked by
`evaluation_input`, strictly (an option must be a JSON integer, not "3" or 3.0), so that every
400 names the offending key; `EvaluateInputSerializer` documents the same shape in the schema.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField
from apps.criteria import engine
from apps.criteria.errors import CriteriaError, CriteriaErrorCode

POINTS = {"max_digits": 5, "decimal_places": 2}
RULE_FIELDS = (
    "council_size",
    "quorum",
    "spread_threshold",
    "minimum_rule",
    "knockout_rule",
    "ministry_threshold",
)


# --- criteria sets and sheets ----------------------------------------------------------------


class RegimeSerializer(serializers.Serializer):
    code = serializers.CharField(source="regime_code")
    recognition = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text='Which level recognises which stars, e.g. {"province": [3, 4], "ministry": [5]}.',
    )


class CriteriaSetOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='e.g. "QD26/2026"')
    slug = serializers.CharField(help_text='e.g. "QD26-2026", used in URLs')
    instrument_number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    status = serializers.CharField()
    signed_on = serializers.DateField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    regime = RegimeSerializer(source="*")
    certificate_validity_months = serializers.IntegerField(allow_null=True)


class SheetSummaryOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    classification = serializers.CharField(source="classification.code", allow_null=True)
    classification_label = serializers.CharField(source="classification.label", allow_null=True)
    review = serializers.BooleanField()


class ReviewFields(serializers.Serializer):
    review = serializers.BooleanField(help_text="Kept as printed but looks wrong: see review_note.")
    review_note = serializers.CharField()


class ErratumSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="`points` (option) or `max_points`.")
    printed = serializers.JSONField(help_text="The value as printed in the text.")
    used = serializers.JSONField(help_text="The value scored with.")
    status = serializers.ChoiceField(
        ["corrected", "queried"],
        help_text="`corrected`: the arithmetic proves it; `queried`: kept as printed, for review.",
    )
    proof = serializers.CharField()


class ErrataFields(serializers.Serializer):
    errata = ErratumSerializer(many=True)
    errata_notes = serializers.ListField(
        child=serializers.CharField(), help_text="“in bản gốc: 13; áp dụng: 3, vì …”"
    )


class PartOutputSerializer(ErrataFields, ReviewFields):
    part = serializers.CharField()
    title = serializers.CharField()
    max_points = serializers.DecimalField(help_text="As printed in the heading.", **POINTS)
    column_points = serializers.DecimalField(
        allow_null=True, help_text="As printed in the score column.", **POINTS
    )


class GroupOutputSerializer(ReviewFields):
    code = serializers.CharField()
    title = serializers.CharField()
    max_points = serializers.DecimalField(**POINTS)
    notes = serializers.ListField(child=serializers.CharField())


class SectionOutputSerializer(ReviewFields):
    number = serializers.IntegerField()
    part = serializers.CharField()
    title = serializers.CharField()
    max_points = serializers.DecimalField(**POINTS)
    notes = serializers.ListField(child=serializers.CharField())
    groups = GroupOutputSerializer(many=True)
    knockout_rule = serializers.SerializerMethodField(
        help_text='An automatic knock-out, e.g. {"when": "zero_points", "text": "…"}, or null.'
    )

    def get_knockout_rule(self, section) -> dict[str, str] | None:
        if not section.knockout_when:
            return None
        return {"when": section.knockout_when, "text": section.knockout_rule_text}


class OptionOutputSerializer(ReviewFields):
    errata = ErratumSerializer(many=True)
    knockout_rule = serializers.CharField(
        help_text="Choosing this option rejects the product by itself: the sentence as printed."
    )
    number = serializers.IntegerField()
    text = serializers.CharField()
    points = serializers.DecimalField(**POINTS)
    min_star = serializers.IntegerField(
        allow_null=True, help_text="This option is the minimum for a 3★, 4★ or 5★ ranking."
    )
    blank_points = serializers.BooleanField(help_text="The points cell is printed blank (0).")
    variant = serializers.CharField(help_text="The case this option belongs to, if any.")


class ApplicabilitySerializer(serializers.Serializer):
    criterion = serializers.CharField()
    min_option = serializers.IntegerField()
    text = serializers.CharField()


class CriterionOutputSerializer(ReviewFields):
    errata = ErratumSerializer(many=True)
    errata_notes = serializers.ListField(
        child=serializers.CharField(),
        source="all_errata_notes",
        help_text="The criterion's errata and its options', as shown on the pages.",
    )
    code = serializers.CharField()
    title = serializers.CharField()
    part = serializers.CharField()
    section = serializers.IntegerField(source="section.number")
    group = serializers.CharField(source="group.code", allow_null=True)
    max_points = serializers.DecimalField(**POINTS)
    applies_when = ApplicabilitySerializer(allow_null=True)
    knockout = serializers.BooleanField(
        help_text="A member declares the fact in the knock-out note (`knockouts`)."
    )
    knockout_note = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    boolean_item = serializers.BooleanField()
    options = OptionOutputSerializer(many=True, source="options.all")


class SheetOutputSerializer(ReviewFields):
    criteria_set = serializers.CharField(source="criteria_set.code")
    number = serializers.IntegerField()
    title = serializers.CharField()
    index_title = serializers.CharField()
    classification = serializers.CharField(source="classification.code", allow_null=True)
    classification_label = serializers.CharField(source="classification.label", allow_null=True)
    header_product_label = serializers.CharField()
    header_group_label = serializers.CharField()
    knockout_text = serializers.CharField(help_text="“Hồ sơ bị loại khi…”: dossier knock-outs.")
    star_note = serializers.CharField()
    total_points = serializers.DecimalField(allow_null=True, **POINTS)
    parts = PartOutputSerializer(many=True, source="parts.all")
    sections = SectionOutputSerializer(many=True, source="sections.all")
    criteria = CriterionOutputSerializer(many=True, source="criteria.all")


# --- evaluation ------------------------------------------------------------------------------


class ScorecardInputSerializer(serializers.Serializer):
    choices = serializers.DictField(
        child=AsciiIntegerSerializerField(min_value=1),
        help_text='Criterion code → option number (from 1), e.g. {"1.1": 3, "2.4": 2}.',
    )
    knockouts = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Knock-out criterion codes recorded by this member, or "dossier".',
    )
    member = serializers.CharField(required=False, help_text="Opaque label echoed back.")


class RulesInputSerializer(serializers.Serializer):
    council_size = AsciiIntegerSerializerField(required=False, allow_null=True)
    quorum = serializers.DecimalField(max_digits=4, decimal_places=3, required=False)
    spread_threshold = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    minimum_rule = serializers.ChoiceField(engine.MINIMUM_RULES, required=False)
    knockout_rule = serializers.ChoiceField(engine.KNOCKOUT_RULES, required=False)
    ministry_threshold = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)


class EvaluateInputSerializer(serializers.Serializer):
    """Either one scorecard (`choices`, `knockouts`) or a council's `scorecards`."""

    choices = serializers.DictField(child=AsciiIntegerSerializerField(min_value=1), required=False)
    knockouts = serializers.ListField(child=serializers.CharField(), required=False)
    scorecards = ScorecardInputSerializer(many=True, required=False)
    rules = RulesInputSerializer(required=False)


def _invalid(message: str, key: str, member: int | None = None) -> CriteriaError:
    extra: dict[str, Any] = {"key": key}
    if member is not None:
        extra["member"] = member
    return CriteriaError(CriteriaErrorCode.INVALID, message, extra=extra)


def _scorecard(data: Any, member: int | None) -> engine.Scorecard:
    if not isinstance(data, Mapping):
        raise _invalid(_("Each scorecard must be a JSON object."), "scorecards", member)
    unknown = set(data) - {"choices", "knockouts", "member"}
    if unknown:
        key = sorted(unknown)[0]
        raise _invalid(_("Unknown field “%(key)s”.") % {"key": key}, key, member)
    choices = data.get("choices", {})
    if not isinstance(choices, Mapping):
        raise _invalid(
            _("“choices” must be an object mapping criterion codes to option numbers."),
            "choices",
            member,
        )
    for code, option in choices.items():
        if not isinstance(option, int) or isinstance(option, bool):
            raise _invalid(
                _("The option chosen for criterion %(code)s must be an integer.") % {"code": code},
                code,
                member,
            )
    knockouts = data.get("knockouts", [])
    if not isinstance(knockouts, list) or not all(isinstance(k, str) for k in knockouts):
        raise _invalid(_("“knockouts” must be a list of criterion codes."), "knockouts", member)
    label = data.get("member")
    if label is not None and not isinstance(label, str):
        raise _invalid(_("“member” must be a string."), "member", member)
    return engine.Scorecard(choices=dict(choices), knockouts=tuple(knockouts), member=label)


def _rules(data: Any) -> engine.CouncilRules:
    if data is None:
        return engine.CouncilRules()
    if not isinstance(data, Mapping):
        raise _invalid(_("“rules” must be a JSON object."), "rules")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in RULE_FIELDS:
            raise _invalid(_("Unknown council rule “%(key)s”.") % {"key": key}, key)
        if key == "council_size":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise _invalid(_("“council_size” must be an integer or null."), key)
        elif key in ("minimum_rule", "knockout_rule"):
            if not isinstance(value, str):
                raise _invalid(_("“%(key)s” must be a string.") % {"key": key}, key)
        else:
            try:
                if isinstance(value, bool) or not isinstance(value, int | float | str):
                    raise InvalidOperation
                value = Decimal(str(value))
            except InvalidOperation:
                raise _invalid(_("“%(key)s” must be a number.") % {"key": key}, key) from None
        values[key] = value
    return engine.CouncilRules(**values)


def evaluation_input(data: Any) -> tuple[list[engine.Scorecard], engine.CouncilRules]:
    """Scorecards and council rules from an evaluation request body; 400 with the key if bad."""
    if not isinstance(data, Mapping):
        raise _invalid(_("The request body must be a JSON object."), "body")
    allowed = {"choices", "knockouts", "scorecards", "rules"}
    unknown = set(data) - allowed
    if unknown:
        key = sorted(unknown)[0]
        raise _invalid(_("Unknown field “%(key)s”.") % {"key": key}, key)
    if "scorecards" in data:
        if "choices" in data or "knockouts" in data:
            raise _invalid(_("Send either “choices” or “scorecards”, not both."), "scorecards")
        raw = data["scorecards"]
        if not isinstance(raw, list):
            raise _invalid(_("“scorecards” must be a list of scorecards."), "scorecards")
        scorecards = [_scorecard(item, index) for index, item in enumerate(raw)]
    else:
        scorecards = [_scorecard({k: data[k] for k in ("choices", "knockouts") if k in data}, None)]
    return scorecards, _rules(data.get("rules"))


# --- evaluation result -----------------------------------------------------------------------


def _cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


class PartsOutputSerializer(serializers.Serializer):
    A = serializers.CharField()
    B = serializers.CharField()
    C = serializers.CharField()


class MemberOutputSerializer(serializers.Serializer):
    member = serializers.CharField(allow_null=True)
    total = serializers.CharField(help_text='Two decimals, e.g. "72.00".')
    parts = PartsOutputSerializer()
    missing = serializers.ListField(child=serializers.CharField())
    band_star = serializers.IntegerField()


class UnmetMinimumSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    star = serializers.IntegerField()


class EvaluationOutputSerializer(serializers.Serializer):
    total = serializers.CharField(help_text="Council mean, two decimals (ROUND_HALF_UP).")
    parts = PartsOutputSerializer()
    band_star = serializers.IntegerField(help_text="Star band of the total alone.")
    min_star_met = serializers.IntegerField(help_text="Highest level whose minimums are met.")
    star = serializers.IntegerField(
        allow_null=True, help_text="None when incomplete, rejected or without quorum."
    )
    unmet_minimums = UnmetMinimumSerializer(many=True)
    rejected = serializers.BooleanField()
    rejected_by = serializers.ListField(child=serializers.CharField())
    spread = serializers.CharField()
    spread_exceeded = serializers.BooleanField()
    quorum_met = serializers.BooleanField()
    quorum_required = serializers.IntegerField(allow_null=True)
    certificate_eligible = serializers.BooleanField()
    propose_to_ministry = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    members = MemberOutputSerializer(many=True)

    @staticmethod
    def from_result(result: engine.RankingResult) -> dict[str, Any]:
        def parts(values: Mapping[str, Decimal]) -> dict[str, str]:
            return {part: _cents(values[part]) for part in engine.PARTS}

        return {
            "total": _cents(result.total),
            "parts": parts(result.parts),
            "band_star": result.band_star,
            "min_star_met": result.min_star_met,
            "star": result.star,
            "unmet_minimums": [
                {"criterion": u.criterion, "star": u.star} for u in result.unmet_minimums
            ],
            "rejected": result.rejected,
            "rejected_by": list(result.rejected_by),
            "spread": _cents(result.spread),
            "spread_exceeded": result.spread_exceeded,
            "quorum_met": result.quorum_met,
            "quorum_required": result.quorum_required,
            "certificate_eligible": result.certificate_eligible,
            "propose_to_ministry": result.propose_to_ministry,
            "missing": list(result.missing),
            "members": [
                {
                    "member": m.member,
                    "total": _cents(m.total),
                    "parts": parts(m.parts),
                    "missing": list(m.missing),
                    "band_star": m.band_star,
                }
                for m in result.members
            ],
        }


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    extra = serializers.DictField()
