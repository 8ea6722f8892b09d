"""Adapters to the national systems a citizen meets, each an interface with a LOCAL STAND-IN.

- `CodeSender`: delivers one-time sign-in codes by SMS or e-mail. Default: `NotificationsSender`, through
  `notifications.services.notify` (whose own SMS adapter has a local outbox stand-in). Alternative stand-in:
  `StandInOutboxSender` writes the message to the `StandInMessage` table, readable on the dev-only page
  /hop-thu-mo-phong/.
- `IdentityProvider`: the national login (VNeID through Cổng Dịch vụ công quốc gia), OIDC-shaped: an
  authorization URL, a callback with `code` and `state`, and claims that include the assurance level (1 or 2,
  NĐ 69/2024). Stand-in: `StandInIdentityProvider`, a local page /vneid-mo-phong/ where one chooses a test
  identity and a level.
- `PaymentGateway`: online fee payment (DuocThanhToanTrucTuyen = 2: the provincial gateway). Stand-in:
  `StandInPaymentGateway`, a local page /thanh-toan-mo-phong/<reference>/ that approves or declines.

Stand-ins work only when `CITIZEN_STAND_INS` is true (default: `DEBUG`), so a production site cannot sign
anyone in or take a "payment" through them by mistake. The classes in use are named by the settings
`CITIZEN_CODE_SENDER`, `CITIZEN_IDENTITY_PROVIDER` and `CITIZEN_PAYMENT_GATEWAY` (dotted paths); docs/citizens.md
says what a real adapter must do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from chinhquyenso.citizens.errors import SignInRefused, StandInDisabled


def stand_ins_allowed() -> bool:
    return bool(getattr(settings, "CITIZEN_STAND_INS", settings.DEBUG))


def _require_stand_ins() -> None:
    if not stand_ins_allowed():
        raise StandInDisabled(_("Chức năng này chưa được kết nối với hệ thống quốc gia; vui lòng thử lại sau."))


# --- One-time codes ------------------------------------------------------------------------------
class CodeSender(Protocol):
    def send(self, *, recipient: str, channel: str, code: str, reference: str) -> None: ...


class NotificationsSender:
    """The default: the notifications app's outbox (e-mail over SMTP, SMS through its gateway adapter), written in
    the caller's transaction and sent by its task after commit, never twice. Templates:
    notifications/citizen_sign_in_code[_sms].<language>.txt in this app."""

    def send(self, *, recipient: str, channel: str, code: str, reference: str) -> None:
        from chinhquyenso.notifications.services import notify

        language = translation.get_language() or "vi"
        notify(
            key="citizen_sign_in_code_sms" if channel == "sms" else "citizen_sign_in_code",
            channel=channel,
            recipient=recipient,
            context={"code": code, "minutes": 5},
            language=language if language in ("vi", "en") else "vi",
            dedupe_key=f"citizen-code:{reference}:{channel}",
            related_type="citizen_sign_in",
        )


class StandInOutboxSender:
    """STAND-IN: writes the message to a local table instead of sending it; read it on /hop-thu-mo-phong/."""

    def send(self, *, recipient: str, channel: str, code: str, reference: str) -> None:
        from chinhquyenso.citizens.models import StandInMessage

        _require_stand_ins()
        body = _("Mã đăng nhập Chính quyền số của bạn là %(code)s, có hiệu lực 5 phút. Không đưa mã này cho ai.") % {
            "code": code
        }
        StandInMessage.objects.create(recipient=recipient, channel=channel, body=body)


def code_sender() -> CodeSender:
    path = getattr(settings, "CITIZEN_CODE_SENDER", "chinhquyenso.citizens.adapters.NotificationsSender")
    return import_string(path)()


# --- National identity (VNeID) -------------------------------------------------------------------
@dataclass(frozen=True)
class IdentityClaims:
    """What the national login tells us about the person: a stable subject, identity data, the assurance level."""

    subject: str
    name: str
    assurance_level: int
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""


class IdentityProvider(Protocol):
    name: str

    def authorization_url(self, *, state: str, nonce: str, redirect_uri: str) -> str: ...

    def claims_from_callback(self, *, params: dict, nonce: str, redirect_uri: str) -> IdentityClaims: ...


# Test identities of the stand-in. Made-up people; ID numbers follow the 12-digit layout (001 = Hà Nội).
STAND_IN_IDENTITIES = (
    IdentityClaims("test-vneid-0001", "Nguyễn Văn An", 2, "001090012345", dt.date(1990, 5, 17), "0912000001", ""),
    IdentityClaims("test-vneid-0002", "Trần Thị Bình", 2, "001185004321", dt.date(1985, 11, 2), "0912000002", ""),
    IdentityClaims("test-vneid-0003", "Lê Minh Châu", 2, "001201007777", dt.date(2001, 1, 9), "", "chau@example.vn"),
)
STAND_IN_SALT = "citizens.vneid-stand-in"


class StandInIdentityProvider:
    """Plays the national login locally: /vneid-mo-phong/ lists test identities; choosing one and a level
    returns to our callback with a signed, short-lived `code` carrying the claims and the nonce."""

    name = "vneid-stand-in"

    def authorization_url(self, *, state: str, nonce: str, redirect_uri: str) -> str:
        _require_stand_ins()
        query = urlencode({"state": state, "nonce": nonce, "redirect_uri": redirect_uri})
        return f"{reverse('citizens:vneid-stand-in')}?{query}"

    def issue_code(self, *, claims: IdentityClaims, nonce: str) -> str:
        _require_stand_ins()
        data = asdict(claims)
        data["birth_date"] = claims.birth_date.isoformat() if claims.birth_date else None
        return signing.dumps({"claims": data, "nonce": nonce}, salt=STAND_IN_SALT)

    def claims_from_callback(self, *, params: dict, nonce: str, redirect_uri: str) -> IdentityClaims:
        _require_stand_ins()
        if params.get("error"):
            raise SignInRefused(_("Bạn đã hủy đăng nhập bằng VNeID."))
        try:
            data = signing.loads(params.get("code", ""), salt=STAND_IN_SALT, max_age=300)
        except signing.BadSignature:
            raise SignInRefused(_("Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn, hãy đăng nhập lại.")) from None
        if data.get("nonce") != nonce:
            raise SignInRefused(_("Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn, hãy đăng nhập lại."))
        claims = dict(data["claims"])
        claims["birth_date"] = dt.date.fromisoformat(claims["birth_date"]) if claims.get("birth_date") else None
        return IdentityClaims(**claims)


def identity_provider() -> IdentityProvider:
    path = getattr(settings, "CITIZEN_IDENTITY_PROVIDER", "chinhquyenso.citizens.adapters.StandInIdentityProvider")
    return import_string(path)()


# --- Payment ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentOutcome:
    """What the gateway reports, verified: our reference, paid or not, the amount and the gateway's own id."""

    reference: str
    succeeded: bool
    amount: int
    gateway_reference: str = ""


class PaymentGateway(Protocol):
    name: str

    def checkout_url(self, *, reference: str, amount: int, description: str, return_url: str) -> str: ...

    def outcome_from_callback(self, *, params: dict) -> PaymentOutcome: ...


PAYMENT_SALT = "citizens.payment-stand-in"


class StandInPaymentGateway:
    """Plays the payment gateway locally: /thanh-toan-mo-phong/<reference>/ approves or declines and returns to
    our callback with a signed outcome. No money moves."""

    name = "stand-in"

    def checkout_url(self, *, reference: str, amount: int, description: str, return_url: str) -> str:
        _require_stand_ins()
        query = urlencode({"amount": amount, "return_url": return_url})
        return f"{reverse('citizens:payment-stand-in', args=[reference])}?{query}"

    def sign_outcome(self, outcome: PaymentOutcome) -> str:
        _require_stand_ins()
        return signing.dumps(asdict(outcome), salt=PAYMENT_SALT)

    def outcome_from_callback(self, *, params: dict) -> PaymentOutcome:
        _require_stand_ins()
        try:
            data = signing.loads(params.get("outcome", ""), salt=PAYMENT_SALT, max_age=3600)
        except signing.BadSignature:
            from chinhquyenso.citizens.errors import PaymentRefused

            raise PaymentRefused(_("Kết quả thanh toán không hợp lệ.")) from None
        return PaymentOutcome(**data)


def payment_gateway() -> PaymentGateway:
    path = getattr(settings, "CITIZEN_PAYMENT_GATEWAY", "chinhquyenso.citizens.adapters.StandInPaymentGateway")
    return import_string(path)()
