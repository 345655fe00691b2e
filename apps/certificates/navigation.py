"""The certificates app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("Decisions"),
        "certificates:decisions",
        order=75,
        roles=frozenset({Role.PROVINCE_LEADER, Role.PROVINCE_OFFICER, Role.MINISTRY_OFFICER}),
        login_required=True,
    )
)
