"""Reads of the catalog and of dossiers, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.core.calendar import TimeUnit, add_working_time
from chinhquyenso.core.models import AdminUnit, User
from chinhquyenso.core.permissions import is_administrator, is_staff_member
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.core.textsearch import fold
from chinhquyenso.procedures.errors import DossierNotFound
from chinhquyenso.procedures.models import Dossier, Procedure, ProcedureVersion, VersionStatus
from chinhquyenso.procedures.workflow import OPEN, State


# --- Catalog ---------------------------------------------------------------------------------------
def procedure_search(*, query: str = "", field_code: str = "", level: str = "") -> QuerySet[Procedure]:
    """Procedures with a published version, found without diacritics ("dang ky khai sinh")."""
    procedures = Procedure.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct()
    if field_code:
        procedures = procedures.filter(field__code=field_code)
    if level:
        procedures = procedures.filter(versions__status=VersionStatus.PUBLISHED, versions__level=level)
    words = fold(query).split()
    for word in words:
        procedures = procedures.filter(search_text__contains=word)
    if words and connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        procedures = procedures.annotate(rank=TrigramWordSimilarity(fold(query), "search_text")).order_by(
            "-rank", "code"
        )
    else:
        procedures = procedures.order_by("field__name", "code")
    return procedures.select_related("field")


def procedure_current_version(*, procedure: Procedure, on: dt.date | None = None) -> ProcedureVersion | None:
    """The published version in force on `on` (today by default): the latest published on or before it."""
    on = on or timezone.localdate()
    versions = procedure.versions.filter(status=VersionStatus.PUBLISHED)
    return (
        versions.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).order_by("-number").first()
        or versions.order_by("number").first()
    )


def procedure_get_published(*, code: str) -> ProcedureVersion:
    procedure = Procedure.objects.filter(code=code).first()
    version = procedure_current_version(procedure=procedure) if procedure else None
    if version is None:
        from chinhquyenso.core.errors import NotFound

        raise NotFound(_("Không có thủ tục đã công bố mã %(code)s.") % {"code": code})
    return version


# --- Dossiers ----------------------------------------------------------------------------------------
def _visible(user: User) -> Q:
    if is_administrator(user):
        return Q()
    if not is_staff_member(user) or user.scope_id is None:
        return Q(pk__in=[])
    # the units of the scope first (a handful for a ward, a few hundred for a city): the dossier query then uses
    # the foreign-key indexes instead of joining every dossier to its unit to compare paths
    unit_ids = list(AdminUnit.objects.within(user.scope).values_list("id", flat=True))
    return Q(receiving_unit_id__in=unit_ids) | Q(resolving_unit_id__in=unit_ids)


def dossier_queryset_for_user(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(_visible(user))


def dossier_get_for_user(*, code: str, user: User) -> Dossier:
    """404 both for a missing dossier and for one outside the user's scope."""
    dossier = (
        dossier_queryset_for_user(user)
        .select_related(
            "version__procedure__field",
            "receiving_office",
            "resolving_office",
            "current_step",
            "assignee",
            "applicant_unit",
            "receiving_unit",
            "resolving_unit",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


@dataclass
class DossierFilters:
    state: int | None = None
    overdue: bool | None = None
    procedure: str = ""
    channel: int | None = None
    due_before: dt.datetime | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    query: str = ""


def dossier_list_for_user(*, user: User, filters: DossierFilters, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    dossiers = dossier_queryset_for_user(user).select_related(
        "version__procedure", "current_step", "receiving_office", "resolving_office", "assignee"
    )
    if filters.state is not None:
        dossiers = dossiers.filter(state=filters.state)
    if filters.procedure:
        dossiers = dossiers.filter(version__procedure__code=filters.procedure)
    if filters.channel is not None:
        dossiers = dossiers.filter(channel=filters.channel)
    if filters.overdue is True:
        dossiers = dossiers.filter(overdue_q(now))
    elif filters.overdue is False:
        dossiers = dossiers.exclude(overdue_q(now))
    if filters.due_before is not None:
        dossiers = dossiers.filter(appointment_at__lte=filters.due_before, state__in=OPEN)
    if filters.received_from:
        dossiers = dossiers.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        dossiers = dossiers.filter(received_at__date__lte=filters.received_to)
    if filters.query:
        dossiers = dossiers.filter(Q(code__icontains=filters.query) | Q(applicant_name__icontains=filters.query))
    return dossiers.order_by("-received_at", "-id")


def overdue_q(now: dt.datetime) -> Q:
    """Late: finished after the legal due time, or still open past it (clock stopped dossiers excluded)."""
    open_late = Q(state__in=[s for s in OPEN if s != State.SUPPLEMENT_REQUESTED], legal_due_at__lt=now)
    return Q(is_late=True) | open_late


@dataclass
class Inbox:
    my_step: list[Dossier]
    due_soon: list[Dossier]
    overdue: list[Dossier]
    my_step_count: int = 0
    due_soon_count: int = 0
    overdue_count: int = 0
    limit: int = 25


def dossier_inbox(*, user: User, now: dt.datetime | None = None, limit: int = 25) -> Inbox:
    """An officer's work: dossiers at a step of their role (assigned to them or to nobody), those due within one
    working day, and those past due."""
    now = now or timezone.now()
    # a result ready to hand over is still the desk's work, though no longer counted against a deadline
    base = (
        dossier_queryset_for_user(user)
        .filter(state__in=[*OPEN, State.RESULT_READY])
        .select_related("version__procedure", "current_step", "assignee")
    )
    mine = base.filter(current_step__role=user.role).filter(Q(assignee__isnull=True) | Q(assignee=user))
    if user.role == "desk_officer":
        mine = base.filter(
            Q(current_step__role=user.role)
            | Q(state__in=[State.SUBMITTED, State.SUPPLEMENT_REQUESTED, State.RESULT_READY])
        )
    soon_limit = add_working_time(now, 1, TimeUnit.WORKING_DAYS, calendar=calendar_get())
    due_soon = mine.filter(state__in=OPEN, legal_due_at__gte=now, legal_due_at__lte=soon_limit)
    overdue = mine.filter(state__in=OPEN, legal_due_at__lt=now).exclude(state=State.SUPPLEMENT_REQUESTED)
    # the lists show the first `limit`; the counts are the whole of each, as the officer must know them
    return Inbox(
        my_step=list(mine.order_by("step_due_at")[:limit]),
        due_soon=_first_by_due(due_soon, limit),
        overdue=_first_by_due(overdue, limit),
        my_step_count=mine.count(),
        due_soon_count=due_soon.count(),
        overdue_count=overdue.count(),
        limit=limit,
    )


def _first_by_due(dossiers: QuerySet[Dossier], limit: int) -> list[Dossier]:
    """The `limit` dossiers due first. Sorted here, not by ORDER BY … LIMIT: with a million dossiers PostgreSQL
    would walk the whole legal_due_at index in order, looking for the few of this scope, instead of taking
    the scope's rows by their unit indexes (20 ms against 1 ms in the bench)."""
    keys = sorted(dossiers.values_list("legal_due_at", "pk"))[:limit]
    rows = {d.pk: d for d in dossiers.filter(pk__in=[pk for _due, pk in keys])}
    return [rows[pk] for _due, pk in keys if pk in rows]


def mask_name(name: str) -> str:
    """Nguyễn Văn An → Nguyễn V*** A: enough for the applicant to recognise, too little to identify."""
    parts = name.split()
    if len(parts) <= 1:
        return (parts[0][0] + "***") if parts else ""
    middle = [p[0] + "***" for p in parts[1:-1]]
    return " ".join([parts[0], *middle, parts[-1][0]])


PUBLIC_FIELDS = (
    "code",
    "state",
    "received_at",
    "appointment_at",
    "finished_at",
    "returned_at",
    "applicant_name",
    "version__name",
    "current_step__name",
    "receiving_office__name",
)


def dossier_public_view(*, code: str) -> dict:
    """What anyone with the code may see: one query, no personal data but a masked name."""
    row = Dossier.objects.filter(code=code).values(*PUBLIC_FIELDS).first()
    if row is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    state = State(row["state"])
    return {
        "code": row["code"],
        "procedure": row["version__name"],
        "state": state.value,
        "state_label": str(state.label),
        "current_step": row["current_step__name"] or "",
        "receiving_office": row["receiving_office__name"],
        "received_at": row["received_at"],
        "appointment_at": row["appointment_at"],
        "result_ready": state in (State.RESULT_READY, State.RETURNED),
        "returned_at": row["returned_at"],
        "applicant": mask_name(row["applicant_name"]),
    }


def procedure_get_draft(*, code: str) -> ProcedureVersion:
    version = (
        ProcedureVersion.objects.select_related("procedure__field")
        .filter(procedure__code=code, status=VersionStatus.DRAFT)
        .first()
    )
    if version is None:
        from chinhquyenso.core.errors import NotFound

        raise NotFound(_("Thủ tục mã %(code)s không có bản nháp.") % {"code": code})
    return version


def default_resolving_office(*, receiving_office, version: ProcedureVersion):
    """For a commune-level procedure, the People's Committee of the receiving ward; otherwise it must be named."""
    from chinhquyenso.core.errors import InvalidInput
    from chinhquyenso.core.models import Office, OfficeKind

    if version.level == "commune":
        office = Office.objects.filter(admin_unit=receiving_office.admin_unit, kind=OfficeKind.LEADERSHIP).first()
        if office is not None:
            return office
    raise InvalidInput(_("Cần chọn cơ quan giải quyết cho thủ tục này."), fields={"resolving_office": "required"})


def paper_form_check_available(*, dossier: Dossier, form: str) -> None:
    """A form exists only once its event has happened (no receipt before receipt, no apology without one)."""
    from chinhquyenso.core.errors import Conflict

    available = {
        "receipt": dossier.received_at is not None,
        "supplement": dossier.supplement_count > 0,
        "refusal": dossier.state == State.NOT_ACCEPTED,
        "apology": dossier.rescheduled,
        "control-sheet": True,
    }
    if not available.get(form, False):
        raise Conflict(_("Hồ sơ %(code)s chưa có phiếu này.") % {"code": dossier.code}, code="form_not_available")


def procedure_current_versions(*, on: dt.date | None = None) -> list[ProcedureVersion]:
    """The version in force of every published procedure, by name, in two queries."""
    on = on or timezone.localdate()
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .select_related("procedure__field")
        .order_by("procedure_id", "-number")
    )
    current: dict[int, ProcedureVersion] = {}
    for version in versions:
        current.setdefault(version.procedure_id, version)
    return sorted(current.values(), key=lambda v: fold(v.name))


def procedure_fields():
    from chinhquyenso.procedures.models import ProcedureField

    return list(ProcedureField.objects.order_by("name"))
