"""No waiting at the one-stop desk: counters, appointment slots and bookings, queue tickets, satisfaction ratings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit, Office, User
from chinhquyenso.procedures.models import Dossier, Procedure, ProcedureField


class DeskSettings(models.Model):
    """How a one-stop desk takes appointments: slot length, places per counter and slot, how far ahead."""

    office = models.OneToOneField(
        Office, verbose_name=_("Bộ phận Một cửa"), on_delete=models.PROTECT, related_name="desk_settings"
    )
    booking_enabled = models.BooleanField(_("nhận đặt lịch hẹn"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("độ dài mỗi khung giờ (phút)"), default=30)
    per_counter_capacity = models.PositiveSmallIntegerField(_("số người mỗi quầy nhận trong một khung giờ"), default=2)
    horizon_days = models.PositiveSmallIntegerField(_("đặt trước tối đa (ngày)"), default=14)

    class Meta:
        verbose_name = _("cấu hình Một cửa")
        verbose_name_plural = _("cấu hình Một cửa")
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="desk_slot_at_least_5_minutes"),
            models.CheckConstraint(condition=Q(per_counter_capacity__gte=1), name="desk_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.office)


class Counter(models.Model):
    """Quầy: a numbered counter of a one-stop desk and the fields it serves (none listed: every field)."""

    office = models.ForeignKey(
        Office, verbose_name=_("Bộ phận Một cửa"), on_delete=models.PROTECT, related_name="desk_counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=120)
    fields = models.ManyToManyField(ProcedureField, verbose_name=_("lĩnh vực phục vụ"), blank=True, related_name="+")
    is_active = models.BooleanField(_("đang mở"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="desk_counter_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TicketPrefix(models.Model):
    """The letter the kiosk prints before the number for one field (A: Hộ tịch, B: Chứng thực...)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="ticket_prefixes")
    field = models.ForeignKey(ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+")
    letter = models.CharField(_("chữ cái"), max_length=1)
    order = models.PositiveSmallIntegerField(_("thứ tự trên kiosk"), default=1)

    class Meta:
        verbose_name = _("chữ cái số thứ tự")
        verbose_name_plural = _("chữ cái số thứ tự")
        ordering = ["office", "order", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["office", "letter"], name="desk_prefix_letter_unique"),
            models.UniqueConstraint(fields=["office", "field"], name="desk_prefix_field_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}: {self.field}"


class Slot(models.Model):
    """One appointment slot of a desk, created on first booking; its row is the lock that prevents overbooking."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "starts_at"], name="desk_slot_unique")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CHECKED_IN = "checked_in", _("Đã đến, đã lấy số")
    CANCELLED = "cancelled", _("Đã hủy")


ACTIVE_APPOINTMENT = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class Appointment(models.Model):
    """A citizen's booking of a slot for a procedure, held at one counter; found again by its code and contact."""

    code = models.CharField(_("mã lịch hẹn"), max_length=12, unique=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="appointments")
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    created_at = models.DateTimeField()
    moved_count = models.PositiveSmallIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        indexes = [models.Index(fields=["slot", "status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_APPOINTMENT


class PriorityReason(models.TextChoices):
    ELDERLY = "elderly", _("Người cao tuổi")
    DISABILITY = "disability", _("Người khuyết tật")
    PREGNANT = "pregnant", _("Phụ nữ mang thai")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đang được phục vụ")
    SERVED = "served", _("Đã phục vụ")
    NO_SHOW = "no_show", _("Vắng mặt khi gọi")


class QueueTicket(models.Model):
    """A numbered queue ticket of a desk and day; numbers are gap-free per desk and day."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="queue_tickets")
    issued_on = models.DateField()
    number = models.PositiveIntegerField()
    prefix = models.CharField(max_length=1)
    field = models.ForeignKey(ProcedureField, on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(_("ưu tiên"), max_length=12, choices=PriorityReason.choices, blank=True)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    issued_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True, help_text="last call or recall, for the board")
    wait_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="issued → first called")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets")
    called_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        constraints = [
            models.UniqueConstraint(fields=["office", "issued_on", "number"], name="desk_ticket_number_unique")
        ]
        indexes = [
            models.Index(fields=["office", "issued_on", "status"]),
            models.Index(fields=["office", "announced_at"]),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.number:03d}"


class RatingValue(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class RatingChannel(models.TextChoices):
    TRACKING = "tracking", _("Trang tra cứu hồ sơ")
    LINK = "link", _("Đường dẫn trong thông báo")
    COUNTER = "counter", _("Máy tính bảng tại quầy")
    API = "api", _("API")


class Rating(models.Model):
    """The applicant's one evaluation of a returned dossier (NĐ 118; 766 indicator 5.4), kept raw."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="desk_rating")
    value = models.CharField(_("mức độ hài lòng"), max_length=16, choices=RatingValue.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=RatingChannel.choices)
    officer = models.ForeignKey(
        User, verbose_name=_("cán bộ trả kết quả"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdminUnit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.value}"
