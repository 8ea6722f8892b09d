"""Forms of the staff pages and of the public report page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chinhquyenso.complaints.models import CaseChannel, CaseKind, HostKind, ReportCategory, VisitAnswer
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


class CaseReceiveForm(forms.Form):
    """A case received at the desk or by post, entered by staff."""

    kind = forms.ChoiceField(label=_("Loại đơn"), choices=CaseKind.choices)
    channel = forms.ChoiceField(label=_("Hình thức nhận"), choices=CaseChannel.choices)
    subject = forms.CharField(label=_("Tóm tắt"), max_length=300)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("Họ và tên người gửi"), max_length=120, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    contact = forms.CharField(label=_("Số điện thoại, thư điện tử"), max_length=120, required=False)
    decision_known_on = forms.DateField(
        label=_("Ngày nhận được hoặc biết quyết định, hành vi bị khiếu nại (khiếu nại)"), required=False
    )
    excused_days = forms.IntegerField(
        label=_("Số ngày trở ngại khách quan (ốm đau, thiên tai...)"),
        min_value=0,
        max_value=3650,
        initial=0,
        required=False,
    )
    remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa"), required=False)
    complex_case = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)


class VisitForm(forms.Form):
    """One visit entered in the reception book."""

    channel = forms.ChoiceField(
        label=_("Hình thức tiếp"),
        choices=[(CaseChannel.IN_PERSON, _("Trực tiếp")), (CaseChannel.ONLINE, _("Trực tuyến"))],
    )
    classification = forms.ChoiceField(label=_("Phân loại"), choices=CaseKind.choices)
    content = forms.CharField(label=_("Nội dung trình bày"), widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("Họ và tên người đến"), max_length=120, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    contact = forms.CharField(label=_("Số điện thoại"), max_length=120, required=False)
    group_size = forms.IntegerField(label=_("Số người"), min_value=1, max_value=10000, initial=1)
    representatives = forms.CharField(
        label=_("Người đại diện (mỗi người một dòng; bắt buộc với đoàn từ 5 người)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SessionForm(forms.Form):
    on = forms.DateField(label=_("Ngày tiếp"))
    host_kind = forms.ChoiceField(label=_("Người tiếp"), choices=HostKind.choices)
    host_name = forms.CharField(label=_("Họ tên người tiếp"), max_length=120)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)


class OpenCaseForm(forms.Form):
    decision_known_on = forms.DateField(label=_("Ngày nhận được hoặc biết quyết định (khiếu nại)"), required=False)


class VisitAnswerForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Trả lời"), choices=VisitAnswer.choices)
    note = forms.CharField(label=_("Lý do, cơ quan chuyển đến"), required=False, max_length=2000)
