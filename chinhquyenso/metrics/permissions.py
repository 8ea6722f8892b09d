"""Who sees the leadership dashboard: unit and city leaders (and administrators), within their scope."""

from chinhquyenso.core.models import Role
from chinhquyenso.core.permissions import is_administrator, is_staff_member

LEADER_ROLES = frozenset({Role.UNIT_LEADER, Role.OFFICE_LEADER})


def can_view_metrics(user) -> bool:
    return is_administrator(user) or (is_staff_member(user) and user.role in LEADER_ROLES)
