"""Full-text search over intelligence reports: one function for the page, the API and benchmarks.

:func:`search_reports` searches the reports a user may see (``Report.objects.visible_to``, so the
restricted-team rule always applies), ranks them, highlights the words found and applies the
filters (date obtained, LPA, grade, entity, line). Every search is written to the audit log
with its terms and the number of results. :func:`search_shared_reports` is the partner's
version: only the sanitised text of reports disseminated to their agency.

What a person types is never handed to a query parser. :func:`parse_query` turns it into safe
terms first: words, "quoted phrases", ``-word`` to leave out, ``OR`` between alternatives and
``word*`` for a prefix; every other character is dropped. Over-long queries are cut (with a
message), and so are queries with too many terms. The terms then become:

* **PostgreSQL**: a ``tsquery`` built with ``phraseto_tsquery``/``to_tsquery`` (so each term is
  read by the same parser as the indexed text), matched against the generated ``search_vector``
  column through its GIN index, ranked with ``ts_rank`` and highlighted with ``ts_headline``.
* **SQLite**: an FTS5 query of quoted strings, matched against ``intelligence_report_fts``,
  ranked with ``bm25`` and highlighted with ``snippet``.

Speed at a force's scale: ranking and counting need every candidate, so only the newest
``SOCEX_INTEL_SEARCH_RANK_WINDOW`` matches (1,000) are read and ranked; a full window means "more
than 1,000" (PostgreSQL adds its planner's estimate of the rest). A list with filters but no words
is counted exactly up to ``SOCEX_INTEL_SEARCH_COUNT_CAP`` (10,000). The results say when either
limit was reached. Highlighting runs only on the page of results shown (docs/adr/0014).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from socex.audit.models import Action
from socex.audit.services import format_terms, record
from socex.intelligence import conf
from socex.intelligence.access import RECORD_TYPE, SharedReport, disseminated_reports, shared_report_rows
from socex.intelligence.models import Link, Mention, Report
from socex.intelligence.search_schema import FTS_TABLE, TEXT_SEARCH_CONFIG

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from socex.accounts.models import User
    from socex.areas.models import LPA
    from socex.intelligence.models import Entity, Group

# Private-use characters mark the highlighted words inside a snippet until it is HTML-escaped.
_START, _STOP = "\ue000", "\ue001"
_WORD = re.compile(r"[^\W_]+(?:[_'.@\-][^\W_]+)*\*?", re.UNICODE)
_TOKEN = re.compile(r'"[^"]*"?|\S+')
SNIPPET_WORDS = 30
PLAIN_SNIPPET_CHARS = 240


# --- Parsing what was typed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word or a phrase (words in order), or a word prefix."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False

    @property
    def text(self) -> str:
        shown = " ".join(self.words)
        if len(self.words) > 1:
            shown = f'"{shown}"'
        if self.prefix:
            shown += "*"
        return f"-{shown}" if self.negated else shown


@dataclass
class ParsedQuery:
    """A query as safe terms: alternatives (joined by OR), each a list of terms all of which must match."""

    groups: list[list[Term]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    typed: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def text(self) -> str:
        """The terms as they were understood, for the page and the audit log."""
        return " OR ".join(" ".join(term.text for term in group) for group in self.groups)


def parse_query(typed: str) -> ParsedQuery:
    """What a person typed, as terms no query language will misread.

    Keeps letters and digits (and ``_ ' . @ -`` inside a word, as in an email or a handle);
    ``"..."`` makes a phrase, a leading ``-`` (or ``NOT``) leaves a word out, ``OR`` separates
    alternatives, ``AND`` is understood (every word must match anyway) and a trailing ``*``
    matches the start of a word. Everything else is dropped; a query cut for length is cut
    between words. A query of
    only excluded words searches for nothing, since it would match almost every report.
    """
    parsed = ParsedQuery(typed=typed)
    text = (typed or "").replace("\x00", " ")
    limit = conf.search_max_length()
    if len(text) > limit:
        cut = text[: limit + 1]
        text = cut.rsplit(None, 1)[0] if " " in cut.strip() else text[:limit]  # never half a word
        parsed.messages.append(f"Your search was longer than {limit} characters, so only the first {limit} were used.")
    groups: list[list[Term]] = [[]]
    count = 0
    dropped = False
    negate_next = False
    for part in _TOKEN.findall(text):
        if part == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if part == "AND":  # every word must match anyway
            continue
        if part == "NOT":
            negate_next = True
            continue
        negated = (part.startswith("-") and len(part) > 1) or negate_next
        negate_next = False
        body = part[1:] if part.startswith("-") else part
        term = _term(body, negated=negated)
        if term is None:
            continue
        if count >= conf.search_max_terms():
            dropped = True
            continue
        groups[-1].append(term)
        count += 1
    if dropped:
        parsed.messages.append(f"Only the first {conf.search_max_terms()} words or phrases were searched for.")
    kept = [group for group in groups if group]
    if kept and all(all(term.negated for term in group) for group in kept):
        parsed.messages.append("Add a word to search for: a search cannot only leave words out.")
        kept = []
    parsed.groups = [group for group in kept if any(not term.negated for term in group)]
    return parsed


def _term(body: str, *, negated: bool) -> Term | None:
    quoted = body.startswith('"')
    words = []
    for match in _WORD.finditer(body.strip('"')):
        words.append(match.group(0))
    if not words:
        return None
    prefix = not quoted and len(words) == 1 and words[0].endswith("*")
    cleaned = tuple(word.rstrip("*").lower() for word in words)
    cleaned = tuple(word for word in cleaned if word)
    if not cleaned:
        return None
    return Term(words=cleaned, negated=negated, prefix=prefix and len(cleaned) == 1)


# --- Filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    """What a search is narrowed to. Every field is optional."""

    obtained_from: dt.date | None = None
    obtained_to: dt.date | None = None
    lpa: LPA | None = None
    source_evaluation: str = ""
    intelligence_assessment: str = ""
    handling_code: str = ""
    grading_scheme: str = ""
    status: str = ""
    entity: Entity | None = None
    group: Group | None = None

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.obtained_from:
            reports = reports.filter(obtained_on__gte=self.obtained_from)
        if self.obtained_to:
            reports = reports.filter(obtained_on__lte=self.obtained_to)
        if self.lpa is not None:
            reports = reports.filter(lpa=self.lpa)
        for name in ("source_evaluation", "intelligence_assessment", "handling_code", "grading_scheme", "status"):
            if getattr(self, name):
                reports = reports.filter(**{name: getattr(self, name)})
        if self.entity is not None:
            reports = reports.filter(_about(self.entity.pk))
        if self.group is not None:
            entity_ids = list(self.group.entities.values_list("pk", flat=True))
            reports = reports.filter(_about(*entity_ids)) if entity_ids else reports.none()
        return reports

    def terms(self) -> dict[str, str]:
        """The filters in use as ``{label: value}``, for the audit log and the page's filter tags."""
        from socex.core.templatetags.socex import uk_date

        shown: dict[str, str] = {}
        if self.obtained_from:
            shown["Obtained from"] = uk_date(self.obtained_from)
        if self.obtained_to:
            shown["Obtained to"] = uk_date(self.obtained_to)
        if self.lpa is not None:
            shown["Area (LPA)"] = str(self.lpa)
        labels = {
            "source_evaluation": "Source evaluation",
            "intelligence_assessment": "Intelligence assessment",
            "handling_code": "Handling code",
            "grading_scheme": "Grading scheme",
            "status": "Status",
        }
        for name, label in labels.items():
            if getattr(self, name):
                shown[label] = str(getattr(self, name))
        if self.entity is not None:
            shown["Entity"] = str(self.entity)
        if self.group is not None:
            shown["Line or group"] = str(self.group)
        return shown


def _about(*entity_ids: int) -> Q:
    """Reports that mention any of the entities, or that a link between them came from."""
    mentioned = Mention.objects.filter(entity_id__in=entity_ids).values("report_id")
    linked = Link.objects.filter(Q(source_id__in=entity_ids) | Q(target_id__in=entity_ids)).values("report_id")
    return Q(pk__in=mentioned) | Q(pk__in=linked)


# --- Results -------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    report: Report
    snippet: SafeString
    rank: float | None = None


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    """How many reports match: exact, unless ``count_capped`` (then at least this many)."""
    query: ParsedQuery
    filters: ReportFilters
    limit: int
    offset: int
    count_capped: bool = False
    """More reports match than were counted: the ranking window, or ``SOCEX_INTEL_SEARCH_COUNT_CAP``
    for a list with no search words."""
    ranked_window: int | None = None
    """When set, only the newest this-many matches were ranked."""
    estimate: int | None = None
    """PostgreSQL's estimate of all the matches, when there were too many to count."""

    @property
    def messages(self) -> list[str]:
        said = list(self.query.messages)
        if self.query.typed.strip() and self.query.is_empty and not said:
            said.append(
                "Your search had no words to look for. Try words from the report, such as a street name or a place."
            )
        if self.count_capped:
            about = f" (about {self.estimate:,})" if self.estimate and self.estimate > self.total else ""
            said.append(
                f"More than {self.total:,} reports match{about}: add a filter or more words to narrow the search."
            )
        if self.ranked_window:
            said.append(f"Only the newest {self.ranked_window:,} matching reports were ranked by relevance.")
        return said


def _snippet_html(snippet: str) -> SafeString:
    """A snippet with the highlight markers turned into ``<mark>`` and everything else escaped."""
    html = str(escape(snippet.replace("\x00", "")))
    html = html.replace(_START, '<mark class="socex-highlight">').replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own markers become tags


def _plain_snippet(text: str) -> SafeString:
    text = " ".join(text.split())
    if len(text) > PLAIN_SNIPPET_CHARS:
        text = text[:PLAIN_SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return _snippet_html(text)


# --- Engines -------------------------------------------------------------------------------------


def _pg_tsquery(parsed: ParsedQuery) -> str:
    """The query as ``tsquery`` text, normalised by PostgreSQL's own parser ('' if nothing is left)."""
    parts: list[str] = []
    params: list[str] = []
    for group in parsed.groups:
        terms = []
        for term in group:
            if term.prefix:
                sql = "to_tsquery(%s::regconfig, %s)"
                params += [TEXT_SEARCH_CONFIG, f"{_prefix_word(term.words[0])}:*"]
            else:
                sql = "phraseto_tsquery(%s::regconfig, %s)"
                params += [TEXT_SEARCH_CONFIG, " ".join(term.words)]
            terms.append(f"(!!{sql})" if term.negated else sql)
        parts.append("(" + " && ".join(terms) + ")")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({' || '.join(parts)})::text", params)
        row = cursor.fetchone()
    return str(row[0] or "") if row else ""


def _prefix_word(word: str) -> str:
    # to_tsquery reads & | ! : ( ) as operators: a prefix term keeps letters and digits only.
    return re.sub(r"[^\w]", "", word) or "x"


def _fts5_query(parsed: ParsedQuery, column: str | None = None) -> str:
    """The query in FTS5 syntax: every word a double-quoted string, so none is read as an operator."""
    alternatives = []
    for group in parsed.groups:
        positive = [_fts5_term(term) for term in group if not term.negated]
        negative = [_fts5_term(term) for term in group if term.negated]
        clause = "(" + " AND ".join(positive) + ")"
        for term in negative:
            clause = f"({clause} NOT {term})"
        alternatives.append(clause)
    query = " OR ".join(alternatives)
    return f"{{{column}}} : ({query})" if column else query


def _fts5_term(term: Term) -> str:
    # FTS5's tokenizer splits on the same characters the index did; a quoted string is a phrase.
    words = [w for word in term.words for w in re.split(r"[^\w]+", word) if w]
    quoted = '"' + " ".join(words).replace('"', '""') + '"'
    return f"{quoted} *" if term.prefix else quoted


def _pg_match(tsquery: str) -> RawSQL:
    return RawSQL(f'"{Report._meta.db_table}"."search_vector" @@ %s::tsquery', [tsquery], output_field=BooleanField())  # noqa: S611 - constant SQL, values as parameters


def _sqlite_match(fts_query: str) -> RawSQL:
    return RawSQL(  # noqa: S611 - constant SQL, values as parameters
        f'"{Report._meta.db_table}"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)',  # noqa: S608
        [fts_query],
        output_field=BooleanField(),
    )


def _count(reports: QuerySet[Report]) -> tuple[int, bool]:
    cap = conf.search_count_cap()
    total = reports.order_by()[: cap + 1].count()
    return (cap, True) if total > cap else (total, False)


def _ranked_ids_postgres(matching: QuerySet[Report], tsquery: str) -> tuple[list[int], bool]:
    """The newest matches (at most the window), best first. ``ts_rank`` runs in the outer query,
    so it is computed only for the rows the window keeps, never for every match."""
    window = conf.search_rank_window()
    vector = RawSQL(f'"{Report._meta.db_table}"."search_vector"', [])  # noqa: S611 - constant SQL
    newest = matching.annotate(vector=vector).order_by("-id").values("id", "vector")[: window + 1]
    try:
        sql, params = newest.query.sql_with_params()
    except EmptyResultSet:  # the user may see no reports at all
        return [], False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT newest.id, ts_rank(newest.vector, %s::tsquery) FROM ({sql}) AS newest",  # noqa: S608 - ORM SQL
            [tsquery, *params],
        )
        rows = cursor.fetchall()
    capped = len(rows) > window
    rows = sorted(rows, key=lambda row: -row[0])[:window]
    rows.sort(key=lambda row: (-row[1], -row[0]))
    return [row[0] for row in rows], capped


def _ranked_ids_sqlite(matching: QuerySet[Report], fts_query: str) -> tuple[list[int], bool]:
    window = conf.search_rank_window()
    newest = list(matching.order_by("-id").values_list("id", flat=True)[: window + 1])
    capped = len(newest) > window
    newest = newest[:window]
    if not newest:
        return [], False
    wanted = set(newest)
    with connection.cursor() as cursor:
        # bm25 is smaller for better matches; the weights favour the report text over its reference.
        # A rowid range (not ``rowid IN (...)``) lets FTS5 score only the window's matches instead
        # of every match in the table; matches in the range the user may not see are dropped below.
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, 2.0, 1.0, 0.0), rowid DESC",
            [fts_query, min(newest)],
        )
        return [row[0] for row in cursor.fetchall() if row[0] in wanted], capped


def _snippets_postgres(ids: list[int], tsquery: str, column: str = "text") -> dict[int, str]:
    if not ids:
        return {}
    options = (
        f"StartSel={_START}, StopSel={_STOP}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, ts_headline(%s::regconfig, "{column}", %s::tsquery, %s) '  # noqa: S608
            f"FROM {Report._meta.db_table} WHERE id = ANY(%s)",
            [TEXT_SEARCH_CONFIG, tsquery, options, ids],
        )
        return {row[0]: row[1] for row in cursor.fetchall()}


def _snippets_sqlite(ids: list[int], fts_query: str, column_index: int = 1) -> dict[int, str]:
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, {column_index}, %s, %s, ' … ', {SNIPPET_WORDS}) "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
            [_START, _STOP, fts_query, *ids],
        )
        return {row[0]: row[1] for row in cursor.fetchall()}


def _record_search(user: User | AnonymousUser, terms: Mapping[str, str], results: int) -> None:
    """A SEARCH event (as ``record_search`` writes it) naming ``user`` even outside a request
    (a script or a benchmark calling the search directly)."""
    if not terms:
        return
    actor = user if getattr(user, "is_authenticated", False) else None
    record(
        Action.SEARCH,
        actor=actor,  # type: ignore[arg-type]
        object_type=RECORD_TYPE,
        search_terms=format_terms(terms),
        detail={"terms": dict(terms), "results": results},
    )


# --- Police search -------------------------------------------------------------------------------


def search_reports(
    user: User | AnonymousUser,
    query: str = "",
    filters: ReportFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Search the reports ``user`` may see: ranked, highlighted, filtered, and audited.

    ``query`` is what was typed (anything at all: it is made safe by :func:`parse_query`);
    ``filters`` narrows the reports; ``limit`` and ``offset`` choose the page. With no words,
    the filtered reports come back newest first with the opening of their text. Writes a SEARCH
    event (terms and result count) whenever a word or filter was given.
    """
    filters = filters or ReportFilters()
    limit = max(1, min(int(limit), 100))
    offset = max(0, int(offset))
    parsed = parse_query(query)
    reports = filters.apply(Report.objects.visible_to(user))
    results = _search(reports, parsed, filters, limit, offset)
    terms = dict(filters.terms())
    if query.strip():
        terms = {"Search": parsed.text or query.strip()[:200], **terms}
    _record_search(user, terms, results.total)
    return results


def _search(
    reports: QuerySet[Report], parsed: ParsedQuery, filters: ReportFilters, limit: int, offset: int
) -> SearchResults:
    if parsed.is_empty:
        if parsed.typed.strip():  # words typed, none left to search for: nothing matches
            return SearchResults([], 0, parsed, filters, limit, offset)
        total, capped = _count(reports)
        page = list(reports.select_related("lpa").order_by("-obtained_on", "-id")[offset : offset + limit])
        hits = [SearchHit(report, _plain_snippet(report.text)) for report in page]
        return SearchResults(hits, total, parsed, filters, limit, offset, count_capped=capped)
    # Counting every match of a common word costs more than the whole search, so the ranking
    # window doubles as the count: a full window means "more than that many".
    estimate = None
    if connection.vendor == "postgresql":
        tsquery = _pg_tsquery(parsed)
        if not tsquery:
            parsed.messages.append(
                "Your search had only very common words (such as 'the' or 'and'). Add a more specific word."
            )
            return SearchResults([], 0, parsed, filters, limit, offset)
        matching = reports.filter(_pg_match(tsquery))
        ranked, window_full = _ranked_ids_postgres(matching, tsquery)
        estimate = _estimate_postgres(matching) if window_full else None
        page_ids = ranked[offset : offset + limit]
        snippets = _snippets_postgres(page_ids, tsquery)
    else:
        fts_query = _fts5_query(parsed)
        matching = reports.filter(_sqlite_match(fts_query))
        ranked, window_full = _ranked_ids_sqlite(matching, fts_query)
        page_ids = ranked[offset : offset + limit]
        snippets = _snippets_sqlite(page_ids, fts_query)
    by_id = Report.objects.select_related("lpa").in_bulk(page_ids)
    hits = [
        SearchHit(by_id[pk], _snippet_html(snippets.get(pk) or by_id[pk].text[:PLAIN_SNIPPET_CHARS]), rank=position)
        for position, pk in enumerate(page_ids, start=offset + 1)
        if pk in by_id
    ]
    window = conf.search_rank_window() if window_full else None
    return SearchResults(
        hits,
        len(ranked),
        parsed,
        filters,
        limit,
        offset,
        count_capped=window_full,
        ranked_window=window,
        estimate=estimate,
    )


def _estimate_postgres(matching: QuerySet[Report]) -> int | None:
    """The planner's estimate of how many reports match (from its statistics; no rows are read)."""
    try:
        sql, params = matching.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        row = cursor.fetchone()
    if not row:
        return None
    plan = row[0] if isinstance(row[0], list) else json.loads(row[0])
    return int(plan[0]["Plan"]["Plan Rows"])


# --- Partner search ------------------------------------------------------------------------------


@dataclass
class SharedHit:
    report: SharedReport
    snippet: SafeString


@dataclass
class SharedResults:
    hits: list[SharedHit]
    total: int
    query: ParsedQuery

    @property
    def messages(self) -> list[str]:
        return list(self.query.messages)


def search_shared_reports(
    user: User | AnonymousUser, query: str = "", limit: int = 50, offset: int = 0
) -> SharedResults:
    """Search the sanitised text of the reports disseminated to ``user``'s agency (and nothing
    else: not the original text, not the grade). Audited like any search."""
    parsed = parse_query(query)
    reports = disseminated_reports(user)
    limit = max(1, min(int(limit), 100))
    offset = max(0, int(offset))
    snippets: dict[int, str] = {}
    if parsed.is_empty:
        if query.strip():
            reports = reports.none()
        ids = list(reports.order_by("-published_at", "-id").values_list("id", flat=True))
    elif connection.vendor == "postgresql":
        tsquery = _pg_tsquery(parsed)
        match = RawSQL(  # noqa: S611 - constant SQL, values as parameters
            f'to_tsvector(%s::regconfig, "{Report._meta.db_table}"."sanitised_text") @@ %s::tsquery',
            [TEXT_SEARCH_CONFIG, tsquery],
            output_field=BooleanField(),
        )
        ids = (
            list(
                reports.filter(match)
                .annotate(
                    rank=RawSQL(  # noqa: S611 - constant SQL, values as parameters
                        f'ts_rank(to_tsvector(%s::regconfig, "{Report._meta.db_table}"."sanitised_text"), %s::tsquery)',
                        [TEXT_SEARCH_CONFIG, tsquery],
                    )
                )
                .order_by("-rank", "-id")
                .values_list("id", flat=True)
            )
            if tsquery
            else []
        )
        snippets = _snippets_postgres(ids[offset : offset + limit], tsquery, column="sanitised_text") if tsquery else {}
    else:
        fts_query = _fts5_query(parsed, column="sanitised_text")
        ids = _ranked_ids_sqlite(reports.filter(_sqlite_match(fts_query)), fts_query)[0]
        snippets = _snippets_sqlite(ids[offset : offset + limit], fts_query, column_index=2)
    page_ids = ids[offset : offset + limit]
    rows = {row.id: row for row in shared_report_rows(user, disseminated_reports(user).filter(pk__in=page_ids))}
    hits = [
        SharedHit(rows[pk], _snippet_html(snippets[pk]) if pk in snippets else _plain_snippet(rows[pk].sanitised_text))
        for pk in page_ids
        if pk in rows
    ]
    if query.strip():
        _record_search(user, {"Search (shared reports)": parsed.text or query.strip()[:200]}, len(ids))
    return SharedResults(hits, len(ids), parsed)


def filters_from(data: Mapping[str, Any]) -> ReportFilters:
    """A :class:`ReportFilters` from cleaned form or API data with the same field names."""
    names = ReportFilters.__dataclass_fields__
    return ReportFilters(**{name: value for name, value in data.items() if name in names and value not in (None, "")})
