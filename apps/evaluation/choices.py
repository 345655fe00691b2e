from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role


class CouncilLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial council (3★/4★)")
    CENTRAL = "central", _("Central council (5★)")
    DISTRICT = "district", _("District council (legacy records)")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Member-secretary")


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Being scored")
    SUBMITTED = "submitted", _("Submitted")


class ConflictKind(models.TextChoices):
    DECLARED = "declared", _("Declared by the member")
    WORKS_FOR_PRODUCER = "works_for_producer", _("Works for the producer")
    RELATIVE = "relative", _("Relative recorded on the producer")
    ADVISED_PRODUCT = "advised_product", _("Advised the product")


# Kinds the system flags by itself; each council chooses which of them apply (its Quy chế).
FLAGGED_KINDS = (
    ConflictKind.WORKS_FOR_PRODUCER,
    ConflictKind.RELATIVE,
    ConflictKind.ADVISED_PRODUCT,
)


# Roles that have something on the "my councils" page without a seat: they follow councils.
FOLLOWER_ROLES = frozenset(
    {Role.PROVINCE_OFFICER, Role.PROVINCE_LEADER, Role.MINISTRY_OFFICER, Role.SYSTEM_ADMIN}
)
BOARD_ROLES = FOLLOWER_ROLES | {Role.COUNCIL_MEMBER, Role.ADVISORY_MEMBER}
PROGRESS_SEATS = frozenset({MemberRole.CHAIR, MemberRole.SECRETARY})

STATUS_LABELS = {
    "not_started": _("Not started"),
    "draft": _("Saved, not submitted"),
    "submitted": _("Submitted"),
    "conflict": _("Conflict of interest"),
}
