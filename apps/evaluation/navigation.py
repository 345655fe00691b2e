"""The evaluation app's entries in the navigation bar (apps/core/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.navigation import NavItem, register

register(
    NavItem(
        _("Scoring"),
        "evaluation:mine",
        order=80,
        roles=frozenset({Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER}),
        login_required=True,
    ),
    # The provincial OCOP office's workspace: rounds, councils and assignments.
    NavItem(
        _("Rounds and councils"),
        "evaluation:rounds",
        order=72,
        roles=frozenset({Role.PROVINCE_OFFICER}),
        login_required=True,
    ),
)
