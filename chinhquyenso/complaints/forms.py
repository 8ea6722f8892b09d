"""Forms of the staff pages and of the public report page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chinhquyenso.complaints.models import CaseKind, ReportCategory
from chinhquyenso.complaints.workflow import State
from chinhquyenso.core.models import AdminUnit, AdminUnitLevel


class CaseFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), required=False, choices=[("", _("Tất cả"))] + CaseKind.choices)
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + State.choices)
    due = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", _("Tất cả")), ("soon", _("Sắp đến hạn")), ("overdue", _("Quá hạn"))],
    )
    q = forms.CharField(label=_("Mã đơn hoặc nội dung"), required=False, max_length=100)


class CaseActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Ghi chú, lý do hoặc số quyết định"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.CharField(label=_("Tên đăng nhập cán bộ được phân công"), max_length=150)


class ReportForm(forms.Form):
    """The public report form (/phan-anh/)."""

    unit = forms.ModelChoiceField(
        label=_("Phường, xã nơi xảy ra sự việc"),
        queryset=AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE, valid_to__isnull=True).order_by("name"),
        to_field_name="code",
    )
    category = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=ReportCategory.objects.filter(active=True), to_field_name="code"
    )
    content = forms.CharField(label=_("Nội dung phản ánh"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    address_string = forms.CharField(label=_("Địa điểm (số nhà, ngõ, đường)"), max_length=300, required=False)
    latitude = forms.DecimalField(label=_("Vĩ độ"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(label=_("Kinh độ"), required=False, min_value=-180, max_value=180, decimal_places=6)
    photo = forms.FileField(label=_("Ảnh (JPEG, PNG hoặc PDF, không bắt buộc)"), required=False)
    name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), max_length=120, required=False)
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử (không bắt buộc)"), max_length=120, required=False
    )

    def clean(self):
        data = super().clean()
        has_lat, has_lon = data.get("latitude") is not None, data.get("longitude") is not None
        if has_lat != has_lon:
            self.add_error("longitude", _("Cần cả vĩ độ và kinh độ."))
        elif not has_lat and not (data.get("address_string") or "").strip():
            self.add_error("address_string", _("Cần ghi địa điểm hoặc vị trí trên bản đồ."))
        return data


class StatusForm(forms.Form):
    code = forms.CharField(label=_("Mã đơn"), max_length=40)
