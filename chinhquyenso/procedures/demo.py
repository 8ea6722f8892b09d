"""Demo dossiers for the Đống Đa reference deployment, in both eras, made through the real services.

2024 H1: the 21 wards of quận Đống Đa and the district's one-stop desk. Now: the wards formed on 01/07/2025.
Every dossier is received, moved and returned by `dossier_intake` / `dossier_transition` at past instants,
so its events, clock stops and due dates are exactly what the platform would have recorded. Random choices
use a fixed seed: the same demo every time. Loaded once (a marker sequence records it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chinhquyenso.core.calendar import TimeUnit, add_working_time, next_working_moment, working_time_between
from chinhquyenso.core.models import AdminUnit, AdminUnitLevel, NumberSequence, Office, OfficeKind, Role, User
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.core.services import staff_upsert
from chinhquyenso.procedures import deadlines
from chinhquyenso.procedures.models import ProcedureVersion, StepKind, VersionStatus
from chinhquyenso.procedures.services import (
    Applicant,
    ReceivedDocument,
    TransitionRequest,
    dossier_intake,
    dossier_submit_online,
    dossier_transition,
)

MARKER = "demo:dossiers-loaded"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Phan"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Tiến"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hiếu", "Hùng", "Long", "Nam", "Quân", "Sơn", "Tuấn", "Việt", "Khánh"]
GIVEN_F = ["Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm", "Thảo", "Trang", "Vân", "Yến"]
STREETS = [
    "phố Tôn Đức Thắng",
    "phố Nguyễn Lương Bằng",
    "phố Tây Sơn",
    "phố Chùa Bộc",
    "phố Thái Hà",
    "phố Xã Đàn",
    "phố Khâm Thiên",
    "phố Hào Nam",
    "phố Giảng Võ",
    "đường Đê La Thành",
    "đường Láng Hạ",
    "phố Huỳnh Thúc Kháng",
    "phố Nguyễn Chí Thanh",
    "đường Trường Chinh",
    "phố Phạm Ngọc Thạch",
    "phố Đặng Văn Ngữ",
    "phố Kim Hoa",
    "phố Văn Miếu",
    "phố Quốc Tử Giám",
    "đường Láng",
    "phố Chùa Láng",
    "phố Thái Thịnh",
    "phố Bạch Mai",
]

# What becomes of a dossier, with weights: most are returned on time, some late, the rest in every other state.
FATES_HISTORY = [
    ("returned", 70),
    ("returned_late", 12),
    ("returned_supplement", 8),
    ("withdrawn", 3),
    ("stopped", 2),
    ("refused", 3),
    ("rescheduled", 2),
]
FATES_NOW = [
    ("returned", 30),
    ("returned_late", 6),
    ("result_ready", 8),
    ("processing", 14),
    ("overdue", 6),
    ("supplement", 6),
    ("awaiting_payment", 3),
    ("received", 6),
    ("submitted", 6),
    ("refused", 3),
    ("withdrawn", 3),
    ("stopped", 2),
    ("rescheduled", 4),
    ("returned_supplement", 3),
]


@dataclass
class Desk:
    unit: AdminUnit
    desk: Office
    resolving: Office
    staff: dict[str, User]


def _staff_for(unit: AdminUnit, desk: Office, leadership: Office) -> dict[str, User]:
    """The unit's officers per role: the demo accounts where they exist, otherwise accounts without a password."""
    staff: dict[str, User] = {}
    for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.OFFICE_LEADER, Role.UNIT_LEADER):
        existing = User.objects.filter(role=role, scope=unit, is_active=True).order_by("id").first()
        if existing is None:
            username = f"cb.{unit.code}.{role}".lower()[:150]
            office = desk if role == Role.DESK_OFFICER else leadership
            existing = staff_upsert(
                username=username, full_name=f"Cán bộ {role} {unit.name}", role=role, scope=unit, office=office
            )
        staff[role] = existing
    return staff


def _desks(units) -> list[Desk]:
    desks = []
    for unit in units:
        offices = {o.kind: o for o in Office.objects.filter(admin_unit=unit)}
        if OfficeKind.ONE_STOP in offices and OfficeKind.LEADERSHIP in offices:
            leadership = offices[OfficeKind.LEADERSHIP]
            desks.append(
                Desk(
                    unit,
                    offices[OfficeKind.ONE_STOP],
                    leadership,
                    _staff_for(unit, offices[OfficeKind.ONE_STOP], leadership),
                )
            )
    return desks


def _applicant(rng: random.Random, unit: AdminUnit) -> Applicant:
    female = rng.random() < 0.5
    name = " ".join(
        [rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M), rng.choice(GIVEN_F if female else GIVEN_M)]
    )
    birth = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    century = 0 if birth.year < 2000 else 2
    id_number = f"001{century + int(female)}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
    return Applicant(
        name=name,
        id_number=id_number,
        birth_date=birth,
        female=female,
        phone=f"09{rng.randint(10000000, 99999999)}",
        address=f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}, phường {unit.name}, Hà Nội",
        unit=unit,
    )


class _ReachedNow(Exception):
    """The dossier's next move would be in the future: it stays as it is today."""


class _Walk:
    """Moves one dossier through its steps at realistic past instants."""

    def __init__(self, rng, desk: Desk, dossier, when: dt.datetime, calendar, now: dt.datetime):
        self.rng, self.desk, self.code, self.when, self.calendar = rng, desk, dossier.code, when, calendar
        self.dossier, self.now = dossier, now

    def later(self, hours: float) -> dt.datetime:
        self.when = add_working_time(self.when, round(hours, 2), TimeUnit.WORKING_HOURS, calendar=self.calendar)
        return self.when

    def act(self, action: str, actor: User, **extra):
        if self.when > self.now:
            raise _ReachedNow
        extra.setdefault("note", "")
        self.dossier = dossier_transition(
            code=self.code, actor=actor, request=TransitionRequest(action=action, **extra), at=self.when
        )
        return self.dossier

    def step_actor(self) -> User:
        return self.desk.staff[self.dossier.current_step.role]

    def step_quota_hours(self) -> float:
        step = self.dossier.current_step
        return float(deadlines.limit_minutes(step.quota, step.quota_unit)) / 60

    def advance(self, *, late: bool = False) -> None:
        """Complete the current step, in part of its quota, or past it when the dossier is to be late."""
        share = self.rng.uniform(1.2, 2.5) if late else self.rng.uniform(0.2, 0.9)
        self.later(max(0.25, self.step_quota_hours() * share))
        action = "forward" if self.dossier.state == 2 else "complete_step"
        self.act(action, self.step_actor())


SUPPLEMENT_NOTES = [
    "Bổ sung bản sao giấy khai sinh có chứng thực.",
    "Tờ khai chưa có chữ ký của người yêu cầu.",
    "Bổ sung bản vẽ mặt bằng có xác nhận của đơn vị thiết kế.",
    "Bổ sung giấy ủy quyền có chứng thực.",
]


def _make_one(rng, desk: Desk, version: ProcedureVersion, start: dt.datetime, fate: str, calendar, now) -> None:
    documents = [
        ReceivedDocument(required_document_id=d.pk, digitised=rng.random() < 0.9, reused=rng.random() < 0.3)
        for d in version.documents.all()
    ]
    applicant = _applicant(rng, desk.unit)
    clerk = desk.staff[Role.DESK_OFFICER]
    if fate in ("submitted", "refused") and version.online_level != "none":
        dossier = dossier_submit_online(
            version=version,
            receiving_office=desk.desk,
            resolving_office=desk.resolving,
            applicant=applicant,
            documents=documents,
            vneid_verified=rng.random() < 0.7,
            at=start,
        )
        if fate == "refused":
            walk = _Walk(rng, desk, dossier, start, calendar, now)
            walk.later(2)
            walk.act("refuse", clerk, note="Thủ tục không thuộc thẩm quyền giải quyết của phường.")
        return
    if fate in ("submitted", "refused"):
        fate = "received"
    outcome = "supplement" if fate == "supplement" and rng.random() < 0.3 else "receive"
    result = dossier_intake(
        actor=clerk,
        version=version,
        receiving_office=desk.desk,
        resolving_office=desk.resolving,
        applicant=applicant,
        documents=documents,
        outcome=outcome,
        note=rng.choice(SUPPLEMENT_NOTES) if outcome == "supplement" else "",
        at=start,
    )
    walk = _Walk(rng, desk, result.dossier, start, calendar, now)
    if outcome == "supplement" or fate == "received":
        return
    steps = list(version.steps.order_by("order"))
    processing = [s for s in steps if s.kind not in (StepKind.RECEIVE, StepKind.RETURN)]
    late_at = rng.randrange(len(processing) + 1) if fate in ("returned_late", "overdue") else None
    stop_after = rng.randrange(1, len(processing) + 1)  # for dossiers still open: how many steps are done
    walk.advance()  # forward from the desk
    if fate == "overdue":
        return  # left at its first step well past the due time
    for index in range(len(processing)):
        if fate == "withdrawn" and index == 0:
            walk.later(3)
            walk.act("withdraw", clerk, note="Công dân có đơn xin rút hồ sơ.")
            return
        if fate == "stopped" and index == min(1, len(processing) - 1):
            walk.later(4)
            walk.act("stop", desk.staff[Role.UNIT_LEADER], note="Hồ sơ không đủ điều kiện giải quyết theo quy định.")
            return
        if (
            fate in ("supplement", "returned_supplement")
            and walk.dossier.current_step.role == Role.SPECIALIST
            and walk.dossier.supplement_count == 0
        ):
            walk.later(2)
            walk.act("request_supplement", walk.step_actor(), note=rng.choice(SUPPLEMENT_NOTES))
            if fate == "supplement":
                return
            walk.later(rng.uniform(4, 24))
            walk.act("complete_supplement", clerk)
        if fate == "awaiting_payment" and walk.dossier.current_step.role == Role.SPECIALIST and index < 9:
            walk.later(2)
            walk.act("request_payment", walk.step_actor(), note="Nộp lệ phí trước bạ theo thông báo của cơ quan thuế.")
            return
        if (
            fate == "rescheduled"
            and index == 0
            and walk.dossier.appointment_at
            and working_time_between(walk.later(1), walk.dossier.appointment_at, calendar=calendar)
            >= dt.timedelta(hours=8)
        ):
            new_date = add_working_time(walk.dossier.appointment_at, 2, "working_days", calendar=calendar)
            walk.act(
                "reschedule",
                desk.staff[Role.UNIT_LEADER],
                new_appointment_at=new_date,
                note="Cần xác minh thêm thông tin với cơ quan liên quan.",
            )
        if fate == "processing" and index >= stop_after - 1:
            return
        walk.advance(late=late_at == index or fate == "rescheduled")
    if fate == "result_ready":
        return
    walk.later(rng.uniform(1, 12))
    walk.act("return_result", clerk)


def _pick(rng, weighted):
    return rng.choices([f for f, _ in weighted], weights=[w for _, w in weighted])[0]


def _versions(level: str) -> list[ProcedureVersion]:
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, level=level)
        .select_related("procedure")
        .prefetch_related("documents", "steps", "fees")
    )
    latest: dict[int, ProcedureVersion] = {}
    for version in versions:
        if version.procedure_id not in latest or version.number > latest[version.procedure_id].number:
            latest[version.procedure_id] = version
    return sorted(latest.values(), key=lambda v: v.procedure.code)


def _working_start(rng, first: dt.date, last: dt.date, calendar) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    moment = dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.choice([0, 10, 20, 30, 40, 50])), calendar.tz)
    return next_working_moment(moment, calendar=calendar)


def demo_dossiers_load(*, per_ward_history: int = 8, per_ward_now: int = 24, now: dt.datetime | None = None) -> int:
    """Create the demo dossiers once; return how many were made (0 when already loaded)."""
    if NumberSequence.objects.filter(scope=MARKER).exists():
        return 0
    commune_versions = _versions(AdminUnitLevel.COMMUNE)
    district_versions = _versions(AdminUnitLevel.DISTRICT)
    if not commune_versions:
        return 0
    calendar = calendar_get()
    now = now or timezone.now()
    rng = random.Random(20240626)  # the day of the council session in the source report
    made = 0
    old_wards = AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE, parent__code="006").valid_on(dt.date(2024, 6, 1))
    new_wards = AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE).valid_on(now.date()).filter(parent__code="01")
    eras = [
        (
            _desks(old_wards),
            commune_versions,
            per_ward_history,
            dt.date(2024, 1, 2),
            dt.date(2024, 6, 14),
            FATES_HISTORY,
        ),
        (
            _desks(AdminUnit.objects.filter(code="006")),
            district_versions or commune_versions,
            per_ward_history * 2,
            dt.date(2024, 1, 2),
            dt.date(2024, 6, 14),
            FATES_HISTORY,
        ),
        (
            _desks(new_wards),
            commune_versions,
            per_ward_now,
            (now - dt.timedelta(days=75)).date(),
            (now - dt.timedelta(days=1)).date(),
            FATES_NOW,
        ),
    ]
    for desks, versions, count, first, last, fates in eras:
        for desk in desks:
            for _ in range(count):
                fate = _pick(rng, fates)
                version = rng.choice(versions)
                latest_start = last
                if fates is FATES_NOW and fate in (
                    "returned",
                    "returned_late",
                    "returned_supplement",
                    "rescheduled",
                    "result_ready",
                ):
                    latest_start = (now - dt.timedelta(days=40)).date()  # long enough ago to be finished
                if fate == "overdue":
                    latest_start = (now - dt.timedelta(days=30)).date()
                start = _working_start(rng, first, latest_start, calendar)
                # _ReachedNow is raised before a move is written: the dossier keeps its state of today
                with transaction.atomic(), contextlib.suppress(_ReachedNow):
                    _make_one(rng, desk, version, start, fate, calendar, now)
                made += 1
    NumberSequence.objects.create(scope=MARKER, last_value=made)
    return made
