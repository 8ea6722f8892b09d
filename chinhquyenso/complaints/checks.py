"""Deployment check: a production start needs a valid CQS_FIELD_KEY (denouncer identities are encrypted with it)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def field_key_check(app_configs, **kwargs):
    from chinhquyenso.complaints.identity import _fernet, _keys

    try:
        if not settings.DEBUG and _keys() and _fernet():
            return []
    except ImproperlyConfigured as error:
        return [
            checks.Error(
                str(error),
                hint="python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
                id="complaints.E001",
            )
        ]
    return []
