"""Reading and checking the values of a data file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .files import CriteriaDataError


class Reader:
    """Typed access to one JSON object, with errors that name the file and the position."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise CriteriaDataError(f"{where}: expected an object")
        self.data = data
        self.where = where

    def error(self, message: str) -> CriteriaDataError:
        return CriteriaDataError(f"{self.where}: {message}")

    def value(self, key: str) -> Any:
        """The raw value of a key that must be present."""
        if key not in self.data:
            raise self.error(f"'{key}' is missing")
        return self.data[key]

    def str(self, key: str, *, blank: bool = True) -> str:
        value = self.value(key)
        if not isinstance(value, str) or (not blank and not value.strip()):
            raise self.error(f"'{key}' must be a{'' if blank else ' non-empty'} string")
        return value

    def int(self, key: str, *, null: bool = False) -> int | None:
        value = self.value(key)
        if value is None and null:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"'{key}' must be an integer, not {value!r}")
        return value

    def bool(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false")
        return value

    def points(self, key: str, *, null: bool = False) -> Decimal | None:
        value = self.value(key)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise self.error(f"'{key}' must be a number, not {value!r}")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            raise self.error(f"'{key}' must be a number >= 0, not {value!r}")
        return number

    def date(self, key: str, *, null: bool = False) -> date | None:
        value = self.value(key)
        if value is None and null:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.error(f"'{key}' must be an ISO date (YYYY-MM-DD), not {value!r}") from None

    def choice(self, key: str, choices: Iterable[Any]) -> Any:
        value = self.value(key)
        allowed = list(choices)
        if value not in allowed:
            raise self.error(f"'{key}' must be one of {allowed}, not {value!r}")
        return value

    def list(self, key: str) -> list[Any]:
        value = self.value(key)
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list")
        return value

    def strings(self, key: str) -> list[str]:
        values = self.list(key)
        if not all(isinstance(v, str) for v in values):
            raise self.error(f"'{key}' must be a list of strings")
        return values

    def object(self, key: str, *, null: bool = False) -> dict[str, Any] | None:
        value = self.value(key)
        if value is None and null:
            return None
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be an object")
        return value

    def review(self) -> dict[str, Any]:
        return {"review": self.bool("review"), "review_note": self.str("review_note")}

    def errata(self) -> list[dict[str, Any]]:
        """Errata put here by `apply_errata` (never written in a parsed data file)."""
        return self.data.get("errata", [])

    def knockout_rule(
        self, whens: tuple[str, ...], when_field: str | None, text_field: str
    ) -> dict[str, str]:
        """An optional `knockout_rule` ({"when", "text"} or null) as model field values."""
        rule = self.data.get("knockout_rule")
        if rule is None:
            return {**({when_field: ""} if when_field else {}), text_field: ""}
        reader = Reader(rule, f"{self.where}, knockout_rule")
        when = reader.choice("when", whens)
        text = reader.str("text", blank=False)
        return {**({when_field: when} if when_field else {}), text_field: text}

    def set_code(self) -> str:
        return Reader(self.object("criteria_set"), f"{self.where}, criteria_set").str(
            "code", blank=False
        )
