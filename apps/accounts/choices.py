from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRODUCER = "producer", _("Producer (OCOP entity)")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PROVINCE_OFFICER = "province_officer", _("Provincial OCOP officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    ADVISORY_MEMBER = "advisory_member", _("Advisory-team member")
    PROVINCE_LEADER = "province_leader", _("Provincial leader")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles whose jurisdiction is the whole country: they are not scoped to units.
NATIONAL_ROLES = frozenset({Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN})
# Roles that list provinces in their jurisdiction; commune officers and producers list communes.
PROVINCIAL_ROLES = frozenset(
    {Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER}
)
