"""Helpers for pages that filter and export records: filter tags and audited CSV.

Every export goes through :func:`audited_csv`, which writes the EXPORT event (how many rows,
with which filters) before the first byte leaves, so no export can skip the audit log.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from socex.audit.models import Action
from socex.audit.services import format_terms, record, record_search
from socex.core.listing import paginate, query_without

if TYPE_CHECKING:
    from socex.audit.forms import AuditedFilterForm

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def selected_filters(request: HttpRequest, form: AuditedFilterForm) -> list[dict[str, str]]:
    """The MOJ filter tags: each filter in use, with a link that removes it."""
    names = {str(form.fields[name].label): name for name in form.fields}
    return [
        {"label": label, "value": value, "href": f"?{query_without(request, names[label], 'page')}"}
        for label, value in form.terms().items()
    ]


def audited_filtered_page(
    request: HttpRequest, form: AuditedFilterForm, items: QuerySet[Any], *, record_type: str
) -> dict[str, Any]:
    """Filter, paginate and log the search: the context every filtered list page needs.

    The page is read before the search is logged, so the count in the log is what was shown.
    """
    page = paginate(request, form.filter(items))
    page.object_list = list(page.object_list)
    record_search(record_type=record_type, terms=form.terms(), results=page.paginator.count)
    query = query_without(request, "page")
    return {
        "form": form,
        "page_obj": page,
        "selected": selected_filters(request, form),
        "query": query,
        "query_without_page": query,
    }


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # byte-order mark: Excel then reads the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_safe_cell(value) for value in row])


def audited_csv(
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: int,
    record_type: str,
    filters: Mapping[str, str],
) -> StreamingHttpResponse:
    """Record the export, then stream ``rows`` as a CSV download named ``filename``.

    ``record_type`` is the ``app_label.model_name`` of what is exported and ``filters`` the
    filters in use as shown to the user; both go in the EXPORT event with the row count.
    """
    record(
        Action.EXPORT,
        object_type=record_type,
        export_count=count,
        search_terms=format_terms(filters),
        detail={"filename": filename, "filters": dict(filters)},
    )
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
