"""The dashboards app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("Dashboard"),
        "dashboards:province",
        order=60,
        roles=frozenset(
            {
                Role.COMMUNE_OFFICER,
                Role.PROVINCE_OFFICER,
                Role.PROVINCE_LEADER,
                Role.COUNCIL_MEMBER,
                Role.ADVISORY_MEMBER,
                Role.MINISTRY_OFFICER,
                Role.SYSTEM_ADMIN,
            }
        ),
        login_required=True,
    )
)
register(
    NavItem(
        _("National view"),
        "dashboards:national",
        order=61,
        roles=frozenset({Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN}),
        login_required=True,
    )
)
