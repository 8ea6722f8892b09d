"""The append-only audit log: who did what to which record, when, from where.

Each row carries the SHA-256 digest of its own content and of the row before it, so any later edit or
deletion breaks the chain and `manage.py verify_audit` finds it. Appends are serialised by locking the
single AuditChainHead row inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from chinhquyenso.core.models import AuditChainHead, AuditEntry, User

GENESIS = "0" * 64


def _address(value: str | None) -> str | None:
    """One spelling per address (IPv6 compressed, lower case), as both databases give it back."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    if address.version == 6:
        return clean_ipv6_address(str(address))
    return str(address)


def _canonical(value):
    # PostgreSQL's jsonb gives a float without a fractional part back as an integer (1e20 -> 10**20);
    # hashing such floats as integers keeps the digest the same before and after the round trip.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _storable(value):
    # Infinity and NaN are not JSON that PostgreSQL accepts; anything else not JSON becomes text.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def _digest(*, prev_digest: str, at, actor_id, actor_label, action, object_type, object_id, ip_address, data) -> str:
    payload = json.dumps(
        [
            prev_digest,
            at.isoformat(),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            _address(ip_address),
            _canonical(data),
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def client_address(request) -> str | None:
    """The client address as seen by this process (REMOTE_ADDR; a proxy must set it correctly)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: User | None = None,
    actor_label: str = "",
    object_type: str = "",
    object_id: str = "",
    ip_address: str | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one audit row, chained to the previous one."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_digest": GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    at = timezone.now()
    label = actor_label or (actor.username if actor is not None else "")
    # cut to the column sizes here, so that the digest covers exactly what is stored
    fields = {
        "at": at,
        "actor_id": actor.pk if actor else None,
        "actor_label": label[:150],
        "action": action[:60],
        "object_type": object_type[:60],
        "object_id": str(object_id)[:64],
        "ip_address": _address(ip_address),
        "data": json.loads(json.dumps(_storable(data or {}), default=str)),
    }
    digest = _digest(prev_digest=head.last_digest, **fields)
    entry = AuditEntry.objects.create(prev_digest=head.last_digest, digest=digest, **fields)
    AuditChainHead.objects.filter(pk=1).update(last_digest=digest, count=head.count + 1)
    return entry


@dataclass
class ChainCheck:
    ok: bool
    count: int
    broken_id: int | None = None
    reason: str = ""


def audit_verify_chain(*, batch_size: int = 2000) -> ChainCheck:
    """Recompute every digest in order; report the first row whose link or content does not match.

    The chain head is read first: rows appended while the check runs come after it and are checked
    too, and the row at the head's count must carry the head's digest (else rows were cut off the end).
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    head_count, head_digest = (head.count, head.last_digest) if head else (0, GENESIS)
    prev = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.prev_digest != prev:
            return ChainCheck(False, count, entry.pk, "prev_digest does not match the row before it")
        expected = _digest(
            prev_digest=entry.prev_digest,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            ip_address=entry.ip_address,
            data=entry.data,
        )
        if expected != entry.digest:
            return ChainCheck(False, count, entry.pk, "content changed after it was written")
        prev = entry.digest
        count += 1
        if count == head_count and prev != head_digest:
            return ChainCheck(False, count, entry.pk, "the chain head does not point at this row")
    if count < head_count:
        return ChainCheck(False, count, None, "rows were removed from the end of the chain")
    if head is None and count:
        # the head is written in the same transaction as the first row, so rows without it were forged
        return ChainCheck(False, count, None, "the chain head is missing")
    return ChainCheck(True, count)
