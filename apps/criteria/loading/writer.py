"""Writing rows: each row is created or updated only where it differs, a published set is
protected, rows the file no longer has are deleted only on request, and every outcome is
counted in the `LoadReport`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from .files import CriteriaDataError


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    sets: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            return ", ".join(f"{n} {name}" for name, n in sorted(counter.items())) or "0"

        return (
            f"sets: {', '.join(self.sets) or '-'}; created: {fmt(self.created)}; "
            f"updated: {fmt(self.updated)}; deleted: {fmt(self.deleted)}"
        )


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field_ = obj._meta.get_field(name)
    if field_.is_relation:
        return getattr(obj, field_.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


class RowWriter:
    """Upserts rows for one set; `locked` (a published set loaded without `replace`) forbids
    any change."""

    def __init__(self, *, replace: bool):
        self.replace = replace
        self.locked = False  # a published set that may not change
        self.stale: list[tuple[str, models.QuerySet]] = []
        # One outcome per row, the strongest wins: a row created and then given its
        # applicability in a second pass is reported once, as created.
        self.outcomes: dict[tuple[str, int], str] = {}

    def _save(self, obj: models.Model, where: str, update_fields: list[str] | None = None) -> None:
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
            obj.save(update_fields=update_fields)
        except ValidationError as exc:
            raise CriteriaDataError(f"{where}: {exc.message_dict}") from exc
        except IntegrityError as exc:
            raise CriteriaDataError(f"{where}: rejected by the database ({exc})") from exc

    def _record(self, obj: models.Model, outcome: str) -> None:
        key = (obj._meta.model_name, obj.pk)
        ranks = ("unchanged", "updated", "created")
        previous = self.outcomes.get(key)
        if previous is None or ranks.index(outcome) > ranks.index(previous):
            self.outcomes[key] = outcome

    def write(
        self,
        model: type[models.Model],
        existing: models.Model | None,
        keys: dict[str, Any],
        values: dict[str, Any],
        where: str,
    ) -> models.Model:
        """Create `model(**keys, **values)`, or update `existing` where it differs."""
        if existing is None:
            if self.locked:
                raise CriteriaDataError(
                    f"{where}: the published set would gain this row; "
                    "load with --replace to change a published set"
                )
            obj = model(**keys, **values)
            self._save(obj, where)
            self._record(obj, "created")
            return obj
        changed = [name for name, value in values.items() if not _same(existing, name, value)]
        if not changed:
            self._record(existing, "unchanged")
            return existing
        if self.locked:
            raise CriteriaDataError(
                f"{where}: the published set would change ({', '.join(changed)}); "
                "load with --replace to change a published set"
            )
        for name in changed:
            setattr(existing, name, values[name])
        self._save(existing, where, update_fields=changed)
        self._record(existing, "updated")
        return existing

    def forget(self, label: str, rows: list[models.Model], where: str) -> None:
        """Rows in the database that the file no longer has: deleted only with --replace."""
        if not rows:
            return
        if not self.replace:
            sample = "; ".join(str(obj) for obj in rows[:3])
            raise CriteriaDataError(
                f"{where}: {len(rows)} {label} in the database are not in the file "
                f"({sample}); load with --replace to delete them"
            )
        model = type(rows[0])
        self.stale.append((label, model.objects.filter(pk__in=[row.pk for row in rows])))

    def settle(self, report: LoadReport) -> None:
        """Delete the stale rows, then count every outcome in the report."""
        for label, queryset in self.stale:
            count, _ = queryset.delete()
            report.deleted[label] += count
        for (label, _), outcome in self.outcomes.items():
            getattr(report, outcome)[label] += 1
