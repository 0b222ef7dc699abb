"""Helpers for pages that list records: pagination and query strings for links."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string minus ``names``, ready for ``?{{ this }}page=N`` links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int = PER_PAGE) -> Page[Any]:
    """The page of ``items`` that ``?page=`` asks for (the last page if past the end)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
