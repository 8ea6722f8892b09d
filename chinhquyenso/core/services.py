"""Writes of core data. Every change of an admin unit, the calendar, staff or tokens passes here."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.calendar import Schedule
from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import (
    AdminUnit,
    AdminUnitSuccession,
    ApiToken,
    CalendarDay,
    CalendarDayKind,
    LegalBasis,
    Office,
    OfficeHours,
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
# Rows the package seeding wrote carry this source prefix; every other row is an administrator's.
PACKAGE_SOURCE_PREFIX = "holidays "


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
    """Declare a day off or a make-up working day; deadlines computed after the commit use it."""
    if kind not in CalendarDayKind.values:
        raise InvalidInput(_("Loại ngày không hợp lệ."), fields={"kind": _("Chọn ngày nghỉ hoặc ngày làm bù.")})
    if not name.strip():
        raise InvalidInput(_("Tên ngày không được để trống."), fields={"name": _("Thiếu giá trị bắt buộc.")})
    day, created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name, "source": source, "confirmed": confirmed}
    )
    if actor is not None:
        audit_record(
            action="calendar.day_set",
            actor=actor,
            object_type="CalendarDay",
            object_id=date.isoformat(),
            data={"kind": kind, "name": name, "source": source, "confirmed": confirmed, "created": created},
        )
    transaction.on_commit(calendar_bump_version)
    return day


@transaction.atomic
def calendar_day_remove(*, date: dt.date, actor: User) -> None:
    """Make a day follow the weekly pattern again; deadlines computed after the commit use it."""
    CalendarDay.objects.filter(date=date).delete()
    audit_record(action="calendar.day_removed", actor=actor, object_type="CalendarDay", object_id=date.isoformat())
    transaction.on_commit(calendar_bump_version)


@transaction.atomic
def office_hours_set(*, valid_from: dt.date, weekdays: str, periods: str, actor: User | None = None) -> OfficeHours:
    """Office hours in force from `valid_from` (e.g. "0,1,2,3,4" and "08:00-12:00,13:00-17:00")."""
    try:
        Schedule.parse(valid_from=valid_from, weekdays=weekdays, periods=periods)
    except ValueError:
        raise InvalidInput(
            _("Giờ làm việc không hợp lệ: cần các ngày 0–6 và các khoảng giờ không chồng nhau."),
            fields={"weekdays": _("Ví dụ: 0,1,2,3,4"), "periods": _("Ví dụ: 08:00-12:00,13:00-17:00")},
        ) from None
    row, _created = OfficeHours.objects.update_or_create(
        valid_from=valid_from, defaults={"weekdays": weekdays, "periods": periods}
    )
    audit_record(
        action="calendar.office_hours_set",
        actor=actor,
        actor_label="" if actor else "system",
        object_type="OfficeHours",
        object_id=valid_from.isoformat(),
        data={"weekdays": weekdays, "periods": periods},
    )
    transaction.on_commit(calendar_bump_version)
    return row


@transaction.atomic
def calendar_seed_from_package(*, years: range) -> int:
    """Pre-fill holidays and make-up working days of `years` from the `holidays` package (Vietnam).

    The package pre-fills; each year's official notice decides (RULES.md §1.8). So the seeding only
    writes rows it wrote itself and nobody confirmed: a confirmed row, or one an administrator entered
    from a notice, stays as it is. A package row the newer package no longer lists is removed.
    Returns the number of rows created, changed or removed.
    """
    import holidays as holidays_package

    vietnam = holidays_package.country_holidays("VN", years=years, language="vi")
    source = f"{PACKAGE_SOURCE_PREFIX}{holidays_package.__version__}"
    wanted = {day: (CalendarDayKind.HOLIDAY, name) for day, name in vietnam.items()}
    for day in vietnam.weekend_workdays:
        if day.year in years:
            # stored data, not interface text: always Vietnamese, naming the day off it pays for
            # when the package says so ("Ngày nghỉ (thay cho ngày 22/08/2026)")
            paid_for = [off for off, name in vietnam.items() if f"{day:%d/%m/%Y}" in name]
            name = "Ngày làm việc bù"
            if paid_for:
                name += f" (cho ngày nghỉ {paid_for[0]:%d/%m/%Y})"
            wanted[day] = (CalendarDayKind.MAKEUP_WORKDAY, name)
    existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year__in=list(years))}
    changed = 0
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is not None and (row.confirmed or not row.source.startswith(PACKAGE_SOURCE_PREFIX)):
            continue
        if row is not None and (row.kind, row.name, row.source) == (kind, name, source):
            continue
        calendar_day_set(date=day, kind=kind, name=name, source=source)
        changed += 1
    stale = [
        day
        for day, row in existing.items()
        if day not in wanted and not row.confirmed and row.source.startswith(PACKAGE_SOURCE_PREFIX)
    ]
    CalendarDay.objects.filter(date__in=stale).delete()
    changed += len(stale)
    if changed:
        audit_record(
            action="calendar.seeded",
            actor_label="system",
            object_type="CalendarDay",
            data={"source": source, "years": [years[0], years[-1]], "changed": changed},
        )
        transaction.on_commit(calendar_bump_version)
    return changed


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
    """The active user holding this unexpired token, else None; its last use is kept to the minute."""
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user", "user__scope")
        .filter(digest=_token_digest(token), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    # one write a minute at most, so that reading through the API does not turn every call into a write
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
