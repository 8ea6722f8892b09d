"""Who may work a desk's counters: its one-stop officers (and administrators), within their scope."""

from chinhquyenso.core.models import Office, Role
from chinhquyenso.core.permissions import can_see_unit, is_administrator, is_staff_member


def can_work_desk(user, office: Office) -> bool:
    """A one-stop officer calls tickets and takes ratings at the desks of units in their scope."""
    if not is_staff_member(user):
        return False
    if is_administrator(user):
        return True
    return user.role == Role.DESK_OFFICER and can_see_unit(user, office.admin_unit)


def can_view_desk_figures(user) -> bool:
    return is_staff_member(user)
