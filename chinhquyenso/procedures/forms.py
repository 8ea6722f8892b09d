"""Forms of the one-stop staff pages. They parse and validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chinhquyenso.core.models import AdminUnit, AdminUnitLevel, Office, OfficeKind
from chinhquyenso.core.permissions import units_visible_to
from chinhquyenso.procedures.models import Channel
from chinhquyenso.procedures.selectors import procedure_current_versions
from chinhquyenso.procedures.workflow import Action, State


class IntakeForm(forms.Form):
    required_css_class = "required"  # the label gets a visible mark; the input has the required attribute

    procedure = forms.ChoiceField(label=_("Thủ tục hành chính"))
    receiving_office = forms.ModelChoiceField(
        label=_("Nơi tiếp nhận"), queryset=Office.objects.none(), to_field_name="code"
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_birth_date = forms.DateField(
        label=_("Ngày sinh"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_sex = forms.ChoiceField(
        label=_("Giới tính"), required=False, choices=[("", "—"), ("male", _("Nam")), ("female", _("Nữ"))]
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    applicant_unit = forms.ModelChoiceField(
        label=_("Xã/phường nơi cư trú"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="—",
    )
    channel = forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.IN_PERSON, _("Trực tiếp")), (Channel.POST, _("Bưu chính"))],
        coerce=int,
        initial=Channel.IN_PERSON,
    )
    content = forms.CharField(
        label=_("Nội dung yêu cầu"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả kiểm tra hồ sơ"),
        widget=forms.RadioSelect,
        initial="receive",
        choices=[
            ("receive", _("Đủ, hợp lệ: tiếp nhận và hẹn trả kết quả")),
            ("supplement", _("Chưa đủ: lập phiếu yêu cầu bổ sung")),
            ("refuse", _("Không đủ điều kiện: từ chối tiếp nhận")),
        ],
    )
    note = forms.CharField(
        label=_("Nội dung cần bổ sung hoặc lý do từ chối"),
        help_text=_("Ghi khi hồ sơ chưa đủ hoặc không đủ điều kiện tiếp nhận; nội dung này in trên phiếu."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        units = units_visible_to(user)
        # grouped by field (Hộ tịch, Chứng thực...) as the desk's procedure list is
        by_field: dict[str, list[tuple[str, str]]] = {}
        for v in sorted(procedure_current_versions(on=today), key=lambda v: (v.procedure.field.name, v.name)):
            by_field.setdefault(v.procedure.field.name, []).append((v.procedure.code, f"{v.name} ({v.procedure.code})"))
        self.fields["procedure"].choices = [("", _("— Chọn thủ tục —")), *by_field.items()]
        # htmx: choosing a procedure brings its checklist in place (without JavaScript: the page's own button)
        self.fields["procedure"].widget.attrs.update(
            {
                "hx-get": reverse("procedures:dossier-intake"),
                "hx-target": "#documents",
                "hx-select": "#documents",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        self.fields["receiving_office"].queryset = (
            Office.objects.filter(kind=OfficeKind.ONE_STOP, admin_unit__in=units.valid_on(today))
            .select_related("admin_unit")
            .order_by("name")
        )
        self.fields["applicant_unit"].queryset = (
            AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE).valid_on(today).order_by("name")
        )
        offices = self.fields["receiving_office"].queryset
        if len(offices) == 1:
            self.fields["receiving_office"].initial = offices[0].code

    def clean(self):
        data = super().clean()
        if data.get("outcome") in ("supplement", "refuse") and not (data.get("note") or "").strip():
            self.add_error("note", _("Cần ghi rõ nội dung cần bổ sung hoặc lý do từ chối."))
        return data


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        label=_("Ghi chú, lý do"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_appointment_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    assignee = forms.CharField(label=_("Phân công cho"), required=False, max_length=150)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), required=False, max_length=100)
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    state = forms.TypedChoiceField(
        label=_("Trạng thái"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả"))] + list(State.choices),
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả"))] + list(Channel.choices),
    )
    late = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("late", _("Quá hạn")),
            ("due_soon", _("Sắp đến hạn")),
            ("on_time", _("Trong hạn")),
        ],
    )
    received_from = forms.DateField(
        label=_("Tiếp nhận từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Tiếp nhận đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # officers know procedures by name, not by their national code
        self.fields["procedure"].choices = [("", _("Tất cả"))] + [
            (v.procedure.code, v.name) for v in procedure_current_versions(on=timezone.localdate())
        ]
