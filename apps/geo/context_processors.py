from django.conf import settings

from .attribution import MAP_ATTRIBUTIONS


def site(request):
    """Values every page needs: the map's basemap setting, the data attributions (shown in every
    map's credits) and the pilot province."""
    return {
        "OCOP_BASEMAP_URL": settings.OCOP_BASEMAP_URL,
        "OCOP_BASEMAP_ATTRIBUTION": settings.OCOP_BASEMAP_ATTRIBUTION,
        "MAP_ATTRIBUTIONS": MAP_ATTRIBUTIONS,
        "OCOP_PILOT_PROVINCE_CODE": settings.OCOP_PILOT_PROVINCE_CODE,
    }
