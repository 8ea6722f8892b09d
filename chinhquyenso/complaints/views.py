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
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.complaints import notices, selectors, services, workflow
from chinhquyenso.complaints.forms import (
    AssignForm,
    CaseActionForm,
    CaseFilterForm,
    CaseReceiveForm,
    OpenCaseForm,
    SessionForm,
    VisitAnswerForm,
    VisitForm,
)
from chinhquyenso.complaints.identity import Identity
from chinhquyenso.complaints.models import Case
from chinhquyenso.complaints.permissions import (
    can_assign_cases,
    can_read_case_identity,
    can_read_visit_identity,
    can_receive_cases,
    can_view_cases,
)
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
        "notice_actions": notices.NOTICE_ACTIONS,
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
@require_GET
def case_notice(request, code: str, seq: int):
    """The PDF notice of one event, addressed to the sender: an audited read of their identity."""
    _require_staff(request)
    case = _get_case(request, code)
    try:
        pdf = notices.case_notice_pdf(case=case, seq=seq, actor=request.user, ip_address=client_address(request))
    except DomainError as error:
        if error.status == 404:
            raise Http404 from None
        return render(
            request, "complaints/case_detail.html", _detail_context(request, case, error=error.message), status=403
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thong-bao-{case.code}-{seq}.pdf"'
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


def _form_errors(form, error: DomainError) -> None:
    for field, message in error.fields.items():
        form.add_error(field if field in form.fields else None, message if " " in message else error.message)
    if not error.fields:
        form.add_error(None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def case_receive(request):
    """Enter a case received at the desk or by post, for the user's own ward."""
    _require_staff(request)
    if not can_receive_cases(request.user) or request.user.scope_id is None:
        raise PermissionDenied
    form = CaseReceiveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_receive(
                    kind=data["kind"],
                    unit=request.user.scope,
                    channel=data["channel"],
                    subject=data["subject"],
                    content=data["content"],
                    identity=Identity(name=data["name"], address=data["address"], contact=data["contact"]),
                    actor=request.user,
                    decision_known_on=data["decision_known_on"],
                    excused_days=data["excused_days"] or 0,
                    remote_area=data["remote_area"],
                    complex_case=data["complex_case"],
                )
            except DomainError as error:
                _form_errors(form, error)
                status = error.status
            else:
                messages.success(request, _("Đã tiếp nhận đơn %(code)s.") % {"code": case.code})
                return redirect("complaints:case-detail", code=case.code)
        else:
            status = 422
    return render(request, "complaints/case_receive.html", {"form": form}, status=status)


def _book_context(request, **extra) -> dict:
    today = selectors.today()
    gaps = None
    if request.user.scope_id:
        start = today - dt.timedelta(days=today.weekday())
        end = start + dt.timedelta(weeks=8)
        gaps = selectors.reception_schedule_gaps(unit=request.user.scope, start=start, end=end)
    visits = list(selectors.reception_visit_list_for_user(request.user).order_by("-at")[:LIST_PAGE_ROWS])
    for visit in visits:
        visit.can_reveal = can_read_visit_identity(request.user, visit)
    return {
        "visits": visits,
        "gaps": gaps,
        "now": timezone.now(),
        "visit_form": VisitForm(),
        "session_form": SessionForm(),
        "answer_choices": VisitAnswerForm.base_fields["answer"].choices,
        **extra,
    }


@login_required
@require_GET
def reception_book(request):
    """The reception book of the user's ward, with the weeks and months the schedule leaves uncovered."""
    _require_staff(request)
    return render(request, "complaints/reception_book.html", _book_context(request))


@login_required
@require_POST
def reception_visit(request):
    """Write a visit in the book (Art. 28 Law on Citizen Reception 2013: answer within 10 working days)."""
    _require_staff(request)
    form = VisitForm(request.POST)
    if request.user.scope_id is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                unit=request.user.scope,
                channel=data["channel"],
                classification=data["classification"],
                content=data["content"],
                identity=Identity(name=data["name"], address=data["address"], contact=data["contact"]),
                actor=request.user,
                group_size=data["group_size"],
                representatives=data["representatives"].splitlines(),
            )
        except DomainError as error:
            _form_errors(form, error)
            return render(
                request, "complaints/reception_book.html", _book_context(request, visit_form=form), status=error.status
            )
        messages.success(request, _("Đã vào sổ lượt tiếp %(code)s.") % {"code": visit.code})
        return redirect("complaints:reception-book")
    return render(request, "complaints/reception_book.html", _book_context(request, visit_form=form), status=422)


@login_required
@require_POST
def reception_session(request):
    _require_staff(request)
    form = SessionForm(request.POST)
    if request.user.scope_id is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.reception_session_plan(unit=request.user.scope, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Đã thêm ngày tiếp công dân."))
            return redirect("complaints:reception-book")
    return render(request, "complaints/reception_book.html", _book_context(request, session_form=form), status=422)


@login_required
@require_POST
def reception_answer(request):
    _require_staff(request)
    form = VisitAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Cần chọn nội dung trả lời."))
        services.visit_answer(
            code=form.cleaned_data["code"],
            actor=request.user,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        return render(
            request, "complaints/reception_book.html", _book_context(request, error=error.message), status=error.status
        )
    messages.success(request, _("Đã ghi nội dung trả lời."))
    return redirect("complaints:reception-book")


@login_required
@require_POST
def reception_open_case(request, code: str):
    """Open the case a visit brings; a complaint needs the date its decision was received or known."""
    _require_staff(request)
    form = OpenCaseForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Ngày biết quyết định không hợp lệ (dd/mm/yyyy)."))
        case = services.visit_open_case(
            code=code, actor=request.user, decision_known_on=form.cleaned_data["decision_known_on"]
        )
    except DomainError as error:
        return render(
            request,
            "complaints/reception_book.html",
            _book_context(request, error=error.message),
            status=error.status if error.status != 400 else 422,
        )
    messages.success(request, _("Đã mở đơn %(code)s từ lượt tiếp.") % {"code": case.code})
    return redirect("complaints:case-detail", code=case.code)


@login_required
@require_POST
def reception_identity(request, code: str):
    """Show a visitor's identity (and the group's representatives) once, after writing the read to the audit log."""
    _require_staff(request)
    visit = selectors.reception_visit_list_for_user(request.user).filter(code=code).first()
    if visit is None:
        raise Http404
    try:
        shown = services.visit_identity_read(visit=visit, actor=request.user, ip_address=client_address(request))
    except DomainError as error:
        return render(
            request, "complaints/reception_book.html", _book_context(request, error=error.message), status=403
        )
    response = render(request, "complaints/reception_book.html", _book_context(request, shown=shown, shown_visit=visit))
    response["Cache-Control"] = "no-store"
    return response
