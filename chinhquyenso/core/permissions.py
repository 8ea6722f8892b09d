"""Who may see what: a staff member acts within the subtree of their scope unit, in their role."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from chinhquyenso.core.models import AdminUnit, Role, User


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and (user.role or user.is_superuser))


def is_administrator(user) -> bool:
    return is_staff_member(user) and (user.is_superuser or user.role == Role.ADMINISTRATOR)


def can_see_unit(user, unit: AdminUnit) -> bool:
    """A staff member sees records of their scope unit and every unit below it, in every era."""
    if not is_staff_member(user):
        return False
    if is_administrator(user):
        return True
    return user.scope_id is not None and unit.path.startswith(user.scope.path)


def units_visible_to(user: User) -> QuerySet[AdminUnit]:
    if is_administrator(user):
        return AdminUnit.objects.all()
    if not is_staff_member(user) or user.scope_id is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.within(user.scope)


def scope_filter(user: User, *, field: str) -> Q:
    """A filter on `<field>__path` that keeps only records of units the user may see."""
    if is_administrator(user):
        return Q()
    if not is_staff_member(user) or user.scope_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": user.scope.path})
