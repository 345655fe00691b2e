"""The dossiers app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("My dossiers"),
        "dossiers:mine",
        order=50,
        roles=frozenset({Role.PRODUCER}),
        login_required=True,
    ),
    NavItem(
        _("Dossier inbox"),
        "dossiers:inbox",
        order=70,
        roles=frozenset(
            {
                Role.COMMUNE_OFFICER,
                Role.PROVINCE_OFFICER,
                Role.PROVINCE_LEADER,
                Role.MINISTRY_OFFICER,
            }
        ),
        login_required=True,
    ),
)
