"""Who may work with dossiers: the one-stop desk, the resolving offices' staff and leaders, administrators."""

from chinhquyenso.core.models import Role
from chinhquyenso.core.permissions import is_administrator, is_staff_member

DOSSIER_ROLES = {Role.DESK_OFFICER, Role.SPECIALIST, Role.OFFICE_LEADER, Role.UNIT_LEADER}


def can_view_dossiers(user) -> bool:
    return is_staff_member(user) and (user.role in DOSSIER_ROLES or is_administrator(user))


def can_receive_dossiers(user) -> bool:
    return is_staff_member(user) and user.role == Role.DESK_OFFICER
