"""The outbox: every e-mail and SMS the platform sends to a citizen, written in the transaction of the event
that causes it, then sent by a Celery task. The row is the record of what was sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class NotificationLanguage(models.TextChoices):
    VI = "vi", _("Tiếng Việt")
    EN = "en", _("English")


class Notification(models.Model):
    """One message to one recipient on one channel; `dedupe_key` makes an event queue it at most once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=NotificationLanguage.choices, default=NotificationLanguage.VI
    )
    template_key = models.CharField(_("mẫu"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    related_type = models.CharField(_("loại đối tượng"), max_length=40, blank=True)
    related_code = models.CharField(_("mã đối tượng"), max_length=80, blank=True)
    # whose staff may read the row (a dossier's receiving unit); rows without a unit are for administrators
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["related_type", "related_code"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.template_key} {self.related_code}".strip()


class RecipientLanguage(models.Model):
    """The language a citizen asked to be written to, per e-mail address or phone number (default Vietnamese)."""

    recipient = models.CharField(_("người nhận"), max_length=254, unique=True)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=NotificationLanguage.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngôn ngữ người nhận")
        verbose_name_plural = _("ngôn ngữ người nhận")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.language}"
