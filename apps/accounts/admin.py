from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class OcopUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "email", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "full_name", "email")
    filter_horizontal = ("units", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("OCOP role and jurisdiction"), {"fields": ("role", "full_name", "phone", "units", "is_demo")}),
    )
