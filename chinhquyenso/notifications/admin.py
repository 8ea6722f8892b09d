from django.contrib import admin

from chinhquyenso.notifications.models import Notification, RecipientLanguage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is a record; staff send a failed message again from /can-bo/thong-bao/."""

    list_display = ["created_at", "channel", "template_key", "related_code", "status", "attempts"]
    list_filter = ["status", "channel", "template_key"]
    search_fields = ["related_code", "dedupe_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecipientLanguage)
class RecipientLanguageAdmin(admin.ModelAdmin):
    list_display = ["recipient", "language", "updated_at"]
    search_fields = ["recipient"]
