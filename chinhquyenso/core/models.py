"""Core records every domain stands on: admin units over time, legal bases, offices, staff,
the working-day calendar, API tokens, the append-only audit log and numbering sequences."""

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.Model):
    """A legal instrument a rule or a change rests on (e.g. Nghị quyết 1656/NQ-UBTVQH15)."""

    number = models.CharField(_("số hiệu"), max_length=80, unique=True)
    title = models.CharField(_("trích yếu"), max_length=400)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    url = models.URLField(_("đường dẫn"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")

    def __str__(self) -> str:
        return self.number


class AdminUnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh / thành phố")
    DISTRICT = "district", _("Huyện / quận")
    COMMUNE = "commune", _("Xã / phường")


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, on: dt.date) -> "AdminUnitQuerySet":
        """Units that exist on the given day (valid_to is the last day the unit existed)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def within(self, unit: "AdminUnit") -> "AdminUnitQuerySet":
        """The unit and every unit below it in the tree, across all eras."""
        return self.filter(path__startswith=unit.path)


class AdminUnit(models.Model):
    """An administrative unit (province, district, ward or commune) during its validity interval.

    A merger or split never rewrites a unit: it closes the old ones (valid_to) and opens the new ones,
    linked by AdminUnitSuccession rows.
    """

    code = models.CharField(_("mã đơn vị hành chính"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind_name = models.CharField(_("loại"), max_length=30, help_text=_("phường, xã, quận, thành phố..."))
    level = models.CharField(_("cấp"), max_length=10, choices=AdminUnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("ngày cuối còn hiệu lực"), null=True, blank=True)
    established_by = models.ForeignKey(
        LegalBasis,
        verbose_name=_("thành lập theo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Nêu rõ điều gì chưa chắc chắn."))

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="admin_unit_interval_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.kind_name.capitalize()} {self.name}"

    def is_valid_on(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to >= on)


class SuccessionKind(models.TextChoices):
    WHOLE = "whole", _("toàn bộ")
    PART = "part", _("một phần")


class AdminUnitSuccession(models.Model):
    """Old unit → new unit on an effective date, whole or part, under a legal basis."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_in")
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("ngày có hiệu lực"))
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="successions")
    certain = models.BooleanField(_("đã đối chiếu văn bản"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "effective_on"], name="succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()}, {self.effective_on:%d/%m/%Y})"


class OfficeKind(models.TextChoices):
    ONE_STOP = "one_stop", _("Bộ phận Một cửa")
    LEADERSHIP = "leadership", _("Lãnh đạo UBND")
    SPECIALIST = "specialist", _("Phòng chuyên môn")
    COUNCIL = "council", _("Văn phòng HĐND")
    INSPECTORATE = "inspectorate", _("Thanh tra / tiếp công dân")
    FINANCE = "finance", _("Tài chính – Kế hoạch")
    FIRE_SAFETY = "fire_safety", _("Phòng cháy chữa cháy")


class Office(models.Model):
    """An office of an admin unit: its one-stop desk, a specialist office, the council office..."""

    code = models.CharField(_("mã cơ quan"), max_length=40, unique=True, help_text=_("Mã định danh điện tử"))
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=OfficeKind.choices)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="offices"
    )
    valid_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    valid_to = models.DateField(_("ngày cuối hoạt động"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["admin_unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    OFFICE_LEADER = "office_leader", _("Lãnh đạo phòng")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo UBND")
    COUNCIL_SECRETARIAT = "council_secretariat", _("Thường trực HĐND")
    INSPECTOR = "inspector", _("Thanh tra")
    FINANCE_OFFICER = "finance_officer", _("Cán bộ tài chính")
    FIRE_SAFETY_OFFICER = "fire_safety_officer", _("Cán bộ PCCC")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class User(AbstractUser):
    """A staff account: one role, exercised over an admin unit and its subtree."""

    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, blank=True)
    scope = models.ForeignKey(
        AdminUnit,
        verbose_name=_("phạm vi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name (first_name)
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%d/%m/%Y %H:%M}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")
    # Cancels a holiday the package pre-fills but the official notice did not grant; survives re-seeding
    WORKING_DAY = "working_day", _("Ngày làm việc bình thường (không nghỉ)")


class CalendarDay(models.Model):
    """A day that breaks the weekly pattern: a holiday or day off, or a weekend day worked in exchange."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(
        _("nguồn"),
        max_length=200,
        blank=True,
        help_text=_("Gói holidays, hoặc văn bản thông báo (VD: TB 9441/TB-BNV)"),
    )
    confirmed = models.BooleanField(_("đã đối chiếu thông báo chính thức"), default=False)

    class Meta:
        verbose_name = _("ngày nghỉ / làm bù")
        verbose_name_plural = _("ngày nghỉ / làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class OfficeHours(models.Model):
    """Office hours in force over a period: working weekdays and the daily working periods."""

    valid_from = models.DateField(_("áp dụng từ"), unique=True)
    weekdays = models.CharField(
        _("ngày làm việc trong tuần"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("0 = thứ Hai ... 6 = Chủ nhật"),
    )
    periods = models.CharField(_("giờ làm việc"), max_length=100, default="08:00-12:00,13:00-17:00")

    class Meta:
        verbose_name = _("giờ hành chính")
        verbose_name_plural = _("giờ hành chính")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}: {self.periods}"


class AuditEntry(models.Model):
    """One append-only audit row; `digest` chains it to the row before it."""

    at = models.DateTimeField(db_index=True)
    # PROTECT: the append-only trigger refuses the UPDATE that SET_NULL would make; staff are deactivated instead
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain (locked FOR UPDATE)."""

    last_digest = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head after {self.count} rows"


class NumberSequence(models.Model):
    """A counter per scope (e.g. one agency's dossiers of one day), advanced under a row lock."""

    scope = models.CharField(max_length=120, unique=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.last_value}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the uploaded name: a random key, sharded by date; the original name is kept as data.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.key}"


class Attachment(models.Model):
    """A stored file (scan, generated form, result) with its checksum; served only through permission checks."""

    key = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name
