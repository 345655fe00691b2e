"""Factories and places for the producers and products tests (their shared fixtures are in
tests/fixtures/producers.py)."""

import math
from datetime import date

import factory
from django.contrib.gis.geos import Point, Polygon
from factory.django import DjangoModelFactory

from apps.producers.choices import AreaKind, Gender, LegalType
from apps.producers.models import Producer, ProductionArea
from apps.producers.services import area_hectares, producer_locate

# Real places in the pilot province (86, Vĩnh Long since 1 July 2025).
AN_HOI = (106.3756, 10.2415)  # Phường An Hội (28777), the former Bến Tre city centre
PHUOC_HAU = (105.97, 10.25)  # Phường Phước Hậu (29557)
AT_SEA = (107.3, 9.6)
HA_NOI = (105.85, 21.03)


def square(lon: float, lat: float, side_m: float = 1000.0) -> Polygon:
    """A `side_m` × `side_m` square with its south-west corner at (lon, lat), sized with the
    WGS 84 meridian and prime-vertical radii of curvature (independent of any projection)."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi = math.radians(lat)
    w = 1 - e2 * math.sin(phi) ** 2
    meridian = a * (1 - e2) / w**1.5
    normal = a / math.sqrt(w)
    dlat = math.degrees(side_m / meridian)
    dlon = math.degrees(side_m / (normal * math.cos(phi)))
    ring = [(lon, lat), (lon + dlon, lat), (lon + dlon, lat + dlat), (lon, lat + dlat), (lon, lat)]
    return Polygon(ring, srid=4326)


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer
        exclude = ("units_found",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"HTX Dừa Xanh {n}")
    legal_type = LegalType.COOPERATIVE
    registration_number = factory.Sequence(lambda n: f"1300{n:06d}")
    registration_date = date(2019, 5, 20)
    address = "Ấp 1, Phường An Hội, Tỉnh Vĩnh Long"
    phone = "0275 3822 111"
    email = "htx@example.test"
    representative_name = "Nguyễn Văn An"
    representative_gender = Gender.MALE
    representative_ethnicity = "Kinh"
    location = factory.LazyFunction(lambda: Point(*AN_HOI, srid=4326))
    units_found = factory.LazyAttribute(lambda o: producer_locate(location=o.location))
    commune = factory.LazyAttribute(lambda o: o.units_found[0])
    province = factory.LazyAttribute(lambda o: o.units_found[1])

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        if create and extracted:
            self.users.set(extracted)


class ProductionAreaFactory(DjangoModelFactory):
    class Meta:
        model = ProductionArea

    producer = factory.SubFactory(ProducerFactory)
    kind = AreaKind.RAW_MATERIAL
    name = factory.Sequence(lambda n: f"Vườn dừa {n}")
    geom = factory.LazyFunction(lambda: square(106.38, 10.24, 200))
    area_ha = factory.LazyAttribute(lambda o: area_hectares(o.geom))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.contrib.gis.geos import MultiPolygon

        geom = kwargs["geom"]
        if not isinstance(geom, MultiPolygon):
            kwargs["geom"] = MultiPolygon(geom, srid=4326)
        return super()._create(model_class, *args, **kwargs)
