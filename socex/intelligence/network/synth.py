"""Synthetic intelligence at scale: reports, entities and links for load tests and benchmarks.

Used by ``manage.py synth_intel``. Rows are generated in batches and written in bulk: on
PostgreSQL with ``COPY`` (psycopg's ``cursor.copy``), on SQLite with ``executemany`` inside large
transactions. The full-text index keeps itself up to date either way: PostgreSQL computes the
generated ``search_vector`` column as ``COPY`` writes each row, and on SQLite the FTS5 triggers
fire for every inserted report (see ``socex.intelligence.search_schema``).

Every row satisfies the database's rules and the intelligence services' rules: graded reports
were evaluated by someone other than their author, sanitised and published reports have
sanitised text, handling code C has conditions, legacy 5x5x5 grades stand alone, and every link
type joins the kinds of entity it fits (``socex.intelligence.services.LINK_KINDS``). Links pick
their ends with a mild skew (some people, phones and places are linked far more than most), as in
real networks. The same seed always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, models, transaction
from django.utils import timezone

from socex.intelligence.models import Entity, EntityKind, Group, GroupKind, Link, LinkType, Report
from socex.intelligence.network import synth_words as words
from socex.intelligence.services import LINK_KINDS

KEY_PREFIX = "syn:"
FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)
# Share of entities of each kind (groups are the county lines and crime groups).
KIND_SHARES = {
    EntityKind.PERSON: 0.45,
    EntityKind.PHONE: 0.20,
    EntityKind.VEHICLE: 0.10,
    EntityKind.LOCATION: 0.15,
    EntityKind.EMAIL: 0.03,
    EntityKind.HANDLE: 0.06,
    EntityKind.GROUP: 0.01,
}
LINK_SHARES = {
    LinkType.ASSOCIATE: 0.25,
    LinkType.FAMILY: 0.07,
    LinkType.RECRUITED_BY: 0.05,
    LinkType.USES_PHONE: 0.20,
    LinkType.DRIVES: 0.09,
    LinkType.LIVES_AT: 0.10,
    LinkType.FREQUENTS: 0.12,
    LinkType.RUNS_LINE: 0.04,
    LinkType.USES_ACCOUNT: 0.08,
}
# u ** SKEW over a kind's entities: the first few of each kind collect many links.
SKEW = 1.5


@dataclass
class Counts:
    reports: int = 0
    entities: int = 0
    links: int = 0
    groups: int = 0


# --- Writing rows in bulk ----------------------------------------------------------------------------


class BulkWriter:
    """Writes rows of one model's columns as fast as the database allows."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = list(columns)
        self.table = model._meta.db_table

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(self.columns))
        with connection.cursor() as cursor:
            # The table and column names come from the model, never from input.
            cursor.executemany(f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def column_defaults(model: type[models.Model], given: Sequence[str]) -> dict[str, Any]:
    """A value for every other column (as it would be saved), so a field another migration adds
    later does not break the generator: its default, or NULL."""
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        value = field.get_default()
        defaults[str(field.column)] = field.get_db_prep_save(value, connection) if value is not None else None
    return defaults


# --- Text ----------------------------------------------------------------------------------------------


class Writer:
    """Makes up report text from the word lists, and the entities it names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def vrm(self) -> str:
        letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
        r = self.rng
        return f"{r.choice(letters)}{r.choice(letters)}{r.randint(10, 74)} {''.join(r.choices(letters, k=3))}"

    def phone(self) -> str:
        return f"07{self.rng.randint(100, 999)} {self.rng.randint(100000, 999999)}"

    def postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return (
            f"{self.rng.choice(words.POSTCODE_AREAS)} {self.rng.randint(1, 9)}{''.join(self.rng.choices(letters, k=2))}"
        )

    def name(self) -> str:
        return f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.SURNAMES)}"

    def _fill(self, template: str) -> str:
        r = self.rng
        values = {
            "nick": r.choice(words.NICKNAMES),
            "nick2": r.choice(words.NICKNAMES),
            "name": self.name(),
            "line": r.choice(words.LINES),
            "street": r.choice(words.STREETS),
            "area": r.choice(words.AREAS),
            "area2": r.choice(words.AREAS),
            "place": r.choice(words.PLACES),
            "drug": r.choice(words.DRUGS),
            "town": r.choice(words.TOWNS_SUPPLIED),
            "colour": r.choice(words.COLOURS),
            "vehicle": r.choice(words.VEHICLES),
            "vrm": self.vrm(),
            "phone": self.phone(),
            "postcode": self.postcode(),
            "weapon": r.choice(words.WEAPONS),
            "role": r.choice(words.ROLES),
            "handle": f"{r.choice(words.NICKNAMES).lower().replace(' ', '_')}_{r.randint(1, 999)}",
        }
        return template.format(**values)

    def report_text(self) -> str:
        count = self.rng.choice((2, 3, 3, 4, 5))
        return " ".join(self._fill(t) for t in self.rng.sample(words.SENTENCES, count))

    def sanitised_text(self) -> str:
        return " ".join(self._fill(t) for t in self.rng.sample(words.SANITISED_SENTENCES, 2))


def _date(value: dt.date | None) -> Any:
    """A date as this database's driver takes it (SQLite: ISO text)."""
    return None if value is None else connection.ops.adapt_datefield_value(value)


def _stamp(value: dt.datetime | None) -> Any:
    return None if value is None else connection.ops.adapt_datetimefield_value(value)


def _day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


# --- Reports -------------------------------------------------------------------------------------------


@dataclass
class ReportContext:
    author_id: Any
    evaluator_id: Any
    owner_id: Any
    lpa_ids: list[int]
    team_ids: list[int]
    retention_group: str
    review_years: int


REPORT_COLUMNS = [
    "reference",
    "source_type",
    "obtained_on",
    "lpa_id",
    "text",
    "sanitised_text",
    "grading_scheme",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
    "handling_conditions",
    "legacy_grading",
    "status",
    "author_id",
    "owner_id",
    "evaluated_by_id",
    "evaluated_at",
    "sanitised_by_id",
    "sanitised_at",
    "published_by_id",
    "published_at",
    "retention_group",
    "review_date",
    "restricted_team_id",
    "created_at",
    "updated_at",
]


def next_numbers(years: range) -> dict[int, int]:
    """The next free INT-<year>- number for each year (after anything already there)."""
    numbers = {}
    for year in years:
        last = (
            Report.objects.filter(reference__startswith=f"INT-{year}-")
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        numbers[year] = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return numbers


def report_rows(count: int, context: ReportContext, rng: random.Random, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    writer = Writer(rng)
    numbers = next_numbers(range(FIRST_DAY.year, LAST_DAY.year + 1))
    now = _stamp(timezone.now())
    extra = column_defaults(Report, REPORT_COLUMNS)
    extra_values = tuple(extra.values())
    rows: list[tuple[Any, ...]] = []
    statuses = ["submitted", "evaluated", "sanitised", "published"]
    for _ in range(count):
        obtained = _day(rng)
        reference = f"INT-{obtained.year}-{numbers[obtained.year]:07d}"
        numbers[obtained.year] += 1
        status = rng.choices(statuses, weights=(10, 30, 10, 50))[0]
        legacy = status != "submitted" and obtained.year < 2019 and rng.random() < 0.3
        scheme, source, assessment, handling, conditions, legacy_grade = "3x5x2", "", "", "", "", ""
        if legacy:
            scheme = "5x5x5"
            legacy_grade = f"{rng.choice('ABCDE')}{rng.randint(1, 5)}{rng.randint(1, 5)}"
        elif status != "submitted":
            source = rng.choices("123", weights=(35, 50, 15))[0]
            assessment = rng.choices("ABCDE", weights=(25, 30, 30, 10, 5))[0]
            handling = "C" if rng.random() < 0.2 else "P"
            conditions = "Share only through the MACE chair; not with the family." if handling == "C" else ""
        stamp = _stamp(timezone.make_aware(dt.datetime.combine(obtained, dt.time(12))))
        evaluated = status != "submitted"
        sanitised = status in ("sanitised", "published")
        published = status == "published"
        review = obtained.replace(year=obtained.year + context.review_years, day=min(obtained.day, 28))
        team = (
            context.team_ids[rng.randrange(len(context.team_ids))] if context.team_ids and rng.random() < 0.02 else None
        )
        rows.append(
            (
                reference,
                rng.choices(["officer", "partner", "public", "other"], weights=(50, 25, 20, 5))[0],
                _date(obtained),
                context.lpa_ids[rng.randrange(len(context.lpa_ids))],
                writer.report_text(),
                writer.sanitised_text() if sanitised else "",
                scheme,
                source,
                assessment,
                handling,
                conditions,
                legacy_grade,
                status,
                context.author_id,
                context.owner_id,
                context.evaluator_id if evaluated else None,
                stamp if evaluated else None,
                context.evaluator_id if sanitised else None,
                stamp if sanitised else None,
                context.evaluator_id if published else None,
                stamp if published else None,
                context.retention_group,
                _date(review),
                team,
                now,
                now,
                *extra_values,
            )
        )
        if len(rows) >= batch:
            yield rows
            rows = []
    if rows:
        yield rows


# --- Entities ------------------------------------------------------------------------------------------


def kind_counts(total: int) -> dict[str, int]:
    counts: dict[str, int] = {str(kind): int(total * share) for kind, share in KIND_SHARES.items()}
    counts[EntityKind.PERSON] += total - sum(counts.values())
    return counts


def make_groups(count: int, *, prefix: str) -> list[int]:
    """County lines and crime groups for the group entities (the Group rows they stand for)."""
    now = timezone.now()
    rng = random.Random(count)  # noqa: S311 (made-up data, not security)
    groups = [
        Group(
            kind=GroupKind.COUNTY_LINE if n % 5 else GroupKind.OCG,
            name=f"{rng.choice(words.LINES)} {prefix}{n:06d}",
            area_notes=rng.choice(words.TOWNS_SUPPLIED),
            created_at=now,
        )
        for n in range(count)
    ]
    created = Group.objects.bulk_create(groups, batch_size=5000)
    if created and created[0].pk is None:  # backends that do not return ids
        names = [g.name for g in groups]
        return list(Group.objects.filter(name__in=names).order_by("pk").values_list("pk", flat=True))
    return [g.pk for g in created]


ENTITY_COLUMNS = ["kind", "key", "label", "person_id", "group_id", "created_at"]


def entity_rows(
    counts: dict[str, int], group_ids: list[int], rng: random.Random, batch: int, *, run: str
) -> Iterator[list[tuple[Any, ...]]]:
    writer = Writer(rng)
    now = _stamp(timezone.now())
    extra_values = tuple(column_defaults(Entity, ENTITY_COLUMNS).values())
    rows: list[tuple[Any, ...]] = []
    for kind, count in counts.items():
        for n in range(count):
            key = f"{KEY_PREFIX}{run}:{kind}:{n}"
            group_id = None
            if kind == EntityKind.PERSON:
                label = f"{writer.name()} ('{rng.choice(words.NICKNAMES)}')"
            elif kind == EntityKind.PHONE:
                label = f"07{700 + n // 1_000_000 % 300} {n % 1_000_000:06d}"
            elif kind == EntityKind.VEHICLE:
                label = writer.vrm()
            elif kind == EntityKind.LOCATION:
                label = f"{rng.randint(1, 250)} {rng.choice(words.STREETS)}, {writer.postcode()}"
            elif kind == EntityKind.EMAIL:
                label = f"{rng.choice(words.NICKNAMES).lower().replace(' ', '')}{n}@mail.example"
            elif kind == EntityKind.HANDLE:
                label = f"@{rng.choice(words.NICKNAMES).lower().replace(' ', '_')}_{n}"
            else:
                group_id = group_ids[n % len(group_ids)]
                label = f"{rng.choice(words.LINES)} {n}"
            rows.append((kind, key, label, None, group_id, now, *extra_values))
            if len(rows) >= batch:
                yield rows
                rows = []
    if rows:
        yield rows


def entity_ids_by_kind(run: str) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for kind in KIND_SHARES:
        ids = Entity.objects.filter(kind=kind, key__startswith=f"{KEY_PREFIX}{run}:{kind}:").values_list(
            "pk", flat=True
        )
        found[kind] = np.fromiter(ids.iterator(chunk_size=100_000), dtype=np.int64)
    return found


# --- Links ---------------------------------------------------------------------------------------------


LINK_COLUMNS = [
    "source_id",
    "target_id",
    "link_type",
    "valid_from",
    "valid_to",
    "report_id",
    "created_by_id",
    "created_at",
]


def _pick(rng: np.random.Generator, pools: list[np.ndarray], size: int) -> np.ndarray:
    """``size`` entities from ``pools`` (one pool per kind the end may be), skewed to the first of each."""
    sizes = np.array([len(pool) for pool in pools], dtype=np.float64)
    which = rng.choice(len(pools), size=size, p=sizes / sizes.sum())
    chosen = np.empty(size, dtype=np.int64)
    for index, pool in enumerate(pools):
        mask = which == index
        positions = np.floor(len(pool) * rng.random(mask.sum()) ** SKEW).astype(np.int64)
        chosen[mask] = pool[np.minimum(positions, len(pool) - 1)]
    return chosen


def link_rows(
    count: int,
    entities: dict[str, np.ndarray],
    report_ids: np.ndarray,
    created_by: Any,
    seed: int,
    batch: int,
) -> Iterator[list[tuple[Any, ...]]]:
    rng = np.random.default_rng(seed)
    types = [t for t in LINK_SHARES if all(len(entities[k]) for k in LINK_KINDS[t][0] | LINK_KINDS[t][1])]
    shares = np.array([LINK_SHARES[t] for t in types])
    now = _stamp(timezone.now())
    extra_values = tuple(column_defaults(Link, LINK_COLUMNS).values())
    span = (LAST_DAY - FIRST_DAY).days
    done = 0
    while done < count:
        size = min(batch, count - done)
        chosen_types = rng.choice(len(types), size=size, p=shares / shares.sum())
        sources = np.empty(size, dtype=np.int64)
        targets = np.empty(size, dtype=np.int64)
        for index, link_type in enumerate(types):
            mask = chosen_types == index
            n = int(mask.sum())
            if not n:
                continue
            source_kinds, target_kinds = LINK_KINDS[link_type]
            sources[mask] = _pick(rng, [entities[k] for k in sorted(source_kinds)], n)
            targets[mask] = _pick(rng, [entities[k] for k in sorted(target_kinds)], n)
        # A link never joins an entity to itself: move the target to the next of its kind.
        same = sources == targets
        while same.any():
            person_pool = entities[EntityKind.PERSON]
            targets[same] = person_pool[rng.integers(0, len(person_pool), same.sum())]
            same = sources == targets
        dated = rng.random(size) < 0.7
        starts = rng.integers(0, span, size)
        ends = starts + rng.integers(30, 900, size)
        ended = dated & (rng.random(size) < 0.4)
        reports = report_ids[rng.integers(0, len(report_ids), size)]
        rows = []
        for i in range(size):
            start = _date(FIRST_DAY + dt.timedelta(days=int(starts[i]))) if dated[i] else None
            end = _date(FIRST_DAY + dt.timedelta(days=int(ends[i]))) if ended[i] else None
            rows.append(
                (
                    int(sources[i]),
                    int(targets[i]),
                    types[chosen_types[i]].value,
                    start,
                    end,
                    int(reports[i]),
                    created_by,
                    now,
                    *extra_values,
                )
            )
        yield rows
        done += size


def generate(
    *,
    reports: int,
    entities: int,
    links: int,
    context: ReportContext,
    seed: int = 0,
    batch: int = 20_000,
    progress: Callable[[str, int], None] | None = None,
) -> Counts:
    """Write the synthetic data, all or nothing (one transaction); ``progress(phase, rows)`` is
    called after each batch."""
    with transaction.atomic():
        return _generate(
            reports=reports, entities=entities, links=links, context=context, seed=seed, batch=batch, progress=progress
        )


def _generate(
    *,
    reports: int,
    entities: int,
    links: int,
    context: ReportContext,
    seed: int,
    batch: int,
    progress: Callable[[str, int], None] | None,
) -> Counts:
    tell = progress or (lambda phase, rows: None)
    rng = random.Random(seed)  # noqa: S311 (made-up data, not security)
    run = f"{seed}-{uuid.uuid4().hex[:10]}"  # keys unique across runs
    counts = Counts()
    first_report = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    writer = BulkWriter(Report, REPORT_COLUMNS + list(column_defaults(Report, REPORT_COLUMNS)))
    for rows in report_rows(reports, context, rng, batch):
        writer.write(rows)
        counts.reports += len(rows)
        tell("reports", len(rows))
    kinds = kind_counts(entities)
    group_ids = make_groups(max(kinds[EntityKind.GROUP], 1), prefix=run) if kinds[EntityKind.GROUP] else []
    counts.groups = len(group_ids)
    writer = BulkWriter(Entity, ENTITY_COLUMNS + list(column_defaults(Entity, ENTITY_COLUMNS)))
    for rows in entity_rows(kinds, group_ids, rng, batch, run=run):
        writer.write(rows)
        counts.entities += len(rows)
        tell("entities", len(rows))
    if links:
        pools = entity_ids_by_kind(run)
        report_ids = np.fromiter(
            Report.objects.filter(pk__gt=first_report).values_list("pk", flat=True).iterator(chunk_size=100_000),
            dtype=np.int64,
        )
        if not len(report_ids):
            report_ids = np.fromiter(Report.objects.values_list("pk", flat=True), dtype=np.int64)
        writer = BulkWriter(Link, LINK_COLUMNS + list(column_defaults(Link, LINK_COLUMNS)))
        for rows in link_rows(links, pools, report_ids, context.author_id, seed, batch):
            writer.write(rows)
            counts.links += len(rows)
            tell("links", len(rows))
    return counts
