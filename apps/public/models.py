"""What the public product page shows beyond the certificate (photos, story, buy links) and the
scan log behind the producer's and the province's analytics.

Nothing here holds personal data: the page content is the producer's business content, and a
scan is a time, a coarse client class and, only when the browser shared it, a position rounded to
0.1° (about 11 km). No IP address, no User-Agent string, no cookie is ever stored.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AgentClass, ScanChannel

USER = settings.AUTH_USER_MODEL


class ProductPageQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProductPageQuerySet":
        from apps.products.models import Product

        return self.filter(product__in=Product.objects.for_user(user))


class ProductPage(models.Model):
    """The producer's story of a product (criterion 5.1 rewards it being in the traceability
    content), in Vietnamese and optionally English. `updated_at` also moves when a photo or a
    buy link changes, so it versions the cached page content."""

    product = models.OneToOneField(
        "products.Product", on_delete=models.CASCADE, related_name="public_page"
    )
    story = models.TextField(_("story (Vietnamese)"), blank=True, max_length=8000)
    story_en = models.TextField(_("story (English)"), blank=True, max_length=8000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProductPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("public product page")

    def __str__(self) -> str:
        return str(self.product)


class ProductPhoto(models.Model):
    """A photo of the product, re-encoded without metadata (no EXIF GPS of the producer's home)."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="public_photos"
    )
    storage_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        ordering = ["product", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]),
                name="public_photo_image_type",
            ),
        ]

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"


class BuyLink(models.Model):
    """Where to buy the product, as the producer gave it (http or https only)."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="buy_links"
    )
    label = models.CharField(_("shop or platform"), max_length=80)
    url = models.URLField(
        _("link"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("buy link")
        ordering = ["product", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="public_buylink_http_only",
            ),
        ]


class ScanQuerySet(models.QuerySet):
    def for_user(self, user) -> "ScanQuerySet":
        """Scans of the products `user` may see: producers their own, provincial roles their
        provinces', commune officers their communes', national roles all."""
        from apps.accounts.scope import jurisdiction_filter

        return jurisdiction_filter(
            self,
            user,
            province="product__producer__province",
            commune="product__producer__commune",
            owner="product__producer__users",
        )


class Scan(models.Model):
    """One scan of a product's or a lot's code. Written in batches (apps.public.scanlog)."""

    product = models.ForeignKey("products.Product", on_delete=models.CASCADE, related_name="scans")
    lot = models.ForeignKey(
        "traceability.Lot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=10, choices=ScanChannel.choices)
    agent = models.CharField(max_length=10, choices=AgentClass.choices)
    # The certificate's public status at the time of the scan (PublicStatus), or "" if none.
    certificate_status = models.CharField(max_length=20, blank=True)
    # Only for channel=location: rounded to 0.1° before it reaches the database.
    location = models.PointField(srid=4326, null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan")
        ordering = ["-scanned_at", "-pk"]
        indexes = [models.Index(fields=["product", "scanned_at"], name="public_scan_product_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=ScanChannel.values), name="public_scan_channel"
            ),
            models.CheckConstraint(
                condition=Q(agent__in=AgentClass.values), name="public_scan_agent"
            ),
            models.CheckConstraint(
                condition=Q(location__isnull=True) | Q(channel=ScanChannel.LOCATION),
                name="public_scan_location_only_when_shared",
            ),
        ]
