"""Setting up a desk in the back office (/quan-tri/): booking settings, counters and their fields, kiosk letters.

Bookings, tickets and ratings are read-only here: they change only through the desk services.
"""

from django.contrib import admin

from chinhquyenso.core.models import OfficeKind
from chinhquyenso.desk import models


def _one_stop_offices(db_field, kwargs):
    if db_field.name == "office":
        from chinhquyenso.core.models import Office

        kwargs["queryset"] = Office.objects.filter(kind=OfficeKind.ONE_STOP).select_related("admin_unit")
    return kwargs


@admin.register(models.DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    list_display = ["office", "booking_enabled", "slot_minutes", "per_counter_capacity", "horizon_days"]
    list_filter = ["booking_enabled"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_one_stop_offices(db_field, kwargs))


@admin.register(models.Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["office", "number", "name", "is_active"]
    list_filter = ["is_active"]
    filter_horizontal = ["fields"]
    search_fields = ["name", "office__name", "office__code"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_one_stop_offices(db_field, kwargs))


@admin.register(models.TicketPrefix)
class TicketPrefixAdmin(admin.ModelAdmin):
    list_display = ["office", "letter", "field", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_one_stop_offices(db_field, kwargs))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "office", "slot", "counter", "procedure", "status"]
    list_filter = ["status"]
    search_fields = ["code"]


@admin.register(models.QueueTicket)
class QueueTicketAdmin(ReadOnlyAdmin):
    list_display = ["label", "office", "issued_on", "status", "priority", "counter", "wait_seconds", "dossier"]
    list_filter = ["status", "issued_on"]


@admin.register(models.Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "value", "channel", "officer", "unit", "rated_at"]
    list_filter = ["value", "channel"]
