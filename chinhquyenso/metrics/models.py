"""The read side of the one-stop desk: the 766 index rules as dated rows, one fact row per dossier and
the daily summary tables the dashboards, rankings and the public page read (never the dossiers)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit, Office, User
from chinhquyenso.procedures.models import Dossier, Procedure


class IndexRuleSet(models.Model):
    """One version of the 766 point table (QĐ 766/QĐ-TTg; VPCP has changed the split over time)."""

    name = models.CharField(_("tên bộ quy tắc"), max_length=200)
    basis = models.CharField(_("căn cứ"), max_length=400, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    good_threshold = models.DecimalField(_("ngưỡng Tốt"), max_digits=5, decimal_places=2, default=80)

    class Meta:
        verbose_name = _("bộ chỉ số 766")
        verbose_name_plural = _("bộ chỉ số 766")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name


class IndexGroup(models.Model):
    rule_set = models.ForeignKey(IndexRuleSet, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("nhóm"))
    name = models.CharField(_("tên nhóm"), max_length=200)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["rule_set", "number"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "number"], name="index_group_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndexIndicator(models.Model):
    """A sub-indicator: how many points, against which target, computed by which formula (`key`)."""

    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã chỉ số"), max_length=10)
    key = models.CharField(max_length=40, help_text="the formula in metrics/selectors.py that computes it")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    target = models.DecimalField(
        _("mục tiêu (%)"), max_digits=5, decimal_places=2, null=True, blank=True, help_text=_("để trống nếu không có")
    )
    formula = models.CharField(_("công thức"), max_length=400)

    class Meta:
        ordering = ["group", "order"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="index_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DossierFact(models.Model):
    """What one dossier contributes to the summary tables, as of its last processed revision.

    Keeping the contributions lets a refresh subtract the old ones and add the new ones exactly once.
    """

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    received_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    end_at = models.DateTimeField(null=True, help_text="first of result ready / stopped / refused / withdrawn")
    timeliness = models.CharField(max_length=10, blank=True)
    contributions = models.JSONField(default=list)

    class Meta:
        indexes = [
            # ended in a period (end_at range), and open ones (end_at IS NULL) by due time
            models.Index(fields=["unit", "end_at", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}@{self.revision}"


class DailyFigures(models.Model):
    """Counters per (unit, day, procedure, receiving office, channel): receipts by receipt day,
    ends by end day, returns by return day, overdue starts by due day."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    channel = models.PositiveSmallIntegerField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    full_online_eligible = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    fee_payable = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    paper_result = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    digitised_complete = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    personal_store = models.IntegerField(default=0)
    vneid = models.IntegerField(default=0)
    ended_early = models.IntegerField(default=0)
    ended_on_time = models.IntegerField(default=0)
    ended_late = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    overdue_started = models.IntegerField(default=0)
    overdue_ended = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "procedure", "office", "channel"], name="daily_figures_key_unique"
            )
        ]
        # the unique key (unit, day, ...) serves the range scans

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.procedure_id}/{self.office_id}/{self.channel}"


class UnitDayFigures(models.Model):
    """The same counters per (unit, day) only: what the index and the rankings sum over (a few rows per unit
    and day, however many procedures, offices and channels)."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    full_online_eligible = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    fee_payable = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    paper_result = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    digitised_complete = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    personal_store = models.IntegerField(default=0)
    vneid = models.IntegerField(default=0)
    ended_early = models.IntegerField(default=0)
    ended_on_time = models.IntegerField(default=0)
    ended_late = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    overdue_started = models.IntegerField(default=0)
    overdue_ended = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="unit_day_figures_key_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class UnitProcedureMonthFigures(models.Model):
    """Per (unit, month, procedure): dossiers received with a fee, paid online, VNeID, online — what the
    per-procedure indicators (3.2, 3.5, 4.5a) count procedures by, over whole months."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="the first day of the month")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    fee_payable = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    vneid = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "procedure"], name="unit_procedure_month_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} {self.procedure_id}"


class OfficerDailyFigures(models.Model):
    """Steps finished per officer and day, as the control sheet (Mẫu 06) judged them."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    steps_early = models.IntegerField(default=0)
    steps_on_time = models.IntegerField(default=0)
    steps_late = models.IntegerField(default=0)
    minutes_used = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "officer"], name="officer_figures_key_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.officer_id}"


class RefreshMark(models.Model):
    """The high-water mark: the last DossierEvent id folded into the summaries (one row, locked by refreshes)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"
