from decimal import Decimal

from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField


class ScorecardInput(serializers.Serializer):
    choices = serializers.DictField(child=AsciiIntegerSerializerField(min_value=1), required=False)
    knockouts = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    comments = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True), required=False
    )

    class Meta:
        ref_name = "CouncilScorecardInput"  # apps.criteria's ScorecardInput is the self-check


class ScorecardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    choices = serializers.JSONField()
    knockouts = serializers.JSONField()
    comments = serializers.JSONField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class ReopenInput(serializers.Serializer):
    scorecards = serializers.ListField(child=AsciiIntegerSerializerField(), min_length=1)
    reason = serializers.CharField(max_length=5000)


class ConcludeInput(serializers.Serializer):
    feedback = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


class AssignInput(serializers.Serializer):
    dossier = AsciiIntegerSerializerField()


class ResultOutput(serializers.Serializer):
    total = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    parts = serializers.JSONField()
    band_star = serializers.IntegerField()
    star = serializers.IntegerField(allow_null=True)
    unmet_minimums = serializers.JSONField()
    rejected = serializers.BooleanField()
    rejected_by = serializers.JSONField()
    spread = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    scoring_members = serializers.IntegerField()
    council_size = serializers.IntegerField()
    propose_to_ministry = serializers.BooleanField()
    certificate_eligible = serializers.BooleanField()
    feedback = serializers.CharField()
    concluded_at = serializers.DateTimeField()


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    council_id = serializers.IntegerField()
    dossier_id = serializers.IntegerField()
    product_name = serializers.CharField(source="dossier.product.name")
    producer_name = serializers.CharField(source="dossier.product.producer.name")
    commune = serializers.CharField(source="dossier.commune.full_name")
    sheet = serializers.IntegerField(source="dossier.sheet.number")
    assigned_at = serializers.DateTimeField()
    result = serializers.SerializerMethodField()
    written_opinions = serializers.SerializerMethodField(
        help_text="A re-evaluation: the council decides by written opinions (QĐ 26/2026 Đ7.6.d)."
    )
    meeting_needed = serializers.SerializerMethodField(
        help_text="The council must meet: always without written opinions; with them, only when "
        "the "
        "submitted totals spread more than the council's threshold."
    )

    def get_result(self, obj) -> dict | None:
        result = getattr(obj, "result", None)
        return ResultOutput(result).data if result is not None else None

    def get_written_opinions(self, obj) -> bool:
        from apps.evaluation.services import written_opinions

        return written_opinions(obj)

    def get_meeting_needed(self, obj) -> bool:
        from apps.evaluation.services import meeting_needed

        return meeting_needed(assignment=obj)


class FieldVisitInput(serializers.Serializer):
    visited_on = serializers.DateField()
    location = serializers.JSONField()
    findings = serializers.DictField(
        child=serializers.CharField(max_length=5000), required=False, default=dict
    )
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")


class AdvisoryReportInput(serializers.Serializer):
    """The advisory team's report (QĐ 26/2026 Đ7.3.c); fields left out keep what is saved."""

    assessment = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        help_text="The assessment of the dossier.",
    )
    field_survey = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        help_text="The survey at the production site, or why none was made.",
    )
    documents_requested = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    recommendation = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class AdvisoryReportOutput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["none", "draft", "submitted"],
        help_text='"none" until the team sends it, for everyone but the team.',
    )
    assessment = serializers.CharField()
    field_survey = serializers.CharField()
    documents_requested = serializers.CharField()
    recommendation = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    field_visits = serializers.IntegerField(
        help_text="Field visits recorded on the dossier (annexes)."
    )
    lab_requests = serializers.IntegerField(help_text="Lab-test requests (annexes).")
    awaited = serializers.BooleanField(
        help_text="Members cannot submit their scorecards until it is sent."
    )

    @staticmethod
    def build(assignment, report) -> dict:
        from apps.evaluation.services import advisory_report_awaited

        text = {
            name: getattr(report, name) if report else ""
            for name in ("assessment", "field_survey", "documents_requested", "recommendation")
        }
        return {
            "status": report.status if report else "none",
            **text,
            "submitted_at": report.submitted_at if report else None,
            "field_visits": assignment.field_visits.count(),
            "lab_requests": assignment.lab_requests.count(),
            "awaited": advisory_report_awaited(assignment),
        }


class LabRequestInput(serializers.Serializer):
    tests = serializers.CharField(max_length=5000)
    laboratory = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RoundInput(serializers.Serializer):
    year = AsciiIntegerSerializerField(min_value=2019, max_value=2100)
    number = AsciiIntegerSerializerField(min_value=1, max_value=12)
    # Left out, they come from the province's plan (Đ5.1: proposals before 30/4 and 30/10).
    proposal_deadline = serializers.DateField(
        required=False, help_text="Proposals made before this day."
    )
    evaluation_deadline = serializers.DateField(required=False)


class MemberInput(serializers.Serializer):
    user = AsciiIntegerSerializerField()
    role = serializers.ChoiceField(choices=["chair", "vice_chair", "member", "secretary"])
    organisation = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class CouncilInput(serializers.Serializer):
    round = AsciiIntegerSerializerField()
    name = serializers.CharField(max_length=255)
    criteria_set = serializers.CharField(max_length=32, default="QD26/2026")
    members = MemberInput(many=True)
    advisors = serializers.ListField(
        child=AsciiIntegerSerializerField(), required=False, default=list
    )
    quorum = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        required=False,
    )
    spread_threshold = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), required=False
    )
    minimum_rule = serializers.ChoiceField(choices=["majority", "all", "any"], required=False)
    knockout_rule = serializers.ChoiceField(choices=["majority", "any"], required=False)
    reveal_after_submit = serializers.BooleanField(required=False)
    conflict_rules = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False
    )


class ProducerLinkInput(serializers.Serializer):
    user = AsciiIntegerSerializerField()
    kind = serializers.ChoiceField(choices=["relative", "adviser"])
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PhotoInput(serializers.Serializer):
    file = serializers.FileField()
    caption = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    taken_at = serializers.DateTimeField(required=False)

    class Meta:
        ref_name = "FieldVisitPhotoInput"  # apps.public's PhotoInput is a product photo
