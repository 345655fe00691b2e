from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

# Resolution 202/2025/QH15 and 1687/NQ-UBTVQH15: the two-tier local government starts on this day.
# Before it: 63 provinces with districts; from it: 34 provinces and no district level.
REFORM_DATE_2025 = date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = date(2025, 6, 30)


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitType(models.TextChoices):
    """The Vietnamese unit types, stored as printed in official lists."""

    TINH = "Tỉnh", "Tỉnh"
    THANH_PHO = "Thành phố", "Thành phố"
    HUYEN = "Huyện", "Huyện"
    QUAN = "Quận", "Quận"
    THI_XA = "Thị xã", "Thị xã"
    XA = "Xã", "Xã"
    PHUONG = "Phường", "Phường"
    THI_TRAN = "Thị trấn", "Thị trấn"
    DAC_KHU = "Đặc khu", "Đặc khu"


class SuccessionRelation(models.TextChoices):
    FULL = "full", _("Whole unit")
    PARTIAL = "partial", _("Part of the unit")
