"""A case's chronology: the timeline with its filters, adding a practitioner entry, and the PDF
and CSV exports. Everyone who may see the case (partners included) sees its chronology; a
filtered view is audited as a search, and each export as an EXPORT with its filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from socex.audit.listing import audited_csv, audited_file, selected_filters
from socex.audit.services import record_search
from socex.cases import conf, services
from socex.cases.access import CHRONOLOGY_RECORD_TYPE, can_contribute, get_case_for
from socex.cases.exports import chronology_pdf_bytes
from socex.cases.forms import ChronologyFilterForm, NoteForm
from socex.cases.models import Case, ChronologyEntry
from socex.cases.pages import chronology_of
from socex.cases.views.common import user_of
from socex.cases.vocab import category_label
from socex.core.forms import add_service_errors
from socex.core.listing import paginate, query_without

if TYPE_CHECKING:
    from django.db.models import QuerySet


CSV_HEADER = ["Case", "Occurred at", "Recorded at", "Entered by", "Type", "Agency", "Author", "What happened", "Detail"]


def _filtered(request: HttpRequest, case: Case) -> tuple[ChronologyFilterForm, QuerySet[ChronologyEntry]]:
    entries = chronology_of(user_of(request), case)
    form = ChronologyFilterForm(request.GET or None, entries=ChronologyEntry.objects.filter(case=case))
    return form, form.filter(entries)


def _terms(case: Case, form: ChronologyFilterForm) -> dict[str, str]:
    """The filters in use, naming the case, for the audit log (empty when nothing is filtered)."""
    terms = form.terms()
    return {"Case": case.reference, **terms} if terms else {}


@require_GET
def chronology(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    form, entries = _filtered(request, case)
    page = paginate(request, entries)
    page.object_list = list(page.object_list)
    record_search(record_type=CHRONOLOGY_RECORD_TYPE, terms=_terms(case, form), results=page.paginator.count)
    query = query_without(request, "page")
    context = {
        "page_title": f"Chronology of {case.reference}",
        "case": case,
        "form": form,
        "page_obj": page,
        "selected": selected_filters(request, form),
        "query": query,
        "query_without_page": query,
        "can_contribute": can_contribute(request.user, case) and case.is_open,
    }
    return render(request, "cases/chronology.html", context)


@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not can_contribute(request.user, case):
        raise PermissionDenied("Only people whose agency is on this case can add to its chronology.")
    form = NoteForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.chronology_note_add(
                actor=user_of(request),
                case=case,
                category=data["category"],
                occurred_at=form.occurred_at(),
                summary=data["summary"],
                detail=data["detail"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"occurred_at": "occurred_on"})
        else:
            messages.success(request, f"Added to the chronology of {case.reference}: {data['summary']}")
            return redirect(reverse("cases:chronology", args=[case.pk]))
    context = {"page_title": "Add to the chronology", "case": case, "form": form, "button": "Add entry"}
    return render(request, "cases/simple_form.html", context)


def _bad_filters(request: HttpRequest, case: Case) -> HttpResponse:
    return redirect(f"{reverse('cases:chronology', args=[case.pk])}?{request.GET.urlencode()}")


@require_GET
def chronology_csv(request: HttpRequest, case_id: int) -> HttpResponse | StreamingHttpResponse:
    case = get_case_for(request.user, case_id)
    form, entries = _filtered(request, case)
    if form.is_bound and not form.is_valid():
        return _bad_filters(request, case)
    entries = entries.order_by("occurred_at", "id")

    def rows() -> Any:
        for entry in entries.iterator(chunk_size=1000):
            yield [
                case.reference,
                timezone.localtime(entry.occurred_at).isoformat(),
                timezone.localtime(entry.recorded_at).isoformat(),
                entry.get_kind_display(),
                category_label(entry.category),
                entry.agency.name if entry.agency else "",
                entry.author.full_name if entry.author else "System",
                entry.summary,
                entry.detail,
            ]

    return audited_csv(
        filename=f"{case.reference}-chronology-{timezone.localdate():%Y-%m-%d}.csv",
        header=CSV_HEADER,
        rows=rows(),
        count=entries.count(),
        record_type=CHRONOLOGY_RECORD_TYPE,
        filters={"Case": case.reference, **form.terms()},
    )


@require_GET
def chronology_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    form, entries = _filtered(request, case)
    if form.is_bound and not form.is_valid():
        return _bad_filters(request, case)
    limit = conf.chronology_pdf_max_entries()
    selected = list(entries.order_by("occurred_at", "id")[: limit + 1])
    if len(selected) > limit:
        messages.error(
            request,
            f"The chronology has more than {limit:,} entries: narrow it with the filters (for example by date) "
            "and download each part, or download the CSV, which has no limit.",
        )
        return _bad_filters(request, case)
    filters = form.terms()
    content = chronology_pdf_bytes(case=case, entries=selected, user=user_of(request), filters=filters)
    return audited_file(
        content=content,
        filename=f"{case.reference}-chronology-{timezone.localdate():%Y-%m-%d}.pdf",
        content_type="application/pdf",
        record_type=CHRONOLOGY_RECORD_TYPE,
        count=len(selected),
        filters=filters,
        obj=case,
    )


urlpatterns = [
    path("<int:case_id>/chronology/", chronology, name="chronology"),
    path("<int:case_id>/chronology/add/", note_add, name="note_add"),
    path("<int:case_id>/chronology/export.csv", chronology_csv, name="chronology_csv"),
    path("<int:case_id>/chronology/export.pdf", chronology_pdf, name="chronology_pdf"),
]
