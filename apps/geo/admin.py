from django.contrib.gis import admin

from .models import AdminUnit, AdminUnitSuccession, BoundarySource
from .widgets import OfflineMapWidget


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.GISModelAdmin):
    gis_widget = OfflineMapWidget  # vendored OpenLayers, no inline script, no OSM tiles
    list_display = ("code", "full_name", "level", "unit_type", "parent", "valid_from", "valid_to")
    list_filter = ("level", "unit_type", "valid_to")
    search_fields = ("code", "name", "full_name")
    raw_id_fields = ("parent",)

    # Boundaries come from spatial_data/ through `load_admin_units`; editing here would drift
    # from the published sources, so the admin is read-only for them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminUnitSuccession)
class AdminUnitSuccessionAdmin(admin.ModelAdmin):
    list_display = (
        "predecessor",
        "successor",
        "relation",
        "effective_on",
        "legal_basis",
        "legal_item",
    )
    list_filter = ("relation",)
    search_fields = ("predecessor__code", "successor__code", "predecessor__name", "successor__name")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BoundarySource)
class BoundarySourceAdmin(admin.ModelAdmin):
    list_display = ("file_name", "license", "loaded_at")
    readonly_fields = [f.name for f in BoundarySource._meta.fields]
