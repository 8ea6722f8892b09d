"""Writes of the metrics app: folding new dossier events into the summary tables."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from chinhquyenso.core.models import AdminUnit
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.metrics.facts import PROCEDURE_MONTH_COUNTERS, contribution_totals, dossier_fact
from chinhquyenso.metrics.models import (
    DailyFigures,
    DossierFact,
    IndexGroup,
    IndexIndicator,
    IndexRuleSet,
    OfficerDailyFigures,
    RefreshMark,
    UnitDayFigures,
    UnitProcedureMonthFigures,
)
from chinhquyenso.procedures.models import Dossier, DossierDocument, DossierEvent

MARK = "dossier-events"
SWEEP = "recent-dossiers"
# Two inputs change without a dossier event: a scan marking a document digitised, and an e-result code.
# Each refresh also refolds the next SWEEP_BATCH dossiers received in the last SWEEP_DAYS, in id order, so
# such a change reaches the summaries within (recent dossiers ÷ SWEEP_BATCH) minutes.
SWEEP_BATCH = 500
SWEEP_DAYS = 90
# An event id below the mark may commit after a later id was folded in (PostgreSQL sequences are not
# commit-ordered): each refresh looks back over this many ids and refolds dossiers whose revision moved.
LOOKBACK_IDS = 1000


@transaction.atomic
def index_rules_seed() -> IndexRuleSet | None:
    """The 766 point table of RULES.md §2 when no rule set exists (a new or flushed database); else nothing."""
    from decimal import Decimal

    from chinhquyenso.metrics.rules import RULE_SET_766 as data

    if IndexRuleSet.objects.select_for_update().exists():
        return None
    rule_set = IndexRuleSet.objects.create(
        name=data["name"], basis=data["basis"], valid_from=dt.date.fromisoformat(data["valid_from"])
    )
    for number, name, points, indicators in data["groups"]:
        group = IndexGroup.objects.create(rule_set=rule_set, number=number, name=name, max_points=Decimal(points))
        for order, (code, key, label, max_points, target, formula) in enumerate(indicators, start=1):
            IndexIndicator.objects.create(
                group=group,
                code=code,
                key=key,
                order=order,
                name=label,
                max_points=Decimal(max_points),
                target=None if target is None else Decimal(target),
                formula=formula,
            )
    return rule_set


def dossiers_for_facts():
    """Dossiers with what their fact needs, events and documents prefetched."""
    return Dossier.objects.select_related("version", "resolving_unit").prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.order_by("seq", "id")),
        Prefetch(
            "documents",
            queryset=DossierDocument.objects.only("id", "dossier_id", "digitised", "reused", "from_personal_store"),
        ),
    )


def metrics_refresh(*, batch: int = 20_000, now: dt.datetime | None = None) -> int:
    """Fold the dossier events since the high-water mark into the summaries; returns the dossiers refolded.

    Idempotent and safe when two run at once: the mark row is locked for the whole fold.
    """
    RefreshMark.objects.get_or_create(name=MARK)
    if not IndexRuleSet.objects.exists():
        index_rules_seed()
    with transaction.atomic():
        mark = RefreshMark.objects.select_for_update().get(name=MARK)
        events = DossierEvent.objects.filter(id__gt=max(mark.last_event_id - LOOKBACK_IDS, 0)).order_by("id")
        rows = list(events.values_list("id", "dossier_id")[: batch + LOOKBACK_IDS])
        if not rows:
            _sweep(now or timezone.now())
            return 0
        top = max(event_id for event_id, _ in rows)
        candidates = {dossier_id for _, dossier_id in rows}
        known = dict(DossierFact.objects.filter(dossier_id__in=candidates).values_list("dossier_id", "revision"))
        current = dict(Dossier.objects.filter(id__in=candidates).values_list("id", "revision"))
        stale = [d for d in candidates if known.get(d) != current.get(d) or d not in known]
        refolded = _refold(stale)
        mark.last_event_id = max(top, mark.last_event_id)
        mark.refreshed_at = now or timezone.now()
        mark.save(update_fields=["last_event_id", "refreshed_at"])
        _sweep(now or timezone.now())
    return refolded


def _sweep(now: dt.datetime) -> None:
    """Refold the next batch of recent dossiers (the caller holds the mark lock)."""
    cursor, _ = RefreshMark.objects.get_or_create(name=SWEEP)
    recent = DossierFact.objects.filter(received_at__gte=now - dt.timedelta(days=SWEEP_DAYS))
    ids = list(
        recent.filter(dossier_id__gt=cursor.last_event_id)
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)[:SWEEP_BATCH]
    )
    _refold(ids)
    cursor.last_event_id = ids[-1] if len(ids) == SWEEP_BATCH else 0
    cursor.refreshed_at = now
    cursor.save(update_fields=["last_event_id", "refreshed_at"])


def _refold(dossier_ids: list[int]) -> int:
    calendar = calendar_get()
    old_facts = {f.dossier_id: f for f in DossierFact.objects.filter(dossier_id__in=dossier_ids)}
    delta: dict[tuple, int] = {}
    count = 0
    for start in range(0, len(dossier_ids), 500):
        chunk = dossier_ids[start : start + 500]
        for dossier in dossiers_for_facts().filter(id__in=chunk):
            events = list(dossier.events.all())
            fact = dossier_fact(dossier, events, list(dossier.documents.all()), calendar=calendar)
            old = old_facts.get(dossier.pk)
            for key, amount in contribution_totals(fact.contributions).items():
                delta[key] = delta.get(key, 0) + amount
            if old is not None:
                for key, amount in contribution_totals(old.contributions).items():
                    delta[key] = delta.get(key, 0) - amount
            DossierFact.objects.update_or_create(
                dossier_id=dossier.pk,
                defaults={
                    "revision": dossier.revision,
                    "unit_id": fact.unit_id,
                    "unit_path": fact.unit_path,
                    "received_at": fact.received_at,
                    "due_at": fact.due_at,
                    "end_at": fact.end_at,
                    "timeliness": fact.timeliness,
                    "contributions": fact.contributions,
                },
            )
            count += 1
    _apply(delta)
    return count


def _apply(delta: dict[tuple, int]) -> None:
    daily: dict[tuple, dict[str, int]] = {}
    officer: dict[tuple, dict[str, int]] = {}
    for key, amount in delta.items():
        if amount == 0:
            continue
        table, *rest = key
        target = daily if table == "d" else officer
        target.setdefault(tuple(rest[:-1]), {})[rest[-1]] = amount
    paths = dict(AdminUnit.objects.filter(id__in={k[0] for k in [*daily, *officer]}).values_list("id", "path"))
    unit_days: dict[tuple, dict[str, int]] = {}
    procedure_months: dict[tuple, dict[str, int]] = {}
    for (unit_id, day, procedure_id, office_id, channel), counters in daily.items():
        month = procedure_months.setdefault((unit_id, day[:8] + "01", procedure_id), {})
        for counter in PROCEDURE_MONTH_COUNTERS:
            month[counter] = month.get(counter, 0) + counters.get(counter, 0)
        key = {"unit_id": unit_id, "day": day, "procedure_id": procedure_id, "office_id": office_id, "channel": channel}
        if not DailyFigures.objects.filter(**key).update(**{c: F(c) + v for c, v in counters.items()}):
            DailyFigures.objects.create(**key, unit_path=paths[unit_id], **counters)
        coarse = unit_days.setdefault((unit_id, day), {})
        for counter, amount in counters.items():
            coarse[counter] = coarse.get(counter, 0) + amount
    for (unit_id, day), counters in unit_days.items():
        counters = {c: v for c, v in counters.items() if v}
        if counters and not UnitDayFigures.objects.filter(unit_id=unit_id, day=day).update(
            **{c: F(c) + v for c, v in counters.items()}
        ):
            UnitDayFigures.objects.create(unit_id=unit_id, day=day, **counters)
    for (unit_id, month, procedure_id), counters in procedure_months.items():
        counters = {c: v for c, v in counters.items() if v}
        key = {"unit_id": unit_id, "month": month, "procedure_id": procedure_id}
        if counters and not UnitProcedureMonthFigures.objects.filter(**key).update(
            **{c: F(c) + v for c, v in counters.items()}
        ):
            UnitProcedureMonthFigures.objects.create(**key, **counters)
    for (unit_id, day, officer_id), counters in officer.items():
        key = {"unit_id": unit_id, "day": day, "officer_id": officer_id}
        if not OfficerDailyFigures.objects.filter(**key).update(**{c: F(c) + v for c, v in counters.items()}):
            OfficerDailyFigures.objects.create(**key, unit_path=paths[unit_id], **counters)
