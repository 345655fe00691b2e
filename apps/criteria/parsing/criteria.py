"""A scored row as data: its options (or the yes/no pair), its knock-out, its condition, and
every oddity of its printed points flagged for review."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from .rows import Item
from .text import APPLIES_RE, IF_ABSENT_RE, KNOCKOUT_RE, ParseError, flag, fold, number


def criterion_data(item: Item, section: Item, group: Item | None) -> dict[str, Any]:
    """A scored row as data: options (or the yes/no pair), knock-out, and every oddity flagged."""
    printed_text = " ".join(str(number(v)) for v in item.printed)
    criterion: dict[str, Any] = {
        "code": item.code,
        "title": item.title,
        "part": item.part,
        "section": int(section.code),
        "group": group.code if group else None,
        "order": item.order,
        "max_points": number(item.printed_max) if item.printed_max is not None else None,
        "max_points_text": printed_text,
        "notes": item.notes,
        "knockout": False,
        "knockout_note": "",
        "applies_when": None,
        "boolean_item": False,
        "review": False,
        "review_note": "",
        "options": item.options,
    }
    for note in item.review:
        flag(criterion, note)
    _knockouts(criterion, item)
    if not item.options:
        if item.printed_max is None:
            raise ParseError(f"criterion {item.code} has neither options nor a maximum")
        criterion["boolean_item"] = True
        criterion["options"] = [
            _generated_option(1, "Không", Decimal(0)),
            _generated_option(2, "Có", item.printed_max),
        ]
    _check_maximum(criterion, item, printed_text)
    _check_option_points(criterion, item)
    _check_markers(criterion)
    return criterion


def _generated_option(number_: int, text: str, points: Decimal) -> dict[str, Any]:
    """An option of a yes/no item, which the sheet prints with a maximum and no options."""
    return {
        "number": number_,
        "text": text,
        "points": points,
        "blank_points": False,
        "min_star": None,
        "variant": "",
        "knockout_rule": None,
        "review": False,
        "review_note": "",
    }


def _knockouts(criterion: dict[str, Any], item: Item) -> None:
    """Knock-out notes: tied to a "Không có …" option, or declared by a member."""
    knockouts = []
    for note in (n for n in item.notes if KNOCKOUT_RE.search(n)):
        # "… nếu không có X": when the criterion prints a single 0-point "Không có …" option,
        # choosing it is the knock-out, applied by the engine; otherwise a member declares it.
        absent = [
            o for o in item.options if fold(o["text"]).startswith("khong co") and o["points"] == 0
        ]
        if IF_ABSENT_RE.search(note) and len(absent) == 1:
            absent[0]["knockout_rule"] = {"when": "chosen", "text": note}
        else:
            knockouts.append(note)
    if knockouts:
        criterion["knockout"] = True
        criterion["knockout_note"] = "\n".join(knockouts)


def _check_maximum(criterion: dict[str, Any], item: Item, printed_text: str) -> None:
    """The printed maximum against the best option; an illegible one is taken from the options."""
    best = max(option["points"] for option in criterion["options"])
    if item.printed_max is None:
        criterion["max_points"] = number(best)
        flag(
            criterion,
            f"không đọc được điểm tối đa: ô điểm in {printed_text!r}; ghi nhận "
            f"{number(best)}, suy ra từ phương án cao nhất",
        )
    elif best != item.printed_max:
        flag(
            criterion,
            f"phương án cao nhất được {number(best)} điểm nhưng điểm tối đa in là "
            f"{number(item.printed_max)}",
        )


def _check_option_points(criterion: dict[str, Any], item: Item) -> None:
    """Options above the printed maximum, and points not rising in printed order."""
    for option in criterion["options"]:
        if item.printed_max is not None and option["points"] > item.printed_max:
            note = (
                f"phương án {option['number']} được {number(option['points'])} điểm, vượt "
                f"điểm tối đa in là {number(item.printed_max)}"
            )
            flag(criterion, note)
            flag(option, note)
    by_variant: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for option in criterion["options"]:
        by_variant[option["variant"]].append(option)
    for options in by_variant.values():
        for previous, following in zip(options, options[1:], strict=False):
            if following["points"] <= previous["points"]:
                flag(
                    criterion,
                    f"phương án {previous['number']} và {following['number']} được "
                    f"{number(previous['points'])} và {number(following['points'])} điểm: "
                    "điểm không tăng dần theo thứ tự in",
                )


def _check_markers(criterion: dict[str, Any]) -> None:
    """Each star level marked once, and in rising order."""
    marked = [o for o in criterion["options"] if o["min_star"]]
    stars = [o["min_star"] for o in marked]
    if len(set(stars)) != len(stars):
        flag(criterion, "cùng một mức sao được đánh dấu ở nhiều phương án")
    if any(a["min_star"] > b["min_star"] for a, b in zip(marked, marked[1:], strict=False)):
        flag(criterion, "mức sao cao hơn đánh dấu một phương án đứng trước mức sao thấp hơn")


def applicability(criteria: list[dict[str, Any]]) -> None:
    """Turn "Chỉ áp dụng khi có <X>" notes into a structured condition on the criterion named X.

    The condition points at the criterion of the same section whose title is X; its minimum
    option is the first option whose text does not start with "Không" (i.e. "X exists").
    """
    for criterion in criteria:
        for note in list(criterion["notes"]):
            match = APPLIES_RE.match(note)
            if not match:
                continue
            wanted = fold(match.group(1))
            candidates = [
                other
                for other in criteria
                if other is not criterion
                and other["section"] == criterion["section"]
                and fold(other["title"]) == wanted
            ]
            if len(candidates) != 1:
                flag(criterion, f"không xác định được tiêu chí mà ghi chú {note!r} nhắc tới")
                continue
            source = candidates[0]
            present = [o for o in source["options"] if not fold(o["text"]).startswith("khong")]
            if not present:
                flag(
                    criterion,
                    f"tiêu chí {source['code']} không có phương án ứng với {match.group(1)!r}",
                )
                continue
            criterion["applies_when"] = {
                "criterion": source["code"],
                "min_option": present[0]["number"],
                "text": note,
            }
            criterion["notes"].remove(note)
