from django.contrib import admin

from .models import Dossier, DossierEvent, ProvinceRules, PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    """Officers keep the holiday table that deadline counting skips."""

    list_display = ("day", "name")
    date_hierarchy = "day"


@admin.register(ProvinceRules)
class ProvinceRulesAdmin(admin.ModelAdmin):
    list_display = ("province", "round_cutoffs", "commune_working_days")


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "note", "changes")
    exclude = ("snapshot",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through the workflow service (and its audit)."""

    list_display = (
        "receipt_number",
        "product",
        "status",
        "commune",
        "commune_deadline",
        "updated_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("receipt_number", "product__name")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
