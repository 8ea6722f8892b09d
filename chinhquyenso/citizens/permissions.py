"""Who is a citizen, and what a citizen's sign-in is worth (the e-ID assurance level, RULES.md §8.3)."""

from __future__ import annotations

from chinhquyenso.core.permissions import is_staff_member

SESSION_LEVEL = "citizen.assurance_level"
SESSION_METHOD = "citizen.method"


def is_citizen(user) -> bool:
    """A signed-in account without a staff role (citizens never hold one)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and not is_staff_member(user))


def session_assurance_level(request) -> int:
    """The assurance level recorded when this session signed in; 0 when there is no citizen sign-in."""
    if not is_citizen(getattr(request, "user", None)):
        return 0
    return int(request.session.get(SESSION_LEVEL, 0) or 0)


def can_file_with_level(*, assurance_level: int, version) -> bool:
    """NĐ 69/2024: a procedure that needs a level-2 e-ID refuses a level-1 sign-in."""
    return assurance_level >= version.required_assurance_level
