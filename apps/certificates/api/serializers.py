from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.parsing import AsciiIntegerSerializerField
from apps.producers.api.serializers import GeoJSONPointField

from ..choices import (
    InspectionKind,
    InspectionOutcome,
    InspectionScope,
    PublicStatus,
    RevocationGround,
    RevocationStatus,
)
from ..models import certificate_status
from ..services import public_url


class CertificateUnitRef(serializers.Serializer):
    code = serializers.CharField()
    full_name = serializers.CharField()


class DecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    level = serializers.CharField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()


class RevocationOutput(serializers.Serializer):
    """The decided revocation of a certificate (Đ8)."""

    ground = serializers.CharField()
    ground_label = serializers.CharField(source="get_ground_display")
    ground_text = serializers.CharField()
    concluded_on = serializers.DateField()
    concluded_by_body = serializers.CharField()
    deadline = serializers.DateField()
    decision_number = serializers.CharField()
    decided_on = serializers.DateField()
    decided_late = serializers.BooleanField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    note = serializers.CharField()


class RevocationCaseOutput(serializers.Serializer):
    """A revocation case (Đ8.3): opened from a conclusion, then decided or closed."""

    id = serializers.IntegerField()
    certificate_id = serializers.IntegerField()
    product_code = serializers.CharField(source="certificate.product_code")
    product_name = serializers.CharField(source="certificate.product.name")
    stars = serializers.IntegerField(source="certificate.stars")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    ground = serializers.CharField()
    ground_label = serializers.CharField(source="get_ground_display")
    ground_text = serializers.CharField()
    concluded_on = serializers.DateField()
    concluded_by_body = serializers.CharField()
    evidence = serializers.CharField()
    inspection_id = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(help_text=_("The conclusion date plus 15 days (Article 8.4)."))
    overdue = serializers.SerializerMethodField(
        help_text=_("Open past its deadline (Article 8.4).")
    )
    opened_by = serializers.CharField(source="opened_by.__str__")
    opened_at = serializers.DateTimeField(source="created_at")
    decision_number = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    decided_late = serializers.BooleanField(
        allow_null=True, help_text=_("Decided after the deadline; null while undecided.")
    )
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    note = serializers.CharField()
    decided_by = serializers.SerializerMethodField()
    close_reason = serializers.CharField()
    closed_by = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_overdue(self, obj) -> bool:
        # Selectors annotate it for the day; anything else is computed the same way.
        overdue = getattr(obj, "overdue", None)
        return bool(overdue) if overdue is not None else obj.overdue_on(timezone.localdate())

    def get_decided_by(self, obj) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None

    def get_closed_by(self, obj) -> str | None:
        return str(obj.closed_by) if obj.closed_by_id else None


class RevocationListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=RevocationStatus.choices, required=False)
    overdue = serializers.ChoiceField(
        choices=[("true", "true"), ("false", "false")],
        required=False,
        help_text=_("Only open cases past their deadline (true), or all others (false)."),
    )


class RevocationOpenInput(serializers.Serializer):
    ground = serializers.ChoiceField(
        choices=RevocationGround.choices,
        help_text=_("QĐ 26/2026 Article 8.1: a, b, c, d, dd (point đ) or e."),
    )
    concluded_on = serializers.DateField(
        help_text=_(
            "The date of the competent conclusion (for ground đ, of the commune People's "
            "Committee's confirmation): the decision is due 15 days later (Article 8.4)."
        )
    )
    concluded_by_body = serializers.CharField(max_length=255)
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    inspection_id = AsciiIntegerSerializerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text=_("The inspection of this certificate the conclusion comes from, if any."),
    )


class RevocationFromInspectionInput(serializers.Serializer):
    ground = serializers.ChoiceField(
        choices=RevocationGround.choices,
        required=False,
        default=RevocationGround.CRITERIA_NOT_MET,
        help_text=_("Article 8.1; b) (criteria no longer met) unless another is chosen."),
    )
    concluded_by_body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=255,
        help_text=_("Defaults to the inspecting OCOP office."),
    )
    evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20000,
        help_text=_("Defaults to the inspection's findings."),
    )


class RevocationDecideInput(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60)
    decided_on = serializers.DateField()
    signer_name = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=150)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class RevocationCloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class CertificateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    product_code = serializers.CharField()
    product_id = serializers.IntegerField()
    product_name = serializers.CharField(source="product.name")
    producer_name = serializers.CharField(source="product.producer.name")
    dossier_id = serializers.IntegerField()
    commune = CertificateUnitRef(source="dossier.commune")
    province = CertificateUnitRef(source="dossier.province")
    stars = serializers.IntegerField()
    criteria_set_code = serializers.CharField()
    regime_code = serializers.CharField(help_text="The process regime it was recognised under.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    extended_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    public_status = serializers.SerializerMethodField()
    public_status_label = serializers.SerializerMethodField()
    decision = DecisionOutput()
    revocation = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    is_demo = serializers.BooleanField()

    def _status(self, obj) -> str:
        # Selectors annotate it for the day; anything else is computed the same way.
        return getattr(obj, "public_status", None) or certificate_status(obj, timezone.localdate())

    def get_public_status(self, obj) -> str:
        return self._status(obj)

    def get_public_status_label(self, obj) -> str:
        return str(PublicStatus(self._status(obj)).label)

    def get_revocation(self, obj) -> dict | None:
        revocation = getattr(obj, "revocation", None) if obj.status == "revoked" else None
        return RevocationOutput(revocation).data if revocation else None

    def get_public_url(self, obj) -> str:
        return public_url(obj.product_code)


class CertificateListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=PublicStatus.choices, required=False)
    stars = serializers.ChoiceField(choices=[(3, "3"), (4, "4"), (5, "5")], required=False)


class DecisionInput(serializers.Serializer):
    result_ids = serializers.ListField(
        child=AsciiIntegerSerializerField(min_value=1, max_value=2**63 - 1),  # BIGINT: never a 500
        min_length=1,
        max_length=500,
    )
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()
    signer_name = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=150)


class DecisionCreatedOutput(DecisionOutput):
    certificates = CertificateOutput(many=True, source="certificates.all")


class AwaitingResultOutput(serializers.Serializer):
    id = serializers.IntegerField()
    dossier_id = serializers.IntegerField(source="assignment.dossier_id")
    product_name = serializers.CharField(source="assignment.dossier.product.name")
    producer_name = serializers.CharField(source="assignment.dossier.product.producer.name")
    commune = CertificateUnitRef(source="assignment.dossier.commune")
    level = serializers.CharField(source="assignment.council.round.level")
    total = serializers.DecimalField(max_digits=5, decimal_places=2)
    star = serializers.IntegerField(allow_null=True)
    rejected = serializers.BooleanField()
    propose_to_ministry = serializers.BooleanField()
    feedback = serializers.CharField()


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    dossier_id = serializers.IntegerField()
    result_id = serializers.IntegerField()
    proposed_at = serializers.DateTimeField()


class CloseInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class DossierStatusOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")


class RevokeInput(serializers.Serializer):
    ground = serializers.ChoiceField(
        choices=RevocationGround.choices,
        help_text=_("QĐ 26/2026 Article 8.1: a, b, c, d, dd (point đ) or e."),
    )
    decision_number = serializers.CharField(max_length=60)
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    concluded_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The conclusion's date; the decision's date if not given."),
    )
    concluded_by_body = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=255
    )
    signer_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=150,
        help_text=_("The signer; the signed-in user's name if not given."),
    )
    signer_title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150
    )


class ExtendInput(serializers.Serializer):
    until = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class InspectionInput(serializers.Serializer):
    inspected_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=InspectionKind.choices, help_text=_("Article 9.2.a."))
    scope = serializers.ChoiceField(choices=InspectionScope.choices, help_text=_("Article 9.3."))
    outcome = serializers.ChoiceField(choices=InspectionOutcome.choices)
    location = GeoJSONPointField()
    findings = serializers.CharField(max_length=20000)
    follow_up = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000
    )


class InspectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    certificate_id = serializers.IntegerField()
    inspected_on = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    scope = serializers.CharField()
    scope_label = serializers.CharField(source="get_scope_display")
    outcome = serializers.CharField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    location = GeoJSONPointField()
    findings = serializers.CharField()
    follow_up = serializers.CharField()
    inspector = serializers.CharField(source="inspector.__str__")
    recorded_at = serializers.DateTimeField()
