from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.geo.choices import Level

from .choices import NATIONAL_ROLES, Role


class UserQuerySet(models.QuerySet):
    def for_user(self, viewer: "User") -> "UserQuerySet":
        """Accounts `viewer` may see: all for national roles, own province for provincial
        officers, otherwise only themselves."""
        if not viewer.is_authenticated:
            return self.none()
        if viewer.is_national:
            return self
        if viewer.role == Role.PROVINCE_OFFICER:
            provinces = viewer.jurisdiction_provinces()
            return self.filter(
                Q(units__in=provinces) | Q(units__parent__in=provinces) | Q(pk=viewer.pk)
            ).distinct()
        return self.filter(pk=viewer.pk)


class OcopUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person using the system, with one role and the administrative units they act for.

    Jurisdiction: national roles see everything; provincial roles list provinces in `units`;
    commune officers and producers list communes. Every queryset that lists records narrows
    through `for_user()` built on `jurisdiction_provinces()`/`jurisdiction_communes()`.
    """

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PRODUCER)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    units = models.ManyToManyField(
        "geo.AdminUnit", blank=True, related_name="users", verbose_name=_("jurisdiction")
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Synthetic demo account, not a real person.")
    )

    objects = OcopUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_ROLES or self.is_superuser

    def jurisdiction_provinces(self):
        """Provinces this user acts in: listed provinces plus the provinces of listed communes."""
        from apps.geo.models import AdminUnit

        return AdminUnit.objects.filter(
            Q(level=Level.PROVINCE, users=self)
            | Q(children__level=Level.COMMUNE, children__users=self)
        ).distinct()

    def jurisdiction_communes(self):
        """Communes this user acts in: listed communes, or every commune of listed provinces."""
        from apps.geo.models import AdminUnit

        return AdminUnit.objects.filter(
            Q(level=Level.COMMUNE, users=self)
            | Q(level=Level.COMMUNE, parent__level=Level.PROVINCE, parent__users=self)
        ).distinct()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A user's API token for GIS clients and scripts (`Authorization: Token <key>`).

    Only the SHA-256 digest of the key is stored, so no page, API or database dump can show it
    again: the key is returned once, by `services.api_token_create`. The prefix (the first
    characters of the key) and the dates identify the token afterwards. At most one token per
    user is active; a revoked token keeps its row (when it was revoked) and never works again.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_one_active_api_token_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
