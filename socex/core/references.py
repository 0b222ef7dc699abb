"""Human references people quote on the phone: ``PREFIX-YYYY-NNNNNN`` (e.g. REF-2026-000123)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


def next_reference(model: type[models.Model], prefix: str, *, year: int | None = None, width: int = 6) -> str:
    """One more than the highest ``<prefix>-<year>-`` reference of ``model`` (its ``reference`` field).

    Call inside ``transaction.atomic()``: it takes the audit chain's write lock first, so two
    writers never number the same record and every writer takes its locks in the same order.
    """
    from socex.audit.services import lock_chain

    lock_chain()
    year = year or timezone.localdate().year
    start = f"{prefix}-{year}-"
    last = (
        model._default_manager.filter(reference__startswith=start)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(str(last).removeprefix(start)) + 1 if last else 1
    return f"{start}{number:0{width}d}"
