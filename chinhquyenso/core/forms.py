"""Forms of the staff pages: sign-in and password change, with Vietnamese messages that name the field."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        error_messages={"required": _("Vui lòng nhập tên đăng nhập.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khoá."),
    }


def _minimum_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0


# Django's own wording of these rules is not fully translated into Vietnamese; the codes are stable.
PASSWORD_RULE_MESSAGES = {
    "password_too_short": _("Mật khẩu mới phải có ít nhất %(min_length)d ký tự."),
    "password_too_common": _("Mật khẩu mới quá phổ biến, dễ bị đoán ra."),
    "password_entirely_numeric": _("Mật khẩu mới không được chỉ gồm chữ số."),
    "password_too_similar": _("Mật khẩu mới quá giống tên đăng nhập hoặc họ tên."),
}


class StaffPasswordChangeForm(PasswordChangeForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập mật khẩu hiện tại.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập mật khẩu mới.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập lại mật khẩu mới.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    error_messages = {
        "password_mismatch": _("Hai lần nhập mật khẩu mới không giống nhau."),
        "password_incorrect": _("Mật khẩu hiện tại không đúng."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "Ít nhất %(min_length)d ký tự, không chỉ gồm chữ số, không phải mật khẩu phổ biến "
            "và không giống tên đăng nhập hoặc họ tên."
        ) % {"min_length": _minimum_length()}

    def validate_password_for_user(self, user, *args, **kwargs):
        """The password rules of the settings, reported on the new password field in Vietnamese."""
        password = self.cleaned_data.get("new_password1")
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            for problem in error.error_list:
                message = PASSWORD_RULE_MESSAGES.get(problem.code)
                if message is None:
                    self.add_error("new_password1", problem)
                else:
                    self.add_error("new_password1", ValidationError(message, code=problem.code, params=problem.params))
