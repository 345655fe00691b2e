from django.conf import settings
from django.shortcuts import render

from .choices import LAST_DAY_BEFORE_REFORM


def map_page(request):
    """Provinces and the pilot province's communes, today or before 1 July 2025."""
    return render(
        request,
        "geo/map.html",
        {
            "pilot_province": settings.OCOP_PILOT_PROVINCE_CODE,
            "pre_reform_day": LAST_DAY_BEFORE_REFORM.isoformat(),
            # Bến Tre (83) is the pilot's pre-2025 province; its districts are drawn then, as
            # its communes have no redistributable polygon (spatial_data/SOURCES.md).
            "pilot_province_pre2025": "83",
        },
    )
