"""Producers and their production areas (factory-boy), made directly, with their commune and
province found from their location as the producer services find them (the producers and products
tests' people and producer, built with these, are tests/fixtures/producers.py)."""

from datetime import date

import factory
from django.contrib.gis.geos import MultiPolygon, Point
from factory.django import DjangoModelFactory

from apps.producers.choices import AreaKind, Gender, LegalType
from apps.producers.models import Producer, ProductionArea
from apps.producers.services import area_hectares, producer_locate
from tests.factories.places import AN_HOI, square


class ProducerFactory(DjangoModelFactory):
    """A cooperative in An Hội (28777); `users=[...]` links the accounts that act for it."""

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
    """A 200 m square of coconut garden by An Hội, stored as the multipolygon the model keeps."""

    class Meta:
        model = ProductionArea

    producer = factory.SubFactory(ProducerFactory)
    kind = AreaKind.RAW_MATERIAL
    name = factory.Sequence(lambda n: f"Vườn dừa {n}")
    geom = factory.LazyFunction(lambda: square(106.38, 10.24, 200))
    area_ha = factory.LazyAttribute(lambda o: area_hectares(o.geom))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        geom = kwargs["geom"]
        if not isinstance(geom, MultiPolygon):
            kwargs["geom"] = MultiPolygon(geom, srid=4326)
        return super()._create(model_class, *args, **kwargs)
