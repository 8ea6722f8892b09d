"""Realistic dossiers in bulk, for load tests and benchmarks (`manage.py generate_load`).

Rows are written with bulk inserts in batches, not through the services: generating a province's years of
dossiers through `dossier_transition` would take hours. What the services guarantee is kept by construction:
codes follow TT 03/2025 Art. 13 and stay gap-free per agency and day (the counters are advanced to match, so
later intakes continue the numbering), due times come from the working calendar, each dossier has a control
sheet opening with its intake and ending in its current state.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chinhquyenso.core.calendar import TimeUnit, add_working_time, next_working_moment
from chinhquyenso.core.models import AdminUnit, AdminUnitLevel, NumberSequence, Office, OfficeKind
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.core.services import admin_unit_upsert, office_upsert
from chinhquyenso.procedures import deadlines
from chinhquyenso.procedures.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, STREETS
from chinhquyenso.procedures.models import Channel, Dossier, DossierEvent, ProcedureVersion, VersionStatus
from chinhquyenso.procedures.workflow import State

BATCH = 5000
# Shares of the states of dossiers by age: old ones are finished, recent ones in every stage.
OLD_STATES = [
    (State.RETURNED, 88),
    (State.NOT_ACCEPTED, 3),
    (State.WITHDRAWN, 3),
    (State.STOPPED, 1),
    (State.RESULT_READY, 5),
]
RECENT_STATES = [
    (State.SUBMITTED, 6),
    (State.RECEIVED, 8),
    (State.PROCESSING, 40),
    (State.SUPPLEMENT_REQUESTED, 6),
    (State.AWAITING_PAYMENT, 2),
    (State.RESULT_READY, 14),
    (State.RETURNED, 24),
]


@dataclass
class Desk:
    unit: AdminUnit
    desk: Office
    resolving: Office


def load_units_ensure(*, count: int) -> list[Desk]:
    """The current wards with a desk; when more are asked for, synthetic load-test wards under Hà Nội."""
    today = timezone.localdate()
    desks = []
    for unit in AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE).valid_on(today).order_by("code"):
        offices = {o.kind: o for o in Office.objects.filter(admin_unit=unit)}
        if OfficeKind.ONE_STOP in offices and OfficeKind.LEADERSHIP in offices:
            desks.append(Desk(unit, offices[OfficeKind.ONE_STOP], offices[OfficeKind.LEADERSHIP]))
    province = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE).order_by("code").first()
    number = 0
    while len(desks) < count:
        number += 1
        code = f"LT-{number:03d}"
        unit = admin_unit_upsert(
            code=code,
            name=f"Thử tải {number:03d}",
            kind_name="phường",
            level=AdminUnitLevel.COMMUNE,
            parent=province,
            valid_from=dt.date(2025, 7, 1),
            valid_to=None,
            note="Đơn vị giả lập chỉ dùng để đo tải (manage.py generate_load).",
        )
        desk = office_upsert(
            code=f"LT.{number:03d}.MC",
            name=f"Bộ phận Một cửa phường Thử tải {number:03d}",
            kind=OfficeKind.ONE_STOP,
            admin_unit=unit,
        )
        leadership = office_upsert(
            code=f"LT.{number:03d}.UB",
            name=f"UBND phường Thử tải {number:03d}",
            kind=OfficeKind.LEADERSHIP,
            admin_unit=unit,
        )
        desks.append(Desk(unit, desk, leadership))
    return desks[:count]


def _pick(rng: random.Random, weighted):
    return rng.choices([s for s, _ in weighted], weights=[w for _, w in weighted])[0]


def dossiers_generate(
    *, count: int, units: int, years: int, seed: int = 7, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write `count` dossiers spread over `units` wards and the last `years` years; return how many."""
    versions = list(
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, level=AdminUnitLevel.COMMUNE).prefetch_related(
            "steps", "fees"
        )
    )
    if not versions:
        raise ValueError("no published commune-level procedure: run seed_demo first")
    desks = load_units_ensure(count=units)
    calendar = calendar_get()
    rng = random.Random(seed)
    now = timezone.now()
    first_day = (now - dt.timedelta(days=365 * years)).date()
    span_days = max(1, (now.date() - first_day).days)
    steps = {v.pk: list(v.steps.all()) for v in versions}
    fees = {v.pk: sum(f.amount for f in v.fees.all()) for v in versions}
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for scope, value in NumberSequence.objects.filter(scope__startswith="dossier:").values_list("scope", "last_value"):
        _prefix, agency, day = scope.split(":")
        counters[(agency, day)] = value
    made = 0
    while made < count:
        batch_size = min(BATCH, count - made)
        dossiers, finals = [], []
        for _ in range(batch_size):
            desk = rng.choice(desks)
            version = rng.choice(versions)
            day = first_day + dt.timedelta(days=rng.randrange(span_days))
            start = next_working_moment(
                dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randrange(60)), calendar.tz), calendar=calendar
            )
            if start > now:
                start = now - dt.timedelta(hours=rng.randint(1, 48))
            age_days = (now - start).days
            state = _pick(rng, RECENT_STATES if age_days < 30 else OLD_STATES)
            yymmdd = start.astimezone(calendar.tz).strftime("%y%m%d")
            counters[(desk.resolving.code, yymmdd)] += 1
            code = f"{desk.resolving.code}-{yymmdd}-{counters[(desk.resolving.code, yymmdd)]:04d}"
            female = rng.random() < 0.5
            received = None if state in (State.SUBMITTED, State.NOT_ACCEPTED) else start
            legal_due = (
                deadlines.legal_due(
                    received_at=received,
                    amount=version.time_limit,
                    unit=version.time_limit_unit,
                    cutoff=version.same_day_cutoff,
                    calendar=calendar,
                )
                if received
                else None
            )
            version_steps = steps[version.pk]
            open_state = state in (State.RECEIVED, State.PROCESSING, State.AWAITING_PAYMENT)
            current = (
                version_steps[0]
                if state == State.RECEIVED
                else version_steps[rng.randrange(1, max(2, len(version_steps) - 1))]
                if open_state
                else version_steps[-1]
                if state == State.RESULT_READY
                else None
            )
            finished = None
            if state in (State.RESULT_READY, State.RETURNED, State.STOPPED, State.WITHDRAWN, State.NOT_ACCEPTED):
                finished = add_working_time(
                    start, rng.choice([2, 4, 8, 16, 24, 40, 60]), TimeUnit.WORKING_HOURS, calendar=calendar
                )
                finished = min(finished, now)
            late = bool(
                legal_due and ((finished and finished > legal_due) or (not finished and legal_due < now and open_state))
            )
            dossiers.append(
                Dossier(
                    code=code,
                    version=version,
                    receiving_office=desk.desk,
                    receiving_unit=desk.unit,
                    resolving_office=desk.resolving,
                    resolving_unit=desk.unit,
                    channel=Channel.ONLINE if rng.random() < 0.45 else Channel.IN_PERSON,
                    state=state,
                    current_step=current,
                    revision=2 if state != State.SUBMITTED else 1,
                    applicant_name=" ".join(
                        [
                            rng.choice(FAMILY),
                            rng.choice(MIDDLE_F if female else MIDDLE_M),
                            rng.choice(GIVEN_F if female else GIVEN_M),
                        ]
                    ),
                    applicant_phone=f"09{rng.randint(10000000, 99999999)}",
                    applicant_address=f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}",
                    submitted_at=start,
                    received_at=received,
                    legal_due_at=legal_due,
                    appointment_at=legal_due,
                    step_started_at=received if current else None,
                    step_due_at=legal_due if current else None,
                    finished_at=finished,
                    returned_at=finished if state == State.RETURNED else None,
                    is_late=late and finished is not None,
                    fee_total=fees[version.pk],
                    paid_online=2 if fees[version.pk] and rng.random() < 0.3 else 0,
                    vneid_verified=rng.random() < 0.5,
                )
            )
            finals.append((state, finished or start))
        with transaction.atomic():
            Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
            created = (
                {d.code: d.pk for d in dossiers}
                if dossiers[0].pk
                else dict(Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "pk"))
            )
            events = []
            for dossier, (state, at) in zip(dossiers, finals, strict=True):
                pk = created[dossier.code]
                intake_state = State.SUBMITTED if dossier.channel == Channel.ONLINE else State.RECEIVED
                events.append(
                    DossierEvent(
                        dossier_id=pk,
                        seq=1,
                        at=dossier.submitted_at,
                        action="intake",
                        actor_label="generate_load",
                        to_state=intake_state,
                    )
                )
                if dossier.revision == 2:
                    events.append(
                        DossierEvent(
                            dossier_id=pk,
                            seq=2,
                            at=at,
                            action="complete_step",
                            actor_label="generate_load",
                            from_state=intake_state,
                            to_state=state,
                        )
                    )
            DossierEvent.objects.bulk_create(events, batch_size=BATCH)
        made += batch_size
        if progress:
            progress(made, count)
    _sequences_advance(counters)
    return made


@transaction.atomic
def _sequences_advance(counters: dict[tuple[str, str], int]) -> None:
    """Move each agency-day counter to the last number used, so later intakes continue without a gap."""
    existing = {row.scope: row for row in NumberSequence.objects.filter(scope__startswith="dossier:")}
    new_rows = []
    for (agency, day), value in counters.items():
        scope = f"dossier:{agency}:{day}"
        row = existing.get(scope)
        if row is None:
            new_rows.append(NumberSequence(scope=scope, last_value=value))
        elif row.last_value < value:
            NumberSequence.objects.filter(pk=row.pk).update(last_value=value)
    NumberSequence.objects.bulk_create(new_rows, batch_size=BATCH)
