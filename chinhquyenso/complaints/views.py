"""Staff pages of citizen reception and case handling (/can-bo/khieu-nai/): inbox by deadline, list with
filters and a masked CSV export, the case page with its timeline and actions, the reception book.

The sender's identity appears only after an explicit request by an assigned handler (a POST), which the
service writes to the audit log; every other page shows the masked name.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chinhquyenso.complaints import selectors, services, workflow
from chinhquyenso.complaints.forms import AssignForm, CaseActionForm, CaseFilterForm
from chinhquyenso.complaints.models import Case
from chinhquyenso.complaints.permissions import can_assign_cases, can_read_case_identity, can_view_cases
from chinhquyenso.core.audit import client_address
from chinhquyenso.core.calendar import VIETNAM
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.models import User

LIST_PAGE_ROWS = 200


def _require_staff(request) -> None:
    if not can_view_cases(request.user):
        raise Http404


def _get_case(request, code: str) -> Case:
    try:
        return selectors.case_get_for_user(user=request.user, code=code)
    except DomainError:
        raise Http404 from None


@login_required
@require_GET
def inbox(request):
    _require_staff(request)
    return render(request, "complaints/case_inbox.html", {"inbox": selectors.case_inbox(user=request.user)})


@login_required
@require_GET
def case_list(request):
    _require_staff(request)
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_filter(
        selectors.case_list_for_user(request.user),
        kind=filters.get("kind", ""),
        state=filters.get("state", ""),
        due=filters.get("due", ""),
        query=filters.get("q", ""),
    ).order_by("-received_at")
    if request.GET.get("format") == "csv":
        return _csv(cases)
    return render(request, "complaints/case_list.html", {"form": form, "cases": cases[:LIST_PAGE_ROWS]})


def _csv(cases) -> HttpResponse:
    """The list as CSV (UTF-8 with BOM for Excel), senders masked like on screen."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="don-thu.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("Mã đơn"), _("Loại đơn"), _("Trạng thái"), _("Ngày nhận"), _("Hạn"), _("Người gửi"), _("Tóm tắt")]
    )
    for case in cases.iterator():
        writer.writerow(
            [
                case.code,
                case.get_kind_display(),
                workflow.State(case.state).label,
                case.received_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M"),
                case.due_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if case.due_at else "",
                case.masked_name,
                case.subject,
            ]
        )
    return response


def _detail_context(request, case: Case, **extra) -> dict:
    actions = [
        {
            "action": a,
            "label": a.label,
            "form": CaseActionForm(initial={"action": a.value, "revision": case.revision}),
        }
        for a in workflow.allowed_actions(case.kind, case.state)
    ]
    return {
        "case": case,
        "state_label": workflow.State(case.state).label,
        "events": case.events.select_related("actor"),
        "assignees": list(case.assignees.all()),
        "actions": actions,
        "can_assign": can_assign_cases(request.user) and workflow.is_open(case.state),
        "assign_form": AssignForm(),
        "can_read_identity": can_read_case_identity(request.user, case),
        "now": timezone.now(),
        **extra,
    }


@login_required
@require_GET
def case_detail(request, code: str):
    _require_staff(request)
    case = _get_case(request, code)
    return render(request, "complaints/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_identity(request, code: str):
    """Show the sender's identity once, after writing the read to the audit log."""
    _require_staff(request)
    case = _get_case(request, code)
    try:
        identity = services.case_identity_read(
            case=case, actor=request.user, ip_address=client_address(request), purpose="case page"
        )
    except DomainError as error:
        return render(
            request, "complaints/case_detail.html", _detail_context(request, case, error=error.message), status=403
        )
    response = render(request, "complaints/case_detail.html", _detail_context(request, case, identity=identity))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def case_action(request, code: str):
    _require_staff(request)
    case = _get_case(request, code)
    form = CaseActionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "complaints/case_detail.html",
            _detail_context(request, case, error=_("Biểu mẫu không hợp lệ.")),
            status=422,
        )
    try:
        services.case_transition(
            code=case.code,
            actor=request.user,
            request=services.CaseAction(
                form.cleaned_data["action"], form.cleaned_data["note"], form.cleaned_data["revision"]
            ),
        )
    except DomainError as error:
        case.refresh_from_db()
        return render(
            request,
            "complaints/case_detail.html",
            _detail_context(request, case, error=error.message),
            status=error.status,
        )
    messages.success(request, _("Đã ghi nhận thao tác."))
    return redirect("complaints:case-detail", code=case.code)


@login_required
@require_POST
def case_assign(request, code: str):
    _require_staff(request)
    case = _get_case(request, code)
    form = AssignForm(request.POST)
    assignee = User.objects.filter(username=request.POST.get("assignee", ""), is_active=True).first()
    try:
        if not form.is_valid() or assignee is None:
            raise DomainError(_("Không có cán bộ với tên đăng nhập này."))
        services.case_assign(code=case.code, actor=request.user, assignee=assignee)
    except DomainError as error:
        return render(
            request,
            "complaints/case_detail.html",
            _detail_context(request, case, error=error.message),
            status=error.status,
        )
    messages.success(request, _("Đã phân công xử lý."))
    return redirect("complaints:case-detail", code=case.code)


@login_required
@require_GET
def reception_book(request):
    """The reception book of the user's ward, with the weeks and months the schedule leaves uncovered."""
    _require_staff(request)
    today = selectors.today()
    gaps = None
    if request.user.scope_id:
        start = today - dt.timedelta(days=today.weekday())
        gaps = selectors.reception_schedule_gaps(
            unit=request.user.scope, start=start, end=start + dt.timedelta(weeks=8)
        )
    visits = selectors.reception_visit_list_for_user(request.user).order_by("-at")[:LIST_PAGE_ROWS]
    return render(request, "complaints/reception_book.html", {"visits": visits, "gaps": gaps, "now": timezone.now()})
