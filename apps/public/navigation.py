"""The public app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

_PUBLIC_PAGE_ROLES = frozenset(
    {
        Role.PRODUCER,
        Role.COMMUNE_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.PROVINCE_LEADER,
        Role.MINISTRY_OFFICER,
    }
)

register(
    NavItem(
        _("Product pages & QR"),
        "public:manage-list",
        order=100,
        roles=_PUBLIC_PAGE_ROLES,
        login_required=True,
    ),
    NavItem(_("Scans"), "public:scans", order=110, roles=_PUBLIC_PAGE_ROLES, login_required=True),
)
