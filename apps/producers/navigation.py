"""The producers app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("Producers"),
        "producers:portal",
        order=40,
        roles=frozenset({Role.PRODUCER, Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER}),
        login_required=True,
    )
)
