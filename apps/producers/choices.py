from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import NATIONAL_ROLES, Role


class LegalType(models.TextChoices):
    """Who may be an OCOP entity (chủ thể OCOP), QĐ 26/2026 Đ2."""

    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    SME = "sme", _("Small or medium enterprise")
    FARM = "farm", _("Farm")
    HOUSEHOLD = "household", _("Registered production or family household")
    # For community tourism, eco-tourism and tourist sites only (Đ2).
    SOCIETY = "society", _("Society (tourism only)")
    ASSOCIATION = "association", _("Association (tourism only)")
    OPERATING_CENTRE = "operating_centre", _("Operating centre (tourism only)")


# Legal types that Đ2 admits only for the tourism group (criteria sheet 26).
TOURISM_ONLY_LEGAL_TYPES = frozenset(
    {LegalType.SOCIETY, LegalType.ASSOCIATION, LegalType.OPERATING_CENTRE}
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


# The 54 ethnic groups of Viet Nam, names as in the GSO list (QĐ 121-TCTK/PPCĐ). Values are the
# names themselves, not the GSO numeric codes, so a wrong code can never be stored silently.
KINH = "Kinh"
ETHNIC_GROUPS = (
    "Kinh",
    "Tày",
    "Thái",
    "Hoa",
    "Khmer",
    "Mường",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ngái",
    "Ê Đê",
    "Ba Na",
    "Xơ Đăng",
    "Sán Chay",
    "Cơ Ho",
    "Chăm",
    "Sán Dìu",
    "Hrê",
    "Mnông",
    "Raglay",
    "Xtiêng",
    "Bru Vân Kiều",
    "Thổ",
    "Giáy",
    "Cơ Tu",
    "Giẻ Triêng",
    "Mạ",
    "Khơ Mú",
    "Co",
    "Tà Ôi",
    "Chơ Ro",
    "Kháng",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "La Ha",
    "Phù Lá",
    "La Hủ",
    "Lự",
    "Lô Lô",
    "Chứt",
    "Mảng",
    "Pà Thẻn",
    "Cơ Lao",
    "Cống",
    "Bố Y",
    "Si La",
    "Pu Péo",
    "Brâu",
    "Ơ Đu",
    "Rơ Măm",
)
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]


class AreaKind(models.TextChoices):
    PRODUCTION_SITE = "production_site", _("Production site")
    RAW_MATERIAL = "raw_material", _("Raw-material area")


# Who sees the legal representative's personal data (besides the producer's own users):
# officers who manage producers. Council, advisory and leader roles see only the computed
# criterion 3.2 flag.
PERSONAL_DATA_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER}) | NATIONAL_ROLES
# Officers who may register and edit producers on a producer's behalf, within their jurisdiction.
ON_BEHALF_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER})
