from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField
from apps.dossiers.choices import AnnexType, DossierKind, DossierStatus
from apps.dossiers.selectors import is_overdue


class UnitRef(serializers.Serializer):
    code = serializers.CharField()
    full_name = serializers.CharField()

    class Meta:
        ref_name = "DossierUnitRef"  # apps.geo's UnitRef has a name too


class RenewedCertificate(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    product_code = serializers.CharField()
    stars = serializers.IntegerField()
    valid_until = serializers.DateField()


class FilingWindow(serializers.Serializer):
    opens = serializers.DateField(
        help_text="First day the re-evaluation may be filed (180 days before expiry)."
    )
    closes = serializers.DateField(help_text="Last day it may be filed (120 days before expiry).")


class DossierOutput(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField(source="product.name")
    producer_name = serializers.CharField(source="product.producer.name")
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    criteria_set = serializers.CharField(source="sheet.criteria_set.code")
    sheet = serializers.IntegerField(source="sheet.number")
    regime_code = serializers.CharField()
    commune = UnitRef()
    province = UnitRef()
    receipt_number = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    commune_deadline = serializers.DateField(allow_null=True)
    decision_deadline = serializers.DateField(
        allow_null=True,
        help_text="Re-evaluations: decided by this day (45 days from the complete dossier, "
        "Đ7.6.g).",
    )
    overdue = serializers.SerializerMethodField()
    renews = RenewedCertificate(allow_null=True)
    filing_window = serializers.SerializerMethodField()
    round_year = serializers.IntegerField(allow_null=True)
    round_number = serializers.IntegerField(allow_null=True)
    self_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    self_star = serializers.IntegerField(allow_null=True)
    samples_required = serializers.IntegerField()
    samples_received = serializers.IntegerField()
    updated_at = serializers.DateTimeField()

    def get_overdue(self, obj) -> bool:
        return is_overdue(obj)

    @extend_schema_field(FilingWindow(allow_null=True))
    def get_filing_window(self, obj) -> dict | None:
        window = obj.filing_window
        return FilingWindow({"opens": window[0], "closes": window[1]}).data if window else None


class EvidenceFileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    annex_type = serializers.CharField()
    criterion_code = serializers.CharField()
    title = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    replaces_id = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField()

    def get_replaces_id(self, obj) -> int | None:
        previous = getattr(obj, "replaces", None)
        return previous.pk if previous is not None else None


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    changes = serializers.JSONField()


class CommuneAssessmentIO(serializers.Serializer):
    raw_material = serializers.CharField(max_length=10000)
    local_labour = serializers.CharField(max_length=10000)
    product_idea = serializers.CharField(max_length=10000)
    local_identity = serializers.CharField(max_length=10000)
    proposal = serializers.CharField(max_length=10000)
    consultation_held = serializers.BooleanField(default=False)


class DossierDetailOutput(DossierOutput):
    form01 = serializers.JSONField()
    form02 = serializers.JSONField()
    self_assessment = serializers.SerializerMethodField()
    files = EvidenceFileOutput(many=True)
    events = EventOutput(many=True)
    commune_assessment = serializers.SerializerMethodField()
    copied_from_id = serializers.IntegerField(allow_null=True)
    council_result = serializers.SerializerMethodField()

    def get_self_assessment(self, obj) -> dict[str, int]:
        return {a.criterion_code: a.option_number for a in obj.self_assessment.all()}

    def get_council_result(self, obj) -> dict | None:
        """The council's conclusion as the producer may see it: no members, no single scores."""
        from apps.dossiers.selectors import latest_council_result

        result = latest_council_result(obj)
        if result is None:
            return None
        return {
            "total": str(result.total),
            "star": result.star,
            "rejected": result.rejected,
            "rejected_by": result.rejected_by,
            "unmet_minimums": result.unmet_minimums,
            "feedback": result.feedback,
            "concluded_at": result.concluded_at,
        }

    def get_commune_assessment(self, obj) -> dict | None:
        assessment = getattr(obj, "commune_assessment", None)
        return CommuneAssessmentIO(assessment).data if assessment else None


class DossierCreateInput(serializers.Serializer):
    product = AsciiIntegerSerializerField()
    kind = serializers.ChoiceField(choices=DossierKind.choices, default=DossierKind.FIRST)


class DossierListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=DossierStatus.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    commune = serializers.RegexField(r"^[0-9]{1,10}\Z", required=False)


class FormsInput(serializers.Serializer):
    form01 = serializers.DictField(required=False)
    form02 = serializers.DictField(required=False)


class SelfAssessmentInput(serializers.Serializer):
    choices = serializers.DictField(child=AsciiIntegerSerializerField(min_value=1))
    explanations = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True), required=False
    )


class TransitionInput(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SamplesInput(serializers.Serializer):
    received = AsciiIntegerSerializerField(min_value=0, max_value=20)
    on = serializers.DateField()


class FileUploadInput(serializers.Serializer):
    file = serializers.FileField()
    annex_type = serializers.ChoiceField(choices=AnnexType.choices)
    criterion_code = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default=""
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    replaces = AsciiIntegerSerializerField(required=False)
