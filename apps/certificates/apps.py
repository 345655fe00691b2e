from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "apps.certificates"
    verbose_name = _("Recognition and certificates")

    def ready(self) -> None:
        from apps.dossiers.services import (
            provide_active_certificates,
            provide_standing_certificate,
        )

        from .selectors import active_certificates, standing_certificate

        # The certificate a re-evaluation renews, and whether a product stands recognised, are
        # this app's facts; dossiers sits below it.
        provide_active_certificates(active_certificates)
        provide_standing_certificate(standing_certificate)
