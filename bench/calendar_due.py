"""Due-date computations per second: `add_working_time` over Vietnam's holiday calendar, beside plain
datetime + timedelta additions over the same inputs in the same run."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from chinhquyenso.core.calendar import VIETNAM, TimeUnit, WorkingCalendar, add_working_time

YEARS = range(2020, 2031)


def calendar_from_package(*, years: range = YEARS) -> WorkingCalendar:
    """The calendar `seed_demo` stores, built straight from the `holidays` package (no database)."""
    import holidays as holidays_package

    vietnam = holidays_package.country_holidays("VN", years=years)
    return WorkingCalendar(
        holidays=frozenset(vietnam),
        makeup_workdays=frozenset(d for d in vietnam.weekend_workdays if d.year in years),
    )


def inputs_generate(*, count: int, seed: int) -> list[tuple[dt.datetime, float, TimeUnit]]:
    """Random starts (any minute of 2024-2026, office hours or not) and amounts: three in four in working
    days (0.5 to 30, by halves), the rest in working hours (1 to 40)."""
    rng = random.Random(seed)
    first = dt.datetime(2024, 1, 1, tzinfo=VIETNAM)
    span_minutes = 3 * 365 * 24 * 60
    rows = []
    for _ in range(count):
        start = first + dt.timedelta(minutes=rng.randrange(span_minutes))
        if rng.random() < 0.75:
            rows.append((start, rng.randint(1, 60) / 2, TimeUnit.WORKING_DAYS))
        else:
            rows.append((start, float(rng.randint(1, 40)), TimeUnit.WORKING_HOURS))
    return rows


def _time_calendar(rows, calendar: WorkingCalendar) -> float:
    began = time.perf_counter()
    for start, amount, unit in rows:
        add_working_time(start, amount, unit, calendar=calendar)
    return time.perf_counter() - began


def _time_baseline(rows) -> float:
    # The same inputs, added as if every day and hour counted: the cost of the datetime arithmetic alone.
    began = time.perf_counter()
    for start, amount, unit in rows:
        if unit is TimeUnit.WORKING_DAYS:
            start + dt.timedelta(days=amount)
        else:
            start + dt.timedelta(hours=amount)
    return time.perf_counter() - began


def run(*, samples: int, repeats: int, seed: int = 2024) -> dict:
    calendar = calendar_from_package()
    rows = inputs_generate(count=samples, seed=seed)
    _time_calendar(rows[: min(samples, 1000)], calendar)  # warm caches before timing
    app_rates, base_rates = [], []
    for _ in range(repeats):
        app_rates.append(samples / _time_calendar(rows, calendar))
        base_rates.append(samples / _time_baseline(rows))
    app, base = statistics.median(app_rates), statistics.median(base_rates)
    return {
        "description": (
            "Due dates per second: add_working_time(start, amount, unit) over the Vietnam calendar of the "
            "holidays package (2020-2030), random starts in 2024-2026 and amounts (working days 0.5-30, "
            "working hours 1-40); baseline: start + timedelta(amount) over the same inputs."
        ),
        "database": None,
        "parameters": {"samples": samples, "repeats": repeats, "seed": seed, "years": [YEARS[0], YEARS[-1]]},
        "calendar": {"holidays": len(calendar.holidays), "makeup_workdays": len(calendar.makeup_workdays)},
        "figures": {
            "app": {
                "ops_per_s": round(app),
                "us_per_op": round(1e6 / app, 2),
                "ops_per_s_runs": [round(rate) for rate in app_rates],
            },
            "baseline": {
                "ops_per_s": round(base),
                "us_per_op": round(1e6 / base, 3),
                "ops_per_s_runs": [round(rate) for rate in base_rates],
            },
            "ratio_app_to_baseline": round(app / base, 4),
        },
    }
