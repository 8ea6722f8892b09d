"""Writes of core data. Every change of an admin unit, the calendar, staff or tokens passes here."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import (
    AdminUnit,
    AdminUnitSuccession,
    ApiToken,
    CalendarDay,
    CalendarDayKind,
    LegalBasis,
    Office,
    User,
)
from chinhquyenso.core.selectors import calendar_bump_version


# --- Admin units ---------------------------------------------------------------------------------
@transaction.atomic
def admin_unit_upsert(
    *,
    code: str,
    name: str,
    kind_name: str,
    level: str,
    parent: AdminUnit | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    established_by: LegalBasis | None = None,
    note: str = "",
) -> AdminUnit:
    """Create or update a unit by its national code; its tree path follows its parent."""
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput("Ngày cuối còn hiệu lực phải sau ngày bắt đầu.", fields={"valid_to": "invalid"})
    path = f"{parent.path}{code}/" if parent else f"{code}/"
    unit, _ = AdminUnit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind_name": kind_name,
            "level": level,
            "parent": parent,
            "path": path,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "established_by": established_by,
            "note": note,
        },
    )
    unit.full_clean()
    return unit


@transaction.atomic
def admin_unit_link_succession(
    *,
    predecessor: AdminUnit,
    successor: AdminUnit,
    kind: str,
    effective_on: dt.date,
    legal_basis: LegalBasis,
    certain: bool = True,
    note: str = "",
) -> AdminUnitSuccession:
    """Record that (part of) `predecessor` went to `successor` on `effective_on`."""
    link, _ = AdminUnitSuccession.objects.update_or_create(
        predecessor=predecessor,
        successor=successor,
        effective_on=effective_on,
        defaults={"kind": kind, "legal_basis": legal_basis, "certain": certain, "note": note},
    )
    link.full_clean()
    return link


# --- Calendar ------------------------------------------------------------------------------------
@transaction.atomic
def calendar_day_set(
    *,
    date: dt.date,
    kind: str,
    name: str,
    source: str = "",
    confirmed: bool = False,
    actor: User | None = None,
) -> CalendarDay:
    """Declare a day off or a make-up working day; deadlines computed afterwards use it."""
    if kind not in CalendarDayKind.values:
        raise InvalidInput("Loại ngày không hợp lệ.", fields={"kind": "invalid"})
    day, created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name, "source": source, "confirmed": confirmed}
    )
    if actor is not None:
        audit_record(
            action="calendar.day_set",
            actor=actor,
            object_type="CalendarDay",
            object_id=date.isoformat(),
            data={"kind": kind, "name": name, "source": source, "created": created},
        )
    transaction.on_commit(calendar_bump_version)
    return day


@transaction.atomic
def calendar_day_remove(*, date: dt.date, actor: User) -> None:
    CalendarDay.objects.filter(date=date).delete()
    audit_record(
        action="calendar.day_removed", actor=actor, object_type="CalendarDay", object_id=date.isoformat()
    )
    transaction.on_commit(calendar_bump_version)


@transaction.atomic
def calendar_seed_from_package(*, years: range) -> int:
    """Pre-fill holidays and make-up working days from the `holidays` package (Vietnam).

    Rows an administrator confirmed against the official notice are left as they are.
    """
    import holidays as holidays_package

    vietnam = holidays_package.country_holidays("VN", years=years)
    source = f"holidays {holidays_package.__version__}"
    confirmed = set(CalendarDay.objects.filter(confirmed=True).values_list("date", flat=True))
    written = 0
    for date, name in sorted(vietnam.items()):
        if date not in confirmed:
            calendar_day_set(date=date, kind=CalendarDayKind.HOLIDAY, name=name, source=source)
            written += 1
    for date in sorted(d for d in vietnam.weekend_workdays if d.year in years):
        if date not in confirmed:
            calendar_day_set(
                date=date, kind=CalendarDayKind.MAKEUP_WORKDAY, name="Ngày làm việc bù", source=source
            )
            written += 1
    return written


# --- Offices and staff ---------------------------------------------------------------------------
@transaction.atomic
def office_upsert(
    *,
    code: str,
    name: str,
    kind: str,
    admin_unit: AdminUnit,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Office:
    office, _ = Office.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "admin_unit": admin_unit,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    office.full_clean()
    return office


@transaction.atomic
def staff_upsert(
    *,
    username: str,
    full_name: str,
    role: str,
    scope: AdminUnit | None,
    office: Office | None = None,
    password: str | None = None,
    actor: User | None = None,
) -> User:
    """Create or update a staff account; role and scope changes are audited."""
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    before = {"role": user.role, "scope": user.scope.code if user.scope_id else None}
    first, _, last = full_name.rpartition(" ")
    user.last_name, user.first_name = (first, last) if first else ("", full_name)
    user.role, user.scope, user.office = role, scope, office
    user.is_staff = role == "administrator"
    user.is_superuser = False
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    after = {"role": user.role, "scope": scope.code if scope else None}
    if created or before != after:
        audit_record(
            action="staff.created" if created else "staff.permissions_changed",
            actor=actor,
            actor_label="" if actor else "system",
            object_type="User",
            object_id=str(user.pk),
            data={"username": username, "before": before, "after": after},
        )
    return user


# --- API tokens ----------------------------------------------------------------------------------
def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, ip_address: str | None = None) -> tuple[str, dt.datetime]:
    """A new bearer token for a staff member; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    ApiToken.objects.create(user=user, digest=_token_digest(token), expires_at=expires_at)
    audit_record(
        action="auth.api_token_issued",
        actor=user,
        object_type="User",
        object_id=str(user.pk),
        ip_address=ip_address,
    )
    return token, expires_at


def api_token_authenticate(*, token: str) -> User | None:
    row = (
        ApiToken.objects.select_related("user", "user__scope")
        .filter(digest=_token_digest(token), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return row.user if row else None
