"""Gap-free counters, the one service every app takes its numbers from (receipts, OCOP product
codes, certificate numbers). A number is taken under the counter's row lock, held until the
caller's transaction ends: two concurrent takers wait for each other, and a rolled-back
transaction gives its number back, so no number is skipped or given twice."""

from django.db import transaction

from .models import Sequence


def sequence_lock(key: str) -> Sequence:
    """The counter `key` (created at 0 the first time), locked until the transaction ends. For
    a caller that takes several numbers, or must hold the lock before its checks: it adds to
    `value` and saves once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_lock() must run inside a transaction")
    Sequence.objects.get_or_create(key=key)
    return Sequence.objects.select_for_update().get(key=key)


def sequence_next(key: str) -> int:
    """The next value of counter `key`."""
    counter = sequence_lock(key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
