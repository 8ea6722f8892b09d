"""Reads of the complaints domain: rules in force, cases visible to a user, the inbox, the reception schedule."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.complaints import workflow
from chinhquyenso.complaints.errors import CaseNotFound, RuleMissing
from chinhquyenso.complaints.models import (
    Case,
    DeadlineRule,
    HostKind,
    ReceptionSession,
    ReceptionVisit,
    ReportCategory,
)
from chinhquyenso.complaints.permissions import can_view_cases
from chinhquyenso.complaints.rules import variant_for
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.models import AdminUnit
from chinhquyenso.core.permissions import scope_filter

DUE_SOON_DAYS = 3


def deadline_rule_get(*, key: str, on: dt.date, remote: bool = False, complex_case: bool = False) -> DeadlineRule:
    """The rule row in force on `on` (a case's receipt date), the most specific variant first (RULES.md §0)."""
    rows = list(
        DeadlineRule.objects.select_related("legal_basis")
        .filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
    )
    for variant in variant_for(remote=remote, complex_case=complex_case):
        for row in rows:
            if row.variant == variant:
                return row
    raise RuleMissing(
        _("Chưa có quy định thời hạn %(key)s áp dụng ngày %(on)s.") % {"key": key, "on": on.strftime("%d/%m/%Y")}
    )


def deadline_rule_list(*, on: dt.date | None = None) -> list[DeadlineRule]:
    rows = DeadlineRule.objects.select_related("legal_basis")
    if on is not None:
        rows = rows.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return list(rows)


def case_list_for_user(user) -> QuerySet[Case]:
    """Cases of the units in the user's scope; nothing for a non-staff user."""
    if not can_view_cases(user):
        return Case.objects.none()
    return Case.objects.filter(scope_filter(user, field="unit")).select_related("unit", "category")


def case_get_for_user(*, user, code: str) -> Case:
    """404 for a missing case and for a case outside the user's scope alike."""
    case = case_list_for_user(user).filter(code=code).first()
    if case is None:
        raise CaseNotFound(_("Không tìm thấy đơn %(code)s.") % {"code": code})
    return case


def case_filter(
    queryset: QuerySet[Case], *, kind: str = "", state: str = "", due: str = "", query: str = "", on=None
) -> QuerySet[Case]:
    """Filters of the list pages: kind, state, `due` in {"soon", "overdue"}, text in code or subject."""
    now = on or timezone.now()
    if kind:
        queryset = queryset.filter(kind=kind)
    if state:
        queryset = queryset.filter(state=state)
    if due == "overdue":
        queryset = queryset.filter(due_at__lt=now).exclude(state__in=workflow.TERMINAL)
    elif due == "soon":
        queryset = queryset.filter(due_at__gte=now, due_at__lte=now + dt.timedelta(days=DUE_SOON_DAYS)).exclude(
            state__in=workflow.TERMINAL
        )
    if query:
        queryset = queryset.filter(Q(code__icontains=query) | Q(subject__icontains=query))
    return queryset


def case_inbox(*, user, on=None) -> dict[str, list[Case]]:
    """Open cases of the user's scope by urgency: overdue, due within 3 days, the rest (oldest due first)."""
    now = on or timezone.now()
    open_cases = list(
        case_list_for_user(user).exclude(state__in=workflow.TERMINAL).order_by("due_at", "received_at")[:500]
    )
    buckets = {"overdue": [], "soon": [], "other": []}
    for case in open_cases:
        if case.due_at and case.due_at < now:
            buckets["overdue"].append(case)
        elif case.due_at and case.due_at <= now + dt.timedelta(days=DUE_SOON_DAYS):
            buckets["soon"].append(case)
        else:
            buckets["other"].append(case)
    return buckets


def case_get_public(*, code: str) -> Case:
    """A case by its code for its sender's status page (no identity, no content)."""
    case = Case.objects.select_related("unit").filter(code=code.strip().upper()).first()
    if case is None:
        raise CaseNotFound(_("Không tìm thấy đơn %(code)s.") % {"code": code})
    return case


def public_reports() -> QuerySet[Case]:
    """The cases Open311 publishes: street reports in a category. Never a complaint or a denunciation, nor an
    anonymous denunciation recorded as feedback (its content accuses someone), nor feedback staff entered without
    a category (it may hold private matters)."""
    return Case.objects.filter(kind="feedback", category__isnull=False, from_anonymous_denunciation=False)


def public_report_list(*, unit_code: str = "", category: str = "", status: str = "", limit: int = 200):
    """Public reports (feedback cases), newest first, for Open311 clients: never complaints or denunciations."""
    rows = public_reports().select_related("unit", "category", "photo")
    if unit_code:
        rows = rows.filter(unit__code=unit_code)
    if category:
        rows = rows.filter(category__code=category)
    if status == "open":
        rows = rows.exclude(state__in=workflow.TERMINAL)
    elif status == "closed":
        rows = rows.filter(state__in=workflow.TERMINAL)
    return list(rows.order_by("-received_at")[:limit])


def report_category_list() -> list[ReportCategory]:
    return list(ReportCategory.objects.filter(active=True))


def reception_visit_list_for_user(user) -> QuerySet[ReceptionVisit]:
    if not can_view_cases(user):
        return ReceptionVisit.objects.none()
    return ReceptionVisit.objects.filter(scope_filter(user, field="unit")).select_related("unit", "case")


def reception_schedule_gaps(*, unit: AdminUnit, start: dt.date, end: dt.date) -> dict[str, list]:
    """Weeks without a chairman's reception day (Art. 15(2)(d) Law on Citizen Reception 2013: ≥ 1 a week) and
    months without an office head's day (Art. 18(2): ≥ 1 a month) between `start` and `end`."""
    sessions = list(ReceptionSession.objects.filter(unit=unit, on__gte=start, on__lte=end))
    chairman_weeks = {s.on.isocalendar()[:2] for s in sessions if s.host_kind == HostKind.CHAIRMAN}
    head_months = {(s.on.year, s.on.month) for s in sessions if s.host_kind == HostKind.OFFICE_HEAD}
    weeks, months = [], []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        if monday.isocalendar()[:2] not in chairman_weeks:
            weeks.append(monday)
        monday += dt.timedelta(days=7)
    month = start.replace(day=1)
    while month <= end:
        if (month.year, month.month) not in head_months:
            months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return {"weeks_without_chairman": weeks, "months_without_office_head": months}


def today() -> dt.date:
    return timezone.now().astimezone(VIETNAM).date()
