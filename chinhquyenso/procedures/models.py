"""The procedure catalog (versioned: draft → published, frozen) and dossiers with their event ledger."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit, AdminUnitLevel, LegalBasis, Office, Role, User
from chinhquyenso.procedures.workflow import Action, State


class ProcedureField(models.Model):
    """Lĩnh vực: the field a procedure belongs to (Hộ tịch, Chứng thực, Đất đai...)."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure of the national catalog, identified by its national code; its content lives in versions."""

    code = models.CharField(_("mã thủ tục"), max_length=30, unique=True, help_text=_("Ví dụ 1.001193"))
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class TimeLimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("trong ngày")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Trực tuyến toàn trình")
    PARTIAL = "partial", _("Trực tuyến một phần")
    NONE = "none", _("Chưa cung cấp trực tuyến")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class ProcedureVersion(models.Model):
    """One version of a procedure's content. Drafts are editable; publishing freezes the version."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("tên thủ tục"), max_length=400)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=AdminUnitLevel.choices)
    time_limit = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    time_limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=15, choices=TimeLimitUnit.choices)
    same_day_cutoff = models.TimeField(_("giờ tiếp nhận muộn nhất để trả trong ngày"), null=True, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    required_assurance_level = models.PositiveSmallIntegerField(
        _("mức định danh điện tử tối thiểu"), default=1, choices=[(1, _("Mức 1")), (2, _("Mức 2"))]
    )
    paper_result = models.BooleanField(_("kết quả là giấy tờ"), default=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=300, blank=True)
    applicant_kind = models.CharField(_("đối tượng thực hiện"), max_length=200, blank=True)
    method = models.TextField(_("cách thức thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_bases = models.TextField(_("căn cứ pháp lý"), blank=True)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
            models.UniqueConstraint(fields=["procedure"], condition=Q(status="draft"), name="procedure_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"

    @property
    def is_frozen(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class ProcedureCompetence(models.Model):
    """Which level and kind of office resolves the procedure, over a period (competences moved in 2025)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="competences")
    level = models.CharField(_("cấp có thẩm quyền"), max_length=10, choices=AdminUnitLevel.choices)
    office_name = models.CharField(_("cơ quan giải quyết"), max_length=200)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    legal_basis = models.ForeignKey(LegalBasis, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thẩm quyền giải quyết")
        verbose_name_plural = _("thẩm quyền giải quyết")
        ordering = ["procedure", "valid_from"]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.office_name}"


class ProcedureFee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=1)
    description = models.CharField(_("nội dung"), max_length=300)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    SHOWN = "shown", _("Xuất trình bản chính")


class RequiredDocument(models.Model):
    """A component of the dossier (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    form = models.CharField(_("loại bản"), max_length=20, choices=DocumentForm.choices)
    sets = models.PositiveSmallIntegerField(_("số bộ"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    PROCESS = "process", _("Xử lý")
    HANDOFF = "handoff", _("Chuyển liên thông")
    RETURN = "return", _("Trả kết quả")


class QuotaUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    HALF_DAYS = "half_days", _("nửa ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class ProcedureStep(models.Model):
    """An internal step with its time quota; the quotas of a version add up to its legal time limit."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("tên bước"), max_length=200)
    kind = models.CharField(_("loại bước"), max_length=10, choices=StepKind.choices, default=StepKind.PROCESS)
    role = models.CharField(_("người thực hiện"), max_length=30, choices=Role.choices)
    office_name = models.CharField(
        _("cơ quan thực hiện"),
        max_length=200,
        blank=True,
        help_text=_("Ghi khi bước do cơ quan khác thực hiện (liên thông)"),
    )
    quota = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    quota_unit = models.CharField(_("đơn vị"), max_length=15, choices=QuotaUnit.choices)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="procedure_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Channel(models.IntegerChoices):
    """KenhThucHien of the national sync schema."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    """One application for a procedure, from intake to the returned result."""

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_office = models.ForeignKey(
        Office, verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="received_dossiers"
    )
    receiving_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="received_dossiers")
    resolving_office = models.ForeignKey(
        Office,
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="resolved_dossiers",
    )
    resolving_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="resolved_dossiers")
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    state = models.PositiveSmallIntegerField(_("trạng thái"), choices=State.choices, db_index=True)
    current_step = models.ForeignKey(ProcedureStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers"
    )
    revision = models.PositiveIntegerField(default=0, help_text="incremented by every transition")

    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=150)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã/phường nơi cư trú"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("nội dung yêu cầu"), blank=True)

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True, db_index=True)
    legal_due_at = models.DateTimeField(_("hạn giải quyết theo quy định"), null=True, blank=True, db_index=True)
    appointment_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    paused_since = models.DateTimeField(_("tạm dừng tính thời gian từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc xử lý lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    rescheduled = models.BooleanField(_("đã xin lỗi, hẹn lại"), default=False)
    due_warning_at = models.DateTimeField(_("đã cảnh báo sắp đến hạn lúc"), null=True, blank=True)
    is_late = models.BooleanField(
        _("quá hạn"),
        default=False,
        db_index=True,
        help_text="set when the dossier finished after its legal due time",
    )

    fee_total = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    paid_online = models.PositiveSmallIntegerField(default=0, help_text="DuocThanhToanTrucTuyen: 0, 1 or 2")
    vneid_verified = models.BooleanField(default=False)
    result_code = models.CharField(_("mã kết quả"), max_length=60, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["resolving_unit", "state", "step_due_at"]),
            models.Index(fields=["receiving_unit", "received_at"]),
            # the desk's inbox: open dossiers of the receiving unit (the resolving side has the index above)
            models.Index(fields=["receiving_unit", "state"], name="dossier_receiving_state"),
        ]

    def __str__(self) -> str:
        return self.code


class DossierDocument(models.Model):
    """A component actually received, with its digitisation flags (TT 01/2023; 766 indicators 4.x)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    form = models.CharField(_("loại bản"), max_length=20, choices=DocumentForm.choices)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu số"), default=False)
    from_personal_store = models.BooleanField(_("lấy từ kho dữ liệu cá nhân"), default=False)
    attachment = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ClockStop(models.Model):
    """A period when the legal clock stood still (waiting for the applicant's supplement)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="clock_stops")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.started_at} → {self.ended_at}"


class DossierEvent(models.Model):
    """One line of the control sheet (Mẫu 06): who moved the dossier from where to where, when, on time or not."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(
        max_length=30,
        choices=Action.choices + [("intake", _("Tiếp nhận tại quầy")), ("submit", _("Nộp trực tuyến"))],
    )
    from_state = models.PositiveSmallIntegerField(choices=State.choices, null=True, blank=True)
    to_state = models.PositiveSmallIntegerField(choices=State.choices)
    from_step = models.ForeignKey(ProcedureStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_step = models.ForeignKey(ProcedureStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    step_timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    step_used_minutes = models.PositiveIntegerField(null=True, blank=True)
    step_quota_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"
