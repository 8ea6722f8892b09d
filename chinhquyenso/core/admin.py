"""The administrator's back office (/quan-tri/): admin units, offices, staff, calendar, legal bases.

Edits of calendar days and staff go through the core services, so they are audited and take effect
for deadline computations at once.
"""

import datetime as dt

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from chinhquyenso.core import models, services
from chinhquyenso.core.calendar import Schedule


@admin.register(models.LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on", "effective_from", "effective_to"]
    search_fields = ["number", "title"]


@admin.register(models.AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]


@admin.register(models.AdminUnitSuccession)
class AdminUnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on", "legal_basis", "certain"]
    list_filter = ["effective_on", "kind", "certain"]


@admin.register(models.Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "admin_unit"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(models.CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source", "confirmed"]
    list_filter = ["kind", "confirmed"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # Changing the date of an existing row moves the declaration: the old date returns to normal.
        if change and "date" in form.changed_data:
            services.calendar_day_remove(date=form.initial["date"], actor=request.user)
        services.calendar_day_set(
            date=obj.date, kind=obj.kind, name=obj.name, source=obj.source, confirmed=obj.confirmed, actor=request.user
        )

    def delete_model(self, request, obj):
        services.calendar_day_remove(date=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            services.calendar_day_remove(date=day.date, actor=request.user)


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = models.OfficeHours
        fields = ["valid_from", "weekdays", "periods"]

    def clean(self):
        data = super().clean()
        try:
            Schedule.parse(
                valid_from=data.get("valid_from") or dt.date.min,
                weekdays=data.get("weekdays", ""),
                periods=data.get("periods", ""),
            )
        except ValueError:
            raise forms.ValidationError(
                _("Giờ làm việc không hợp lệ: cần các ngày 0–6 và các khoảng giờ không chồng nhau.")
            ) from None
        return data


@admin.register(models.OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    form = OfficeHoursForm
    list_display = ["valid_from", "weekdays", "periods"]

    def save_model(self, request, obj, form, change):
        if change and "valid_from" in form.changed_data:
            models.OfficeHours.objects.filter(valid_from=form.initial["valid_from"]).delete()
        services.office_hours_set(
            valid_from=obj.valid_from, weekdays=obj.weekdays, periods=obj.periods, actor=request.user
        )


@admin.register(models.User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "last_name", "first_name", "role", "scope", "office", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name"]
    fields = ["username", "last_name", "first_name", "email", "role", "scope", "office", "is_active"]

    def save_model(self, request, obj, form, change):
        services.staff_upsert(
            username=obj.username,
            full_name=f"{obj.last_name} {obj.first_name}".strip(),
            role=obj.role,
            scope=obj.scope,
            office=obj.office,
            actor=request.user,
        )


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "at", "actor_label", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
