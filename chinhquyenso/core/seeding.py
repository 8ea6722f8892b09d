"""Reference and demo data loaded from the JSON files in core/data/: admin units over time with their
successions and offices, legal bases, default office hours, the holiday calendar and the demo accounts.

Every loader creates or updates rows by their public codes, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from chinhquyenso.core.errors import InvalidInput
from chinhquyenso.core.models import AdminUnit, LegalBasis, Office, OfficeHours, User
from chinhquyenso.core.selectors import calendar_bump_version
from chinhquyenso.core.services import (
    admin_unit_link_succession,
    admin_unit_upsert,
    calendar_seed_from_package,
    office_upsert,
    staff_upsert,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DONG_DA_FILE = DATA_DIR / "ha_noi_dong_da.json"
DEMO_ACCOUNTS_FILE = DATA_DIR / "demo_accounts.json"
DEMO_PASSWORD = "demo12345"
HOLIDAY_YEARS = range(2020, 2031)
DEFAULT_OFFICE_HOURS_FROM = dt.date(2000, 1, 1)


@dataclass
class ReferenceDataSummary:
    legal_bases: int = 0
    units: int = 0
    successions: int = 0
    offices: int = 0


@dataclass
class DemoSeedSummary:
    reference: ReferenceDataSummary
    calendar_days: int
    office_hours_created: bool
    accounts: list[User] = field(default_factory=list)
    passwords_set: list[str] = field(default_factory=list)


def _date(value: str | None, *, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Ngày không hợp lệ ở %(where)s: %(value)s (cần dạng YYYY-MM-DD).") % {"where": where, "value": value},
            fields={where: "invalid"},
        ) from None


def _lookup(registry: dict, code: str, *, where: str, model):
    """A row named in the data file: one loaded earlier from the file, or one already in the database."""
    if code in registry:
        return registry[code]
    row = model.objects.filter(**{"number" if model is LegalBasis else "code": code}).first()
    if row is None:
        raise InvalidInput(
            _("Mã %(code)s ở %(where)s không có trong tệp dữ liệu hay trong cơ sở dữ liệu.")
            % {"code": code, "where": where},
            fields={where: "unknown"},
        )
    registry[code] = row
    return row


@transaction.atomic
def legal_basis_upsert(
    *,
    number: str,
    title: str,
    issued_on: dt.date | None = None,
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
    url: str = "",
    note: str = "",
) -> LegalBasis:
    """Create or update a legal instrument by its number (số hiệu)."""
    basis, _created = LegalBasis.objects.update_or_create(
        number=number,
        defaults={
            "title": title,
            "issued_on": issued_on,
            "effective_from": effective_from,
            "effective_to": effective_to,
            "url": url,
            "note": note,
        },
    )
    basis.full_clean()
    return basis


@transaction.atomic
def reference_data_load(*, path: Path = DONG_DA_FILE) -> ReferenceDataSummary:
    """Load legal bases, admin units (parents first), their offices and successions from a data file.

    An office is valid while its unit is, unless the file says otherwise.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    summary = ReferenceDataSummary()
    bases: dict[str, LegalBasis] = {}
    units: dict[str, AdminUnit] = {}

    for i, row in enumerate(data.get("legal_bases", [])):
        where = f"legal_bases[{i}]"
        bases[row["number"]] = legal_basis_upsert(
            number=row["number"],
            title=row["title"],
            issued_on=_date(row.get("issued_on"), where=where),
            effective_from=_date(row.get("effective_from"), where=where),
            effective_to=_date(row.get("effective_to"), where=where),
            url=row.get("url", ""),
            note=row.get("note", ""),
        )
        summary.legal_bases += 1

    for i, row in enumerate(data.get("units", [])):
        where = f"units[{i}]"
        parent = _lookup(units, row["parent"], where=where, model=AdminUnit) if row.get("parent") else None
        basis = row.get("established_by")
        unit = admin_unit_upsert(
            code=row["code"],
            name=row["name"],
            kind_name=row["kind_name"],
            level=row["level"],
            parent=parent,
            valid_from=_date(row.get("valid_from"), where=where),
            valid_to=_date(row.get("valid_to"), where=where),
            established_by=_lookup(bases, basis, where=where, model=LegalBasis) if basis else None,
            note=row.get("note", ""),
        )
        units[unit.code] = unit
        summary.units += 1
        for j, office in enumerate(row.get("offices", [])):
            office_where = f"{where}.offices[{j}]"
            office_upsert(
                code=office["code"],
                name=office["name"],
                kind=office["kind"],
                admin_unit=unit,
                valid_from=_date(office["valid_from"], where=office_where)
                if "valid_from" in office
                else unit.valid_from,
                valid_to=_date(office["valid_to"], where=office_where) if "valid_to" in office else unit.valid_to,
            )
            summary.offices += 1

    for i, row in enumerate(data.get("successions", [])):
        where = f"successions[{i}]"
        admin_unit_link_succession(
            predecessor=_lookup(units, row["predecessor"], where=where, model=AdminUnit),
            successor=_lookup(units, row["successor"], where=where, model=AdminUnit),
            kind=row["kind"],
            effective_on=_date(row["effective_on"], where=where),
            legal_basis=_lookup(bases, row["legal_basis"], where=where, model=LegalBasis),
            certain=row.get("certain", True),
            note=row.get("note", ""),
        )
        summary.successions += 1
    return summary


@transaction.atomic
def office_hours_ensure_default() -> bool:
    """Office hours Monday–Friday 08:00–12:00 and 13:00–17:00 from 2000-01-01, unless that row exists.

    An administrator's edit of the row is kept. Returns whether the row was created.
    """
    _row, created = OfficeHours.objects.get_or_create(
        valid_from=DEFAULT_OFFICE_HOURS_FROM,
        defaults={"weekdays": "0,1,2,3,4", "periods": "08:00-12:00,13:00-17:00"},
    )
    if created:
        transaction.on_commit(calendar_bump_version)
    return created


@transaction.atomic
def demo_accounts_load(*, password: str, path: Path = DEMO_ACCOUNTS_FILE) -> tuple[list[User], list[str]]:
    """Create or update the demo staff accounts; a password is hashed only when it does not match already.

    Returns the accounts and the usernames whose password was (re)set.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    units: dict[str, AdminUnit] = {}
    offices: dict[str, Office] = {}
    accounts, passwords_set = [], []
    for i, row in enumerate(data["accounts"]):
        where = f"accounts[{i}]"
        existing = User.objects.filter(username=row["username"]).first()
        # Argon2 is slow on purpose: checking costs one hash, re-hashing would cost one more and write a row.
        needs_password = existing is None or not existing.check_password(password)
        user = staff_upsert(
            username=row["username"],
            full_name=row["full_name"],
            role=row["role"],
            scope=_lookup(units, row["scope"], where=where, model=AdminUnit) if row.get("scope") else None,
            office=_lookup(offices, row["office"], where=where, model=Office) if row.get("office") else None,
            password=password if needs_password else None,
        )
        accounts.append(user)
        if needs_password:
            passwords_set.append(user.username)
    return accounts, passwords_set


@transaction.atomic
def demo_data_seed(*, with_accounts: bool = True, password: str = DEMO_PASSWORD) -> DemoSeedSummary:
    """Everything `make run` needs to show the Đống Đa demo; running it again changes nothing."""
    reference = reference_data_load()
    office_hours_created = office_hours_ensure_default()
    calendar_days = calendar_seed_from_package(years=HOLIDAY_YEARS)
    summary = DemoSeedSummary(
        reference=reference, calendar_days=calendar_days, office_hours_created=office_hours_created
    )
    if with_accounts:
        summary.accounts, summary.passwords_set = demo_accounts_load(password=password)
    return summary
