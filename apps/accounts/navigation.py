"""The accounts app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem, register

from .choices import Role

register(
    NavItem(
        _("Administration"),
        "admin:index",
        order=120,
        roles=frozenset({Role.SYSTEM_ADMIN}),
        login_required=True,
    )
)
