from django.db import models


class Sequence(models.Model):
    """A gap-free counter (receipt numbers per commune and year, product codes per commune,
    certificate numbers per issuer and year), taken under a row lock: `apps.core.sequences`."""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
