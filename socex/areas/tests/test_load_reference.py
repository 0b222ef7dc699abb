"""manage.py load_reference: the shipped West Midlands files load, reload idempotently, and
any fault in any file is reported by file, row and column with nothing written."""

from __future__ import annotations

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum

from socex.areas.models import LPA, LSOA, Force, Hub
from socex.audit.models import Action, Event
from socex.core.testing.factories import WEST_MIDLANDS_LPAS

pytestmark = pytest.mark.django_db

WEST_MIDLANDS = {code: name for code, name, _population in WEST_MIDLANDS_LPAS}


def load(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_reference", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def load_fails(directory: Path) -> str:
    """Run the command expecting refusal; return what it printed on stderr."""
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_reference", "--dir", str(directory), stdout=StringIO(), stderr=err)
    return err.getvalue()


def rewrite(path: Path, change) -> None:
    """Apply ``change`` to the rows (header included) of a CSV file and write it back."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def database_counts() -> tuple[int, int, int, int, int]:
    return (
        Force.objects.count(),
        LPA.objects.count(),
        Hub.objects.count(),
        LSOA.objects.count(),
        Event.objects.filter(object_type="areas.reference").count(),
    )


def test_loads_the_west_midlands():
    out, _ = load()

    assert "1,730 created, 0 changed" in out
    assert Force.objects.get().code == "E23000014"
    assert dict(LPA.objects.values_list("code", "name")) == WEST_MIDLANDS
    assert LSOA.objects.count() == 1719
    assert set(Hub.objects.values_list("code", flat=True)) == {"birmingham", "coventry", "wolverhampton"}


def test_lsoa_residents_add_up_to_each_lpa():
    load()
    for lpa in LPA.objects.all():
        assert lpa.lsoas.aggregate(total=Sum("population"))["total"] == lpa.population
    assert LPA.objects.aggregate(total=Sum("population"))["total"] == 2_919_662


def test_every_lsoa_has_both_young_age_bands_within_its_total():
    load()
    for lsoa in LSOA.objects.all():
        assert lsoa.population_0_15 is not None
        assert lsoa.population_16_24 is not None
        assert lsoa.population_0_15 + lsoa.population_16_24 <= lsoa.population


def test_hubs_serve_the_lpas_the_test_factories_assume():
    from socex.core.testing.factories import HUBS

    load()
    for hub_name, served in HUBS.items():
        hub = Hub.objects.get(code=hub_name.lower())
        assert hub.base_lpa.name == hub_name
        assert set(hub.lpas_served.values_list("name", flat=True)) == set(served)


def test_loading_twice_changes_nothing_and_says_so():
    load()
    before = list(LSOA.objects.order_by("code").values_list("code", "lpa__code", "population"))

    out, _ = load()

    assert "0 created, 0 changed" in out
    assert "LSOAs: 0 created, 0 changed, 1,719 unchanged" in out
    assert list(LSOA.objects.order_by("code").values_list("code", "lpa__code", "population")) == before


def test_each_load_writes_one_audit_event_with_its_counts():
    load()
    load()

    first, second = Event.objects.filter(object_type="areas.reference").order_by("id")
    assert first.action == Action.CREATE
    assert first.detail["counts"]["LSOAs"]["created"] == 1719
    assert first.actor_id is None
    assert first.actor_label.startswith("system")
    assert second.action == Action.UPDATE
    assert second.detail["counts"]["LPAs"] == {"created": 0, "changed": 0, "unchanged": 7}


def test_a_changed_figure_is_updated_in_place(reference_dir):
    load()
    rewrite(reference_dir / "lpas.csv", lambda rows: rows[1].__setitem__(3, "1200000"))

    out, _ = load("--dir", str(reference_dir))

    assert "0 created, 1 changed" in out
    assert LPA.objects.get(code="E08000025").population == 1_200_000
    # The audit event says what changed, old -> new, not only how many.
    event = Event.objects.filter(object_type="areas.reference").order_by("-id").first()
    assert event.changes == {"LPA E08000025 population": [1_144_925, 1_200_000]}


def test_a_changed_hub_coverage_is_updated(reference_dir):
    load()
    rewrite(reference_dir / "hubs.csv", lambda rows: rows[1].__setitem__(4, "E08000025"))

    out, _ = load("--dir", str(reference_dir))

    assert "hubs: 0 created, 1 changed, 2 unchanged" in out
    assert list(Hub.objects.get(code="birmingham").lpas_served.values_list("name", flat=True)) == ["Birmingham"]
    event = Event.objects.filter(object_type="areas.reference").order_by("-id").first()
    assert event.changes == {"Hub birmingham LPAs served": [["E08000025", "E08000029"], ["E08000025"]]}


def test_a_first_load_lists_no_field_changes_only_counts():
    load()
    assert Event.objects.get(object_type="areas.reference").changes == {}


def test_dry_run_reports_but_writes_nothing():
    out, _ = load("--dry-run")

    assert "Would load" in out
    assert "1,730 created" in out
    assert database_counts() == (0, 0, 0, 0, 0)


def test_updates_factory_made_geography_to_the_files(west_midlands):
    out, _ = load()

    assert "LPAs: 0 created, 7 changed" in out
    assert LPA.objects.get(code="E08000031").population == 263_730


def _header_renamed(rows):
    rows[0][3] = "residents"


def _bad_number(rows):
    rows[11][3] = "abc"


def _unknown_lad(rows):
    rows[5][2] = "E08000099"


def _duplicate_code(rows):
    rows.append(list(rows[7]))


def _too_many_young(rows):
    rows[2][4] = "5000"


def _short_row(rows):
    del rows[3][5]


FAULTS = [
    pytest.param(
        "lsoas.csv",
        _header_renamed,
        [
            "lsoas.csv, row 1, column population: the header is missing this column",
            "lsoas.csv, row 1: unexpected column 'residents'",
        ],
        id="wrong-header",
    ),
    pytest.param(
        "lsoas.csv",
        _bad_number,
        ["lsoas.csv, row 12, column population: 'abc' is not a whole number of 0 or more"],
        id="bad-number",
    ),
    pytest.param(
        "lsoas.csv",
        _unknown_lad,
        ["lsoas.csv, row 6, column lpa_code: 'E08000099' is not an LPA in lpas.csv"],
        id="unknown-lad",
    ),
    pytest.param(
        "lsoas.csv",
        _duplicate_code,
        ["lsoas.csv, row 1721, column code: LSOA code 'E01008887' is already used on row 8"],
        id="duplicate-code",
    ),
    pytest.param(
        "lsoas.csv",
        _too_many_young,
        ["lsoas.csv, row 3, column population: 2055 is fewer than the residents aged 0-15 and 16-24 together"],
        id="more-young-than-residents",
    ),
    pytest.param(
        "lsoas.csv", _short_row, ["lsoas.csv, row 4: has 5 values but the header has 6 columns"], id="short-row"
    ),
    pytest.param(
        "hubs.csv",
        lambda rows: rows[2].__setitem__(4, "E08000026;E08000077"),
        ["hubs.csv, row 3, column lpas_served: 'E08000077' is not an LPA in lpas.csv"],
        id="hub-unknown-lpa",
    ),
    pytest.param(
        "lpas.csv",
        lambda rows: rows[1].__setitem__(5, "21/03/2021"),
        ["lpas.csv, row 2, column population_date: '21/03/2021' is not a date written as YYYY-MM-DD"],
        id="bad-date",
    ),
    pytest.param(
        "lpas.csv",
        lambda rows: rows[4].__setitem__(0, "E8000028"),
        ["lpas.csv, row 5, column code: 'E8000028' is not a valid code (like E08000025)"],
        id="bad-ons-code",
    ),
    pytest.param(
        "force.csv",
        lambda rows: rows[1].__setitem__(0, "WMP"),
        ["force.csv, row 2, column code: 'WMP' is not a valid code (like E23000014)"],
        id="bad-force-code",
    ),
]


@pytest.mark.parametrize(("file", "fault", "messages"), FAULTS)
def test_a_faulty_file_is_refused_naming_row_and_column(reference_dir, file, fault, messages):
    rewrite(reference_dir / file, fault)

    err = load_fails(reference_dir)

    for message in messages:
        assert message in err
    assert database_counts() == (0, 0, 0, 0, 0)


def test_a_file_that_is_not_utf8_is_refused(reference_dir):
    path = reference_dir / "hubs.csv"
    path.write_bytes(path.read_bytes().replace(b"Coventry SOCEX Hub", "Coventry SOCEX Hub \u00e9".encode("latin-1")))

    err = load_fails(reference_dir)

    assert "hubs.csv: is not UTF-8 text (byte 0xE9 on line 3); save it as 'CSV UTF-8'" in err
    assert database_counts() == (0, 0, 0, 0, 0)


def test_a_missing_file_is_refused(reference_dir):
    (reference_dir / "lsoas.csv").unlink()

    err = load_fails(reference_dir)

    assert f"lsoas.csv: file not found in {reference_dir}" in err
    assert database_counts() == (0, 0, 0, 0, 0)


def test_a_byte_order_mark_is_accepted(reference_dir):
    path = reference_dir / "force.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    out, _ = load("--dir", str(reference_dir))

    assert "1,730 created" in out
    assert Force.objects.get().name == "West Midlands Police"


def test_every_problem_in_every_file_is_listed_at_once(reference_dir):
    rewrite(reference_dir / "lsoas.csv", _bad_number)
    rewrite(reference_dir / "lsoas.csv", _unknown_lad)
    rewrite(reference_dir / "lpas.csv", lambda rows: rows[2].__setitem__(3, "-5"))

    err = load_fails(reference_dir)

    assert len(err.strip().splitlines()) == 3
    assert "lpas.csv, row 3, column population: '-5' is not a whole number" in err


def test_a_faulty_reload_leaves_the_loaded_data_alone(reference_dir):
    load()
    # One good change and one fault: the good change must not be written either.
    rewrite(reference_dir / "lpas.csv", lambda rows: rows[1].__setitem__(3, "1"))
    rewrite(reference_dir / "lsoas.csv", _bad_number)
    events = Event.objects.count()

    load_fails(reference_dir)

    assert LPA.objects.get(code="E08000025").population == 1_144_925
    assert Event.objects.count() == events


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("load_reference", "--dir", str(tmp_path / "nowhere"), stdout=StringIO(), stderr=StringIO())


def test_the_shipped_files_are_what_the_build_script_makes(tmp_path):
    """The committed CSVs are reproducible from the public data in ../shared/data."""
    script = Path(settings.BASE_DIR) / "scripts" / "build_reference_west_midlands.py"

    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    for name in ("force.csv", "lpas.csv", "hubs.csv", "lsoas.csv"):
        assert (tmp_path / name).read_bytes() == (Path(settings.SOCEX_REFERENCE_DIR) / name).read_bytes(), name
