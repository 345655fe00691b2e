from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "apps.certificates"
    verbose_name = _("Recognition and certificates")

    def ready(self) -> None:
        from apps.dossiers.services import provide_active_certificates

        from .selectors import active_certificates

        # The certificate a re-evaluation renews is this app's fact; dossiers sits below it.
        provide_active_certificates(active_certificates)
