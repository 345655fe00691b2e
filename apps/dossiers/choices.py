from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierKind(models.TextChoices):
    FIRST = "first", _("First evaluation")  # Lần đầu
    UPGRADE = "upgrade", _("Upgrade")  # Nâng hạng
    REEVALUATION = "reevaluation", _("Re-evaluation")  # Đánh giá lại


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the commune")
    COMMUNE_REVIEWING = "commune_reviewing", _("Commune reviewing")
    RETURNED_BY_COMMUNE = "returned_by_commune", _("Returned by the commune")
    COMMUNE_ASSESSED = "commune_assessed", _("Assessed by the commune (Form 03)")
    FORWARDED = "forwarded", _("Forwarded to the province")
    PROVINCE_CHECKING = "province_checking", _("Province checking")
    RETURNED_BY_PROVINCE = "returned_by_province", _("Returned by the province")
    ACCEPTED = "accepted", _("Accepted for an evaluation round")
    UNDER_EVALUATION = "under_evaluation", _("Assigned to the council")
    EVALUATED = "evaluated", _("Council result available")
    PROPOSED_CENTRAL = "proposed_central", _("Proposed to the ministry for 5 stars")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class Action(models.TextChoices):
    """One verb per transition: the API exposes each as its own endpoint."""

    SUBMIT = "submit", _("Submit")
    COMMUNE_START_REVIEW = "commune_start_review", _("Start the commune review")
    COMMUNE_RETURN = "commune_return", _("Return to the producer")
    COMMUNE_ASSESS = "commune_assess", _("Record the commune assessment (Form 03)")
    COMMUNE_FORWARD = "commune_forward", _("Forward to the province")
    PROVINCE_START_CHECK = "province_start_check", _("Start the province check")
    PROVINCE_RETURN = "province_return", _("Return to the producer")
    PROVINCE_ACCEPT = "province_accept", _("Accept for an evaluation round")
    ASSIGN_TO_COUNCIL = "assign_to_council", _("Assign to the council")
    COUNCIL_CONCLUDE = "council_conclude", _("Record the council's result")
    PROPOSE_CENTRAL = "propose_central", _("Propose to the ministry for 5 stars")
    RECOGNISE = "recognise", _("Recognise")
    CLOSE_UNRECOGNISED = "close_unrecognised", _("Close without recognition")


# Timeline entries that are not status changes (the services write them with these action names).
EVENT_LABELS = {
    "create": _("Dossier created"),
    "form03_saved": _("Form 03 saved"),
    "samples_recorded": _("Samples recorded"),
    "file_uploaded": _("File uploaded"),
    "file_replaced": _("File replaced"),
}


class AnnexType(models.TextChoices):
    """The evidence annex suggested by Mẫu 02 (QĐ 26/2026 Phụ lục III)."""

    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    PRODUCTION_CONDITIONS = (
        "production_conditions",
        _("Production-condition / food-safety certificate"),
    )
    RAW_MATERIAL = (
        "raw_material",
        _("Raw-material origin, certified area, linkage contracts, invoices"),
    )
    ENVIRONMENT = "environment", _("Environmental dossier, green-technology photos")
    LABOUR = "labour", _("List of insured workers with residence")
    FINANCIAL = "financial", _("Co-operative classification or two years of financial statements")
    INTELLECTUAL_PROPERTY = (
        "intellectual_property",
        _("Trademark, geographical indication, patent, design"),
    )
    DISTRIBUTION = "distribution", _("Distribution contracts and invoices, trade promotion")
    PROMOTION = "promotion", _("Website and promotion evidence")
    STORY = "story", _("Product story: leaflets, photos, video")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration")
    LAB_TEST = "lab_test", _("Laboratory test report")
    LABEL = "label", _("Label, barcode and traceability stamps")
    QUALITY_SYSTEM = "quality_system", _("Quality management system certificate")
    AWARD = "award", _("Awards")
    OTHER = "other", _("Other")


# Events whose actor is a council member: the dossier timeline names the council, not the person
# (a producer never sees members' names).
COUNCIL_ACTIONS = frozenset({"council_conclude"})
COUNCIL_ACTOR_LABEL = _("Evaluation council")

# Statuses in which the producer may edit the dossier's content.
EDITABLE = frozenset(
    {DossierStatus.DRAFT, DossierStatus.RETURNED_BY_COMMUNE, DossierStatus.RETURNED_BY_PROVINCE}
)
# Statuses that end a dossier: the product may then file a new one.
CLOSED = frozenset({DossierStatus.RECOGNISED, DossierStatus.NOT_RECOGNISED})
# Statuses in which the commune's 15-working-day clock runs.
COMMUNE_CLOCK = frozenset({DossierStatus.SUBMITTED, DossierStatus.COMMUNE_REVIEWING})
# Statuses in which a re-evaluation's 45-day decision clock runs (Đ7.6.g): from the complete
# dossier reaching the province (or, for 5★, the ministry) until the decision; paused while the
# province has returned it to the producer.
DECISION_CLOCK = frozenset(
    {
        DossierStatus.FORWARDED,
        DossierStatus.PROVINCE_CHECKING,
        DossierStatus.ACCEPTED,
        DossierStatus.UNDER_EVALUATION,
        DossierStatus.EVALUATED,
        DossierStatus.PROPOSED_CENTRAL,
    }
)
