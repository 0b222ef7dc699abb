"""The SOCEX duplicate-detection model: one Splink model, one pipeline, for the index and for benchmarks.

Everything here works on an Arrow table of *records* with generic column names (below), so the
batch run over the person index (:mod:`socex.people.dedupe`) and the FEBRL and synthetic
benchmarks in ``benchmarks/`` run exactly the same code. Nothing here touches Django's database.

Record columns (all but ``unique_id`` optional; :func:`prepare_records` fills what is missing):

===================  =============================================================================
``unique_id``        int64, unique
``given_name``       folded (:func:`~socex.people.normalise.fold_name`)
``family_name``      folded
``dob``              date of birth as ``YYYY-MM-DD`` text (kept as text so a mistyped, impossible
                     date such as ``1987-13-02`` still compares digit by digit)
``dob_exact``        false when the date is only an estimate from a year or an age
``postcode``         current postcode, normal form
``postcodes``        every postcode known, current first
``district``         postcode district (``WS2``)
``town``             folded town or suburb
``street``           folded first address line
``identifiers``      ``kind:value`` strings, sorted
``phones``           E.164 numbers
``emails``           addresses, lower case
``other_names``      folded preferred name and the given names of aliases
===================  =============================================================================

:func:`prepare_records` adds ``given_roots`` (the names a given name may be short for, from the
nickname list, and the person's other names), ``identifier_kinds`` and ``dob_date`` (the date of
birth as a date, null when it is not a real one). The model (:func:`socex_settings`) compares given name
(with nickname and swapped-name levels), family name, date of birth (exact, one digit wrong or
day and month swapped, within a year), where they live (postcode, any earlier postcode, one
character different, district or town), street, identifiers, phones and emails.
:func:`train` estimates it without labels: the chance two records match from deterministic
rules, u by random sampling and m by expectation maximisation. :func:`predict_and_cluster`
scores the blocked pairs, keeps those at or above the threshold and joins them into clusters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from socex.people.details import PersonDetails
from socex.people.normalise import fold_name, postcode_district

if TYPE_CHECKING:
    import duckdb
    from splink import Linker

DEFAULT_THRESHOLD = 0.9
"""Pairs at or above this match probability are candidates (a DedupeRun may choose another)."""
MIN_RECORDS_TO_TRAIN = 1000
"""Below this many records the data say too little to estimate from: the prior m and u values are used."""
PRIOR_MATCH_PROBABILITY = 1e-4
"""The chance two records picked at random are one person, until training estimates it."""

RECORD_COLUMNS: dict[str, pa.DataType] = {
    "unique_id": pa.int64(),
    "given_name": pa.string(),
    "family_name": pa.string(),
    "dob": pa.string(),
    "dob_exact": pa.bool_(),
    "postcode": pa.string(),
    "postcodes": pa.list_(pa.string()),
    "district": pa.string(),
    "town": pa.string(),
    "street": pa.string(),
    "identifiers": pa.list_(pa.string()),
    "phones": pa.list_(pa.string()),
    "emails": pa.list_(pa.string()),
    "other_names": pa.list_(pa.string()),
}

Progress = Callable[[str], None]


def _no_progress(stage: str) -> None:
    return None


# --- records -------------------------------------------------------------------------------------


def prepare_records(records: pa.Table) -> pa.Table:
    """The records with every model column present, blanks as nulls, and the derived columns added."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    n = records.num_rows
    for name, dtype in RECORD_COLUMNS.items():
        if name in records.column_names:
            column = records.column(name).cast(dtype)
        elif name == "dob_exact":
            column = pa.array([True] * n, pa.bool_())
        else:
            column = pa.nulls(n, dtype)
        columns[name] = _blank_to_null(column)
    if "unique_id" not in records.column_names:
        raise ValueError("The records need a unique_id column.")
    columns["given_roots"] = _given_roots(columns["given_name"], columns["other_names"])
    columns["identifier_kinds"] = _identifier_kinds(columns["identifiers"])
    columns["dob_date"] = pc.strptime(columns["dob"], format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())
    for name in records.column_names:  # keep what the caller added (e.g. source_dataset)
        if name not in columns:
            columns[name] = records.column(name)
    return pa.table(columns)


def _blank_to_null(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    if pa.types.is_string(column.type):
        return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    if pa.types.is_list(column.type):
        return pc.if_else(pc.equal(pc.list_value_length(column), 0), pa.scalar(None, column.type), column)
    return column


def _given_roots(given: pa.Array | pa.ChunkedArray, others: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The nickname roots (the name itself included) of each given name and of the person's other
    names; each distinct name is looked up once."""
    from socex.people.names import name_roots

    encoded = pc.dictionary_encode(given)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    names = encoded.dictionary.to_pylist()
    roots = pa.array([sorted(name_roots(name)) or None for name in names], pa.list_(pa.string()))
    result = roots.take(encoded.indices)
    if others.null_count == len(others):
        return result
    merged = []
    for own, extra in zip(result.to_pylist(), others.to_pylist(), strict=True):
        if extra:
            own = sorted(set(own or ()).union(*(name_roots(name) for name in extra)))
        merged.append(own or None)
    return pa.array(merged, pa.list_(pa.string()))


def _identifier_kinds(identifiers: pa.Array | pa.ChunkedArray) -> pa.Array:
    rows = identifiers.to_pylist()
    kinds = [sorted({value.split(":", 1)[0] for value in row}) if row else None for row in rows]
    return pa.array(kinds, pa.list_(pa.string()))


def _folded(value: str) -> str | None:
    return fold_name(value) or None


def details_record(unique_id: int, details: PersonDetails, *, street: str = "", town: str = "") -> dict[str, Any]:
    """One person's details as a row of the SOCEX model's record table."""
    dob = details.date_of_birth
    other_names = {fold_name(details.preferred_name)} | {fold_name(given) for given, _ in details.aliases}
    other_names -= {"", fold_name(details.given_name)}
    postcodes = [postcode for postcode in details.postcodes if postcode]
    return {
        "unique_id": unique_id,
        "given_name": _folded(details.given_name),
        "family_name": _folded(details.family_name),
        "dob": dob.isoformat() if dob else None,
        "dob_exact": details.dob_is_exact if dob else True,
        "postcode": postcodes[0] if postcodes else None,
        "postcodes": postcodes or None,
        "district": postcode_district(postcodes[0]) if postcodes else None,
        "town": _folded(town),
        "street": _folded(street),
        "identifiers": sorted(f"{kind}:{value}" for kind, value in details.identifiers) or None,
        "phones": sorted(details.phones) or None,
        "emails": sorted(email.lower() for email in details.emails) or None,
        "other_names": sorted(other_names) or None,
    }


def records_table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    """Rows from :func:`details_record` as an Arrow table with the model's column types."""
    schema = pa.schema(list(RECORD_COLUMNS.items()))
    return pa.Table.from_pylist(list(rows), schema=schema)


# --- the model -------------------------------------------------------------------------------------


def _level(sql: str, label: str, m: float, u: float, **options: Any) -> dict[str, Any]:
    """One comparison level, with prior m and u values that training replaces where the data allow."""
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u, **options}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "missing", "is_null_level": True}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("ELSE", "different", m, u)


def _jw(column: str, at_least: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {at_least}'


SWAPPED = (
    'jaro_winkler_similarity("given_name_l", "family_name_r") >= 0.92 '
    'AND jaro_winkler_similarity("family_name_l", "given_name_r") >= 0.92'
)
"""Given and family names the other way round (each allowing a slip of the keyboard)."""
CROSSED = '"given_name_l" = "family_name_r" OR "family_name_l" = "given_name_r"'
"""One name written in the other field, the other name different (a swap plus a change)."""


def _given_name() -> dict[str, Any]:
    return {
        "output_column_name": "given_name",
        "comparison_description": "Given name",
        "comparison_levels": [
            _null('"given_name_l" IS NULL OR "given_name_r" IS NULL'),
            _level('"given_name_l" = "given_name_r"', "exact", 0.8, 0.01, tf_adjustment_column="given_name"),
            _level(SWAPPED, "swapped", 0.02, 0.0001),
            _level('list_has_any("given_roots_l", "given_roots_r")', "nickname", 0.05, 0.002),
            _level(CROSSED, "crossed", 0.02, 0.001),
            _level(_jw("given_name", 0.92), "close", 0.06, 0.003),
            _level(_jw("given_name", 0.8), "similar", 0.03, 0.03),
            _else(0.02, 0.954),
        ],
    }


def _family_name() -> dict[str, Any]:
    parts = "list_has_any(string_split(\"family_name_l\", ' '), string_split(\"family_name_r\", ' '))"
    return {
        "output_column_name": "family_name",
        "comparison_description": "Family name",
        "comparison_levels": [
            # A swap is weighed once, by the given-name comparison: the family name adds nothing more.
            _null(f'"family_name_l" IS NULL OR "family_name_r" IS NULL OR ({SWAPPED})'),
            _level('"family_name_l" = "family_name_r"', "exact", 0.85, 0.005, tf_adjustment_column="family_name"),
            _level(_jw("family_name", 0.92), "close", 0.06, 0.002),
            _level(parts, "part", 0.02, 0.001),
            _level(_jw("family_name", 0.8), "similar", 0.02, 0.03),
            _else(0.03, 0.96),
        ],
    }


def _date_of_birth() -> dict[str, Any]:
    both_exact = '"dob_exact_l" AND "dob_exact_r"'
    day_month_swapped = (
        'substr("dob_l", 1, 4) = substr("dob_r", 1, 4) AND substr("dob_l", 6, 2) = substr("dob_r", 9, 2) '
        'AND substr("dob_l", 9, 2) = substr("dob_r", 6, 2)'
    )
    days_apart = 'abs(date_diff(\'day\', "dob_date_l", "dob_date_r"))'
    typo = f'{both_exact} AND (damerau_levenshtein("dob_l", "dob_r") <= 1 OR ({day_month_swapped}))'
    return {
        "output_column_name": "dob",
        "comparison_description": "Date of birth",
        "comparison_levels": [
            _null('"dob_l" IS NULL OR "dob_r" IS NULL'),
            _level(f'"dob_l" = "dob_r" AND {both_exact}', "exact", 0.88, 0.0001),
            _level(typo, "typo", 0.06, 0.002),
            _level(f"{days_apart} <= 366", "year", 0.03, 0.05),
            _else(0.03, 0.948),
        ],
    }


def _place() -> dict[str, Any]:
    return {
        "output_column_name": "postcode",
        "comparison_description": "Postcode",
        "comparison_levels": [
            _null('"postcode_l" IS NULL OR "postcode_r" IS NULL'),
            _level('"postcode_l" = "postcode_r"', "exact", 0.7, 0.0005),
            _level('list_has_any("postcodes_l", "postcodes_r")', "earlier", 0.1, 0.0002),
            _level('damerau_levenshtein("postcode_l", "postcode_r") <= 1', "typo", 0.03, 0.002),
            _level('"district_l" = "district_r" OR "town_l" = "town_r"', "district", 0.1, 0.05),
            _else(0.07, 0.947),
        ],
    }


def _street() -> dict[str, Any]:
    return {
        "output_column_name": "street",
        "comparison_description": "Street",
        "comparison_levels": [
            _null('"street_l" IS NULL OR "street_r" IS NULL'),
            _level('"street_l" = "street_r"', "exact", 0.7, 0.001),
            _level(_jw("street", 0.9), "close", 0.1, 0.003),
            _else(0.2, 0.996),
        ],
    }


def _identifiers() -> dict[str, Any]:
    return {
        "output_column_name": "identifiers",
        "comparison_description": "Identifiers",
        "comparison_levels": [
            _null('NOT coalesce(list_has_any("identifier_kinds_l", "identifier_kinds_r"), false)'),
            _level('list_has_any("identifiers_l", "identifiers_r")', "exact", 0.9, 0.00001),
            _level('damerau_levenshtein("identifiers_l"[1], "identifiers_r"[1]) <= 1', "typo", 0.05, 0.0001),
            _else(0.05, 0.99989),
        ],
    }


def _shared(column: str, description: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(f'"{column}_l" IS NULL OR "{column}_r" IS NULL'),
            _level(f'list_has_any("{column}_l", "{column}_r")', "exact", 0.6, 0.0001),
            _else(0.4, 0.9999),
        ],
    }


def comparisons(present: set[str] | None = None) -> list[dict[str, Any]]:
    """The model's comparisons, leaving out those whose column holds nothing in this data."""
    every = [
        ("given_name", _given_name()),
        ("family_name", _family_name()),
        ("dob", _date_of_birth()),
        ("postcode", _place()),
        ("street", _street()),
        ("identifiers", _identifiers()),
        ("phones", _shared("phones", "Phone")),
        ("emails", _shared("emails", "Email")),
    ]
    return [comparison for column, comparison in every if present is None or column in present]


SWAPPED_BLOCK = "l.given_name = r.family_name AND l.family_name = r.given_name"


def prediction_blocking_rules(present: set[str] | None = None) -> list[Any]:
    """Pairs worth scoring: any one of these holds. Each is narrow enough for a million people."""
    from splink import block_on

    rules: list[tuple[set[str], Any]] = [
        ({"given_name", "family_name"}, block_on("given_name", "family_name")),
        ({"given_name", "family_name"}, SWAPPED_BLOCK),
        ({"dob", "given_name"}, block_on("dob", "substr(given_name, 1, 1)")),
        ({"dob", "family_name"}, block_on("dob", "substr(family_name, 1, 1)")),
        ({"dob", "postcode"}, block_on("dob", "postcode")),
        ({"dob", "town"}, block_on("dob", "town")),
        ({"family_name", "dob"}, block_on("family_name", "substr(dob, 1, 4)")),
        (
            {"given_name", "dob", "family_name"},
            block_on("given_name", "substr(dob, 1, 4)", "substr(family_name, 1, 1)"),
        ),
        ({"postcode", "family_name"}, block_on("postcode", "substr(family_name, 1, 1)")),
        ({"postcode", "given_name"}, block_on("postcode", "substr(given_name, 1, 1)")),
        ({"street", "dob"}, block_on("street", "substr(dob, 1, 4)")),
        ({"identifiers"}, block_on("identifiers", arrays_to_explode=["identifiers"])),
        ({"phones"}, block_on("phones", arrays_to_explode=["phones"])),
        ({"emails"}, block_on("emails", arrays_to_explode=["emails"])),
    ]
    return [rule for needs, rule in rules if present is None or needs <= present]


def deterministic_rules(present: set[str] | None = None) -> list[Any]:
    """Rules that almost never join two different people, to estimate how common matches are."""
    from splink import block_on

    rules: list[tuple[set[str], Any]] = [
        ({"given_name", "family_name", "dob"}, block_on("given_name", "family_name", "dob")),
        ({"identifiers"}, block_on("identifiers", arrays_to_explode=["identifiers"])),
    ]
    return [rule for needs, rule in rules if present is None or needs <= present]


DETERMINISTIC_RECALL = 0.7
"""How many true matches we expect :func:`deterministic_rules` to find: an assumption, not a measurement."""


def training_blocking_rules(present: set[str] | None = None) -> list[Any]:
    from splink import block_on

    rules: list[tuple[set[str], Any]] = [
        ({"dob"}, block_on("dob")),
        ({"given_name", "family_name"}, block_on("given_name", "family_name")),
        ({"postcode"}, block_on("postcode")),
    ]
    return [rule for needs, rule in rules if present is None or needs <= present]


def present_columns(tables: Iterable[pa.Table]) -> set[str]:
    """The record columns that hold at least one value in any of the tables."""
    tables = list(tables)
    return {
        name
        for name in RECORD_COLUMNS
        if any(name in t.column_names and t.column(name).null_count < t.num_rows for t in tables)
    }


def socex_settings(link_type: str = "dedupe_only", present: set[str] | None = None) -> dict[str, Any]:
    """The SOCEX model's Splink settings (untrained), for data holding the ``present`` columns."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(present),
        "blocking_rules_to_generate_predictions": prediction_blocking_rules(present),
        "probability_two_random_records_match": PRIOR_MATCH_PROBABILITY,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 25,
    }


# --- the pipeline ------------------------------------------------------------------------------


@dataclass
class PipelineResult:
    """What one run found: scored pairs at or above the threshold, clusters, the trained model."""

    pairs: pa.Table
    """unique_id_l, unique_id_r, match_probability, match_weight, cluster_id and a gamma_ column per comparison."""
    clusters: pa.Table
    """unique_id, cluster_id for every record in a cluster of two or more."""
    model: dict[str, Any]
    """Splink's settings with the m and u values used."""
    trained: bool = False
    """False when there were too few records to train on and the prior values were used."""

    @property
    def cluster_count(self) -> int:
        return len(set(self.clusters.column("cluster_id").to_pylist())) if self.clusters.num_rows else 0


def make_linker(
    records: pa.Table | Sequence[pa.Table],
    settings: dict[str, Any],
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Linker:
    """A Splink linker over the records (one table to dedupe, or one per source to link) in DuckDB."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection) if connection is not None else DuckDBAPI()
    tables = [records] if isinstance(records, pa.Table) else list(records)
    frames = [db_api.register(table, table_name=f"records_{i}") for i, table in enumerate(tables)]
    return Linker(frames if len(frames) > 1 else frames[0], settings, log_level=None)


def train(
    linker: Linker, *, present: set[str] | None = None, u_pairs: float = 5e6, em_pairs: float = 2e6, seed: int = 1
) -> None:
    """Estimate the model without labels (see the module docstring)."""
    training = linker.training
    training.estimate_probability_two_random_records_match(deterministic_rules(present), recall=DETERMINISTIC_RECALL)
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for rule in training_blocking_rules(present):
        training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=em_pairs, estimate_without_term_frequencies=True
        )


MIN_M_DIFFERENT = 0.01
"""The least chance a "different" level keeps among true matches. Training data may never show a
true match with, say, two different email addresses, and EM then says it cannot happen (m = 0, an
infinitely strong veto); people do change emails and phones, and identifiers get mistyped."""


def trained_model(linker: Linker) -> dict[str, Any]:
    """The trained settings (m and u values included) as JSON-ready data, with no level a veto."""
    model = linker.misc.save_model_to_json()
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("label_for_charts") == "different" and (level.get("m_probability") or 0) < MIN_M_DIFFERENT:
                level["m_probability"] = MIN_M_DIFFERENT
    return model


def predict_and_cluster(
    linker: Linker,
    *,
    threshold: float,
    one_to_one: bool = False,
    exclude_pairs: Iterable[tuple[int, int]] = (),
) -> tuple[pa.Table, pa.Table]:
    """Score the blocked pairs; keep those at or above ``threshold``; cluster them.

    ``one_to_one`` (linking two sources that each hold a person once) keeps only pairs where each
    record is the other's best match. ``exclude_pairs`` (lower id first) are pairs people have
    decided are different: they are kept and scored, but their link never joins a cluster (each may
    still be linked into one through other people) and the pair carries no cluster.
    """
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    db_api = linker._db_api
    con = db_api._con  # type: ignore[attr-defined]
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    gammas = [name for c in predictions.columns if (name := c.unquote().name).startswith("gamma_")]
    select = ", ".join(["unique_id_l", "unique_id_r", "match_probability", "match_weight", *gammas])
    # Here and below: column and table names that Splink made, never input, so nothing to inject.
    pairs_sql = f"SELECT {select} FROM {predictions.physical_name}"  # noqa: S608
    if one_to_one:
        pairs_sql = _mutual_best_sql(pairs_sql)
    con.execute(f"CREATE OR REPLACE TABLE socex_pairs AS {pairs_sql}")
    excluded = pa.table(
        {
            "a": pa.array([a for a, _ in exclude_pairs], pa.int64()),
            "b": pa.array([b for _, b in exclude_pairs], pa.int64()),
        }
    )
    con.register("socex_excluded", excluded)
    con.execute(
        "CREATE OR REPLACE TABLE socex_edges AS SELECT unique_id_l, unique_id_r, match_probability FROM socex_pairs "
        "ANTI JOIN socex_excluded ON least(unique_id_l, unique_id_r) = a AND greatest(unique_id_l, unique_id_r) = b"
    )
    con.execute(
        "CREATE OR REPLACE TABLE socex_nodes AS SELECT unique_id_l AS unique_id FROM socex_edges "
        "UNION SELECT unique_id_r FROM socex_edges"
    )
    clustered = cluster_pairwise_predictions_at_threshold(
        "socex_nodes", "socex_edges", db_api=db_api, node_id_column_name="unique_id"
    )
    clusters = con.sql(f"SELECT unique_id, cluster_id FROM {clustered.physical_name}").to_arrow_table()  # noqa: S608
    con.register("socex_clusters", clusters)
    pairs = con.sql(
        "SELECT p.*, CASE WHEN e.unique_id_l IS NOT NULL THEN c.cluster_id END AS cluster_id FROM socex_pairs p "
        "LEFT JOIN socex_edges e ON e.unique_id_l = p.unique_id_l AND e.unique_id_r = p.unique_id_r "
        "LEFT JOIN socex_clusters c ON c.unique_id = p.unique_id_l"
    ).to_arrow_table()
    return pairs, clusters


def _mutual_best_sql(pairs_sql: str) -> str:
    return f"""
        WITH scored AS ({pairs_sql}),
        ranked AS (
            SELECT *,
                row_number() OVER (PARTITION BY unique_id_l ORDER BY match_weight DESC, unique_id_r) AS rank_l,
                row_number() OVER (PARTITION BY unique_id_r ORDER BY match_weight DESC, unique_id_l) AS rank_r
            FROM scored
        )
        SELECT * EXCLUDE (rank_l, rank_r) FROM ranked WHERE rank_l = 1 AND rank_r = 1
    """  # noqa: S608


def run_pipeline(
    records: pa.Table | Sequence[pa.Table],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    model: dict[str, Any] | None = None,
    exclude_pairs: Iterable[tuple[int, int]] = (),
    progress: Progress = _no_progress,
    train_options: dict[str, Any] | None = None,
) -> PipelineResult:
    """Prepare, train (unless a trained ``model`` is given), predict and cluster.

    One table is deduplicated; two tables are linked one-to-one (each record is matched to at
    most one in the other table).
    """
    tables = [records] if isinstance(records, pa.Table) else list(records)
    link = len(tables) > 1
    progress("Preparing records")
    prepared = [prepare_records(table) for table in tables]

    present = present_columns(prepared)
    settings = model or socex_settings("link_only" if link else "dedupe_only", present)
    linker = make_linker(prepared, settings)
    record_count = sum(table.num_rows for table in prepared)
    trained = model is None and record_count >= MIN_RECORDS_TO_TRAIN
    if trained:
        progress("Training the model")
        train(linker, present=present, **(train_options or {}))
        settings = trained_model(linker)
        linker = make_linker(prepared, settings)

    progress("Scoring pairs and clustering")
    pairs, clusters = predict_and_cluster(linker, threshold=threshold, one_to_one=link, exclude_pairs=exclude_pairs)
    return PipelineResult(
        pairs=pairs,
        clusters=clusters,
        model=settings if trained else trained_model(linker),
        trained=trained,
    )


# --- explanations ----------------------------------------------------------------------------

Outcome = str  # "agree", "partial", "disagree" or "missing", as live matching's reasons

EXPLANATIONS: dict[str, dict[str, tuple[Outcome, str]]] = {
    "given_name": {
        "exact": ("agree", "given name is the same"),
        "swapped": ("partial", "given and family names are the other way round"),
        "nickname": ("partial", "given name is a known nickname or variant"),
        "crossed": ("partial", "one's given name is the other's family name"),
        "close": ("partial", "given name is spelt almost the same"),
        "similar": ("partial", "given name is spelt similarly"),
        "different": ("disagree", "given name is different"),
        "missing": ("missing", "given name missing on one side"),
    },
    "family_name": {
        "exact": ("agree", "family name is the same"),
        "close": ("partial", "family name is spelt almost the same"),
        "part": ("partial", "family names share a part (double-barrelled or changed)"),
        "similar": ("partial", "family name is spelt similarly"),
        "different": ("disagree", "family name is different"),
        "missing": ("missing", "family name missing on one side"),
    },
    "dob": {
        "exact": ("agree", "date of birth is the same"),
        "typo": ("partial", "date of birth differs by one digit, or day and month swapped"),
        "year": ("partial", "dates of birth are within a year"),
        "different": ("disagree", "date of birth is different"),
        "missing": ("missing", "date of birth missing on one side"),
    },
    "postcode": {
        "exact": ("agree", "current postcode is the same"),
        "earlier": ("partial", "they share a postcode, current or earlier (one may have moved)"),
        "typo": ("partial", "postcode differs by one character"),
        "district": ("partial", "same postcode district or town"),
        "different": ("disagree", "they live in different areas"),
        "missing": ("missing", "postcode missing on one side"),
    },
    "street": {
        "exact": ("agree", "street address is the same"),
        "close": ("partial", "street address is spelt almost the same"),
        "different": ("disagree", "street address is different"),
        "missing": ("missing", "street address missing on one side"),
    },
    "identifiers": {
        "exact": ("agree", "they share an identifier"),
        "typo": ("partial", "an identifier differs by one character"),
        "different": ("disagree", "an identifier of the same kind is different"),
        "missing": ("missing", "no identifier of the same kind on both"),
    },
    "phones": {
        "exact": ("agree", "they share a phone number"),
        "different": ("disagree", "phone numbers are different"),
        "missing": ("missing", "phone number missing on one side"),
    },
    "emails": {
        "exact": ("agree", "they share an email address"),
        "different": ("disagree", "email addresses are different"),
        "missing": ("missing", "email address missing on one side"),
    },
}


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """For each comparison, the label of each gamma value (Splink numbers levels from the top, null = -1)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        mapping = {len(non_null) - 1 - i: level["label_for_charts"] for i, level in enumerate(non_null)}
        mapping[-1] = "missing"
        labels[comparison["output_column_name"]] = mapping
    return labels


def explain(gammas: dict[str, int], labels: dict[str, dict[int, str]]) -> list[dict[str, str]]:
    """A short per-field explanation of one pair from its gamma values, strongest agreement first."""
    order = {"agree": 0, "partial": 1, "disagree": 2, "missing": 3}
    reasons = []
    for comparison, gamma in gammas.items():
        label = labels.get(comparison, {}).get(gamma)
        if label is None or comparison not in EXPLANATIONS:
            continue
        outcome, text = EXPLANATIONS[comparison].get(label, ("missing", f"{comparison}: {label}"))
        if outcome == "missing":
            continue  # saying what is absent on every pair is noise; the comparison page shows it
        reasons.append({"field": comparison, "outcome": outcome, "text": text})
    return sorted(reasons, key=lambda reason: order[reason["outcome"]])
