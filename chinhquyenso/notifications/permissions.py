"""Who may read the outbox: administrators, and the one-stop desk officers of the unit that sent it."""

from chinhquyenso.core.models import Role
from chinhquyenso.core.permissions import is_administrator, is_staff_member


def can_view_notifications(user) -> bool:
    return is_staff_member(user) and (is_administrator(user) or user.role == Role.DESK_OFFICER)
