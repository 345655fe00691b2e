from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentClass(models.TextChoices):
    """What kind of client scanned: coarse, from the User-Agent header (which is not stored)."""

    PHONE = "phone", _("Phone")
    DESKTOP = "desktop", _("Computer")
    BOT = "bot", _("Bot")
    OTHER = "other", _("Other")


class ScanChannel(models.TextChoices):
    """A scan is either the page being opened (`page`) or, separately, the browser sharing a
    coarse location from that page (`location`): the two are never joined, so no row ties a
    location to a request."""

    PAGE = "page", _("Page opened")
    LOCATION = "location", _("Location shared")


# GS1 Web Vocabulary link types the resolver answers (https://ref.gs1.org/voc/).
GS1_VOC = "https://gs1.org/voc/"
LINK_DEFAULT = "defaultLink"
LINK_PIP = "pip"
LINK_TRACEABILITY = "traceability"
LINK_CERTIFICATION = "certificationInfo"
LINK_TYPES = (LINK_PIP, LINK_TRACEABILITY, LINK_CERTIFICATION)
