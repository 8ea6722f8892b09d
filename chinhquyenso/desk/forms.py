"""Forms of the booking, kiosk, counter and rating pages. Rules are checked again by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chinhquyenso.desk.models import PriorityReason, RatingValue


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Cần số điện thoại hoặc thư điện tử: để nhận mã lịch hẹn và để hủy, đổi lịch."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ManageForm(forms.Form):
    code = forms.CharField(label=_("Mã lịch hẹn"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử đã dùng khi đặt lịch"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )


class RatingForm(forms.Form):
    value = forms.ChoiceField(label=_("Mức độ hài lòng"), choices=RatingValue.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingContactForm(RatingForm):
    contact = forms.CharField(
        label=_("Số điện thoại, thư điện tử hoặc số định danh cá nhân đã khai khi nộp hồ sơ"),
        max_length=254,
        help_text=_("Để chắc chắn người đánh giá là người nộp hồ sơ."),
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Đối tượng ưu tiên"),
        required=False,
        choices=[("", _("Không"))] + list(PriorityReason.choices),
        widget=forms.RadioSelect,
    )


class LinkDossierForm(forms.Form):
    number = forms.IntegerField(label=_("Số thứ tự"), min_value=1, widget=forms.HiddenInput)
    dossier_code = forms.CharField(label=_("Mã hồ sơ đã lập"), max_length=60)
