"""Who may see a case, act on it, and read the identity of its sender."""

from __future__ import annotations

from chinhquyenso.complaints.models import Case, CaseKind, ReceptionVisit
from chinhquyenso.core.models import Role
from chinhquyenso.core.permissions import can_see_unit, is_staff_member

CASE_STAFF = frozenset({Role.INSPECTOR, Role.OFFICE_LEADER, Role.UNIT_LEADER, Role.ADMINISTRATOR})


def can_view_cases(user) -> bool:
    """Any staff member of the ward sees the register of cases, with the senders masked."""
    return is_staff_member(user)


def can_receive_cases(user) -> bool:
    return is_staff_member(user) and (user.is_superuser or user.role in CASE_STAFF | {Role.DESK_OFFICER})


def can_assign_cases(user) -> bool:
    return is_staff_member(user) and user.role in (Role.OFFICE_LEADER, Role.UNIT_LEADER)


def can_read_case_identity(user, case: Case) -> bool:
    """Law on Denunciations 2018 Art. 9(1)(b): a denouncer's identity only to the inspectors assigned to the
    case; the sender of another kind of case to the staff assigned to it. Never by rank alone: an unassigned
    leader or an administrator sees the masked name."""
    if not is_staff_member(user) or not can_see_unit(user, case.unit):
        return False
    assigned = case.caseassignment_set.filter(user=user).exists()
    if case.kind == CaseKind.DENUNCIATION:
        return assigned and user.role == Role.INSPECTOR
    return assigned


def can_read_visit_identity(user, visit: ReceptionVisit) -> bool:
    """The officer who received the visitor, or whoever may read the identity on the case it opened."""
    if not is_staff_member(user) or not can_see_unit(user, visit.unit):
        return False
    if visit.case_id is not None:
        return can_read_case_identity(user, visit.case)
    return visit.received_by_id == user.pk
