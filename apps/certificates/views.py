"""The public product page behind the certificate's QR code (the minimal version; the full
traceability page with GS1 Digital Link, photos, story and map is GitHub issue 7)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .choices import PublicStatus
from .models import Certificate, certificate_status


@require_GET
@cache_control(public=True, max_age=60)
def public_product(request, code: str):
    """Status is read from the database at request time, never printed into the QR code; the
    page may be cached for at most a minute, so a revocation shows within a minute. No personal
    data: the producer's name and commune only."""
    certificate = (
        Certificate.objects.select_related("product__producer__commune", "product__producer__province", "decision")
        .filter(product_code=code).order_by("-valid_from").first()
    )
    if certificate is None:
        raise Http404("Not a registered OCOP product code.")
    status = certificate_status(certificate, timezone.localdate())
    return render(request, "certificates/public_product.html", {
        "certificate": certificate, "product": certificate.product, "producer": certificate.product.producer,
        "status": status, "status_label": PublicStatus(status).label, "stars": range(certificate.stars),
    })
