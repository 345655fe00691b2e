"""Role-aware navigation: each entry names the roles that see it (None = everyone)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every visitor
    login_required: bool = False


_PUBLIC_PAGE_ROLES = frozenset(
    {
        Role.PRODUCER,
        Role.COMMUNE_OFFICER,
        Role.PROVINCE_OFFICER,
        Role.PROVINCE_LEADER,
        Role.MINISTRY_OFFICER,
    }
)

NAV_ITEMS = (
    NavItem(_("Home"), "core:home"),
    NavItem(_("Map"), "geo:map"),
    NavItem(_("Criteria & self-assessment"), "criteria:index"),
    NavItem(
        _("Producers"),
        "producers:portal",
        frozenset({Role.PRODUCER, Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER}),
        True,
    ),
    NavItem(_("My dossiers"), "dossiers:mine", frozenset({Role.PRODUCER}), True),
    NavItem(
        _("Dashboard"),
        "dashboards:province",
        frozenset(
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
        True,
    ),
    NavItem(
        _("Dossier inbox"),
        "dossiers:inbox",
        frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER}),
        True,
    ),
    NavItem(
        _("Scoring"),
        "evaluation:mine",
        frozenset({Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER}),
        True,
    ),
    NavItem(
        _("Lots and traceability"),
        "traceability:lots",
        frozenset(
            {
                Role.PRODUCER,
                Role.COMMUNE_OFFICER,
                Role.PROVINCE_OFFICER,
                Role.PROVINCE_LEADER,
                Role.MINISTRY_OFFICER,
            }
        ),
        True,
    ),
    NavItem(_("Product pages & QR"), "public:manage-list", _PUBLIC_PAGE_ROLES, True),
    NavItem(_("Scans"), "public:scans", _PUBLIC_PAGE_ROLES, True),
    NavItem(_("Administration"), "admin:index", frozenset({Role.SYSTEM_ADMIN}), True),
)


def nav_for(user) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.login_required and not user.is_authenticated:
            continue
        if item.roles is not None and not (
            user.is_authenticated and (user.role in item.roles or user.is_superuser)
        ):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the app providing it is not installed
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
