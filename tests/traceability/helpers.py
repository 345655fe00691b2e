"""Places, people's secrets and event builders of the traceability tests."""

from datetime import timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.products.gs1 import gtin_check_digit
from apps.traceability import services
from tests.factories.places import AN_HOI

# A point in Phường Phú Khương (28756), another commune of the pilot province (Hà Nội and the
# others are tests/factories/places.py's).
BA_TRI = (106.59, 10.04)
SECRET_PHONE = "0909 111 222"
SECRET_REPRESENTATIVE = "Trần Thị Bí Mật"


def gtin_for(body12: str) -> str:
    return f"{body12}{gtin_check_digit(body12)}".zfill(14)


def at(days_ago: float, offset_hours: int = 7):
    """An aware moment `days_ago` in the past, expressed in UTC+offset."""
    from datetime import timezone as dt_tz

    return (
        (timezone.now() - timedelta(days=days_ago))
        .astimezone(dt_tz(timedelta(hours=offset_hours)))
        .replace(microsecond=0)
    )


def record(lot, actor, step, days_ago, where=AN_HOI, **fields):
    event, warnings = services.trace_event_create(
        actor=actor,
        lot_id=lot.pk,
        biz_step=step,
        event_time=fields.pop("event_time", at(days_ago)),
        location=Point(*where, srid=4326),
        party_name=fields.pop("party_name", "HTX Dừa Xanh Truy Xuất"),
        **fields,
    )
    return event, warnings
