"""Reads of the metrics app: the 766 index, rankings and dashboard figures, all from the summary tables.

No figure here reads the dossiers table except the bounded late list (at most LATE_LIST_LIMIT rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import is_working_day
from chinhquyenso.core.errors import NotFound
from chinhquyenso.core.models import AdminUnit, AdminUnitLevel
from chinhquyenso.core.permissions import can_see_unit
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.metrics.facts import DAILY_COUNTERS
from chinhquyenso.metrics.models import (
    DailyFigures,
    DossierFact,
    IndexIndicator,
    IndexRuleSet,
    OfficerDailyFigures,
    UnitDayFigures,
    UnitProcedureMonthFigures,
)
from chinhquyenso.metrics.scoring import indicator_points, ratio_percent, rounded
from chinhquyenso.procedures.models import OnlineLevel, ProcedureVersion
from chinhquyenso.procedures.selectors import procedure_current_versions

LATE_LIST_LIMIT = 50


# --- periods ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def previous(self) -> Period:
        """The period of the same length just before (a calendar month, quarter... when this is one)."""
        months = _whole_months(self)
        if months:
            end = self.start - dt.timedelta(days=1)
            return Period(_add_months(self.start, -months), end)
        length = self.end - self.start
        return Period(self.start - length - dt.timedelta(days=1), self.start - dt.timedelta(days=1))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _whole_months(period: Period) -> int:
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        return 0
    after = period.end + dt.timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def period_of(kind: str, on: dt.date) -> Period:
    """The month, quarter, half-year or year that contains `on`."""
    size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    first_month = (on.month - 1) // size * size + 1
    start = dt.date(on.year, first_month, 1)
    return Period(start, _add_months(start, size) - dt.timedelta(days=1))


# --- sums from the summary tables -----------------------------------------------------------------------
def _sum_fields(period: Period) -> dict:
    in_period = Q(day__gte=period.start, day__lte=period.end)
    # annotation names must differ from the field names: "s_<counter>"
    sums = {f"s_{c}": Sum(c, filter=in_period, default=0) for c in DAILY_COUNTERS}
    # cumulative to the end of the period (today for a period not over yet): dossiers still open, and
    # open past their due day, judged then (RULES.md §2.2, 2.1: unfinished → end of period)
    judged = Q(day__lte=min(period.end, timezone.localdate()))
    sums["s_cum_received"] = Sum("received", filter=judged, default=0)
    sums["s_cum_ended"] = Sum(F("ended_early") + F("ended_on_time") + F("ended_late"), filter=judged, default=0)
    sums["s_cum_overdue"] = Sum(F("overdue_started") - F("overdue_ended"), filter=judged, default=0)
    return sums


def subtree_ids(unit: AdminUnit) -> list[int]:
    """Ids of the unit and every unit below it, in every era (memoised on the unit object).

    The summaries are filtered by unit id, not by a path prefix: an id list uses the (unit, day) index on
    both databases, where LIKE 'prefix%' needs a pattern-ops index on PostgreSQL.
    """
    if not hasattr(unit, "_metrics_subtree"):
        unit._metrics_subtree = list(AdminUnit.objects.within(unit).values_list("id", flat=True))
    return unit._metrics_subtree


def figures_by_unit(*, unit_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """Summed counters per unit (one grouped query over the summaries)."""
    rows = (
        UnitDayFigures.objects.filter(unit_id__in=unit_ids, day__lte=period.end)
        .values("unit_id")
        .annotate(**_sum_fields(period))
        .order_by()
    )
    return {row.pop("unit_id"): {k[2:]: v for k, v in row.items()} for row in rows}


def procedures_by_unit(*, unit_ids: list[int], period: Period) -> dict[int, dict[str, set[int]]]:
    """Per unit, the procedures with dossiers carrying fees, paid online, VNeID, online in the period:
    whole months from the monthly table, the partial months at the edges from the daily one."""
    out: dict[int, dict[str, set[int]]] = {}
    sets_of = {"fee_payable": "fees", "paid_online": "paid", "vneid": "vneid", "received_online": "online"}

    def add(rows):
        for row in rows:
            sets = out.setdefault(row["unit_id"], {"fees": set(), "paid": set(), "vneid": set(), "online": set()})
            for counter, name in sets_of.items():
                if row[f"n_{counter}"]:
                    sets[name].add(row["procedure_id"])

    sums = {f"n_{c}": Sum(c) for c in sets_of}
    first_full = period.start if period.start.day == 1 else _add_months(period.start, 1)
    after_full = _add_months(period.end.replace(day=1), 1 if (period.end + dt.timedelta(days=1)).day == 1 else 0)
    if first_full < after_full:
        add(
            UnitProcedureMonthFigures.objects.filter(unit_id__in=unit_ids, month__gte=first_full, month__lt=after_full)
            .values("unit_id", "procedure_id")
            .annotate(**sums)
            .order_by()
        )
        edges = [(period.start, first_full - dt.timedelta(days=1)), (after_full, period.end)]
    else:
        edges = [(period.start, period.end)]
    for first, last in edges:
        if first > last:
            continue
        add(
            DailyFigures.objects.filter(unit_id__in=unit_ids, day__gte=first, day__lte=last)
            .values("unit_id", "procedure_id")
            .annotate(**sums)
            .order_by()
        )
    return out


def dislikes_by_unit(*, unit_ids: list[int], period: Period) -> dict[int, int]:
    """ "Not satisfied" ratings given in the period to dossiers received in each unit (desk app, NĐ 118)."""
    from chinhquyenso.desk.selectors import rating_figures

    units = AdminUnit.objects.filter(id__in=unit_ids)
    ids = dict(units.values_list("code", "id"))
    rows = rating_figures(by="unit", units=units, start=period.start, end=period.end)
    return {ids[r.key]: r.not_satisfied for r in rows if r.key in ids and r.not_satisfied}


def _merge(parts) -> dict[str, int]:
    total = {c: 0 for c in (*DAILY_COUNTERS, "cum_received", "cum_ended", "cum_overdue", "dislikes")}
    for part in parts:
        for key, value in part.items():
            total[key] += value or 0
    return total


def _merge_sets(parts) -> dict[str, set[int]]:
    total: dict[str, set[int]] = {"fees": set(), "paid": set(), "vneid": set(), "online": set()}
    for part in parts:
        for key, value in part.items():
            total[key] |= value
    return total


# --- the catalog side (publicity, online offer) ------------------------------------------------------
@dataclass
class CatalogFigures:
    procedures: int = 0
    with_online: int = 0
    full_online: int = 0
    with_fees: int = 0
    complete: int = 0
    published_in_period: int = 0
    published_on_time: int = 0
    procedure_ids: set[int] = field(default_factory=set)
    online_ids: set[int] = field(default_factory=set)


def catalog_figures(*, level: str, period: Period) -> CatalogFigures:
    """Procedures in force at the end of the period at the unit's level (all levels for a province)."""
    versions = [
        v for v in procedure_current_versions(on=period.end) if level == AdminUnitLevel.PROVINCE or v.level == level
    ]
    counts = {
        row["id"]: row
        for row in ProcedureVersion.objects.filter(id__in=[v.pk for v in versions])
        .annotate(
            n_steps=Count("steps", distinct=True),
            n_docs=Count("documents", distinct=True),
            n_fees=Count("fees", distinct=True),
            n_competences=Count("procedure__competences", distinct=True),
        )
        .values("id", "n_steps", "n_docs", "n_fees", "n_competences")
    }
    calendar = calendar_get()
    out = CatalogFigures()
    for v in versions:
        c = counts[v.pk]
        out.procedures += 1
        out.procedure_ids.add(v.procedure_id)
        if v.online_level != OnlineLevel.NONE:
            out.with_online += 1
            out.online_ids.add(v.procedure_id)
        out.full_online += v.online_level == OnlineLevel.FULL
        out.with_fees += c["n_fees"] > 0
        # NĐ 63/2010 Art. 8(2): name, sequence, method, components, time limit, target group, agency
        out.complete += all(
            [
                v.name,
                c["n_steps"],
                v.method,
                c["n_docs"],
                v.time_limit is not None,
                v.applicant_kind,
                c["n_competences"],
            ]
        )
        if v.published_at and v.valid_from and period.start <= timezone.localdate(v.published_at) <= period.end:
            out.published_in_period += 1
            out.published_on_time += (
                _working_days_after(timezone.localdate(v.published_at), v.valid_from, calendar) >= 5
            )
    return out


def _working_days_after(first: dt.date, last: dt.date, calendar) -> int:
    """Working days d with first < d ≤ last (capped: only whether there are 5 matters)."""
    days, day = 0, first
    while day < last and days < 5:
        day += dt.timedelta(days=1)
        days += is_working_day(day, calendar=calendar)
    return days


# --- the index ------------------------------------------------------------------------------------------
@dataclass
class IndicatorFigure:
    code: str
    name: str
    group: int
    formula: str
    max_points: Decimal
    target: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    ratio: Decimal | None = None
    points: Decimal | None = None
    status: str = "ok"  # ok | na (denominator 0) | no_data (the platform does not hold the inputs)
    note: str = ""


@dataclass
class GroupFigure:
    number: int
    name: str
    max_points: Decimal
    indicators: list[IndicatorFigure]

    @property
    def points(self) -> Decimal:
        return rounded(sum((i.points or Decimal(0) for i in self.indicators), Decimal(0)))


@dataclass
class IndexFigures:
    unit: AdminUnit
    period: Period
    rule_set: IndexRuleSet
    groups: list[GroupFigure]
    counters: dict[str, int]

    @property
    def indicators(self) -> list[IndicatorFigure]:
        return [i for g in self.groups for i in g.indicators]

    @property
    def total(self) -> Decimal:
        return rounded(sum((g.points for g in self.groups), Decimal(0)))

    @property
    def max_available(self) -> Decimal:
        """Points the platform can compute: the maximum of the sub-indicators it holds data for."""
        return rounded(sum((i.max_points for i in self.indicators if i.status != "no_data"), Decimal(0)))

    @property
    def on_time(self) -> IndicatorFigure | None:
        return next((i for i in self.indicators if i.code == "2.1"), None)


NO_DATA = {
    "publicity_national": _("Chưa kết nối Cơ sở dữ liệu quốc gia về TTHC: không có ngày công khai."),
    "sync_national": _("Chưa đồng bộ với Cổng DVCQG và Hệ thống báo cáo quốc gia: không có số hồ sơ đối chiếu."),
    "handling_time": _("Chỉ tính theo từng thủ tục, không tính điểm."),
    "e_copy": _("Nền tảng chưa cấp bản sao điện tử có chứng thực."),
    "pakn_on_time": _("Chưa có phân hệ phản ánh, kiến nghị (PAKN)."),
    "pakn_satisfaction": _("Chưa có phân hệ phản ánh, kiến nghị (PAKN)."),
    "pakn_categories": _("Chưa có phân hệ phản ánh, kiến nghị (PAKN)."),
}


COMPUTED_KEYS = (
    "publicity_on_time",
    "publicity_complete",
    "progress_on_time",
    "online_full",
    "online_procedures",
    "online_procedures_used",
    "online_share",
    "fee_integrated",
    "payment_used",
    "paid_online",
    "e_result",
    "digitised_complete",
    "reused",
    "personal_store",
    "vneid_dossiers",
    "vneid_procedures",
    "satisfaction",
)
FORMULA_KEYS = COMPUTED_KEYS + tuple(NO_DATA)


def rule_set_for(*, on: dt.date) -> IndexRuleSet:
    """The 766 point table in force on the day (the end of the period)."""
    rule_set = (
        IndexRuleSet.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if rule_set is None:
        raise NotFound(_("Không có bộ chỉ số 766 áp dụng cho ngày %(on)s.") % {"on": on.strftime("%d/%m/%Y")})
    return rule_set


def _ratio_inputs(key: str, s: dict, p: dict, cat: CatalogFigures) -> tuple[int, int] | None:
    """(numerator, denominator) of each formula the platform can compute (RULES.md §2.2)."""
    on_time_open = s["cum_received"] - s["cum_ended"] - s["cum_overdue"]
    ended = s["ended_early"] + s["ended_on_time"] + s["ended_late"]
    handled = ended + s["cum_received"] - s["cum_ended"]
    late = s["ended_late"] + s["cum_overdue"]
    inputs = {
        "publicity_on_time": (cat.published_on_time, cat.published_in_period),
        "publicity_complete": (cat.complete, cat.procedures),
        "progress_on_time": (s["ended_early"] + s["ended_on_time"] + on_time_open, handled),
        "online_full": (s["full_online"], s["full_online_eligible"]),
        "online_procedures": (cat.with_online, cat.procedures),
        "online_procedures_used": (len(p["online"] & cat.online_ids), cat.with_online),
        "online_share": (s["received_online"], s["received"]),
        "fee_integrated": (len(p["fees"] & cat.procedure_ids), cat.with_fees),
        "payment_used": (len(p["paid"] & cat.procedure_ids), cat.with_fees),
        "paid_online": (s["paid_online"], s["fee_payable"]),
        "e_result": (s["e_result"], s["paper_result"]),
        "digitised_complete": (s["digitised_complete"], s["received"]),
        "reused": (s["reused"], s["received"]),
        "personal_store": (s["personal_store"], s["received"]),
        "vneid_dossiers": (s["vneid"], s["received"]),
        "vneid_procedures": (len(p["vneid"] & cat.procedure_ids), cat.procedures),
        # 100% − (% overdue + % PAKN or dislike): ratings are not held yet, so only the overdue share counts
        "satisfaction": (max(handled - late - s["dislikes"], 0), handled),
    }
    return inputs.get(key)


def index_figures(
    *, unit: AdminUnit, period: Period, counters=None, procedure_sets=None, shared: dict | None = None
) -> IndexFigures:
    """QĐ 766/QĐ-TTg: every sub-indicator of the unit and its subtree for the period, with points and total."""
    shared = {} if shared is None else shared  # rule set and catalog figures reused across ranked units
    if counters is None:
        by_unit = figures_by_unit(unit_ids=subtree_ids(unit), period=period)
        for unit_id, n in dislikes_by_unit(unit_ids=subtree_ids(unit), period=period).items():
            by_unit.setdefault(unit_id, {})["dislikes"] = n
        counters = _merge(by_unit.values())
    if procedure_sets is None:
        procedure_sets = _merge_sets(procedures_by_unit(unit_ids=subtree_ids(unit), period=period).values())
    if ("rules", period) not in shared:
        rule_set = rule_set_for(on=period.end)
        indicators = list(IndexIndicator.objects.filter(group__rule_set=rule_set).select_related("group"))
        shared[("rules", period)] = (rule_set, indicators)
    rule_set, indicators = shared[("rules", period)]
    if ("catalog", unit.level, period) not in shared:
        shared[("catalog", unit.level, period)] = catalog_figures(level=unit.level, period=period)
    catalog = shared[("catalog", unit.level, period)]
    groups = []
    by_group: dict[int, GroupFigure] = {}
    for ind in indicators:
        g = ind.group
        if g.number not in by_group:
            by_group[g.number] = GroupFigure(g.number, g.name, g.max_points, [])
            groups.append(by_group[g.number])
        figure = IndicatorFigure(ind.code, ind.name, g.number, ind.formula, ind.max_points, ind.target)
        inputs = _ratio_inputs(ind.key, counters, procedure_sets, catalog)
        if inputs is None:
            figure.status = "no_data"
            figure.note = NO_DATA.get(ind.key, _("Nền tảng chưa có dữ liệu đầu vào cho chỉ số này."))
        else:
            figure.numerator, figure.denominator = inputs
            figure.ratio = ratio_percent(*inputs)
            figure.points = indicator_points(
                numerator=inputs[0], denominator=inputs[1], max_points=ind.max_points, target=ind.target
            )
            if figure.points is None:
                figure.status = "na"
            if ind.key == "satisfaction":
                figure.note = _(
                    "Trừ hồ sơ quá hạn và đánh giá “Không hài lòng” (%(n)d); chưa có phản ánh, kiến nghị theo hồ sơ."
                ) % {"n": counters["dislikes"]}
        by_group[g.number].indicators.append(figure)
    return IndexFigures(unit=unit, period=period, rule_set=rule_set, groups=groups, counters=counters)


def metrics_unit_get(*, code: str, user=None, field: str | None = "unit") -> AdminUnit:
    """The unit by code; 404 as well when the user may not see it."""
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None or (user is not None and not can_see_unit(user, unit)):
        message = _("Không có đơn vị hành chính mã %(code)s.") % {"code": code}
        raise NotFound(message, fields={field: message} if field else None)
    return unit


# --- rankings ---------------------------------------------------------------------------------------------
@dataclass
class RankRow:
    unit: AdminUnit
    total: Decimal
    on_time: Decimal | None
    rank: int = 0
    previous_rank: int | None = None
    has_data: bool = True

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost against the previous period."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def places(self) -> int:
        return abs(self.change or 0)


def _rank(units: list[AdminUnit], period: Period) -> list[RankRow]:
    paths = dict(
        AdminUnit.objects.filter(path__startswith=_common_prefix([u.path for u in units])).values_list("id", "path")
    )
    by_unit = figures_by_unit(unit_ids=list(paths), period=period)
    for unit_id, n in dislikes_by_unit(unit_ids=list(paths), period=period).items():
        by_unit.setdefault(unit_id, {})["dislikes"] = n
    sets = procedures_by_unit(unit_ids=list(paths), period=period)
    rows, shared = [], {}
    for unit in units:
        counters = _merge(v for i, v in by_unit.items() if paths[i].startswith(unit.path))
        procedure_sets = _merge_sets(v for i, v in sets.items() if paths[i].startswith(unit.path))
        figures = index_figures(
            unit=unit, period=period, counters=counters, procedure_sets=procedure_sets, shared=shared
        )
        on_time = figures.on_time.ratio if figures.on_time else None
        rows.append(RankRow(unit, figures.total, on_time, has_data=counters["cum_received"] > 0))
    rows.sort(key=lambda r: (-r.total, -(r.on_time or 0), r.unit.name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return rows


def _common_prefix(paths: list[str]) -> str:
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def ranking(*, parent: AdminUnit, period: Period) -> list[RankRow]:
    """The units under `parent` existing at the end of the period, ranked by index total (then on-time rate),
    with the change of place against the previous period ("tăng 17 bậc")."""
    units = list(AdminUnit.objects.filter(parent=parent).valid_on(period.end))
    rows = _rank(units, period)
    previous = {r.unit.pk: r.rank for r in _rank(units, period.previous()) if r.has_data}
    for row in rows:
        row.previous_rank = previous.get(row.unit.pk)
    return rows


# --- the dashboard ------------------------------------------------------------------------------------------
def breakdown(*, unit: AdminUnit, period: Period, by: str) -> list[dict]:
    """Received, returned, ended early / on time / late in the period per procedure, office or channel."""
    field_name = {"procedure": "procedure__code", "office": "office__name", "channel": "channel"}[by]
    label = {"procedure": "procedure__code", "office": "office__code", "channel": "channel"}[by]
    rows = (
        DailyFigures.objects.filter(unit_id__in=subtree_ids(unit), day__gte=period.start, day__lte=period.end)
        .values(field_name, label)
        .annotate(
            n_received=Sum("received"),
            n_returned=Sum("returned"),
            early=Sum("ended_early"),
            on_time=Sum("ended_on_time"),
            late=Sum("ended_late"),
        )
        .order_by(field_name)
    )
    return [
        {
            "key": r[label],
            "label": r[field_name],
            "received": r["n_received"],
            "returned": r["n_returned"],
            "early": r["early"],
            "on_time": r["on_time"],
            "late": r["late"],
            "ended": r["early"] + r["on_time"] + r["late"],
        }
        for r in rows
    ]


def officer_breakdown(*, unit: AdminUnit, period: Period) -> list[dict]:
    """Steps each officer finished in the period, early / on time / late (control sheet, Mẫu 06)."""
    rows = (
        OfficerDailyFigures.objects.filter(unit_id__in=subtree_ids(unit), day__gte=period.start, day__lte=period.end)
        .values("officer__username", "officer__first_name", "officer__last_name")
        .annotate(
            early=Sum("steps_early"),
            on_time=Sum("steps_on_time"),
            late=Sum("steps_late"),
            minutes=Sum("minutes_used"),
        )
        .order_by("-late", "officer__username")
    )
    return [
        {
            "username": r["officer__username"],
            "name": f"{r['officer__last_name']} {r['officer__first_name']}".strip() or r["officer__username"],
            "early": r["early"],
            "on_time": r["on_time"],
            "late": r["late"],
            "steps": r["early"] + r["on_time"] + r["late"],
        }
        for r in rows
    ]


def daily_series(*, unit: AdminUnit, period: Period) -> list[dict]:
    """Per day of the period: received, ended on time (early included), ended late."""
    rows = (
        UnitDayFigures.objects.filter(unit_id__in=subtree_ids(unit), day__gte=period.start, day__lte=period.end)
        .values("day")
        .annotate(
            n_received=Sum("received"),
            on_time=Sum(F("ended_early") + F("ended_on_time")),
            late=Sum("ended_late"),
        )
        .order_by("day")
    )
    return [{"day": r["day"], "received": r["n_received"], "on_time": r["on_time"], "late": r["late"]} for r in rows]


@dataclass
class LateHolding:
    officer: str
    step: str
    minutes: int


@dataclass
class LateDossier:
    code: str
    procedure: str
    due_at: dt.datetime | None
    end_at: dt.datetime | None
    holdings: list[LateHolding]


def late_list(*, unit: AdminUnit, period: Period, limit: int = LATE_LIST_LIMIT) -> list[LateDossier]:
    """Dossiers late in the period (ended late in it, or open past their due time at its end), with who held
    each step how long; at most `limit` rows, read through the fact index."""
    from chinhquyenso.procedures.models import DossierEvent

    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone())
    end = min(end, timezone.now())  # a period not over yet is judged now
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=timezone.get_current_timezone())
    facts = DossierFact.objects.filter(unit_id__in=subtree_ids(unit)).select_related("dossier__version")
    # two bounded index walks: ended late in the period (unit, end_at), and open past due at its end
    # (unit, due_at), newest due first
    ended_late = facts.filter(timeliness="late", end_at__gte=start, end_at__lt=end).order_by("end_at")[:limit]
    # open now (a short list: the unit's current workload), through the (unit, end_at) index
    open_late = facts.filter(end_at__isnull=True, due_at__lt=end, received_at__lt=end)
    found = list(ended_late) + list(open_late.order_by("due_at")[:limit])
    if end < timezone.now():
        # a past period: also those still open at its end that ended since
        found += list(facts.filter(end_at__gte=end, due_at__lt=end, received_at__lt=end).order_by("end_at")[:limit])
    facts = found
    facts = sorted(facts, key=lambda f: f.due_at)[:limit]
    events = (
        DossierEvent.objects.filter(dossier_id__in=[f.dossier_id for f in facts], step_used_minutes__isnull=False)
        .select_related("actor", "from_step")
        .order_by("dossier_id", "seq")
    )
    holdings: dict[int, list[LateHolding]] = {}
    for e in events:
        holdings.setdefault(e.dossier_id, []).append(
            LateHolding(
                e.actor.display_name if e.actor else e.actor_label,
                e.from_step.name if e.from_step else "",
                e.step_used_minutes or 0,
            )
        )
    return [
        LateDossier(f.dossier.code, f.dossier.version.name, f.due_at, f.end_at, holdings.get(f.dossier_id, []))
        for f in facts
    ]


def public_unit_figures(*, on: dt.date | None = None) -> list[RankRow]:
    """Every current commune-level unit with its index and on-time rate for the year to date."""
    on = on or timezone.localdate()
    period = Period(dt.date(on.year, 1, 1), on)
    parents = (
        AdminUnit.objects.valid_on(on)
        .filter(level=AdminUnitLevel.COMMUNE)
        .values_list("parent_id", flat=True)
        .distinct()
    )
    rows: list[RankRow] = []
    for parent in AdminUnit.objects.filter(id__in=parents):
        units = AdminUnit.objects.filter(parent=parent, level=AdminUnitLevel.COMMUNE).valid_on(on)
        rows.extend(_rank(list(units.select_related("parent")), period))
    rows.sort(key=lambda r: (-r.total, r.unit.name))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return rows


# --- reconciliation -----------------------------------------------------------------------------------------
def rollup_differences(*, chunk: int = 2000) -> list[str]:
    """Recompute every dossier's contributions from its events and compare the sums with the stored summary
    tables; one line per differing counter (empty when they agree)."""
    from chinhquyenso.metrics.facts import OFFICER_COUNTERS, PROCEDURE_MONTH_COUNTERS, contribution_totals, dossier_fact
    from chinhquyenso.metrics.services import dossiers_for_facts

    calendar = calendar_get()
    expected: dict[tuple, int] = {}
    last = 0
    while True:
        batch = list(dossiers_for_facts().filter(id__gt=last).order_by("id")[:chunk])
        if not batch:
            break
        for dossier in batch:
            fact = dossier_fact(dossier, list(dossier.events.all()), list(dossier.documents.all()), calendar=calendar)
            for key, amount in contribution_totals(fact.contributions).items():
                expected[key] = expected.get(key, 0) + amount
        last = batch[-1].pk
    stored: dict[tuple, int] = {}
    for row in DailyFigures.objects.values("unit_id", "day", "procedure_id", "office_id", "channel", *DAILY_COUNTERS):
        base = ("d", row["unit_id"], row["day"].isoformat(), row["procedure_id"], row["office_id"], row["channel"])
        for counter in DAILY_COUNTERS:
            stored[(*base, counter)] = row[counter]
    for key, amount in list(expected.items()):
        if key[0] == "d":
            coarse = ("u", key[1], key[2], key[-1])
            expected[coarse] = expected.get(coarse, 0) + amount
            if key[-1] in PROCEDURE_MONTH_COUNTERS:
                monthly = ("p", key[1], key[2][:8] + "01", key[3], key[-1])
                expected[monthly] = expected.get(monthly, 0) + amount
    for row in UnitProcedureMonthFigures.objects.values("unit_id", "month", "procedure_id", *PROCEDURE_MONTH_COUNTERS):
        for counter in PROCEDURE_MONTH_COUNTERS:
            stored[("p", row["unit_id"], row["month"].isoformat(), row["procedure_id"], counter)] = row[counter]
    for row in UnitDayFigures.objects.values("unit_id", "day", *DAILY_COUNTERS):
        for counter in DAILY_COUNTERS:
            stored[("u", row["unit_id"], row["day"].isoformat(), counter)] = row[counter]
    for row in OfficerDailyFigures.objects.values("unit_id", "day", "officer_id", *OFFICER_COUNTERS):
        base = ("o", row["unit_id"], row["day"].isoformat(), row["officer_id"])
        for counter in OFFICER_COUNTERS:
            stored[(*base, counter)] = row[counter]
    lines = []
    for key in sorted(set(expected) | set(stored), key=str):
        want, have = expected.get(key, 0), stored.get(key, 0)
        if want != have:
            lines.append(f"{' '.join(str(k) for k in key)}: expected {want}, stored {have}")
    return lines
