"""Numbering sequences that stay unique and gap-free when many transactions take numbers at once."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from chinhquyenso.core.models import NumberSequence


def sequence_next(*, scope: str) -> int:
    """The next number of `scope`, taken under a row lock inside the caller's transaction.

    If the caller's transaction rolls back, the number is given back with it, so numbers are never lost.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must run inside transaction.atomic()")
    row = NumberSequence.objects.select_for_update().filter(scope=scope).first()
    if row is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        row = NumberSequence.objects.select_for_update().get(scope=scope)
    row.last_value += 1
    NumberSequence.objects.filter(pk=row.pk).update(last_value=row.last_value)
    return row.last_value
