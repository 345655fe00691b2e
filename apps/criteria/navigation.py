"""The criteria app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem, register

register(NavItem(_("Criteria & self-assessment"), "criteria:index", order=30))
