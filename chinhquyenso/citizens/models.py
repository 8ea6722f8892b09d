"""Citizen accounts (one-time codes, VNeID sign-ins), the link between a dossier filed online and its citizen,
online fee payments and electronic results with their public verification."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import Attachment, Office, User
from chinhquyenso.procedures.models import Dossier


class SignInMethod(models.TextChoices):
    ONE_TIME_CODE = "otp", _("Mã xác thực một lần (điện thoại, thư điện tử)")
    VNEID = "vneid", _("VNeID / Cổng Dịch vụ công quốc gia")


class CitizenProfile(models.Model):
    """A citizen's account data; the account itself is a core.User without a staff role."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="citizen_profile")
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, null=True, blank=True, unique=True)
    email = models.EmailField(_("thư điện tử"), null=True, blank=True, unique=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # the identity provider's stable subject identifier ("sub" claim): links later VNeID sign-ins to this account
    vneid_subject = models.CharField(max_length=128, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")

    def __str__(self) -> str:
        return self.full_name or self.phone or self.email or str(self.user_id)


class OtpChannel(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")


class OtpChallenge(models.Model):
    """One one-time code sent to a phone number or an e-mail address; only its keyed hash is stored."""

    recipient = models.CharField(max_length=254, db_index=True)
    channel = models.CharField(max_length=5, choices=OtpChannel.choices)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    closed = models.BooleanField(default=False, help_text="superseded by a newer code or out of attempts")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.created_at:%d/%m/%Y %H:%M}"


class StandInMessage(models.Model):
    """The local stand-in for the SMS and e-mail networks: what would have been sent, readable on a dev-only page."""

    recipient = models.CharField(max_length=254, db_index=True)
    channel = models.CharField(max_length=5, choices=OtpChannel.choices)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.body[:40]}"


class CitizenApiToken(models.Model):
    """A bearer token for the citizen API, bound to the assurance level of the sign-in that issued it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="citizen_api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    assurance_level = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=5, choices=SignInMethod.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"citizen token of {self.user_id}"


class DossierOwnership(models.Model):
    """Which citizen account filed a dossier online, and how it was signed in when it did."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="citizen_ownership")
    citizen = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_dossiers")
    assurance_level = models.PositiveSmallIntegerField(_("mức định danh khi nộp"))
    method = models.CharField(max_length=5, choices=SignInMethod.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ của công dân")
        verbose_name_plural = _("hồ sơ của công dân")
        indexes = [models.Index(fields=["citizen", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.citizen_id}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    SUCCEEDED = "succeeded", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")


class PaymentTransaction(models.Model):
    """One attempt to pay a dossier's fees online through the payment gateway."""

    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_transactions")
    citizen = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=PaymentStatus.choices)
    gateway = models.CharField(max_length=40)
    gateway_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at"]
        constraints = [
            # at most one successful payment per dossier: a second callback cannot charge twice
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(status="succeeded"), name="payment_one_success_per_dossier"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ElectronicResult(models.Model):
    """The electronic result of a dossier (TT 01/2023; MaKetQua, DuongDanTepTinKetQua): a file with a result code
    whose QR code opens the public verification page."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="electronic_result")
    result_code = models.CharField(_("mã kết quả"), max_length=60, unique=True)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    issuing_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("ngày cấp"))
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")

    def __str__(self) -> str:
        return self.result_code
