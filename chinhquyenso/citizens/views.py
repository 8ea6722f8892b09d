"""Citizen pages: sign-in (one-time code or the national identity), online filing, "my dossiers", payment,
and the public verification of an electronic result; plus the desk's page that returns a dossier with its
electronic result. Views parse input, call one service or selector and render."""

from __future__ import annotations

import dataclasses
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.citizens import selectors, services
from chinhquyenso.citizens.adapters import (
    STAND_IN_IDENTITIES,
    PaymentOutcome,
    StandInIdentityProvider,
    StandInPaymentGateway,
    identity_provider,
    payment_gateway,
    stand_ins_allowed,
)
from chinhquyenso.citizens.errors import AssuranceTooLow
from chinhquyenso.citizens.forms import (
    CodeCheckForm,
    CodeRequestForm,
    ElectronicResultForm,
    FilingForm,
    StandInIdentityForm,
)
from chinhquyenso.citizens.models import SignInMethod, StandInMessage
from chinhquyenso.citizens.permissions import (
    SESSION_LEVEL,
    SESSION_METHOD,
    can_file_with_level,
    is_citizen,
    session_assurance_level,
)
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.permissions import is_staff_member
from chinhquyenso.procedures import selectors as dossier_selectors
from chinhquyenso.procedures.services import Applicant
from chinhquyenso.procedures.workflow import TERMINAL, State

SESSION_ADDRESS = "citizen.otp_address"
SESSION_NEXT = "citizen.next"
SESSION_OIDC = "citizen.oidc"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return reverse("citizens:my-dossiers")


def _start_session(request, user, *, level: int, method: str) -> None:
    """Sign the citizen in and record what the sign-in is worth (RULES.md §8.3: the level lives in the session)."""
    next_url = request.session.get(SESSION_NEXT)
    login(request, user, backend=BACKEND)  # a new session key: nothing of the anonymous session is trusted
    request.session[SESSION_LEVEL] = level
    request.session[SESSION_METHOD] = method
    if next_url:
        request.session[SESSION_NEXT] = next_url


def _after_sign_in(request):
    return redirect(_safe_next(request, request.session.pop(SESSION_NEXT, None)))


def _require_citizen(request):
    """A staff account is not a citizen account: it is sent to sign in as a citizen instead."""
    if not is_citizen(request.user) or not session_assurance_level(request):
        request.session[SESSION_NEXT] = request.get_full_path()
        return redirect("citizens:sign-in")
    return None


def _form_error(form, error: DomainError, names: dict[str, str] | None = None) -> None:
    placed = False
    for name in error.fields:
        field = (names or {}).get(name, name)
        if field in form.fields:
            form.add_error(field, error.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --- Sign-in --------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Choose: a one-time code to a phone or e-mail, or the national identity (VNeID)."""
    if "next" in request.GET:
        request.session[SESSION_NEXT] = _safe_next(request, request.GET["next"])
    form = CodeRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.otp_request(address=form.cleaned_data["address"], client=client_address(request))
        except DomainError as error:
            _form_error(form, error)
            status = error.status
        else:
            request.session[SESSION_ADDRESS] = challenge.recipient
            messages.success(
                request,
                _("Đã gửi mã xác thực đến %(r)s.") % {"r": services.recipient_mask(challenge.recipient)},
            )
            return redirect("citizens:sign-in-code")
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "citizens/sign_in.html",
        {"form": form, "stand_ins": stand_ins_allowed()},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    recipient = request.session.get(SESSION_ADDRESS)
    if not recipient:
        return redirect("citizens:sign-in")
    form = CodeCheckForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.otp_verify(
                address=recipient, code=form.cleaned_data["code"], client=client_address(request)
            )
        except DomainError as error:
            _form_error(form, error)
            status = error.status
        else:
            request.session.pop(SESSION_ADDRESS, None)
            _start_session(request, user, level=1, method=SignInMethod.ONE_TIME_CODE)
            return _after_sign_in(request)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "citizens/sign_in_code.html",
        {"form": form, "recipient": services.recipient_mask(recipient), "outbox_url": _dev_outbox_url()},
        status=status,
    )


@require_POST
def sign_in_vneid(request):
    """Start the national login: a fresh state and nonce, kept in the session until the callback."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session[SESSION_OIDC] = {"state": state, "nonce": nonce}
    redirect_uri = request.build_absolute_uri(reverse("citizens:vneid-callback"))
    try:
        url = identity_provider().authorization_url(state=state, nonce=nonce, redirect_uri=redirect_uri)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("citizens:sign-in")
    return redirect(url)


@never_cache
@require_GET
def vneid_callback(request):
    pending = request.session.pop(SESSION_OIDC, None)
    if not pending or not secrets.compare_digest(str(request.GET.get("state", "")), pending["state"]):
        messages.error(request, _("Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn, hãy đăng nhập lại."))
        return redirect("citizens:sign-in")
    redirect_uri = request.build_absolute_uri(reverse("citizens:vneid-callback"))
    try:
        claims = identity_provider().claims_from_callback(
            params=request.GET.dict(), nonce=pending["nonce"], redirect_uri=redirect_uri
        )
        user = services.citizen_sign_in_identity(claims=claims)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("citizens:sign-in")
    _start_session(request, user, level=claims.assurance_level, method=SignInMethod.VNEID)
    messages.success(
        request, _("Đã đăng nhập bằng VNeID, tài khoản định danh mức %(n)s.") % {"n": claims.assurance_level}
    )
    return _after_sign_in(request)


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("Đã đăng xuất."))
    return redirect("portal:home")


def _dev_outbox_url() -> str:
    """Where a tester reads the code when no real SMS or e-mail leaves the machine (empty in production)."""
    if not stand_ins_allowed():
        return ""
    if getattr(settings, "CITIZEN_CODE_SENDER", "").endswith("StandInOutboxSender"):
        return reverse("citizens:stand-in-outbox")
    return reverse("notifications:notification-list")


# --- Stand-ins (development and tests only) ----------------------------------------------------------
def _require_stand_ins():
    if not stand_ins_allowed():
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def vneid_stand_in(request):
    """Plays the national login page (STAND-IN): choose a test identity and a level."""
    _require_stand_ins()
    params = request.POST if request.method == "POST" else request.GET
    state, nonce, redirect_uri = params.get("state", ""), params.get("nonce", ""), params.get("redirect_uri", "")
    if not url_has_allowed_host_and_scheme(redirect_uri, allowed_hosts={request.get_host()}):
        raise Http404
    form = StandInIdentityForm(request.POST or None, identities=STAND_IN_IDENTITIES)
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in STAND_IN_IDENTITIES if c.subject == form.cleaned_data["subject"])
        claims = dataclasses.replace(chosen, assurance_level=form.cleaned_data["level"])
        code = StandInIdentityProvider().issue_code(claims=claims, nonce=nonce)
        separator = "&" if "?" in redirect_uri else "?"
        return redirect(f"{redirect_uri}{separator}{urlencode({'code': code, 'state': state})}")
    return render(
        request,
        "citizens/vneid_stand_in.html",
        {"form": form, "state": state, "nonce": nonce, "redirect_uri": redirect_uri},
    )


@never_cache
@require_GET
def stand_in_outbox(request):
    """The messages the stand-in sender would have sent (STAND-IN for SMS and e-mail)."""
    _require_stand_ins()
    return render(request, "citizens/stand_in_outbox.html", {"messages_sent": StandInMessage.objects.all()[:50]})


@never_cache
@require_http_methods(["GET", "POST"])
def payment_stand_in(request, reference: str):
    """Plays the payment gateway (STAND-IN): approve or decline; no money moves."""
    _require_stand_ins()
    params = request.POST if request.method == "POST" else request.GET
    return_url = params.get("return_url", "")
    if not url_has_allowed_host_and_scheme(return_url, allowed_hosts={request.get_host()}):
        raise Http404
    amount = int(params.get("amount", "0") or 0)
    if request.method == "POST":
        outcome = PaymentOutcome(
            reference=reference,
            succeeded=params.get("decision") == "approve",
            amount=amount,
            gateway_reference=f"STANDIN-{secrets.token_hex(6).upper()}",
        )
        signed = StandInPaymentGateway().sign_outcome(outcome)
        separator = "&" if "?" in return_url else "?"
        return redirect(f"{return_url}{separator}{urlencode({'outcome': signed})}")
    return render(
        request,
        "citizens/payment_stand_in.html",
        {"reference": reference, "amount": amount, "return_url": return_url},
    )


# --- Online filing ---------------------------------------------------------------------------------
def _applicant_initial(user) -> dict:
    profile = getattr(user, "citizen_profile", None)
    if profile is None:
        return {}
    return {
        "applicant_name": profile.full_name,
        "applicant_id_number": profile.id_number,
        "applicant_birth_date": profile.birth_date,
        "applicant_phone": profile.phone or "",
        "applicant_email": profile.email or "",
    }


FILING_FIELDS = {
    "applicant.name": "applicant_name",
    "applicant.id_number": "applicant_id_number",
    "applicant.phone": "applicant_phone",
    "receiving_office": "receiving_office",
}


@never_cache
@require_http_methods(["GET", "POST"])
def online_filing(request, code: str):
    """File a dossier online for one procedure: applicant data, content, the documents, the ward."""
    try:
        version = dossier_selectors.procedure_get_published(code=code)
    except DomainError:
        raise Http404 from None
    refusal = _require_citizen(request)
    if refusal:
        return refusal
    level = session_assurance_level(request)
    offices = list(services.receiving_offices_queryset())
    form = FilingForm(request.POST or None, initial=_applicant_initial(request.user), offices=offices)
    documents = list(version.documents.all())
    level_ok = can_file_with_level(assurance_level=level, version=version)

    def page(status: int, file_errors: dict | None = None):
        rows = [
            {
                "doc": doc,
                "required": doc.mandatory and doc.form != "shown",
                "error": (file_errors or {}).get(f"file_{doc.pk}", ""),
            }
            for doc in documents
        ]
        context = {
            "version": version,
            "document_rows": rows,
            "fees": list(version.fees.all()),
            "level": level,
            "level_ok": level_ok,
            "form": form,
        }
        return render(request, "citizens/filing.html", context, status=status)

    if request.method == "GET":
        return page(200 if level_ok else 403)
    if not form.is_valid():
        return page(422)
    data = form.cleaned_data
    uploads = {doc.pk: request.FILES[f"file_{doc.pk}"] for doc in documents if f"file_{doc.pk}" in request.FILES}
    try:
        dossier = services.online_dossier_file(
            citizen=request.user,
            assurance_level=level,
            method=request.session.get(SESSION_METHOD, SignInMethod.ONE_TIME_CODE),
            procedure_code=code,
            receiving_office_code=data["receiving_office"],
            applicant=Applicant(
                name=data["applicant_name"],
                id_number=data["applicant_id_number"],
                birth_date=data["applicant_birth_date"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
                address=data["applicant_address"],
            ),
            content=data["content"],
            uploads=uploads,
        )
    except AssuranceTooLow as error:
        level_ok = False
        form.add_error(None, error.message)
        return page(403)
    except DomainError as error:
        file_errors = {name: text for name, text in error.fields.items() if name.startswith("file_")}
        if file_errors:
            form.add_error(
                None,
                error.message
                if len(file_errors) == 1
                else _("Có %(n)s giấy tờ chưa hợp lệ, xem bên dưới.") % {"n": len(file_errors)},
            )
        else:
            _form_error(form, error, FILING_FIELDS)
        return page(error.status, file_errors)
    messages.success(request, _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code})
    if selectors.dossier_needs_payment(dossier=dossier):
        messages.info(request, _("Hồ sơ có phí, lệ phí; bạn có thể thanh toán trực tuyến ngay."))
    return redirect("citizens:my-dossier", code=dossier.code)


# --- My dossiers -----------------------------------------------------------------------------------
@never_cache
@require_GET
def my_dossiers(request):
    refusal = _require_citizen(request)
    if refusal:
        return refusal
    return render(
        request,
        "citizens/my_dossiers.html",
        {
            "dossiers": list(selectors.citizen_dossier_list(citizen=request.user)),
            "level": session_assurance_level(request),
        },
    )


@never_cache
@require_GET
def my_dossier(request, code: str):
    refusal = _require_citizen(request)
    if refusal:
        return refusal
    try:
        dossier = selectors.citizen_dossier_get(citizen=request.user, code=code)
    except DomainError:
        raise Http404 from None
    result = selectors.electronic_result_for(dossier=dossier)
    return render(
        request,
        "citizens/my_dossier.html",
        {
            "dossier": dossier,
            "timeline": selectors.citizen_dossier_timeline(dossier=dossier),
            "documents": selectors.citizen_dossier_documents(dossier=dossier),
            "payments": selectors.dossier_payments(dossier=dossier),
            "needs_payment": selectors.dossier_needs_payment(dossier=dossier) and dossier.state not in TERMINAL,
            "result": result,
            "result_qr": selectors.result_qr_data_uri(result.result_code) if result else "",
            "result_url": selectors.result_verification_url(result.result_code) if result else "",
            "result_ready": dossier.state in (State.RESULT_READY, State.RETURNED),
        },
    )


@require_GET
def my_document(request, code: str, document_id: int):
    if not is_citizen(request.user):
        raise Http404
    try:
        document = selectors.citizen_document_get(citizen=request.user, code=code, document_id=document_id)
    except DomainError:
        raise Http404 from None
    attachment = document.attachment
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )


@require_GET
def my_result(request, code: str):
    """The electronic result file: only for the citizen whose dossier it is."""
    if not is_citizen(request.user):
        raise Http404
    try:
        dossier = selectors.citizen_dossier_get(citizen=request.user, code=code)
    except DomainError:
        raise Http404 from None
    result = selectors.electronic_result_for(dossier=dossier)
    if result is None:
        raise Http404
    return FileResponse(
        result.attachment.file.open("rb"),
        content_type=result.attachment.content_type,
        as_attachment=True,
        filename=f"{result.result_code}{_extension(result.attachment.content_type)}",
    )


def _extension(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")


@require_POST
def payment_start(request, code: str):
    refusal = _require_citizen(request)
    if refusal:
        return refusal
    return_url = request.build_absolute_uri(reverse("citizens:payment-return"))
    try:
        _row, url = services.payment_start(citizen=request.user, code=code, return_url=return_url)
    except DomainError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, error.message)
        return redirect("citizens:my-dossier", code=code)
    return redirect(url)


@never_cache
@require_GET
def payment_return(request):
    """Where the gateway sends the citizen back: the outcome is verified by the gateway adapter, then recorded."""
    try:
        row = services.payment_complete(outcome=payment_gateway().outcome_from_callback(params=request.GET.dict()))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("citizens:my-dossiers")
    if row.status == "succeeded":
        messages.success(
            request,
            _("Đã thanh toán %(amount)s đồng, mã giao dịch %(ref)s.")
            % {"amount": f"{row.amount:,}".replace(",", "."), "ref": row.reference},
        )
    else:
        messages.error(request, _("Thanh toán không thành công (mã giao dịch %(ref)s).") % {"ref": row.reference})
    return redirect("citizens:my-dossier", code=row.dossier.code)


# --- Public verification -----------------------------------------------------------------------------
@require_GET
def result_verify(request, result_code: str):
    """Anyone holding the result (or its QR code) checks here that it is genuine; the file is never shown."""
    try:
        result = selectors.result_public_view(result_code=result_code[:60])
    except DomainError:
        return render(
            request, "citizens/result_verify.html", {"result": None, "result_code": result_code[:60]}, status=404
        )
    return render(request, "citizens/result_verify.html", {"result": result, "result_code": result_code})


# --- Staff: return with an electronic result -------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def staff_electronic_result(request, code: str):
    """The desk returns a dossier whose result is ready with its electronic result (file and result code)."""
    if not is_staff_member(request.user):
        raise Http404
    try:
        dossier = dossier_selectors.dossier_get_for_user(code=code, user=request.user)
    except DomainError:
        raise Http404 from None
    form = ElectronicResultForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.electronic_result_issue(
                code=code,
                actor=request.user,
                upload=form.cleaned_data["file"],
                result_code=form.cleaned_data["result_code"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Đã trả kết quả điện tử, mã kết quả %(c)s.") % {"c": result.result_code})
            return redirect("citizens:staff-electronic-result", code=code)
    elif request.method == "POST":
        status = 422
    result = selectors.electronic_result_for(dossier=dossier)
    return render(
        request,
        "citizens/staff_electronic_result.html",
        {
            "dossier": dossier,
            "form": form,
            "result": result,
            "result_qr": selectors.result_qr_data_uri(result.result_code) if result else "",
            "result_url": selectors.result_verification_url(result.result_code) if result else "",
            "can_issue": dossier.state == State.RESULT_READY and request.user.role == "desk_officer",
        },
        status=status,
    )
