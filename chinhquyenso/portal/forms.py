"""Forms of the public portal."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Dossier codes differ between systems (national "agency-YYMMDD-sequence", older local formats), so the
# form only keeps out what no code contains.
DOSSIER_CODE_CHARACTERS = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9./-]*$",
    message=_(
        "Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số, dấu chấm, dấu gạch ngang và dấu gạch chéo, "
        "bắt đầu bằng chữ cái hoặc chữ số."
    ),
)


class DossierTrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        help_text=_("In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.17.H26-250801-0012."),
        validators=[DOSSIER_CODE_CHARACTERS],
        error_messages={
            "required": _("Vui lòng nhập mã hồ sơ."),
            "max_length": _("Mã hồ sơ dài tối đa %(limit_value)d ký tự (đã nhập %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()
