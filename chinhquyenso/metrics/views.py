"""Leadership dashboard (/can-bo/chi-so/), its report exports, and the public index page (/chi-so-phuc-vu/)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chinhquyenso.core.errors import NotFound
from chinhquyenso.core.models import AdminUnit
from chinhquyenso.metrics import charts, reports, selectors, tasks
from chinhquyenso.metrics.forms import PeriodForm
from chinhquyenso.metrics.models import RefreshMark
from chinhquyenso.metrics.permissions import can_view_metrics
from chinhquyenso.metrics.services import MARK, index_rules_seed
from chinhquyenso.procedures.models import Channel

PUBLIC_CACHE_SECONDS = 300
STALE_AFTER = dt.timedelta(minutes=1)


def _keep_fresh() -> None:
    """Without Celery beat (the embedded setup) a page asks for the refresh the beat would have run."""
    refreshed_at = RefreshMark.objects.filter(name=MARK).values_list("refreshed_at", flat=True).first()
    if refreshed_at is None:
        index_rules_seed()  # a new database: the point table must exist before the first figure
    if refreshed_at is None or timezone.now() - refreshed_at > STALE_AFTER:
        tasks.refresh.delay()


def _unit_and_period(request) -> tuple[PeriodForm, AdminUnit, selectors.Period]:
    if not can_view_metrics(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    code = (request.GET.get("unit") or "").strip()
    if not code:
        scope = request.user.scope or AdminUnit.objects.filter(parent__isnull=True).order_by("path").first()
        if scope is None:
            raise Http404
        code = scope.code
    try:
        unit = selectors.metrics_unit_get(code=code, user=request.user)
    except NotFound:
        raise Http404 from None  # another ward's figures: as if the unit did not exist
    return form, unit, form.period()


def _monthly(rows: list[dict]) -> list[dict]:
    months: dict[dt.date, dict] = {}
    for r in rows:
        key = r["day"].replace(day=1)
        m = months.setdefault(key, {"day": key, "received": 0, "on_time": 0, "late": 0})
        for field in ("received", "on_time", "late"):
            m[field] += r[field] or 0
    return list(months.values())


def _drill(period: selectors.Period, **filters) -> str:
    """The dossier list with the same filters (dossiers received in the period)."""
    query = {"received_from": period.start.isoformat(), "received_to": period.end.isoformat()}
    query.update({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("procedures:dossier-list") + "?" + urlencode(query)


@login_required
@require_GET
def dashboard(request):
    """Figures of the leader's unit and its subtree for the period, from the summary tables."""
    form, unit, period = _unit_and_period(request)
    _keep_fresh()
    figures = selectors.index_figures(unit=unit, period=period)
    c = figures.counters
    series = selectors.daily_series(unit=unit, period=period)
    if (period.end - period.start).days > 62:
        series = _monthly(series)
    procedures = selectors.breakdown(unit=unit, period=period, by="procedure")
    for row in procedures:
        row["url"] = _drill(period, procedure=row["key"])
        row["late_url"] = _drill(period, procedure=row["key"], late="late")
    channels = selectors.breakdown(unit=unit, period=period, by="channel")
    for row in channels:
        row["label"] = Channel(row["key"]).label
        row["url"] = _drill(period, channel=row["key"])
        row["late_url"] = _drill(period, channel=row["key"], late="late")
    children = list(AdminUnit.objects.filter(parent=unit).valid_on(period.end))
    rank_parent = unit if children else unit.parent
    ranking = selectors.ranking(parent=rank_parent, period=period) if rank_parent is not None else []
    for row in ranking:
        row.bar = charts.ranking_width(row.total)
        row.visible = row.unit.path.startswith(request.user.scope.path) if request.user.scope else True
    on_time = figures.on_time
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "figures": figures,
        "received": c["received"],
        "returned": c["returned"],
        "in_progress": c["cum_received"] - c["cum_ended"],
        "overdue_open": c["cum_overdue"],
        "early": c["ended_early"],
        "on_time_count": c["ended_on_time"],
        "late": c["ended_late"],
        "on_time": on_time,
        "gauge": charts.gauge_arc(on_time.ratio if on_time else None),
        "index_gauge": charts.gauge_arc(figures.total),
        "bars": charts.series_bars(series),
        "chart_width": charts.WIDTH,
        "chart_height": charts.HEIGHT,
        "procedures": procedures,
        "offices": selectors.breakdown(unit=unit, period=period, by="office"),
        "channels": channels,
        "officers": selectors.officer_breakdown(unit=unit, period=period),
        "late_list": selectors.late_list(unit=unit, period=period),
        "ranking": ranking,
        "rank_parent": rank_parent,
        "children": children,
        "list_url": _drill(period),
        "late_url": _drill(period, late="late"),
        "report_query": request.GET.urlencode() or urlencode({"unit": unit.code}),
    }
    return render(request, "metrics/dashboard.html", context)


@login_required
@require_GET
def report(request, fmt: str):
    """The periodic report tables of the unit and period as Excel or PDF."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    _form, unit, period = _unit_and_period(request)
    data = reports.report_build(unit=unit, period=period)
    if fmt == "xlsx":
        body = reports.report_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = reports.report_pdf(data)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    name = f"bao-cao-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def public_index(request):
    """Every current ward's index and on-time rate for the year to date (summaries, cached 5 minutes)."""
    today = timezone.localdate()
    key = f"metrics:public:{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        _keep_fresh()
        rows = [
            {
                "rank": r.rank,
                "name": r.unit.full_name,
                "parent": r.unit.parent.full_name if r.unit.parent_id else "",
                "total": r.total,
                "on_time": r.on_time,
                "bar": charts.ranking_width(r.total),
            }
            for r in selectors.public_unit_figures(on=today)
        ]
        cache.set(key, rows, PUBLIC_CACHE_SECONDS)
    context = {"rows": rows, "start": dt.date(today.year, 1, 1), "today": today, "title": _("Chỉ số phục vụ")}
    return render(request, "metrics/public_index.html", context)
