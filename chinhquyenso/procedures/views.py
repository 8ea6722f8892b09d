"""Staff pages of the one-stop desk: inbox, intake, dossier page with its actions, lists, the register.

Each view parses input, checks access, calls one service or selector and renders. htmx requests get the
named partial of the same template (django-template-partials), so the pages also work without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chinhquyenso.core.attachments import attachment_store_upload, attachments_discarded_on_error
from chinhquyenso.core.calendar import TimeUnit, add_working_time
from chinhquyenso.core.errors import DomainError
from chinhquyenso.core.models import Attachment, User
from chinhquyenso.core.selectors import calendar_get
from chinhquyenso.procedures import exports, selectors, services
from chinhquyenso.procedures.forms import ActionForm, DossierFilterForm, IntakeForm
from chinhquyenso.procedures.models import DossierDocument
from chinhquyenso.procedures.paper_forms import FORMS, paper_form_pdf
from chinhquyenso.procedures.permissions import can_receive_dossiers, can_view_dossiers
from chinhquyenso.procedures.workflow import STEP_ROLE, TABLE, TERMINAL, Action, State

REGISTER_PAGE_ROWS = 500  # on screen; the export has every row
# The actions that move a dossier along its normal path are shown open; the others (refusals, supplements,
# stops, apologies) sit folded so that they are not pressed by mistake.
PRIMARY_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.FORWARD,
        Action.COMPLETE_STEP,
        Action.COMPLETE_SUPPLEMENT,
        Action.CONFIRM_PAYMENT,
        Action.RETURN_RESULT,
    }
)


def _require_dossier_staff(request) -> None:
    if not can_view_dossiers(request.user):
        raise Http404  # a member of another service does not learn what exists here


def _fragment(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@login_required
@require_GET
def inbox(request):
    """An officer's work: dossiers at their step, those due within a working day, those past due."""
    _require_dossier_staff(request)
    box = selectors.dossier_inbox(user=request.user)
    return render(
        request,
        "procedures/dossier_inbox.html",
        {"inbox": box, "can_receive": can_receive_dossiers(request.user), "now": timezone.now()},
    )


def _received_documents(request, version) -> list[services.ReceivedDocument]:
    documents = []
    for doc in version.documents.all():
        if request.POST.get(f"doc_{doc.pk}") != "on":
            continue
        attachment_id = None
        upload = request.FILES.get(f"file_{doc.pk}")
        if upload is not None:
            attachment = attachment_store_upload(upload=upload, uploaded_by=request.user, field=f"file_{doc.pk}")
            attachment_id = attachment.pk
        documents.append(
            services.ReceivedDocument(
                required_document_id=doc.pk,
                digitised=request.POST.get(f"digitised_{doc.pk}") == "on" or bool(upload),
                reused=request.POST.get(f"reused_{doc.pk}") == "on",
                attachment_id=attachment_id,
            )
        )
    return documents


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Receive a dossier at the desk: check, tick the documents, get the code, the appointment and the slip."""
    if not can_receive_dossiers(request.user):
        raise Http404
    code = request.POST.get("procedure") or request.GET.get("procedure")
    # Without JavaScript the checklist comes from a POST of the whole form ("show documents"): what was typed is
    # kept as initial values, not validated, and no personal data travels in a URL.
    showing_documents = request.method == "POST" and "show_documents" in request.POST
    if showing_documents:
        form = IntakeForm(initial=request.POST.dict(), user=request.user)
    else:
        form = IntakeForm(request.POST or None, initial={"procedure": code}, user=request.user)
    version = None
    if code:
        try:
            version = selectors.procedure_get_published(code=code)
        except DomainError:
            version = None
    ticked = _ticked(request)
    if request.method == "GET" and _fragment(request):
        return render(
            request,
            "procedures/dossier_intake.html#documents",
            {"version": version, "form": form, "ticked": ticked, "fragment": True},
        )
    if request.method == "POST" and not showing_documents and form.is_valid() and version is not None:
        data = form.cleaned_data
        applicant = services.Applicant(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            birth_date=data["applicant_birth_date"],
            female={"female": True, "male": False}.get(data["applicant_sex"]),
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
            unit=data["applicant_unit"],
        )
        try:
            office = data["receiving_office"]
            # one transaction: a refused intake leaves no attachment row, and no file, behind
            with attachments_discarded_on_error(), transaction.atomic():
                result = services.dossier_intake(
                    actor=request.user,
                    version=version,
                    receiving_office=office,
                    resolving_office=selectors.default_resolving_office(receiving_office=office, version=version),
                    applicant=applicant,
                    documents=_received_documents(request, version),
                    outcome=data["outcome"],
                    note=data["note"],
                    content=data["content"],
                    channel=data["channel"],
                )
        except DomainError as error:
            _attach_errors(form, error)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Đã lập hồ sơ %(code)s.") % {"code": result.dossier.code})
            return redirect("procedures:dossier-detail", code=result.dossier.code)
    return render(request, "procedures/dossier_intake.html", {"form": form, "version": version, "ticked": ticked})


def _ticked(request) -> dict[str, set[int]]:
    """Which boxes were ticked, so that a form sent back with an error keeps them."""
    ticked: dict[str, set[int]] = {"doc": set(), "digitised": set(), "reused": set()}
    for key in request.POST:
        prefix, _sep, number = key.partition("_")
        if prefix in ticked and number.isdigit():
            ticked[prefix].add(int(number))
    return ticked


FORM_FIELD_NAMES = {
    "applicant.name": "applicant_name",
    "applicant.id_number": "applicant_id_number",
    "applicant.phone": "applicant_phone",
    "note": "note",
    "receiving_office": "receiving_office",
    "procedure": "procedure",
    "resolving_office": "receiving_office",
    "new_appointment_at": "new_appointment_at",
    "assignee": "assignee",
}


def _attach_errors(form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    placed = False
    for name in error.fields:
        field = FORM_FIELD_NAMES.get(name)
        if field and field in form.fields:
            form.add_error(field, error.message)
            placed = True
            break
    if not placed:
        form.add_error(None, error.message)


def _available_actions(dossier, user) -> list[dict]:
    """The actions of the table this user could take now, each with its form."""
    seen, actions = set(), []
    step_role = dossier.current_step.role if dossier.current_step_id else None
    for transition in TABLE:
        if transition.source != dossier.state or transition.action in seen:
            continue
        roles = {step_role if r == STEP_ROLE else r for r in transition.roles}
        if user.role not in roles:
            continue
        if transition.action == Action.REQUEST_SUPPLEMENT and dossier.supplement_count:
            continue
        if transition.action == Action.RESCHEDULE and dossier.rescheduled:
            continue
        if transition.action == Action.SEND_BACK and dossier.current_step and dossier.current_step.order <= 2:
            continue
        seen.add(transition.action)
        actions.append(
            {
                "action": transition.action,
                "label": transition.action.label,
                "note_required": transition.note_required,
                "primary": transition.action in PRIMARY_ACTIONS,
            }
        )
    return actions


def _dossier_context(request, dossier, action_form=None, failed_action="") -> dict:
    events = list(dossier.events.select_related("from_step", "to_step").order_by("seq"))
    assignees = []
    if dossier.state == State.PROCESSING and dossier.current_step_id:
        next_step = dossier.version.steps.filter(order__gt=dossier.current_step.order).order_by("order").first()
        if next_step is not None:
            assignees = list(
                User.objects.filter(
                    role=next_step.role, is_active=True, scope__path__in=_ancestor_paths(dossier.resolving_unit.path)
                ).order_by("last_name", "first_name")
            )
    calendar = calendar_get()
    actions = _available_actions(dossier, request.user)
    return {
        "dossier": dossier,
        "events": events,
        "documents": list(dossier.documents.select_related("attachment", "required_document")),
        "actions": actions,
        "main_actions": [a for a in actions if a["primary"]],
        "other_actions": [a for a in actions if not a["primary"]],
        "closed": dossier.state in TERMINAL,
        "action_form": action_form,
        "failed_action": failed_action,
        "assignees": assignees,
        "forms": [(key, title) for key, (_template, title) in FORMS.items() if _form_available(dossier, key)],
        "suggested_new_date": (
            add_working_time(dossier.appointment_at, 3, TimeUnit.WORKING_DAYS, calendar=calendar)
            if dossier.appointment_at
            else None
        ),
        "now": timezone.now(),
    }


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _form_available(dossier, form: str) -> bool:
    try:
        selectors.paper_form_check_available(dossier=dossier, form=form)
    except DomainError:
        return False
    return True


@login_required
@require_GET
def dossier_detail(request, code: str):
    _require_dossier_staff(request)
    dossier = _get(request, code)
    return render(request, "procedures/dossier_detail.html", _dossier_context(request, dossier))


def _get(request, code: str):
    try:
        return selectors.dossier_get_for_user(code=code, user=request.user)
    except DomainError:
        raise Http404 from None


@login_required
@require_POST
def dossier_action(request, code: str):
    """Apply one action; on refusal, the page comes back with the reason next to the action's form."""
    _require_dossier_staff(request)
    dossier = _get(request, code)
    form = ActionForm(request.POST)
    status = 200
    done = ""
    if form.is_valid():
        data = form.cleaned_data
        assignee = User.objects.filter(username=data["assignee"]).first() if data["assignee"] else None
        new_date = data["new_appointment_at"]
        if new_date is not None and timezone.is_naive(new_date):
            new_date = timezone.make_aware(new_date)
        try:
            services.dossier_transition(
                code=dossier.code,
                actor=request.user,
                request=services.TransitionRequest(
                    action=data["action"],
                    note=data["note"],
                    expected_revision=data["revision"],
                    new_appointment_at=new_date,
                    assignee=assignee,
                ),
            )
        except DomainError as error:
            _attach_errors(form, error)
            status = error.status
        else:
            done = _("Đã thực hiện: %(a)s.") % {"a": Action(data["action"]).label}
            if not _fragment(request):
                messages.success(request, done)
                return redirect("procedures:dossier-detail", code=dossier.code)
            # htmx: the confirmation goes into the swapped part, not the session (it would show on the next page)
            form = None
    else:
        status = 422
    context = _dossier_context(
        request,
        _get(request, code),
        action_form=form,
        failed_action=request.POST.get("action", "") if form is not None else "",
    )
    context["done"] = done
    template = "procedures/dossier_detail.html#dossier-work" if _fragment(request) else "procedures/dossier_detail.html"
    # htmx swaps only 2xx responses by default; a refusal is shown, so it is sent as 200 to htmx
    return render(request, template, context, status=200 if _fragment(request) else status)


@login_required
@require_GET
def dossier_form_pdf(request, code: str, form: str):
    _require_dossier_staff(request)
    if form not in FORMS:
        raise Http404
    dossier = _get(request, code)
    if not _form_available(dossier, form):
        raise Http404
    response = HttpResponse(paper_form_pdf(dossier=dossier, form=form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response


@login_required
@require_GET
def attachment_download(request, code: str, document_id: int):
    """A scan of a dossier, only to staff who may see the dossier; never executed, never inlined as HTML."""
    _require_dossier_staff(request)
    dossier = _get(request, code)
    document = DossierDocument.objects.filter(pk=document_id, dossier=dossier, attachment__isnull=False).first()
    if document is None:
        raise Http404
    attachment: Attachment = document.attachment
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filters(form: DossierFilterForm) -> selectors.DossierFilters:
    form.is_valid()  # one bad field (shown beside it) must not drop the other filters
    data = getattr(form, "cleaned_data", {})
    late = data.get("late") or ""
    now = timezone.now()
    filters = selectors.DossierFilters(
        state=data.get("state"),
        procedure=data.get("procedure") or "",
        channel=data.get("channel"),
        query=data.get("q") or "",
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
        overdue={"late": True, "on_time": False}.get(late),
    )
    if late == "due_soon":
        filters.due_before = add_working_time(now, 1, TimeUnit.WORKING_DAYS, calendar=calendar_get())
    return filters


@login_required
@require_GET
def dossier_list(request):
    """The unit's dossiers with filters; the same filters export to CSV or Excel."""
    _require_dossier_staff(request)
    form = DossierFilterForm(request.GET or None)
    dossiers = selectors.dossier_list_for_user(user=request.user, filters=_filters(form))
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(
            exports.dossier_list_columns(),
            exports.dossier_list_rows(dossiers),
            export,
            name=f"ho-so-{timezone.localdate():%Y%m%d}",
            title=_("Danh sách hồ sơ"),
        )
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "now": timezone.now(),
        "fragment": _fragment(request),
    }
    template = "procedures/dossier_list.html#results" if _fragment(request) else "procedures/dossier_list.html"
    return render(request, template, context)


def _export(header, rows, fmt: str, *, name: str, title: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(header, rows, title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def dossier_register(request):
    """Mẫu 07: the electronic register of received dossiers, per field, for a period."""
    _require_dossier_staff(request)
    today = timezone.localdate()
    field_code = request.GET.get("field", "")
    try:
        first = dt.date.fromisoformat(request.GET.get("from", "")) if request.GET.get("from") else today.replace(day=1)
        last = dt.date.fromisoformat(request.GET.get("to", "")) if request.GET.get("to") else today
    except ValueError:
        first, last = today.replace(day=1), today
        messages.error(request, _("Ngày không hợp lệ; đang hiển thị tháng này."))
    dossiers = selectors.dossier_queryset_for_user(request.user).filter(
        received_at__date__gte=first, received_at__date__lte=last
    )
    if field_code:
        dossiers = dossiers.filter(version__procedure__field__code=field_code)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(
            exports.register_columns(),
            exports.register_rows(dossiers),
            export,
            name=f"so-theo-doi-{first:%Y%m%d}-{last:%Y%m%d}",
            title=_("Sổ theo dõi hồ sơ"),
        )
    columns = exports.register_columns()
    rows = [
        list(zip(columns, row, strict=True))
        for row in itertools.islice(exports.register_rows(dossiers), REGISTER_PAGE_ROWS)
    ]
    return render(
        request,
        "procedures/dossier_register.html",
        {
            "rows": rows,
            "columns": columns,
            "fields": selectors.procedure_fields(),
            "field_code": field_code,
            "first": first,
            "last": last,
            "limit": REGISTER_PAGE_ROWS,
        },
    )
