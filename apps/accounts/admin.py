from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


@admin.register(User)
class OcopUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "email", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "full_name", "email")
    filter_horizontal = ("units", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("OCOP role and jurisdiction"),
            {"fields": ("role", "full_name", "phone", "units", "is_demo")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their users (the key is shown to them once); here they are seen by
    prefix and dates only, and can be revoked, never re-activated."""

    list_display = ("prefix", "user", "created", "last_used", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username")
    fields = readonly_fields = ("user", "prefix", "created", "last_used", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        queryset.active().update(revoked_at=timezone.now())
