"""Helpers for pages that filter and export records: filter tags, audited CSV and API pages.

Every export goes through :func:`audited_csv`, which writes the EXPORT event (how many rows,
with which filters) before the first byte leaves, so no export can skip the audit log. An
API list of sensitive records is an export too: :class:`AuditedApiPagination` records each
page it hands to a script.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja.pagination import LimitOffsetPagination

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


def safe_cell(value: Any) -> str:
    """The cell as text, with a leading ' where a spreadsheet would otherwise run it as a formula.

    Leading spaces and line breaks are looked past: some spreadsheets skip them and still
    read what follows as a formula.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip(" \n").startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # byte-order mark: Excel then reads the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


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


def audited_file(
    *,
    content: bytes,
    filename: str,
    content_type: str,
    record_type: str,
    count: int,
    filters: Mapping[str, str] | None = None,
    obj: models.Model | None = None,
) -> HttpResponse:
    """Record the export of a finished file (a PDF, a workbook), then send it as a download.

    ``obj`` is the one record the file is about (a case's chronology, a meeting's minutes), if
    any; ``count`` is how many records or rows it holds.
    """
    filters = dict(filters or {})
    record(
        Action.EXPORT,
        obj=obj,
        object_type="" if obj is not None else record_type,
        export_count=count,
        search_terms=format_terms(filters),
        detail={"filename": filename, "filters": filters, "record_type": record_type},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass(frozen=True)
class ApiExport:
    """What an API list endpoint returns for :class:`AuditedApiPagination`: rows and how they were chosen.

    ``rows`` must already start from ``visible_to(user)``; ``filters`` are the filters in use as
    ``{label: value}`` (``AuditedFilterForm.terms()``), empty for an unfiltered list.
    """

    rows: QuerySet[Any]
    record_type: str
    filters: Mapping[str, str]


class AuditedApiPagination(LimitOffsetPagination):
    """Limit/offset pagination that writes an EXPORT event for every page it hands over.

    A page of sensitive records sent to a script leaves the service in bulk and machine-readable
    form, as a CSV does, so it is recorded the same way: the filters as search terms, the rows
    in the page as the export count, and the offset, limit and total in the detail. Filtered
    or not, every page is recorded, so paging through a whole ledger leaves a trail. Use it as
    ``@paginate(AuditedApiPagination)`` on an endpoint that returns an :class:`ApiExport`.
    """

    def paginate_queryset(  # type: ignore[override]
        self, queryset: ApiExport, pagination: LimitOffsetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if not isinstance(queryset, ApiExport):
            raise TypeError("An endpoint paginated with AuditedApiPagination must return an ApiExport.")
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        total = queryset.rows.count()
        # Read the page before recording it, so the count is what was handed over.
        items = list(queryset.rows[offset : offset + limit])
        record(
            Action.EXPORT,
            object_type=queryset.record_type,
            export_count=len(items),
            search_terms=format_terms(queryset.filters),
            detail={
                "channel": "api",
                "filters": dict(queryset.filters),
                "offset": offset,
                "limit": limit,
                "total": total,
            },
        )
        return {self.items_attribute: items, "count": total}

    async def apaginate_queryset(  # type: ignore[override]
        self, queryset: ApiExport, pagination: LimitOffsetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        raise NotImplementedError("AuditedApiPagination records its export synchronously; use a sync endpoint.")
