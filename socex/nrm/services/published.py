"""Loading published NRM figures (from a file, or typed in from a bulletin) and removing them.

Published figures are public data, but only hub staff load them: what sits beside the hub's own
counts must come from a named publication (its edition is stored with every figure, since the
Home Office revises earlier quarters in later bulletins). Imports write everything or nothing.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socex.audit.models import Action
from socex.audit.services import record, record_create
from socex.nrm.access import PUBLISHED_RECORD, is_hub_staff
from socex.nrm.models import Dimension, PublishedFigure, PublishedImport
from socex.nrm.published import ImportRefused, ParsedFigure, parse, resolve_area

if TYPE_CHECKING:
    from socex.accounts.models import User

FIGURE_FIELDS = ("year", "quarter", "area", "dimension", "category", "value", "edition")


def _check(actor: User) -> None:
    if not is_hub_staff(actor):
        raise PermissionDenied("Only hub staff load published figures.")


def _already(figure: ParsedFigure) -> PublishedFigure | None:
    return PublishedFigure.objects.filter(
        year=figure.year,
        quarter=figure.quarter,
        area__iexact=figure.area,
        dimension=figure.dimension,
        category__iexact=figure.category,
        edition__iexact=figure.edition,
    ).first()


@transaction.atomic
def published_import(*, actor: User, file_name: str, data: bytes, edition: str = "") -> PublishedImport:
    """Load every figure of the file, or none: :class:`ImportRefused` names the sheet and cell it
    could not read (or the figure already loaded)."""
    _check(actor)
    figures = parse(file_name, data, edition=edition)
    for figure in figures:
        existing = _already(figure)
        if existing is not None:
            raise ImportRefused(
                f"Cell {figure.cell}: {figure.year} Q{figure.quarter} {figure.area} {figure.dimension} "
                f"'{figure.category}' from '{figure.edition}' is already loaded ({existing.value:,}). Remove it first "
                "to load it again."
            )
    batch = PublishedImport.objects.create(
        file_name=file_name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(figures),
        edition=edition.strip()[:200] or figures[0].edition,
        imported_by=actor,
    )
    PublishedFigure.objects.bulk_create(
        [
            PublishedFigure(
                year=f.year,
                quarter=f.quarter,
                area=f.area,
                lpa=f.lpa,
                dimension=f.dimension,
                category=f.category,
                value=f.value,
                edition=f.edition,
                source=f.source,
                import_batch=batch,
                entered_by=actor,
            )
            for f in figures
        ]
    )
    record(
        Action.IMPORT,
        obj=batch,
        actor=actor,
        detail={
            "file_name": batch.file_name,
            "sha256": batch.sha256,
            "figures": len(figures),
            "record_type": PUBLISHED_RECORD,
        },
    )
    return batch


@transaction.atomic
def published_figure_add(
    *,
    actor: User,
    year: int,
    quarter: int,
    area: str,
    dimension: str,
    category: str,
    value: int,
    edition: str,
    source: str = "",
) -> PublishedFigure:
    """Type in one published figure by hand (from a bulletin)."""
    _check(actor)
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Choose a quarter from 1 to 4."
    if dimension not in Dimension.values:
        errors["dimension"] = "Choose a dimension from the list."
    if value < 0:
        errors["value"] = "The figure is a count: 0 or more."
    if not edition.strip():
        errors["edition"] = "Give the publication the figure comes from."
    if errors:
        raise ValidationError(errors)
    duplicate = PublishedFigure.objects.filter(
        year=year,
        quarter=quarter,
        area__iexact=area.strip(),
        dimension=dimension,
        category__iexact=category.strip(),
        edition__iexact=edition.strip(),
    ).exists()
    if duplicate:
        raise ValidationError({"value": "This figure from this edition is already recorded: remove it to change it."})
    figure = PublishedFigure.objects.create(
        year=year,
        quarter=quarter,
        area=area.strip(),
        lpa=resolve_area(area),
        dimension=dimension,
        category=category.strip(),
        value=value,
        edition=edition.strip(),
        source=source.strip(),
        entered_by=actor,
    )
    record_create(figure, fields=FIGURE_FIELDS, actor=actor)
    return figure


@transaction.atomic
def published_figure_delete(*, actor: User, figure: PublishedFigure) -> None:
    _check(actor)
    record(
        Action.DELETE,
        obj=figure,
        actor=actor,
        changes={name: [str(getattr(figure, name)), None] for name in FIGURE_FIELDS},
    )
    figure.delete()
