"""The traceability app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("Lots and traceability"),
        "traceability:lots",
        order=90,
        roles=frozenset(
            {
                Role.PRODUCER,
                Role.COMMUNE_OFFICER,
                Role.PROVINCE_OFFICER,
                Role.PROVINCE_LEADER,
                Role.MINISTRY_OFFICER,
            }
        ),
        login_required=True,
    )
)
