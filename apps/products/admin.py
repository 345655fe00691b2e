from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "producer", "classification_code", "criteria_sheet", "status")
    list_filter = ("status", "criteria_sheet")
    search_fields = ("name", "producer__name", "classification_code")
    raw_id_fields = ("producer", "production_area")
    readonly_fields = ("created_at", "updated_at", "created_by")
