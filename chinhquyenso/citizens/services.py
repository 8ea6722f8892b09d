"""Writes of the citizen side: one-time codes and sign-ins, online filing with uploads, fee payment, and the
electronic result the desk issues when it returns a dossier."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chinhquyenso.citizens.adapters import IdentityClaims, PaymentOutcome, code_sender, payment_gateway
from chinhquyenso.citizens.errors import (
    AssuranceTooLow,
    CodeExpired,
    CodeInvalid,
    CodeThrottled,
    FilingInvalid,
    PaymentRefused,
    ResultRefused,
    SignInRefused,
)
from chinhquyenso.citizens.models import (
    CitizenApiToken,
    CitizenProfile,
    DossierOwnership,
    ElectronicResult,
    OtpChallenge,
    OtpChannel,
    PaymentStatus,
    PaymentTransaction,
    SignInMethod,
)
from chinhquyenso.citizens.permissions import can_file_with_level, is_citizen
from chinhquyenso.core.attachments import attachment_store_upload, sniff_content_type
from chinhquyenso.core.audit import audit_record
from chinhquyenso.core.errors import InvalidInput, NotFound
from chinhquyenso.core.models import Attachment, Office, OfficeKind, Role, User
from chinhquyenso.core.ratelimit import rate_limit_hit
from chinhquyenso.procedures import selectors as dossier_selectors
from chinhquyenso.procedures import services as dossier_services
from chinhquyenso.procedures.errors import ActionForbidden, DossierNotFound
from chinhquyenso.procedures.models import Dossier, OnlineLevel, ProcedureVersion
from chinhquyenso.procedures.workflow import TERMINAL, Action, State

CODE_TTL = dt.timedelta(minutes=5)
CODE_MAX_ATTEMPTS = 5
# Sending a code costs money and can flood someone's phone: a few per recipient, a few more per client address.
CODES_PER_RECIPIENT = (3, 15 * 60)
CODES_PER_CLIENT = (10, 60 * 60)
CHECKS_PER_CLIENT = (30, 10 * 60)
TOKEN_TTL = dt.timedelta(hours=8)
PAID_ON_PROVINCIAL_GATEWAY = 2  # DuocThanhToanTrucTuyen: 1 = on DVCQG, 2 = ministry/province payment gateway


# --- One-time codes ------------------------------------------------------------------------------
def recipient_normalize(address: str) -> tuple[str, str]:
    """A Vietnamese mobile number as 0xxxxxxxxx, or an e-mail address in lower case, with its channel."""
    value = (address or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(_("Địa chỉ thư điện tử không hợp lệ."), fields={"address": "invalid"}) from None
        return value.lower(), OtpChannel.EMAIL
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0[35789]\d{8}", digits):
        raise InvalidInput(
            _("Nhập số điện thoại di động (10 chữ số, ví dụ 0912345678) hoặc địa chỉ thư điện tử."),
            fields={"address": "invalid"},
        )
    return digits, OtpChannel.SMS


def recipient_mask(recipient: str) -> str:
    if "@" in recipient:
        name, _sep, domain = recipient.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{recipient[:3]}****{recipient[-3:]}"


def _code_hash(*, salt: str, recipient: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{salt}:{recipient}:{code}".encode(), hashlib.sha256).hexdigest()


def _throttle(bucket: str, client: str, rule: tuple[int, int]) -> None:
    limit, window = rule
    wait = rate_limit_hit(bucket=bucket, client=client, limit=limit, window_seconds=window)
    if wait:
        raise CodeThrottled(
            _("Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau %(s)s giây.") % {"s": wait}, retry_after=wait
        )


@transaction.atomic
def otp_request(*, address: str, client: str, at: dt.datetime | None = None) -> OtpChallenge:
    """Send a 6-digit one-time code valid for 5 minutes; a new code replaces the previous one. Limited per
    recipient and per client address."""
    recipient, channel = recipient_normalize(address)
    _throttle("otp-client", client or "-", CODES_PER_CLIENT)
    _throttle("otp-recipient", recipient, CODES_PER_RECIPIENT)
    now = at or timezone.now()
    OtpChallenge.objects.filter(recipient=recipient, closed=False, used_at__isnull=True).update(closed=True)
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(8)
    challenge = OtpChallenge.objects.create(
        recipient=recipient,
        channel=channel,
        salt=salt,
        code_hash=_code_hash(salt=salt, recipient=recipient, code=code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    # in the transaction: the message is queued with the code and disappears with it on rollback
    code_sender().send(recipient=recipient, channel=channel, code=code, reference=str(challenge.pk))
    return challenge


@dataclass
class _CheckOutcome:
    status: str
    attempts_left: int = 0
    user: User | None = None


def otp_verify(*, address: str, code: str, client: str = "", at: dt.datetime | None = None) -> User:
    """Sign in with the code: at most 5 tries per code, within 5 minutes, once. The account is created on the
    first sign-in of a phone number or e-mail address."""
    recipient, _channel = recipient_normalize(address)
    code = (code or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise CodeInvalid(_("Mã xác thực gồm 6 chữ số."), fields={"code": "format"})
    _throttle("otp-check", client or "-", CHECKS_PER_CLIENT)
    # the count of wrong tries must survive the refusal, so the check commits before anything is raised
    outcome = _otp_consume(recipient=recipient, code=code, now=at or timezone.now())
    if outcome.status == "ok":
        return outcome.user
    if outcome.status == "expired":
        raise CodeExpired(
            _("Mã xác thực đã hết hạn (hiệu lực 5 phút). Hãy yêu cầu mã mới."), fields={"code": "expired"}
        )
    if outcome.status == "exhausted":
        raise CodeInvalid(
            _("Bạn đã nhập sai quá 5 lần. Hãy yêu cầu mã mới."), code="attempts_exhausted", fields={"code": "attempts"}
        )
    if outcome.status == "none":
        raise CodeExpired(
            _("Chưa có mã xác thực cho địa chỉ này hoặc mã đã được dùng. Hãy yêu cầu mã mới."),
            fields={"code": "missing"},
        )
    if outcome.attempts_left == 0:
        raise CodeInvalid(
            _("Mã xác thực không đúng. Bạn đã nhập sai 5 lần; hãy yêu cầu mã mới."),
            code="attempts_exhausted",
            fields={"code": "attempts"},
        )
    raise CodeInvalid(
        _("Mã xác thực không đúng. Còn %(n)s lần thử.") % {"n": outcome.attempts_left}, fields={"code": "wrong"}
    )


@transaction.atomic
def _otp_consume(*, recipient: str, code: str, now: dt.datetime) -> _CheckOutcome:
    challenge = (
        OtpChallenge.objects.select_for_update()
        .filter(recipient=recipient, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if challenge is None:
        return _CheckOutcome("none")
    if challenge.closed and challenge.attempts >= CODE_MAX_ATTEMPTS:
        return _CheckOutcome("exhausted")
    if challenge.closed:
        return _CheckOutcome("none")
    if challenge.expires_at <= now:
        return _CheckOutcome("expired")
    expected = _code_hash(salt=challenge.salt, recipient=recipient, code=code)
    if not hmac.compare_digest(expected, challenge.code_hash):
        challenge.attempts += 1
        challenge.closed = challenge.attempts >= CODE_MAX_ATTEMPTS
        challenge.save(update_fields=["attempts", "closed"])
        return _CheckOutcome("wrong", attempts_left=CODE_MAX_ATTEMPTS - challenge.attempts)
    challenge.used_at = now
    challenge.closed = True
    challenge.save(update_fields=["used_at", "closed"])
    field = "email" if challenge.channel == OtpChannel.EMAIL else "phone"
    profile = CitizenProfile.objects.select_related("user").filter(**{field: recipient}).first()
    user = profile.user if profile else _citizen_create(**{field: recipient})
    if not is_citizen(user):
        raise SignInRefused(_("Tài khoản này không đăng nhập được bằng mã xác thực."))
    audit_record(action="citizen.sign_in", actor=user, object_type="User", object_id=str(user.pk), data={"via": "otp"})
    return _CheckOutcome("ok", user=user)


def _citizen_create(**profile_fields) -> User:
    user = User(username=f"congdan-{secrets.token_hex(6)}", role="")
    user.set_unusable_password()
    user.save()
    CitizenProfile.objects.create(user=user, **profile_fields)
    return user


@transaction.atomic
def citizen_sign_in_identity(*, claims: IdentityClaims) -> User:
    """A sign-in through the national identity (VNeID): the account is found by the identity's subject, created
    the first time, and its identity data follow the national record."""
    if claims.assurance_level not in (1, 2) or not claims.subject:
        raise SignInRefused(_("Tài khoản định danh điện tử không hợp lệ."))
    profile = CitizenProfile.objects.select_for_update().select_related("user").filter(vneid_subject=claims.subject)
    profile = profile.first()
    if profile is None:
        user = _citizen_create(vneid_subject=claims.subject)
        profile = user.citizen_profile
    user = profile.user
    if not is_citizen(user):
        raise SignInRefused(_("Tài khoản này không đăng nhập được ở cổng công dân."))
    profile.full_name = claims.name
    profile.id_number = claims.id_number
    profile.birth_date = claims.birth_date
    profile.save(update_fields=["full_name", "id_number", "birth_date"])
    audit_record(
        action="citizen.sign_in",
        actor=user,
        object_type="User",
        object_id=str(user.pk),
        data={"via": "vneid", "level": claims.assurance_level},
    )
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def citizen_api_token_issue(*, user: User, assurance_level: int, method: str) -> tuple[str, dt.datetime]:
    """A bearer token for the citizen API, worth no more than the sign-in that asked for it."""
    if not is_citizen(user) or assurance_level not in (1, 2):
        raise SignInRefused(_("Cần đăng nhập bằng tài khoản công dân."))
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + TOKEN_TTL
    CitizenApiToken.objects.create(
        user=user, digest=_token_digest(token), assurance_level=assurance_level, method=method, expires_at=expires_at
    )
    return token, expires_at


def citizen_api_token_authenticate(*, token: str) -> CitizenApiToken | None:
    row = (
        CitizenApiToken.objects.select_related("user")
        .filter(digest=_token_digest(token), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return row if row is not None and is_citizen(row.user) else None


# --- Online filing ---------------------------------------------------------------------------------
def receiving_offices_queryset(on: dt.date | None = None):
    """The one-stop desks of the wards in force today: an online dossier may go to any of them (NĐ 118/2025)."""
    on = on or timezone.localdate()
    return (
        Office.objects.filter(kind=OfficeKind.ONE_STOP, admin_unit__level="commune")
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(admin_unit__valid_to__isnull=True) | Q(admin_unit__valid_to__gte=on))
        .filter(Q(admin_unit__valid_from__isnull=True) | Q(admin_unit__valid_from__lte=on))
        .select_related("admin_unit")
        .order_by("admin_unit__name")
    )


def _check_uploads(version: ProcedureVersion, uploads: dict) -> None:
    """Every upload is judged before anything is stored, so a refused filing leaves no file behind."""
    required = {doc.pk: doc for doc in version.documents.all()}
    unknown = set(uploads) - set(required)
    if unknown:
        raise FilingInvalid(_("Giấy tờ không thuộc thủ tục này."), fields={"documents": "unknown"})
    errors: dict[str, str] = {}
    limit = settings.ATTACHMENT_MAX_BYTES
    for pk, doc in required.items():
        upload = uploads.get(pk)
        field = f"file_{pk}"
        if upload is None:
            # a paper that is only shown (the ID card) is proven by the e-ID sign-in itself when filing online
            if doc.mandatory and doc.form != "shown":
                errors[field] = _("Thiếu giấy tờ bắt buộc: %(name)s.") % {"name": doc.name}
            continue
        if not upload.size:
            errors[field] = _("Tệp của “%(name)s” rỗng.") % {"name": doc.name}
        elif upload.size > limit:
            errors[field] = _("Tệp của “%(name)s” quá lớn (tối đa %(max)s MB).") % {
                "name": doc.name,
                "max": round(limit / 1_048_576),
            }
        else:
            head = upload.read(16)
            upload.seek(0)
            if sniff_content_type(head) is None:
                errors[field] = _("Tệp của “%(name)s” không phải PDF, JPEG hoặc PNG.") % {"name": doc.name}
    if errors:
        raise FilingInvalid(next(iter(errors.values())), fields=errors)


def _delete_files(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        attachment.file.storage.delete(attachment.file.name)


def online_dossier_file(
    *,
    citizen: User,
    assurance_level: int,
    method: str,
    procedure_code: str,
    receiving_office_code: str,
    applicant: dossier_services.Applicant,
    content: str,
    uploads: dict[int, object],
    at: dt.datetime | None = None,
) -> Dossier:
    """File a dossier online (state 1, NĐ 42/2022; NĐ 118/2025 Art. 11): the procedure must be offered online, the
    sign-in must meet its e-ID level (NĐ 69/2024), the uploads must be PDF, JPEG or PNG within the size limit;
    any desk of the province receives it."""
    if not is_citizen(citizen):
        raise SignInRefused(_("Cần đăng nhập bằng tài khoản công dân để nộp hồ sơ trực tuyến."))
    version = dossier_selectors.procedure_get_published(code=procedure_code)
    if version.online_level == OnlineLevel.NONE:
        raise FilingInvalid(_("Thủ tục này chưa được cung cấp trực tuyến."), fields={"procedure": "offline"})
    if not can_file_with_level(assurance_level=assurance_level, version=version):
        raise AssuranceTooLow(
            _(
                "Thủ tục này yêu cầu tài khoản định danh điện tử mức 2. Bạn đang đăng nhập ở mức %(level)s; "
                "hãy đăng nhập bằng VNeID mức 2 để nộp hồ sơ."
            )
            % {"level": assurance_level}
        )
    receiving_office = receiving_offices_queryset().filter(code=receiving_office_code).first()
    if receiving_office is None:
        raise FilingInvalid(_("Hãy chọn xã, phường tiếp nhận hồ sơ."), fields={"receiving_office": "required"})
    try:
        resolving_office = dossier_selectors.default_resolving_office(
            receiving_office=receiving_office, version=version
        )
    except InvalidInput:
        raise FilingInvalid(
            _("Xã, phường đã chọn chưa có cơ quan giải quyết thủ tục này."), fields={"receiving_office": "resolving"}
        ) from None
    _check_uploads(version, uploads)

    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            documents = []
            for doc in version.documents.all():
                upload = uploads.get(doc.pk)
                attachment = None
                if upload is not None:
                    attachment = attachment_store_upload(upload=upload, uploaded_by=citizen, field=f"file_{doc.pk}")
                    stored.append(attachment)
                if attachment is not None or doc.mandatory:
                    documents.append(
                        dossier_services.ReceivedDocument(
                            required_document_id=doc.pk, attachment_id=attachment.pk if attachment else None
                        )
                    )
            dossier = dossier_services.dossier_submit_online(
                version=version,
                receiving_office=receiving_office,
                resolving_office=resolving_office,
                applicant=applicant,
                documents=documents,
                content=content,
                vneid_verified=method == SignInMethod.VNEID and assurance_level >= 2,
                at=at,
            )
            DossierOwnership.objects.create(
                dossier=dossier, citizen=citizen, assurance_level=assurance_level, method=method
            )
            audit_record(
                action="citizen.dossier_filed",
                actor=citizen,
                object_type="Dossier",
                object_id=dossier.code,
                data={"procedure": procedure_code, "files": [a.sha256 for a in stored], "level": assurance_level},
            )
    except Exception:
        # the rows rolled back; the files written before the refusal must go too
        _delete_files(stored)
        raise
    return dossier


# --- Payment -----------------------------------------------------------------------------------------
def _owned_dossier_for_update(*, citizen: User, code: str) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",)).filter(code=code, citizen_ownership__citizen=citizen).first()
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


@transaction.atomic
def payment_start(*, citizen: User, code: str, return_url: str) -> tuple[PaymentTransaction, str]:
    """Open a payment of the dossier's fees at the gateway; a dossier is paid once."""
    dossier = _owned_dossier_for_update(citizen=citizen, code=code)
    if dossier.fee_total <= 0:
        raise PaymentRefused(_("Hồ sơ %(code)s không phải nộp phí, lệ phí.") % {"code": code})
    if dossier.paid_online:
        raise PaymentRefused(_("Hồ sơ %(code)s đã được thanh toán.") % {"code": code})
    if dossier.state in TERMINAL:
        raise PaymentRefused(_("Hồ sơ %(code)s đã kết thúc, không thanh toán được.") % {"code": code})
    gateway = payment_gateway()
    now = timezone.now()
    transaction_row = PaymentTransaction.objects.create(
        reference=f"TT{now:%y%m%d}{secrets.token_hex(5).upper()}",
        dossier=dossier,
        citizen=citizen,
        amount=dossier.fee_total,
        status=PaymentStatus.PENDING,
        gateway=gateway.name,
        created_at=now,
    )
    url = gateway.checkout_url(
        reference=transaction_row.reference,
        amount=transaction_row.amount,
        description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": code},
        return_url=return_url,
    )
    audit_record(
        action="citizen.payment_started",
        actor=citizen,
        object_type="Dossier",
        object_id=code,
        data={"reference": transaction_row.reference, "amount": transaction_row.amount},
    )
    return transaction_row, url


@transaction.atomic
def payment_complete(*, outcome: PaymentOutcome, at: dt.datetime | None = None) -> PaymentTransaction:
    """Record the gateway's verified outcome once (a repeated callback changes nothing); a success marks the
    dossier paid online (DuocThanhToanTrucTuyen = 2)."""
    row = PaymentTransaction.objects.select_for_update().filter(reference=outcome.reference).first()
    if row is None:
        raise NotFound(_("Không có giao dịch %(ref)s.") % {"ref": outcome.reference})
    if row.status != PaymentStatus.PENDING:
        return row
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=row.dossier_id)
    succeeded = outcome.succeeded and outcome.amount == row.amount and not dossier.paid_online
    row.status = PaymentStatus.SUCCEEDED if succeeded else PaymentStatus.FAILED
    row.gateway_reference = outcome.gateway_reference[:100]
    row.completed_at = at or timezone.now()
    try:
        with transaction.atomic():
            row.save(update_fields=["status", "gateway_reference", "completed_at"])
    except IntegrityError:  # another transaction of this dossier succeeded first
        row.status = PaymentStatus.FAILED
        row.save(update_fields=["status", "gateway_reference", "completed_at"])
        succeeded = False
    if succeeded:
        # the flag of the national sync schema; no state changes, so this is not a workflow transition
        Dossier.objects.filter(pk=dossier.pk).update(paid_online=PAID_ON_PROVINCIAL_GATEWAY)
    audit_record(
        action="citizen.payment_completed",
        actor=row.citizen,
        object_type="Dossier",
        object_id=dossier.code,
        data={"reference": row.reference, "status": row.status, "amount": outcome.amount},
    )
    return row


# --- Electronic results --------------------------------------------------------------------------
RESULT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{3,59}")


def electronic_result_issue(
    *, code: str, actor: User, upload, result_code: str = "", note: str = "", at: dt.datetime | None = None
) -> ElectronicResult:
    """Return a dossier with its electronic result (TT 03/2025 Art. 5; TT 01/2023): the desk stores the result
    file under a result code, and the dossier goes from 9 to 10 in the same transaction."""
    result_code = (result_code or "").strip()
    if result_code and not RESULT_CODE.fullmatch(result_code):
        raise FilingInvalid(
            _("Mã kết quả gồm 4–60 ký tự: chữ, số, dấu chấm, gạch ngang, gạch dưới."), fields={"result_code": "invalid"}
        )
    if upload is None:
        raise FilingInvalid(_("Hãy chọn tệp kết quả (PDF, JPEG hoặc PNG)."), fields={"file": "required"})
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            dossier = dossier_selectors.dossier_get_for_user(code=code, user=actor)
            if actor.role != Role.DESK_OFFICER:
                raise ActionForbidden(_("Chỉ cán bộ Một cửa được trả kết quả."))
            dossier = (
                Dossier.objects.select_for_update(of=("self",)).select_related("resolving_office").get(pk=dossier.pk)
            )
            if dossier.state != State.RESULT_READY:
                raise ResultRefused(
                    _("Chỉ trả kết quả điện tử khi hồ sơ ở trạng thái “Đã xử lý xong”; hồ sơ đang “%(s)s”.")
                    % {"s": State(dossier.state).label}
                )
            if ElectronicResult.objects.filter(dossier=dossier).exists():
                raise ResultRefused(_("Hồ sơ đã có kết quả điện tử."))
            now = at or timezone.now()
            result_code = result_code or f"KQ-{now:%y%m%d}-{secrets.token_hex(4).upper()}"
            if ElectronicResult.objects.filter(result_code=result_code).exists():
                raise ResultRefused(
                    _("Mã kết quả %(c)s đã được dùng.") % {"c": result_code}, fields={"result_code": "taken"}
                )
            attachment = attachment_store_upload(upload=upload, uploaded_by=actor, field="file")
            stored.append(attachment)
            result = ElectronicResult.objects.create(
                dossier=dossier,
                result_code=result_code,
                attachment=attachment,
                issuing_office=dossier.resolving_office,
                issued_at=now,
                issued_by=actor,
            )
            # MaKetQua of the national sync schema lives on the dossier; it is data, not a state
            Dossier.objects.filter(pk=dossier.pk).update(result_code=result_code)
            dossier_services.dossier_transition(
                code=dossier.code,
                actor=actor,
                request=dossier_services.TransitionRequest(
                    action=Action.RETURN_RESULT,
                    note=note or _("Trả kết quả điện tử, mã kết quả %(c)s.") % {"c": result_code},
                ),
                at=now,
            )
            audit_record(
                action="dossier.electronic_result_issued",
                actor=actor,
                object_type="Dossier",
                object_id=dossier.code,
                data={"result_code": result_code, "sha256": attachment.sha256, "size": attachment.size},
            )
    except Exception:
        _delete_files(stored)
        raise
    return result
