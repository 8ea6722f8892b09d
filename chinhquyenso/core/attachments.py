"""Storing uploaded files safely: type judged by content, size limited, a random storage name, a checksum.

The uploaded file name is kept only as data; the stored name is a random key under MEDIA_ROOT (outside the
web root). Files are served only by views that check permission first.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import Attachment, User

# Magic numbers of the accepted types: what the bytes are, not what the name or the browser claims.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


_STORED: contextvars.ContextVar[tuple[list[str], ...]] = contextvars.ContextVar("attachments_stored", default=())


@contextlib.contextmanager
def attachments_discarded_on_error():
    """Files stored inside the block are deleted if it fails: a rolled-back transaction removes their rows, and
    this removes the files, so a refused request leaves nothing behind."""
    stored: list[str] = []
    token = _STORED.set((*_STORED.get(), stored))
    try:
        yield
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    finally:
        _STORED.reset(token)


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _clean_name(name: str) -> str:
    # Keep a readable label, never a path: no directories, no control characters, bounded length.
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "tep"
    return base[:200]


@transaction.atomic
def attachment_store(*, data: bytes, original_name: str, uploaded_by: User | None, field: str = "file") -> Attachment:
    """Store one file after checking its type (PDF, JPEG or PNG) and size; refuse anything else."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if not data:
        raise InvalidInput(_("Tệp rỗng."), fields={field: "empty"})
    if len(data) > limit:
        raise InvalidInput(
            _("Tệp %(name)s quá lớn (%(size)s MB, tối đa %(max)s MB).")
            % {
                "name": _clean_name(original_name),
                "size": round(len(data) / 1_048_576, 1),
                "max": round(limit / 1_048_576),
            },
            fields={field: "too_large"},
        )
    sniffed = sniff_content_type(data[:16])
    if sniffed is None:
        raise InvalidInput(
            _("Tệp %(name)s không phải PDF, JPEG hoặc PNG.") % {"name": _clean_name(original_name)},
            fields={field: "type"},
        )
    content_type, extension = sniffed
    attachment = Attachment(
        key=secrets.token_hex(16) + extension,
        original_name=_clean_name(original_name),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(attachment.key, ContentFile(data), save=False)
    for stored in _STORED.get():
        stored.append(attachment.file.name)
    attachment.save()
    return attachment


def attachment_store_upload(*, upload, uploaded_by: User | None, field: str = "file") -> Attachment:
    """Store an uploaded file, refusing an oversized one from its declared size before reading it."""
    if upload.size is not None and upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            _("Tệp %(name)s quá lớn (tối đa %(max)s MB).")
            % {"name": _clean_name(upload.name), "max": round(settings.ATTACHMENT_MAX_BYTES / 1_048_576)},
            fields={field: "too_large"},
        )
    return attachment_store(data=upload.read(), original_name=upload.name or "", uploaded_by=uploaded_by, field=field)
