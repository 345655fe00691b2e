from django import forms
from django.contrib.gis import admin

from apps.core.exceptions import ApplicationError
from apps.geo.widgets import OfflineMapWidget

from .models import Producer, ProductionArea
from .services import PRODUCER_FIELDS, area_hectares, producer_locate


class ProducerAdminForm(forms.ModelForm):
    """Derives commune and province from the location with the same rules as the API."""

    class Meta:
        model = Producer
        fields = (*PRODUCER_FIELDS, "users", "is_demo")

    def clean(self):
        cleaned = super().clean()
        location = cleaned.get("location")
        if location is not None:
            try:
                self.instance.commune, self.instance.province = producer_locate(location=location)
            except ApplicationError as exc:
                self.add_error("location", exc.message)
        return cleaned


class ProductionAreaAdminForm(forms.ModelForm):
    """Refuses invalid geometry (no silent repair) and computes the area, as the API does."""

    class Meta:
        model = ProductionArea
        fields = ("producer", "kind", "name", "geom")

    def clean(self):
        cleaned = super().clean()
        geom = cleaned.get("geom")
        if geom is not None:
            if not geom.valid:
                self.add_error("geom", geom.valid_reason)
            else:
                self.instance.area_ha = area_hectares(geom)
        return cleaned


@admin.register(Producer)
class ProducerAdmin(admin.GISModelAdmin):
    form = ProducerAdminForm
    gis_widget = OfflineMapWidget  # vendored OpenLayers, no inline script, no OSM tiles
    list_display = ("name", "legal_type", "registration_number", "commune", "province", "is_demo")
    list_filter = ("legal_type", "is_demo")
    search_fields = ("name", "registration_number", "commune__name")
    # Commune and province are derived from the location; shown, never typed.
    readonly_fields = ("commune", "province", "created_at", "updated_at", "created_by")
    filter_horizontal = ("users",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ProductionArea)
class ProductionAreaAdmin(admin.GISModelAdmin):
    form = ProductionAreaAdminForm
    gis_widget = OfflineMapWidget
    list_display = ("name", "producer", "kind", "area_ha")
    list_filter = ("kind",)
    search_fields = ("name", "producer__name")
    raw_id_fields = ("producer",)
    readonly_fields = ("area_ha", "created_at", "updated_at", "created_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
