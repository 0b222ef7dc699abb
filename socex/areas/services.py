"""Changes to reference geography. The only write is loading a checked reference folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction

from socex.areas.models import LPA, LSOA, Force, Hub
from socex.areas.reference import HubRow, LSOARow, Problem, ReferenceData, ReferenceError
from socex.audit.models import Action
from socex.audit.services import record

LSOA_FIELDS = ("name", "lpa_id", "population", "population_0_15", "population_16_24")
BATCH_SIZE = 500

Progress = Callable[[list[LSOARow]], Iterable[LSOARow]]


@dataclass
class Counts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class LoadSummary:
    """What a load did (or, for a dry run, would do), by kind of record."""

    dry_run: bool = False
    counts: dict[str, Counts] = field(
        default_factory=lambda: {"forces": Counts(), "LPAs": Counts(), "hubs": Counts(), "LSOAs": Counts()}
    )
    # Old -> new of every field changed on an existing force, LPA or hub, as
    # {"LPA E08000025 population": [old, new]}, for the audit event.
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c.created:,} created, {c.changed:,} changed, {c.unchanged:,} unchanged"
            for kind, c in self.counts.items()
        ]

    def as_detail(self) -> dict[str, dict[str, int]]:
        return {kind: vars(c) for kind, c in self.counts.items()}


class _DryRun(Exception):
    """Raised inside the transaction to undo a dry run."""


def _shown(value: Any) -> Any:
    """A value as the audit log shows it: related records by their name."""
    return str(value) if isinstance(value, models.Model) else value


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], summary: LoadSummary, label: str
) -> tuple[Any, str]:
    """Create the record, or change only the fields that differ (noting old -> new); say which happened."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        summary.changes[f"{label} {name}"] = [_shown(getattr(obj, name)), _shown(values[name])]
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, "changed" if changed else "unchanged"


def _load_hub(row: HubRow, forces: dict[str, Force], lpas: dict[str, LPA], summary: LoadSummary) -> str:
    hub, outcome = _upsert(
        Hub,
        {"code": row.code},
        {"name": row.name, "force": forces[row.force_code], "base_lpa": lpas[row.base_lpa_code]},
        summary,
        f"Hub {row.code}",
    )
    current = sorted(hub.lpas_served.values_list("code", flat=True))
    wanted = sorted(set(row.lpas_served))
    if current != wanted:
        if outcome != "created":
            summary.changes[f"Hub {row.code} LPAs served"] = [current, wanted]
        hub.lpas_served.set([lpas[code].pk for code in wanted])
        outcome = "changed" if outcome == "unchanged" else outcome
    return outcome


def _load_lsoas(rows: Iterable[LSOARow], lpas: dict[str, LPA], counts: Counts) -> None:
    """Bulk create and bulk update: one query per batch rather than per LSOA."""
    existing = {values[0]: values[1:] for values in LSOA.objects.values_list("code", "pk", *LSOA_FIELDS)}
    to_create, to_update = [], []
    for row in rows:
        values = (row.name, lpas[row.lpa_code].pk, row.population, row.population_0_15, row.population_16_24)
        current = existing.get(row.code)
        if current is None:
            to_create.append(LSOA(code=row.code, **dict(zip(LSOA_FIELDS, values, strict=True))))
            counts.created += 1
        elif tuple(current[1:]) != values:
            to_update.append(LSOA(pk=current[0], code=row.code, **dict(zip(LSOA_FIELDS, values, strict=True))))
            counts.changed += 1
        else:
            counts.unchanged += 1
    LSOA.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    LSOA.objects.bulk_update(to_update, LSOA_FIELDS, batch_size=BATCH_SIZE)


def _write(data: ReferenceData, summary: LoadSummary, progress: Progress | None) -> None:
    forces: dict[str, Force] = {}
    for force_row in data.forces:
        forces[force_row.code], outcome = _upsert(
            Force, {"code": force_row.code}, {"name": force_row.name}, summary, f"Force {force_row.code}"
        )
        summary.counts["forces"].add(outcome)
    lpas: dict[str, LPA] = {}
    for lpa_row in data.lpas:
        lpas[lpa_row.code], outcome = _upsert(
            LPA,
            {"code": lpa_row.code},
            {
                "force": forces[lpa_row.force_code],
                "name": lpa_row.name,
                "population": lpa_row.population,
                "population_source": lpa_row.population_source,
                "population_date": lpa_row.population_date,
                "effective_from": lpa_row.effective_from,
                "effective_to": lpa_row.effective_to,
            },
            summary,
            f"LPA {lpa_row.code}",
        )
        summary.counts["LPAs"].add(outcome)
    for hub_row in data.hubs:
        summary.counts["hubs"].add(_load_hub(hub_row, forces, lpas, summary))
    rows: Iterable[LSOARow] = progress(data.lsoas) if progress else data.lsoas
    _load_lsoas(rows, lpas, summary.counts["LSOAs"])


def reference_load(*, data: ReferenceData, dry_run: bool = False, progress: Progress | None = None) -> LoadSummary:
    """Write checked reference data (from :func:`socex.areas.reference.read_reference`).

    Creates what is new and changes only what differs, all in one transaction, so a second
    load of the same files changes nothing. Records one audit event summarising the load: the
    counts, the files' SHA-256 and, as old -> new, every field changed on an existing force,
    LPA or hub. LSOA changes (often every one of some 1,700 at a new population estimate)
    are counted rather than listed; the checksummed files hold their values.
    With ``dry_run`` the same work is done and then rolled back, so the counts say exactly
    what a real load would do. A clash with records already in the database (for example an
    LPA of the same name under another code) raises :class:`ReferenceError` and writes nothing.
    """
    summary = LoadSummary(dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(data, summary, progress)
            if dry_run:
                raise _DryRun
            record(
                Action.CREATE if summary.created else Action.UPDATE,
                object_type="areas.reference",
                object_id=",".join(force.code for force in data.forces),
                object_repr=f"Reference data loaded from {data.directory.name}",
                changes=summary.changes,
                detail={"directory": str(data.directory), "sha256": data.sha256, "counts": summary.as_detail()},
            )
    except _DryRun:
        pass
    except IntegrityError as exc:
        raise ReferenceError(
            [Problem("(database)", f"the files clash with records already held, so nothing was loaded: {exc}")]
        ) from exc
    return summary
