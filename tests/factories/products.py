"""Products: `ProductFactory`, a draft product as `product_create` registers it (the criteria
sheet its classification code is scored with), made directly: no permission check and no
`created_by`, which nothing but the admin reads."""

import factory
from factory.django import DjangoModelFactory

from apps.products.choices import CLASSIFICATION_SHEETS
from apps.products.models import Product
from tests.factories.producers import ProducerFactory


class ProductFactory(DjangoModelFactory):
    """A draft "Kẹo dừa" (I.3.c, sheet 7) of a new producer unless given."""

    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Kẹo dừa {n}")
    classification_code = "I.3.c"
    criteria_sheet = factory.LazyAttribute(lambda o: CLASSIFICATION_SHEETS[o.classification_code])
