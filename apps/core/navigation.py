"""Role-aware navigation, as a registry each app fills in: an app that has pages adds its
entries in its own `navigation.py` (`register(NavItem(...))`), found at start-up by
`autodiscover_modules("navigation")` (`CoreConfig.ready`). Core knows no app above it; an entry
names the roles that see it (None: every visitor) and its place in the bar (`order`)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    roles: frozenset[str] | None = None  # None: every visitor
    login_required: bool = False


_REGISTRY: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    """Add entries to the bar; registering the same URL name again replaces the entry (so a
    module imported twice does not duplicate it)."""
    for item in items:
        _REGISTRY[item.url_name] = item


def nav_items() -> list[NavItem]:
    return sorted(_REGISTRY.values(), key=lambda item: (item.order, item.url_name))


def nav_for(user) -> list[dict]:
    items = []
    for item in nav_items():
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


register(NavItem(_("Home"), "core:home", order=10))
