"""Citizen reception, complaints, denunciations, petitions and public reports (RULES.md §3).

The identity of whoever sends a case or comes to a reception is stored only encrypted (`identity_token`,
see identity.py); `masked_name` is what every list, export, API answer and admin page shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit, Attachment, LegalBasis, Office, User


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class DeadlineRule(models.Model):
    """One statutory time limit, in force from `valid_from` to `valid_to`; a case uses the rows in force on its
    receipt date."""

    key = models.CharField(_("mã quy định"), max_length=60)
    variant = models.CharField(
        _("trường hợp"), max_length=30, blank=True, help_text=_("trống, complex, remote hoặc remote_complex")
    )
    name = models.CharField(_("tên"), max_length=200)
    amount = models.PositiveIntegerField(_("thời hạn"))
    unit = models.CharField(_("đơn vị"), max_length=20, choices=DeadlineUnit.choices)
    max_times = models.PositiveSmallIntegerField(
        _("số lần tối đa"), null=True, blank=True, help_text=_("Với gia hạn: số lần được gia hạn")
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="+")
    article = models.CharField(_("điều khoản"), max_length=120)

    class Meta:
        verbose_name = _("thời hạn luật định")
        verbose_name_plural = _("thời hạn luật định")
        ordering = ["key", "variant", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "variant", "valid_from"], name="complaints_rule_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.key}{'/' + self.variant if self.variant else ''}: {self.amount} {self.get_unit_display()}"


class ReportCategory(models.Model):
    """A kind of public report (Open311 "service"): lighting, waste, pavements..."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại phản ánh")
        verbose_name_plural = _("loại phản ánh")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    PETITION = "petition", _("Kiến nghị")
    FEEDBACK = "feedback", _("Phản ánh")


class CaseChannel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính")
    TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")


class Case(models.Model):
    """A complaint, denunciation, petition or public report, with its stage and its legal deadlines."""

    code = models.CharField(_("mã đơn"), max_length=40, unique=True)
    kind = models.CharField(_("loại đơn"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("hình thức"), max_length=20, choices=CaseChannel.choices)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="complaint_cases")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("trạng thái"), max_length=30)
    revision = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(_("ngày nhận"))
    subject = models.CharField(_("tóm tắt"), max_length=300)
    content = models.TextField(_("nội dung"))
    category = models.ForeignKey(ReportCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    # who sent it: encrypted (Law on Denunciations 2018 Art. 9(1)(b)); `masked_name` is safe to show
    identity_token = models.TextField(blank=True, editable=False)
    masked_name = models.CharField(_("người gửi"), max_length=120, blank=True)
    anonymous = models.BooleanField(_("không rõ danh tính"), default=False)
    from_anonymous_denunciation = models.BooleanField(_("từ đơn tố cáo nặc danh"), default=False)
    # complaints: the decision or act complained of, for the 90-day time bar (Art. 9 Law on Complaints 2011)
    decision_known_on = models.DateField(_("ngày nhận được / biết quyết định"), null=True, blank=True)
    excused_days = models.PositiveIntegerField(_("số ngày trở ngại khách quan"), default=0)
    time_bar_ends_at = models.DateTimeField(_("hết thời hiệu"), null=True, blank=True)
    time_barred = models.BooleanField(_("quá thời hiệu"), default=False)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa"), default=False)
    complex_case = models.BooleanField(_("vụ việc phức tạp"), default=False)
    # the clock of the current stage
    due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True)
    due_rule = models.CharField(max_length=60, blank=True)
    accepted_at = models.DateTimeField(_("ngày thụ lý"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày quyết định / kết luận"), null=True, blank=True)
    second_window_ends_at = models.DateTimeField(_("hạn khiếu nại lần hai"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("kết quả"), blank=True)
    transferred_to = models.CharField(_("chuyển đến"), max_length=200, blank=True)
    # public reports (Open311)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("địa điểm"), max_length=300, blank=True)
    photo = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignees = models.ManyToManyField(
        User, through="CaseAssignment", through_fields=("case", "user"), related_name="complaint_cases"
    )
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn")
        verbose_name_plural = _("đơn")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["kind", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def state_label(self) -> str:
        from chinhquyenso.complaints.workflow import State  # workflow imports this module

        return str(State(self.state).label)


class CaseAssignment(models.Model):
    """An inspector (or handler) assigned to a case: the only people who may read a denouncer's identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="complaints_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class CaseEvent(models.Model):
    """One action on a case, in order: the case's ledger. Never holds the sender's identity."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="complaints_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.seq} {self.action}"

    @property
    def label(self) -> str:
        from chinhquyenso.complaints.workflow import event_label  # workflow imports this module

        return event_label(self.action)


class HostKind(models.TextChoices):
    CHAIRMAN = "chairman", _("Chủ tịch UBND")
    OFFICE_HEAD = "office_head", _("Thủ trưởng cơ quan chuyên môn")
    STANDING = "standing", _("Cán bộ tiếp công dân thường xuyên")


class ReceptionSession(models.Model):
    """A day on the reception schedule: the chairman ≥ 1 day a week (Art. 15(2)(d) Law on Citizen Reception
    2013), each office head ≥ 1 day a month (Art. 18(2))."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("ngày tiếp"))
    host_kind = models.CharField(_("người tiếp"), max_length=20, choices=HostKind.choices)
    host_name = models.CharField(_("họ tên người tiếp"), max_length=120)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lịch tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.host_name}"


class VisitAnswer(models.TextChoices):
    ACCEPTED = "accepted", _("Thụ lý")
    NEEDS_TIME = "needs_time", _("Cần thêm thời gian xem xét")
    REFUSED = "refused", _("Không thụ lý, nêu rõ lý do")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")


class ReceptionVisit(models.Model):
    """One entry of the reception book: who came (encrypted), what about, and the answer due within 10 working
    days (Art. 28(1) Law on Citizen Reception 2013)."""

    code = models.CharField(_("số vào sổ"), max_length=40, unique=True)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(ReceptionSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm tiếp"))
    channel = models.CharField(_("hình thức"), max_length=20, choices=CaseChannel.choices)
    classification = models.CharField(_("phân loại"), max_length=20, choices=CaseKind.choices)
    identity_token = models.TextField(blank=True, editable=False)
    masked_name = models.CharField(_("người đến"), max_length=120, blank=True)
    group_size = models.PositiveIntegerField(_("số người"), default=1)
    representatives_token = models.TextField(blank=True, editable=False)
    content = models.TextField(_("nội dung"))
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    answer_due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.CharField(_("trả lời"), max_length=20, choices=VisitAnswer.choices, blank=True)
    answer_note = models.TextField(_("nội dung trả lời / lý do"), blank=True)
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_group(self) -> bool:
        return self.group_size >= 5
