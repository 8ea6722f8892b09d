"""Admin: deadline rules and report categories are edited here; cases, visits and events are read-only and show
only the masked sender (the encrypted tokens are never displayed)."""

from django.contrib import admin

from chinhquyenso.complaints.models import (
    Case,
    CaseEvent,
    DeadlineRule,
    ReceptionSession,
    ReceptionVisit,
    ReportCategory,
)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "variant", "amount", "unit", "max_times", "valid_from", "valid_to", "legal_basis", "article")
    list_filter = ("unit", "legal_basis")
    search_fields = ("key", "name")


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(admin.ModelAdmin):
    list_display = ("on", "unit", "host_kind", "host_name", "place")
    list_filter = ("host_kind",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "state", "unit", "masked_name", "received_at", "due_at")
    list_filter = ("kind", "state")
    search_fields = ("code",)
    exclude = ("identity_token",)


@admin.register(ReceptionVisit)
class ReceptionVisitAdmin(ReadOnlyAdmin):
    list_display = ("code", "at", "unit", "classification", "masked_name", "answer_due_at", "answer")
    exclude = ("identity_token", "representatives_token")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "seq", "at", "action", "to_state", "actor_label")
