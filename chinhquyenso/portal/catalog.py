"""Public procedure pages: everything a citizen needs to know before coming (or instead of coming)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chinhquyenso.core.errors import DomainError
from chinhquyenso.procedures import selectors


@require_GET
def procedure_list(request):
    """Procedures by field and level, searchable without diacritics."""
    query = request.GET.get("q", "")[:200]
    field = request.GET.get("linh-vuc", "")[:40]
    level = request.GET.get("cap", "")
    if level not in ("", "commune", "district", "province"):
        level = ""
    current = {v.procedure_id: v for v in selectors.procedure_current_versions()}
    procedures = [p for p in selectors.procedure_search(query=query, field_code=field, level=level) if p.pk in current]
    groups: dict[str, list] = {}
    for procedure in procedures:
        groups.setdefault(procedure.field.name, []).append(current[procedure.pk])
    return render(
        request,
        "portal/procedure_list.html",
        {
            "groups": sorted(groups.items()),
            "query": query,
            "field": field,
            "level": level,
            "fields": selectors.procedure_fields(),
            "count": len(procedures),
        },
    )


@require_GET
def procedure_detail(request, code: str):
    try:
        version = selectors.procedure_get_published(code=code[:30])
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "version": version,
            "documents": list(version.documents.all()),
            "fees": list(version.fees.all()),
            "competences": list(version.procedure.competences.order_by("valid_from")),
        },
    )
