"""The citizen API: sign-in by one-time code (or a token for a browser session signed in through VNeID), online
filing with uploads, "my dossiers", fee payment, the electronic result; the desk's return with an electronic
result; and the public verification of a result code.

Citizens authenticate with `Authorization: Bearer <citizen token>` (from POST /citizen/auth/token, or from
POST /citizen/auth/session-token in a signed-in browser session), or with the session cookie itself (then
unsafe methods need the CSRF token). A token is worth the assurance level of the sign-in that issued it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.security import APIKeyCookie, HttpBearer

from chinhquyenso.api.auth import StaffBearer
from chinhquyenso.api.schemas import ErrorOut
from chinhquyenso.citizens import selectors, services
from chinhquyenso.citizens.models import SignInMethod
from chinhquyenso.citizens.permissions import SESSION_LEVEL, SESSION_METHOD, is_citizen
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.errors import NotFound
from chinhquyenso.procedures.services import Applicant


class CitizenAuth:
    """Who the citizen is and what their sign-in is worth."""

    def __init__(self, user, assurance_level: int, method: str):
        self.user = user
        self.assurance_level = assurance_level
        self.method = method


class CitizenBearer(HttpBearer):
    def authenticate(self, request, token):
        row = services.citizen_api_token_authenticate(token=token)
        if row is None:
            return None
        return CitizenAuth(row.user, row.assurance_level, row.method)


class CitizenSession(APIKeyCookie):
    """The browser session of a signed-in citizen (CSRF checked on unsafe methods)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        level = int(request.session.get(SESSION_LEVEL, 0) or 0)
        if not is_citizen(request.user) or not level:
            return None
        return CitizenAuth(request.user, level, request.session.get(SESSION_METHOD, SignInMethod.ONE_TIME_CODE))


router = Router(tags=["citizens"], auth=[CitizenBearer(), CitizenSession()])
public_router = Router(tags=["public"])
staff_router = Router(tags=["procedures"], auth=StaffBearer())


# --- Sign-in ---------------------------------------------------------------------------------------
class CodeRequestIn(Schema):
    address: str = Field(..., max_length=254, description="Số điện thoại di động hoặc địa chỉ thư điện tử")


class CodeRequestOut(Schema):
    sent_to: str
    expires_in_seconds: int


class TokenIn(Schema):
    address: str = Field(..., max_length=254)
    code: str = Field(..., max_length=6)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    assurance_level: int


@public_router.post("/citizen/auth/code", auth=None, response={202: CodeRequestOut, 422: ErrorOut, 429: ErrorOut})
def citizen_code_request(request, payload: CodeRequestIn):
    """Send a 6-digit sign-in code (5 minutes, 5 tries), limited per recipient and per client address."""
    challenge = services.otp_request(address=payload.address, client=client_address(request))
    return Status(
        202,
        {
            "sent_to": services.recipient_mask(challenge.recipient),
            "expires_in_seconds": int(services.CODE_TTL.total_seconds()),
        },
    )


@public_router.post(
    "/citizen/auth/token", auth=None, response={201: TokenOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}
)
def citizen_token(request, payload: TokenIn):
    """Exchange the code for a citizen bearer token (assurance level 1: an account checked by a one-time code)."""
    user = services.otp_verify(address=payload.address, code=payload.code, client=client_address(request))
    token, expires_at = services.citizen_api_token_issue(
        user=user, assurance_level=1, method=SignInMethod.ONE_TIME_CODE
    )
    return Status(201, {"token": token, "expires_at": expires_at, "assurance_level": 1})


@router.post("/citizen/auth/session-token", response={201: TokenOut, 401: ErrorOut, 403: ErrorOut})
def citizen_session_token(request):
    """A bearer token with the level of the current sign-in (e.g. after signing in with VNeID in the browser)."""
    auth: CitizenAuth = request.auth
    token, expires_at = services.citizen_api_token_issue(
        user=auth.user, assurance_level=auth.assurance_level, method=auth.method
    )
    return Status(201, {"token": token, "expires_at": expires_at, "assurance_level": auth.assurance_level})


class MeOut(Schema):
    full_name: str
    phone: str
    email: str
    id_number: str
    assurance_level: int
    method: str


@router.get("/citizen/me", response={200: MeOut, 401: ErrorOut})
def citizen_me(request):
    auth: CitizenAuth = request.auth
    profile = getattr(auth.user, "citizen_profile", None)
    return {
        "full_name": profile.full_name if profile else "",
        "phone": (profile.phone or "") if profile else "",
        "email": (profile.email or "") if profile else "",
        "id_number": profile.id_number if profile else "",
        "assurance_level": auth.assurance_level,
        "method": auth.method,
    }


# --- Filing and my dossiers ----------------------------------------------------------------------------
class FilingIn(Schema):
    procedure: str = Field(..., max_length=30)
    receiving_office: str = Field(..., max_length=40, description="Mã Bộ phận Một cửa của xã, phường tiếp nhận")
    applicant_name: str = Field(..., max_length=150)
    applicant_id_number: str = Field("", max_length=12)
    applicant_birth_date: dt.date | None = None
    applicant_phone: str = Field("", max_length=20)
    applicant_email: str = Field("", max_length=254)
    applicant_address: str = Field("", max_length=300)
    content: str = Field("", max_length=4000)


class TimelineOut(Schema):
    at: dt.datetime
    label: str
    state: str
    note: str


class DocumentOut(Schema):
    id: int
    name: str
    file_name: str
    download_url: str


class PaymentOut(Schema):
    reference: str
    amount: int
    status: str
    created_at: dt.datetime


class ResultOut(Schema):
    result_code: str
    issued_at: dt.datetime
    issuing_office: str
    download_url: str
    verification_url: str


class MyDossierOut(Schema):
    code: str
    procedure: str
    procedure_code: str
    state: int
    state_label: str
    receiving_office: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    fee_total: int
    paid_online: int
    vneid_verified: bool


class MyDossierDetailOut(MyDossierOut):
    timeline: list[TimelineOut]
    documents: list[DocumentOut]
    payments: list[PaymentOut]
    result: ResultOut | None


def _summary(dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.version.name,
        "procedure_code": dossier.version.procedure.code,
        "state": dossier.state,
        "state_label": str(dossier.get_state_display()),
        "receiving_office": dossier.receiving_office.name,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "appointment_at": dossier.appointment_at,
        "fee_total": dossier.fee_total,
        "paid_online": dossier.paid_online,
        "vneid_verified": dossier.vneid_verified,
    }


def _detail(dossier, user) -> dict:
    result = selectors.electronic_result_for(dossier=dossier)
    base = "/api/v1/citizen/dossiers/" + dossier.code
    return {
        **_summary(dossier),
        "timeline": [
            {"at": e.at, "label": e.label, "state": e.state_label, "note": e.note}
            for e in selectors.citizen_dossier_timeline(dossier=dossier)
        ],
        "documents": [
            {
                "id": d.pk,
                "name": d.name,
                "file_name": d.attachment.original_name if d.attachment else "",
                "download_url": f"{base}/documents/{d.pk}"
                if d.attachment and d.attachment.uploaded_by_id == user.pk
                else "",
            }
            for d in selectors.citizen_dossier_documents(dossier=dossier)
        ],
        "payments": [
            {"reference": p.reference, "amount": p.amount, "status": p.status, "created_at": p.created_at}
            for p in selectors.dossier_payments(dossier=dossier)
        ],
        "result": {
            "result_code": result.result_code,
            "issued_at": result.issued_at,
            "issuing_office": result.issuing_office.name,
            "download_url": f"{base}/result",
            "verification_url": selectors.result_verification_url(result.result_code),
        }
        if result
        else None,
    }


@router.post(
    "/citizen/dossiers",
    response={201: MyDossierDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def citizen_dossier_file(request, payload: Form[FilingIn]):
    """File online (multipart/form-data): the fields below plus one file per document, named `file_<document id>`
    (document ids from GET /procedures/{code}); PDF, JPEG or PNG."""
    auth: CitizenAuth = request.auth
    uploads = {}
    for name, upload in request.FILES.items():
        if name.startswith("file_") and name[5:].isdigit():
            uploads[int(name[5:])] = upload
    dossier = services.online_dossier_file(
        citizen=auth.user,
        assurance_level=auth.assurance_level,
        method=auth.method,
        procedure_code=payload.procedure,
        receiving_office_code=payload.receiving_office,
        applicant=Applicant(
            name=payload.applicant_name,
            id_number=payload.applicant_id_number,
            birth_date=payload.applicant_birth_date,
            phone=payload.applicant_phone,
            email=payload.applicant_email,
            address=payload.applicant_address,
        ),
        content=payload.content,
        uploads=uploads,
    )
    dossier = selectors.citizen_dossier_get(citizen=auth.user, code=dossier.code)
    return Status(201, _detail(dossier, auth.user))


@router.get("/citizen/dossiers", response={200: list[MyDossierOut], 401: ErrorOut})
def citizen_dossier_list(request):
    return [
        _summary(d)
        for d in selectors.citizen_dossier_list(citizen=request.auth.user).select_related("version__procedure")
    ]


@router.get("/citizen/dossiers/{code}", response={200: MyDossierDetailOut, 401: ErrorOut, 404: ErrorOut})
def citizen_dossier_detail(request, code: str):
    """One of my dossiers; another citizen's answers 404."""
    dossier = selectors.citizen_dossier_get(citizen=request.auth.user, code=code)
    return _detail(dossier, request.auth.user)


@router.get("/citizen/dossiers/{code}/documents/{document_id}", response={200: None, 401: ErrorOut, 404: ErrorOut})
def citizen_document_download(request, code: str, document_id: int):
    document = selectors.citizen_document_get(citizen=request.auth.user, code=code, document_id=document_id)
    attachment = document.attachment
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )


@router.get("/citizen/dossiers/{code}/result", response={200: None, 401: ErrorOut, 404: ErrorOut})
def citizen_result_download(request, code: str):
    dossier = selectors.citizen_dossier_get(citizen=request.auth.user, code=code)
    result = selectors.electronic_result_for(dossier=dossier)
    if result is None:
        raise NotFound(_("Hồ sơ %(code)s chưa có kết quả điện tử.") % {"code": code})
    return FileResponse(
        result.attachment.file.open("rb"),
        content_type=result.attachment.content_type,
        as_attachment=True,
        filename=result.result_code,
    )


class PaymentStartOut(Schema):
    reference: str
    amount: int
    checkout_url: str


@router.post(
    "/citizen/dossiers/{code}/payments",
    response={201: PaymentStartOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def citizen_payment_start(request, code: str):
    """Open a payment of the dossier's fees; the citizen completes it at `checkout_url` (the gateway)."""
    return_url = request.build_absolute_uri(reverse("citizens:payment-return"))
    row, url = services.payment_start(citizen=request.auth.user, code=code, return_url=return_url)
    return Status(
        201, {"reference": row.reference, "amount": row.amount, "checkout_url": request.build_absolute_uri(url)}
    )


# --- The desk: return with an electronic result ---------------------------------------------------------
class ElectronicResultOut(Schema):
    result_code: str
    dossier_code: str
    state: int
    verification_url: str
    sha256: str


@staff_router.post(
    "/dossiers/{code}/electronic-result",
    response={201: ElectronicResultOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def electronic_result_issue(
    request, code: str, file: File[UploadedFile], result_code: Form[str] = "", note: Form[str] = ""
):
    """Return a dossier in state 9 with its electronic result (PDF, JPEG or PNG; optional result code)."""
    result = services.electronic_result_issue(
        code=code, actor=request.auth, upload=file, result_code=result_code[:60], note=note[:500]
    )
    return Status(
        201,
        {
            "result_code": result.result_code,
            "dossier_code": code,
            "state": 10,
            "verification_url": selectors.result_verification_url(result.result_code),
            "sha256": result.attachment.sha256,
        },
    )


# --- Public verification ---------------------------------------------------------------------------------
class ResultVerifyOut(Schema):
    result_code: str
    genuine: bool
    procedure: str
    result_name: str
    issuing_office: str
    issued_at: dt.datetime
    dossier_code: str
    holder: str
    sha256: str


@public_router.get("/public/results/{result_code}", auth=None, response={200: ResultVerifyOut, 404: ErrorOut})
def result_verify(request, result_code: str):
    """Is this electronic result genuine? Who issued it, when, for which dossier, to a masked holder."""
    return selectors.result_public_view(result_code=result_code[:60])


# one router to register: the citizen, public and staff parts each keep their own authentication
routers = Router()
routers.add_router("", router)
routers.add_router("", public_router)
routers.add_router("", staff_router)
