"""Forms of the citizen pages: they parse input; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeRequestForm(forms.Form):
    address = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=254,
        help_text=_("Chúng tôi gửi một mã gồm 6 chữ số, có hiệu lực 5 phút."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class CodeCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
    )


class StandInIdentityForm(forms.Form):
    subject = forms.ChoiceField(label=_("Danh tính thử nghiệm"), widget=forms.RadioSelect)
    level = forms.TypedChoiceField(
        label=_("Mức định danh điện tử"),
        coerce=int,
        choices=[(2, _("Mức 2")), (1, _("Mức 1"))],
        initial=2,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, identities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(c.subject, f"{c.name} ({c.id_number or c.email})") for c in identities]


class FilingForm(forms.Form):
    receiving_office = forms.ChoiceField(label=_("Nộp tại xã, phường"))
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=12, required=False)
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    content = forms.CharField(
        label=_("Nội dung yêu cầu"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_office"].choices = [("", _("— Chọn xã, phường —"))] + [
            (o.code, f"{o.admin_unit.full_name} ({o.name})") for o in offices
        ]


class ElectronicResultForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF, JPEG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    result_code = forms.CharField(
        label=_("Mã kết quả"),
        max_length=60,
        required=False,
        help_text=_("Để trống để hệ thống tự cấp mã."),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
