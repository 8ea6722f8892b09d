"""The period and unit a dashboard or report shows."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chinhquyenso.metrics.selectors import Period, period_of

PERIOD_CHOICES = [
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("half", _("6 tháng")),
    ("year", _("Năm")),
    ("custom", _("Tùy chọn")),
]


class PeriodForm(forms.Form):
    unit = forms.CharField(label=_("Đơn vị"), required=False, max_length=20)
    kind = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_CHOICES, required=False)
    on = forms.DateField(label=_("Ngày trong kỳ"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Cần chọn ngày bắt đầu."))
            if not end:
                self.add_error("end", _("Cần chọn ngày kết thúc."))
            if start and end and end < start:
                self.add_error("end", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
            if start and end and (end - start).days > 366 * 5:
                self.add_error("end", _("Kỳ tính tối đa 5 năm."))
        return data

    def period(self) -> Period:
        """The chosen period; the current month when the form is empty or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("kind") or "month"
        if kind == "custom" and data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        on = data.get("on") or timezone.localdate()
        return period_of("month" if kind == "custom" else kind, on)
