import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's entries in the navigation bar (apps/<app>/navigation.py).
        autodiscover_modules("navigation")
        _clean_interrupted_uploads()


def _clean_interrupted_uploads() -> None:
    """At start-up, remove temporary files that uploads killed mid-write left in local storage
    (apps/core/storage.py). Never stops the application from starting."""
    from django.conf import settings
    from django.core.files.storage import storages

    from .storage import AtomicFileSystemStorage, clean_stale_partials

    try:
        storage = storages["default"]
        if isinstance(storage, AtomicFileSystemStorage):
            clean_stale_partials(
                storage.location, older_than_minutes=settings.OCOP_STALE_UPLOAD_MINUTES
            )
    except Exception:  # noqa: BLE001 — a sweep must never prevent start-up
        logger.warning("Could not clean interrupted uploads", exc_info=True)
