"""Open311 GeoReport v2 at /open311/v2/ for public reports (phản ánh hiện trường): discovery, services, and
service requests (list, create, one), in JSON and XML as the specification describes
(http://wiki.open311.org/GeoReport_v2). Only feedback cases are exposed; never a complaint or a
denunciation, never the reporter's name or contact.

`jurisdiction_id` is the admin-unit code of the ward. A photo can come as `media_url` (kept as a note) or,
as an extension, as a multipart file `media` stored through core.attachments.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from chinhquyenso.complaints import selectors, services, workflow
from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import Case, CaseChannel, CaseKind, ReportCategory
from chinhquyenso.core.attachments import attachment_store_upload
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.models import AdminUnit, AdminUnitLevel
from chinhquyenso.core.ratelimit import rate_limit_hit

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+07:00"
POSTS_PER_MINUTE = 10  # per client address: a person reports a few things, a script is slowed down


def _render(request, fmt: str, data, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        for row in data if isinstance(data, list) else [data]:
            child = ET.SubElement(element, item)
            _fill(child, row)
        body = ET.tostring(element, encoding="unicode", xml_declaration=False)
        return HttpResponse(
            '<?xml version="1.0" encoding="utf-8"?>' + body, content_type="text/xml; charset=utf-8", status=status
        )
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _fill(element: ET.Element, row: dict) -> None:
    for key, value in row.items():
        child = ET.SubElement(element, key)
        if value is None:
            continue
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        else:
            child.text = str(value)


def _error(request, fmt: str, status: int, description: str) -> HttpResponse:
    return _render(
        request, fmt, [{"code": status, "description": description}], root="errors", item="error", status=status
    )


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(timezone.get_current_timezone()).isoformat() if value else None


def _request_out(request, case: Case) -> dict:
    is_open = workflow.is_open(case.state)
    return {
        "service_request_id": case.code,
        "status": "open" if is_open else "closed",
        "status_notes": str(workflow.State(case.state).label) if is_open else (case.outcome or "")[:500],
        "service_name": case.category.name if case.category_id else "",
        "service_code": case.category.code if case.category_id else "",
        "description": case.content,
        "agency_responsible": f"UBND {case.unit.kind_name} {case.unit.name}",
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.due_at),
        "address": case.address_string,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": request.build_absolute_uri(f"/phan-anh/anh/{case.code}/") if case.photo_id else None,
    }


@require_GET
def discovery(request, fmt: str):
    base = request.build_absolute_uri("/open311/v2/").rstrip("/")
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or _("Bộ phận tiếp công dân của UBND phường"),
        "key_service": _("Không cần khóa API; mỗi địa chỉ bị giới hạn số lần gửi."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return _render(request, fmt, data, root="discovery", item="endpoint") if fmt == "json" else _discovery_xml(data)


def _discovery_xml(data: dict) -> HttpResponse:
    root = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(root, key).text = str(data[key])
    endpoints = ET.SubElement(root, "endpoints")
    for endpoint in data["endpoints"]:
        node = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(node, key).text = endpoint[key]
        formats = ET.SubElement(node, "formats")
        for value in endpoint["formats"]:
            ET.SubElement(formats, "format").text = value
    body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@require_GET
def service_list(request, fmt: str):
    data = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.description,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": _("Phản ánh hiện trường"),
        }
        for c in selectors.report_category_list()
    ]
    return _render(request, fmt, data, root="services", item="service")


@csrf_exempt  # a machine API without cookies: no session, nothing a cross-site form could ride on
@require_http_methods(["GET", "POST"])
def request_collection(request, fmt: str):
    if request.method == "POST":
        return _request_create(request, fmt)
    ids = [part for part in request.GET.get("service_request_id", "").split(",") if part.strip()]
    rows = selectors.public_report_list(
        unit_code=request.GET.get("jurisdiction_id", ""),
        category=request.GET.get("service_code", ""),
        status=request.GET.get("status", ""),
        limit=1000,
    )
    if ids:
        rows = [r for r in rows if r.code in ids]
    start, end = request.GET.get("start_date"), request.GET.get("end_date")
    for name, value in (("start_date", start), ("end_date", end)):
        if value and parse_datetime(value) is None:
            return _error(request, fmt, 400, _("%(name)s phải là thời điểm theo ISO 8601.") % {"name": name})
    if start:
        rows = [r for r in rows if r.received_at >= parse_datetime(start)]
    if end:
        rows = [r for r in rows if r.received_at <= parse_datetime(end)]
    if not (start or end or ids):
        # the specification's default window: the last 90 days, at most 1000 requests
        since = timezone.now() - dt.timedelta(days=90)
        rows = [r for r in rows if r.received_at >= since]
    return _render(request, fmt, [_request_out(request, r) for r in rows], root="service_requests", item="request")


@require_GET
def request_detail(request, code: str, fmt: str):
    case = selectors.public_reports().filter(code=code).select_related("unit", "category").first()
    if case is None:
        return _error(request, fmt, 404, _("Không tìm thấy phản ánh %(code)s.") % {"code": code})
    return _render(request, fmt, [_request_out(request, case)], root="service_requests", item="request")


def _decimal(value: str | None, field: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise DomainError(_("%(f)s phải là số.") % {"f": field}) from None
    if not number.is_finite() or not low <= number <= high:
        raise DomainError(_("%(f)s nằm ngoài khoảng cho phép.") % {"f": field})
    return number.quantize(Decimal("0.000001"))


def _request_create(request, fmt: str) -> HttpResponse:
    wait = rate_limit_hit(bucket="open311-post", client=client_address(request) or "-", limit=POSTS_PER_MINUTE)
    if wait:
        response = _error(request, fmt, 429, _("Gửi quá nhiều phản ánh. Hãy thử lại sau ít phút."))
        response["Retry-After"] = str(wait)
        return response
    data = request.POST
    unit = AdminUnit.objects.filter(code=data.get("jurisdiction_id", ""), level=AdminUnitLevel.COMMUNE).first()
    if unit is None:
        return _error(request, fmt, 400, _("jurisdiction_id phải là mã một xã, phường."))
    category = ReportCategory.objects.filter(code=data.get("service_code", ""), active=True).first()
    if category is None:
        return _error(request, fmt, 404, _("service_code không có trong danh sách dịch vụ."))
    description = (data.get("description") or "").strip()
    if not description:
        return _error(request, fmt, 400, _("description: cần mô tả nội dung phản ánh."))
    try:
        latitude = _decimal(data.get("lat"), "lat", -90, 90)
        longitude = _decimal(data.get("long"), "long", -180, 180)
        if (latitude is None) != (longitude is None) or (latitude is None and not data.get("address_string")):
            raise DomainError(_("Cần lat và long, hoặc address_string."))
        with transaction.atomic():  # a refused report leaves no stored photo
            case = _receive(request, unit, category, description, latitude, longitude)
    except DomainError as error:
        return _error(request, fmt, 400, error.message)
    return _render(
        request,
        fmt,
        [{"service_request_id": case.code, "service_notice": "", "account_id": None}],
        root="service_requests",
        item="request",
        status=201,
    )


def _receive(request, unit, category, description, latitude, longitude) -> Case:
    data = request.POST
    photo = None
    if request.FILES.get("media"):
        photo = attachment_store_upload(upload=request.FILES["media"], uploaded_by=None, field="media")
    return services.case_receive(
        kind=CaseKind.FEEDBACK,
        unit=unit,
        channel=CaseChannel.ONLINE,
        subject=description[:120],
        content=description,
        identity=Identity(
            name=" ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip(),
            contact=", ".join(p for p in (data.get("phone", ""), data.get("email", "")) if p),
        ),
        actor=None,
        category=category,
        location=services.Location(latitude, longitude, (data.get("address_string") or "")[:300]),
        photo=photo,
    )
