"""Deployment check: the local stand-ins of VNeID and of the payment gateway must never serve a production site
(the stand-in login lets anyone pick an identity)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def stand_ins_check(app_configs, **kwargs):
    if not settings.DEBUG and getattr(settings, "CITIZEN_STAND_INS", False):
        return [
            checks.Error(
                "CITIZEN_STAND_INS is on while DEBUG is off: the stand-in VNeID login and payment gateway would "
                "be open to the public.",
                hint="Remove CITIZEN_STAND_INS and configure CITIZEN_IDENTITY_PROVIDER and CITIZEN_PAYMENT_GATEWAY.",
                id="citizens.E001",
            )
        ]
    return []
