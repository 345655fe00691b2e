from django.contrib import admin

from .models import (
    Assignment,
    Conflict,
    Council,
    CouncilMember,
    CouncilResult,
    EvaluationEvent,
    EvaluationRound,
    FieldVisit,
    LabTestRequest,
    ProducerLink,
)


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ("__str__", "level", "province", "proposal_deadline", "evaluation_deadline")
    list_filter = ("level", "year")


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "round",
        "criteria_set",
        "quorum",
        "spread_threshold",
        "reveal_after_submit",
    )
    inlines = [MemberInline]
    filter_horizontal = ("advisors",)


@admin.register(ProducerLink)
class ProducerLinkAdmin(admin.ModelAdmin):
    list_display = ("producer", "user", "kind", "recorded_by", "recorded_at")
    raw_id_fields = ("producer", "user", "recorded_by")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scores, results and the audit trail change only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "council", "assigned_at")


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "user", "kind", "created_at")


@admin.register(CouncilResult)
class CouncilResultAdmin(ReadOnlyAdmin):
    list_display = (
        "assignment",
        "total",
        "star",
        "rejected",
        "propose_to_ministry",
        "concluded_at",
    )


@admin.register(EvaluationEvent)
class EvaluationEventAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "actor", "action", "at")


admin.site.register(FieldVisit, ReadOnlyAdmin)
admin.site.register(LabTestRequest, ReadOnlyAdmin)
