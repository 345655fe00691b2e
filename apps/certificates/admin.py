from django.contrib import admin

from .models import (
    Certificate,
    Inspection,
    MinistryProposal,
    RecognitionDecision,
    ReminderSent,
    Revocation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services (they number, sign, store and notify): the admin
    reads them and never adds, changes or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecognitionDecision)
class RecognitionDecisionAdmin(ReadOnlyAdmin):
    list_display = ("number", "date", "level", "province", "signer_name")
    list_filter = ("level",)
    search_fields = ("number",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = (
        "product_code",
        "number",
        "product",
        "stars",
        "valid_from",
        "valid_until",
        "status",
        "is_demo",
    )
    list_filter = ("status", "stars", "is_demo")
    search_fields = ("product_code", "number", "product__name")
    list_select_related = ("product",)


@admin.register(MinistryProposal)
class MinistryProposalAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "result", "proposed_by", "proposed_at")


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = (
        "certificate",
        "status",
        "ground",
        "concluded_on",
        "deadline",
        "decision_number",
        "decided_on",
        "closed_at",
    )
    list_filter = ("status", "ground")
    search_fields = ("certificate__product_code", "decision_number")
    list_select_related = ("certificate",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "inspected_on", "kind", "scope", "outcome", "inspector")
    list_filter = ("kind", "outcome")


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "kind", "sent_on", "recipients")
    list_filter = ("kind",)
