"""Field-level encryption of the people behind a case (Law on Denunciations 2018 Art. 9(1)(b)).

Names, addresses and contacts are sealed with Fernet (AES-128-CBC + HMAC-SHA256) under the key(s) in the
environment variable CQS_FIELD_KEY: a comma-separated list, the first one encrypting, all of them decrypting,
so a key can be rotated without rewriting rows at once. A fixed development key is used only when DEBUG is on.
Nothing here checks permission or writes the audit log: services.case_identity_read does both.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Only for DEBUG: a well-known key protects nothing, and a production start without CQS_FIELD_KEY must fail.
DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5ldmVyLWluLXByb2Q="


@dataclass(frozen=True)
class Identity:
    name: str = ""
    address: str = ""
    contact: str = ""

    def is_empty(self) -> bool:
        return not (self.name.strip() or self.address.strip() or self.contact.strip())


def _keys() -> list[str]:
    raw = getattr(settings, "CQS_FIELD_KEY", "") or os.environ.get("CQS_FIELD_KEY", "")
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        if not settings.DEBUG:
            raise ImproperlyConfigured("CQS_FIELD_KEY must be set when DJANGO_DEBUG=0 (a Fernet key).")
        keys = [DEV_FIELD_KEY]
    elif DEV_FIELD_KEY in keys and not settings.DEBUG:
        raise ImproperlyConfigured("CQS_FIELD_KEY is the published development key: generate a new one.")
    return keys


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured("CQS_FIELD_KEY is not a valid Fernet key (32 url-safe base64 bytes).") from error


def seal(value: dict | Identity) -> str:
    """The encrypted token of an identity (or any small JSON object); empty for an empty identity."""
    data = asdict(value) if isinstance(value, Identity) else value
    if not any(str(item).strip() for item in data.values()):
        return ""
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def unseal(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise ImproperlyConfigured("an identity token cannot be decrypted with CQS_FIELD_KEY") from error


def unseal_identity(token: str) -> Identity:
    data = unseal(token)
    return Identity(**{key: data.get(key, "") for key in ("name", "address", "contact")})


def mask_name(name: str) -> str:
    """The initials only ("Nguyễn Văn An" -> "N. V. A."), for screens that do not need the person."""
    parts = [part for part in name.split() if part]
    return " ".join(f"{part[0].upper()}." for part in parts)[:120]
