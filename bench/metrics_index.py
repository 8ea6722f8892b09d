"""`python -m bench.metrics_index`: dashboard figures from the summary tables beside the naive GROUP BY over
the dossiers, at a generated volume; and the refresh time of a batch of new events (the summaries' lag).

    .venv/bin/python -m bench.metrics_index --dossiers 200000                     # SQLite in var/bench/
    .venv/bin/python -m bench.metrics_index --dossiers 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/cqs_bench_metrics        # PostgreSQL

Writes bench/results/metrics_index.json. The database is created from scratch (seed_demo for the units,
offices and catalog), then filled with generated dossiers of the current wards over 16 months, their facts
and their summary rows (built in bulk here, as the refresh would have built them one by one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.metrics_index", description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000, help="generated dossiers")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each figure")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in var/bench/")
    parser.add_argument("--keep", action="store_true", help="reuse the database if it already holds the dossiers")
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def _setup(args):
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    if args.database_url is None:
        path = var / f"metrics-{args.dossiers}.sqlite3"
        if not args.keep and path.exists():
            path.unlink()
        args.database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("CQS_VAR_DIR", str(var))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "max_ms": round(times[-1], 2),
    }


def _generate(count: int, rng: random.Random):
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from chinhquyenso.core.models import AdminUnit, AdminUnitLevel, Office, OfficeKind
    from chinhquyenso.metrics.facts import PROCEDURE_MONTH_COUNTERS
    from chinhquyenso.metrics.models import DailyFigures, DossierFact, UnitDayFigures, UnitProcedureMonthFigures
    from chinhquyenso.procedures.models import Dossier
    from chinhquyenso.procedures.selectors import procedure_current_versions

    today = timezone.localdate()
    wards = list(
        AdminUnit.objects.valid_on(today).filter(level=AdminUnitLevel.COMMUNE, offices__isnull=False).distinct()
    )
    offices = {}
    for ward in wards:
        desk = Office.objects.filter(admin_unit=ward, kind=OfficeKind.ONE_STOP).first()
        other = Office.objects.filter(admin_unit=ward).exclude(kind=OfficeKind.ONE_STOP).first() or desk
        if desk:
            offices[ward.pk] = (desk, other)
    wards = [w for w in wards if w.pk in offices]
    versions = [v for v in procedure_current_versions(on=today) if v.level == AdminUnitLevel.COMMUNE]
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(today - dt.timedelta(days=480), dt.time(8), tzinfo=tz)
    now = timezone.now()
    counters: Counter = Counter()
    batch, facts = [], []

    def flush():
        with transaction.atomic():
            created = Dossier.objects.bulk_create(batch, batch_size=2000)
            DossierFact.objects.bulk_create(
                [DossierFact(dossier=d, **f) for d, f in zip(created, facts, strict=True)], batch_size=2000
            )
        batch.clear()
        facts.clear()

    for n in range(count):
        ward = rng.choice(wards)
        desk, resolving = offices[ward.pk]
        version = rng.choice(versions)
        received = first + dt.timedelta(minutes=rng.randrange(480 * 24 * 60))
        due = received + dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 15)))
        end = received + dt.timedelta(days=rng.expovariate(1 / 5))
        if end > now:
            end = None
        channel = 2 if rng.random() < 0.35 else 1
        day = lambda moment: timezone.localtime(moment).date()  # noqa: E731
        key = (ward.pk, day(received), version.procedure_id, desk.pk, channel)
        counters[(*key, "received")] += 1
        if channel == 2:
            counters[(*key, "received_online")] += 1
        timeliness = ""
        if end is not None:
            timeliness = "late" if end > due else ("early" if day(end) < day(due) else "on_time")
            end_key = (ward.pk, day(end), version.procedure_id, desk.pk, channel)
            counters[(*end_key, f"ended_{timeliness}")] += 1
        if end is None or day(end) > day(due):
            counters[(ward.pk, day(due), version.procedure_id, desk.pk, channel, "overdue_started")] += 1
            if end is not None:
                counters[(*end_key, "overdue_ended")] += 1
        batch.append(
            Dossier(
                code=f"B-{n:09d}",
                public_id=uuid.uuid4(),
                version=version,
                receiving_office=desk,
                receiving_unit=ward,
                resolving_office=resolving,
                resolving_unit=ward,
                channel=channel,
                state=4 if end is None else 10,
                applicant_name="Nguyễn Văn An",
                received_at=received,
                legal_due_at=due,
                appointment_at=due,
                finished_at=end,
                returned_at=end,
                is_late=timeliness == "late",
            )
        )
        facts.append(
            {
                "revision": 0,
                "unit_id": ward.pk,
                "unit_path": ward.path,
                "received_at": received,
                "due_at": due,
                "end_at": end,
                "timeliness": timeliness,
            }
        )
        if len(batch) >= 20_000:
            flush()
    if batch:
        flush()
    rows: dict[tuple, dict] = {}
    for (*key, counter), amount in counters.items():
        rows.setdefault(tuple(key), {})[counter] = amount
    paths = {w.pk: w.path for w in wards}
    existing = set(DailyFigures.objects.values_list("unit_id", "day", "procedure_id", "office_id", "channel"))
    new = []
    for key, values in rows.items():
        if key in existing:
            unit_id, day_, procedure_id, office_id, channel = key
            DailyFigures.objects.filter(
                unit_id=unit_id, day=day_, procedure_id=procedure_id, office_id=office_id, channel=channel
            ).update(**{c: F(c) + v for c, v in values.items()})
        else:
            unit_id, day_, procedure_id, office_id, channel = key
            new.append(
                DailyFigures(
                    unit_id=unit_id,
                    unit_path=paths[unit_id],
                    day=day_,
                    procedure_id=procedure_id,
                    office_id=office_id,
                    channel=channel,
                    **values,
                )
            )
    DailyFigures.objects.bulk_create(new, batch_size=5000)
    unit_days: dict[tuple, Counter] = {}
    for (unit_id, day_, *_), values in rows.items():
        unit_days.setdefault((unit_id, day_), Counter()).update(values)
    existing = set(UnitDayFigures.objects.values_list("unit_id", "day"))
    for (unit_id, day_), values in unit_days.items():
        if (unit_id, day_) in existing:
            UnitDayFigures.objects.filter(unit_id=unit_id, day=day_).update(**{c: F(c) + v for c, v in values.items()})
    UnitDayFigures.objects.bulk_create(
        [UnitDayFigures(unit_id=u, day=d, **v) for (u, d), v in unit_days.items() if (u, d) not in existing],
        batch_size=5000,
    )
    months: dict[tuple, Counter] = {}
    for (unit_id, day_, procedure_id, *_), values in rows.items():
        wanted = {c: v for c, v in values.items() if c in PROCEDURE_MONTH_COUNTERS}
        months.setdefault((unit_id, day_.replace(day=1), procedure_id), Counter()).update(wanted)
    existing = set(UnitProcedureMonthFigures.objects.values_list("unit_id", "month", "procedure_id"))
    for (unit_id, month, procedure_id), values in months.items():
        if (unit_id, month, procedure_id) in existing:
            UnitProcedureMonthFigures.objects.filter(unit_id=unit_id, month=month, procedure_id=procedure_id).update(
                **{c: F(c) + v for c, v in values.items()}
            )
    UnitProcedureMonthFigures.objects.bulk_create(
        [
            UnitProcedureMonthFigures(unit_id=u, month=m, procedure_id=p, **v)
            for (u, m, p), v in months.items()
            if (u, m, p) not in existing
        ],
        batch_size=5000,
    )
    return wards, len(rows)


def _naive(unit, period):
    """The same headline figures by GROUP BY over the dossiers: what a request would cost without summaries."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from chinhquyenso.core.models import AdminUnit
    from chinhquyenso.procedures.models import Dossier

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    dossiers = Dossier.objects.filter(resolving_unit__in=AdminUnit.objects.within(unit))
    by_procedure = list(
        dossiers.filter(received_at__gte=start, received_at__lt=end)
        .values("version__procedure_id")
        .annotate(
            received=Count("id"),
            online=Count("id", filter=Q(channel=2)),
        )
    )
    ended = dossiers.filter(finished_at__gte=start, finished_at__lt=end).aggregate(
        ended=Count("id"), late=Count("id", filter=Q(is_late=True))
    )
    open_at_end = dossiers.filter(received_at__lt=end).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    opened = open_at_end.aggregate(open=Count("id"), overdue=Count("id", filter=Q(legal_due_at__lt=end)))
    return by_procedure, ended, opened


def main(argv=None) -> int:
    args = _arguments(argv if argv is not None else sys.argv[1:])
    _setup(args)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench.machine import machine_describe, run_describe
    from chinhquyenso.core.models import AdminUnit, User
    from chinhquyenso.metrics import selectors
    from chinhquyenso.metrics.services import metrics_refresh
    from chinhquyenso.procedures.models import Dossier, DossierEvent

    call_command("migrate", verbosity=0)
    generated = 0
    if not (args.keep and Dossier.objects.filter(code__startswith="B-").count() >= args.dossiers):
        started = time.perf_counter()
        call_command("seed_demo", without_accounts=False, allow_demo_passwords=True, stdout=io.StringIO())
        metrics_refresh()
        wards, rows = _generate(args.dossiers, random.Random(766))
        generated = round(time.perf_counter() - started, 1)
        print(f"generated {args.dossiers} dossiers and {rows} summary rows in {generated} s", file=sys.stderr)
    total = Dossier.objects.count()
    unit = AdminUnit.objects.get(code="L2507-02")  # phường Kim Liên
    period = selectors.period_of("month", timezone.localdate())
    results = {}

    def index():
        selectors.index_figures(unit=AdminUnit.objects.get(pk=unit.pk), period=period)

    results["index_figures_ward_month"] = _timed(index, args.runs)
    results["naive_group_by_ward_month"] = _timed(lambda: _naive(unit, period), max(3, args.runs // 5))
    city = unit.parent
    results["index_figures_city_year"] = _timed(
        lambda: selectors.index_figures(
            unit=AdminUnit.objects.get(pk=city.pk), period=selectors.period_of("year", timezone.localdate())
        ),
        args.runs,
    )
    results["naive_group_by_city_year"] = _timed(
        lambda: _naive(city, selectors.period_of("year", timezone.localdate())), max(3, args.runs // 5)
    )
    client = Client()
    client.force_login(User.objects.get(username="lanhdao_thanhpho"))
    results["dashboard_page_city_month"] = _timed(lambda: client.get("/can-bo/chi-so/"), max(5, args.runs // 3))
    results["public_page_uncached"] = _timed(
        lambda: (__import__("django.core.cache").core.cache.cache.clear(), client.get("/chi-so-phuc-vu/")),
        max(5, args.runs // 3),
    )
    # lag: 1000 new events on existing dossiers, folded by one refresh
    dossiers = list(Dossier.objects.filter(code__startswith="B-").order_by("?").values_list("id", "state")[:1000])
    now = timezone.now()
    DossierEvent.objects.bulk_create(
        DossierEvent(dossier_id=d, seq=1, at=now, action="forward", from_state=s, to_state=s) for d, s in dossiers
    )
    Dossier.objects.filter(id__in=[d for d, _ in dossiers]).update(revision=1)
    started = time.perf_counter()
    folded = metrics_refresh()
    results["refresh_1000_events"] = {"seconds": round(time.perf_counter() - started, 2), "dossiers": folded}
    report = {
        "name": "metrics_index",
        "database": connection.vendor,
        "dossiers": total,
        "generated_seconds": generated,
        "figures": results,
        "machine": machine_describe(),
        "run": run_describe(),
    }
    print(json.dumps({k: report[k] for k in ("database", "dossiers", "figures")}, indent=2))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        suffix = "" if connection.vendor == "sqlite" else f"_{connection.vendor}"
        (RESULTS / f"metrics_index{suffix}.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
