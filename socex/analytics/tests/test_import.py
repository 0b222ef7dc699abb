"""Crime import (``manage.py import_crime``): both data.police.uk formats, de-duplication,
re-imports that replace, and bad input that leaves the database as it was.

Counts are checked against an independent computation written here with pandas and a plain
point-in-polygon loop over the boundary file, not with the importer's own code."""

from __future__ import annotations

import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from shapely.geometry import Point, shape

from socex.analytics.models import Crime, CrimeCount, CrimeImport, CrimeLPAMonth, ImportStatus
from socex.analytics.tests import test_import_fixtures as fixtures
from socex.analytics.tests.test_import_fixtures import (
    ARCHIVE_SAMPLE,
    STOP_AND_SEARCH,
    WALSALL_JSON,
    run_import,
    walsall_records,
)
from socex.areas.boundaries import boundaries_dir
from socex.areas.models import LSOA
from socex.audit.models import Event

reference = fixtures.reference

pytestmark = pytest.mark.django_db

HEADER = ARCHIVE_SAMPLE.read_text().splitlines()[0]
ROWS = ARCHIVE_SAMPLE.read_text().splitlines()[1:]


def _counts_by(field: str) -> dict[tuple[str, str], int]:
    rows = CrimeCount.objects.values(field, "category").annotate(n=Sum("count"))
    return {(r[field], r["category"]): r["n"] for r in rows}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _independent_lsoa(points: pd.DataFrame) -> pd.Series:
    """LSOA 2021 code for each point: the first polygon (by code) covering it, by brute force."""
    features = json.loads((boundaries_dir() / "lsoa21.geojson").read_text())["features"]
    features.sort(key=lambda f: f["properties"]["code"])
    lon, lat = points["lon"].to_numpy(), points["lat"].to_numpy()
    found = np.array([None] * len(points), dtype=object)
    for feature in features:
        polygon = shape(feature["geometry"])
        minx, miny, maxx, maxy = polygon.bounds
        for i in np.nonzero((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))[0]:
            if found[i] is None and polygon.covers(Point(lon[i], lat[i])):
                found[i] = feature["properties"]["code"]
    return pd.Series(found, index=points.index)


def test_api_json_counts_match_an_independent_pandas_group_by(reference):
    run_import(WALSALL_JSON)

    frame = pd.DataFrame(
        [
            {
                "id": r["id"],
                "category": r["category"],
                "lon": float(r["location"]["longitude"]),
                "lat": float(r["location"]["latitude"]),
            }
            for r in walsall_records()
        ]
    ).drop_duplicates("id")
    frame["lsoa"] = _independent_lsoa(frame)
    placed = frame.dropna(subset=["lsoa"])
    lpa_of = dict(LSOA.objects.values_list("code", "lpa__code"))
    placed = placed.assign(lpa=placed["lsoa"].map(lpa_of))
    expected_lpa = placed.groupby(["lpa", "category"]).size().to_dict()
    expected_lsoa = placed.groupby(["lsoa", "category"]).size().to_dict()

    assert len(frame) == 983  # 1,011 records in 8 overlapping ward files, 983 unique ids
    assert _counts_by("lpa__code") == expected_lpa
    by_lpa_month = CrimeLPAMonth.objects.values_list("lpa__code", "category", "count")
    assert {(lpa, category): n for lpa, category, n in by_lpa_month} == expected_lpa
    assert _counts_by("lsoa__code") == expected_lsoa
    assert Crime.objects.count() == len(placed)
    assert expected_lpa[("E08000030", "violent-crime")] > 0  # Walsall
    crime_import = CrimeImport.objects.get()
    assert crime_import.rows_read == 1011
    assert crime_import.rows_imported == len(placed)
    assert crime_import.report["skipped_by_reason"]["duplicate"] == 1011 - 983
    assert crime_import.rows_skipped == 1011 - len(placed)
    assert crime_import.format == "api_json"
    assert crime_import.months == ["2018-06"]


def test_archive_csv_counts_match_pandas_and_rows_without_crime_id_count(reference):
    run_import(ARCHIVE_SAMPLE)

    frame = pd.read_csv(ARCHIVE_SAMPLE, dtype=str, keep_default_na=False)
    labels = {"Violence and sexual offences": "violent-crime", "Anti-social behaviour": "anti-social-behaviour"}
    frame["category"] = frame["Crime type"].map(
        lambda s: labels.get(s, s.lower().replace(" and ", "-").replace(" ", "-"))
    )
    frame["category"] = frame["category"].replace({"criminal-damage-arson": "criminal-damage-arson"})
    expected = frame.groupby(["LSOA code", "category"]).size().to_dict()
    got = _counts_by("lsoa__code")

    assert sum(got.values()) == len(frame) == 69
    assert got == {(code, cat): n for (code, cat), n in expected.items()}
    no_id = (frame["Crime ID"] == "").sum()
    assert no_id > 0  # anti-social behaviour rows carry no Crime ID ...
    assert Crime.objects.filter(crime_id="").count() == no_id  # ... and every one is counted
    assert Crime.objects.filter(crime_id="", category="anti-social-behaviour").count() == no_id


def test_identical_asb_rows_are_separate_incidents_within_a_file_but_overlaps_between_files_count_once(
    reference, tmp_path
):
    asb = next(line for line in ROWS if line.startswith(",") and "Anti-social behaviour" in line)
    crime = next(line for line in ROWS if not line.startswith(","))
    one = _write(tmp_path / "one.csv", [asb, asb, crime])  # two identical ASB incidents
    two = _write(tmp_path / "two.csv", [asb, crime])  # an overlapping extract

    run_import(one, two)

    assert Crime.objects.filter(crime_id="").count() == 2
    assert Crime.objects.exclude(crime_id="").count() == 1
    report = CrimeImport.objects.get().report
    assert report["skipped_by_reason"] == {"duplicate": 2}
    assert {s["file"] for s in report["skipped"]} == {"two.csv"}


def test_reimporting_a_month_replaces_it(reference):
    run_import(WALSALL_JSON)
    before = _counts_by("lsoa__code")
    crimes = Crime.objects.count()

    output = run_import(WALSALL_JSON)

    assert _counts_by("lsoa__code") == before
    assert Crime.objects.count() == crimes
    assert CrimeImport.objects.count() == 2
    assert "Replaced the months already held: 2018-06" in output


def test_a_month_partly_present_is_refused_and_the_month_kept(reference, tmp_path):
    run_import(WALSALL_JSON)
    before = _counts_by("lsoa__code")
    part = tmp_path / "part"
    part.mkdir()
    shutil.copy(sorted(WALSALL_JSON.glob("*.json"))[0], part)

    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(part, allow_partial=False)

    assert _counts_by("lsoa__code") == before
    failed = CrimeImport.objects.get(status=ImportStatus.FAILED)
    shrink = [e["message"] for e in failed.report["errors"] if "would go from" in e["message"]]
    assert shrink
    assert "only part of the month" in shrink[0]


def test_a_month_covering_only_some_lpas_needs_allow_partial(reference):
    with pytest.raises(CommandError):
        run_import(ARCHIVE_SAMPLE, allow_partial=False)
    message = CrimeImport.objects.get().report["errors"][0]["message"]

    assert "has no crimes in Coventry, Dudley, Sandwell, Solihull, Walsall, Wolverhampton" in message
    assert not CrimeCount.objects.exists()
    run_import(ARCHIVE_SAMPLE, allow_partial=True)
    assert CrimeCount.objects.aggregate(n=Sum("count"))["n"] == 69


def _refused(*paths: Path) -> list[dict]:
    with pytest.raises(CommandError, match="nothing was imported and the crime data is as it was"):
        run_import(*paths)
    return CrimeImport.objects.filter(status=ImportStatus.FAILED).latest("created_at").report["errors"]


@pytest.fixture
def good_state(reference) -> dict:
    run_import(WALSALL_JSON)
    return _counts_by("lsoa__code")


def test_a_file_of_the_wrong_format_is_refused_naming_it(good_state):
    errors = _refused(STOP_AND_SEARCH)

    assert errors[0]["file"] == STOP_AND_SEARCH.name
    assert errors[0]["row"] == 1
    assert "stop-and-search" in errors[0]["message"]
    assert _counts_by("lsoa__code") == good_state


def test_json_that_is_not_crime_records_is_refused(good_state, tmp_path):
    bad = tmp_path / "crimes.json"
    bad.write_text(json.dumps([{"category": "drugs", "month": "2018-06", "location": {}, "id": 1}, {"nope": 1}]))

    errors = _refused(bad)

    assert (errors[0]["file"], errors[0]["row"]) == ("crimes.json", 2)
    assert _counts_by("lsoa__code") == good_state


def test_mixed_forces_are_refused(good_state, tmp_path):
    other = [ROWS[0].replace("West Midlands Police,West Midlands Police", "Staffordshire Police,Staffordshire Police")]
    wm = _write(tmp_path / "wm.csv", ROWS[:5])
    staffs = _write(tmp_path / "staffs.csv", other)

    errors = _refused(wm, staffs)

    assert errors[0]["file"] == "staffs.csv"
    assert errors[0]["row"] == 2
    assert "Staffordshire Police" in errors[0]["message"]
    assert "one force" in errors[0]["message"]
    assert _counts_by("lsoa__code") == good_state


def test_many_unknown_lsoa_codes_are_refused_naming_file_and_row(good_state, tmp_path):
    lines = [",".join(f if i != 7 else "E01099999" for i, f in enumerate(line.split(","))) for line in ROWS]
    path = _write(tmp_path / "unknown.csv", lines)

    errors = _refused(path)

    assert "69 of 69 rows (100%) lie outside West Midlands Police's areas" in errors[0]["message"]
    assert (errors[1]["file"], errors[1]["row"]) == ("unknown.csv", 2)
    assert "LSOA code E01099999 is not in West Midlands Police" in errors[1]["message"]
    assert _counts_by("lsoa__code") == good_state


def test_a_few_rows_outside_the_force_are_skipped_and_listed(reference, tmp_path):
    lines = list(ROWS)
    lines[2] = lines[2].replace(lines[2].split(",")[7], "E01099999")
    run_import(_write(tmp_path / "few.csv", lines))

    report = CrimeImport.objects.get().report
    assert report["skipped_by_reason"] == {"outside": 1}
    assert report["skipped"] == [
        {"file": "few.csv", "row": 4, "message": "outside: LSOA code E01099999 is not in West Midlands Police"}
    ]
    assert Crime.objects.count() == 68


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda line: line.replace(",2023-06,", ",June 2023,"), "is not a month written YYYY-MM"),
        (lambda line: line.replace("Violence and sexual offences", "Knife crime"), "is not a police.uk crime category"),
        (lambda line: line.replace("E01009417", "BHAM001A"), "is not an LSOA code"),
        (lambda line: ",".join(line.split(",")[:4]), "cannot be read as CSV"),
    ],
)
def test_a_bad_row_is_refused_naming_file_and_row(good_state, tmp_path, change, message):
    lines = list(ROWS)
    index = next(i for i, line in enumerate(lines) if "Violence and sexual offences" in line and "E01009417" in line)
    lines[index] = change(lines[index])

    errors = _refused(_write(tmp_path / "bad.csv", lines))

    assert errors[0]["file"] == "bad.csv"
    assert errors[0]["row"] == index + 2  # the header is row 1
    assert message in errors[0]["message"]
    assert _counts_by("lsoa__code") == good_state


def test_a_corrupt_zip_is_refused(good_state, tmp_path):
    archive = tmp_path / "2023-06.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ARCHIVE_SAMPLE, "2023-06/2023-06-west-midlands-street.csv")
    archive.write_bytes(archive.read_bytes()[:300])

    errors = _refused(archive)

    assert errors[0]["file"] == "2023-06.zip"
    assert "not a readable zip" in errors[0]["message"]
    assert _counts_by("lsoa__code") == good_state


def test_a_zip_and_a_month_folder_import_and_other_archive_files_are_left_out(reference, tmp_path):
    month = tmp_path / "2023-06"
    month.mkdir()
    shutil.copy(ARCHIVE_SAMPLE, month / "2023-06-west-midlands-street.csv")
    shutil.copy(STOP_AND_SEARCH, month / "2023-06-west-midlands-stop-and-search.csv")
    archive = tmp_path / "2023-06.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in month.iterdir():
            zf.write(path, f"2023-06/{path.name}")

    run_import(month)
    from_folder = _counts_by("lsoa__code")
    run_import(archive)

    assert sum(from_folder.values()) == 69
    assert _counts_by("lsoa__code") == from_folder
    report = CrimeImport.objects.latest("created_at").report
    assert report["ignored_files"] == ["2023-06.zip!2023-06/2023-06-west-midlands-stop-and-search.csv"]


def test_the_command_shows_a_progress_bar_and_the_import_is_audited(reference):
    err = StringIO()
    call_command("import_crime", str(WALSALL_JSON), "--allow-partial", stdout=StringIO(), stderr=err)

    assert "Writing crimes" in err.getvalue()
    event = Event.objects.get(action="import", object_type="analytics.crimeimport")
    assert event.detail["rows_imported"] == Crime.objects.count()
    assert event.export_count == Crime.objects.count()


def test_a_dry_run_writes_nothing(reference):
    output = run_import(WALSALL_JSON, dry_run=True)

    assert "Dry run, nothing written" in output
    assert not Crime.objects.exists()
    assert not CrimeImport.objects.exists()


def test_a_missing_path_is_a_clear_error(reference, tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path / "nowhere.csv")
    assert "there is no file or folder here" in CrimeImport.objects.get().report["errors"][0]["message"]


def test_the_demo_seed_imports_synthetic_months_once(reference, monkeypatch, tmp_path):
    from socex.demo import analytics_crime
    from socex.demo.seed import SeedSummary

    # The seed resamples the West Midlands month shipped in socex/analytics/reference/demo/.
    summary = SeedSummary()

    analytics_crime.seed_demo_analytics_crime(organisations={}, summary=summary)
    held = CrimeLPAMonth.objects.values("month").distinct().count()
    analytics_crime.seed_demo_analytics_crime(organisations={}, summary=summary)

    assert held == analytics_crime.DEMO_MONTHS
    assert summary.created["crime months"] == analytics_crime.DEMO_MONTHS
    assert summary.existing["crime months"] == analytics_crime.DEMO_MONTHS
    assert CrimeImport.objects.count() == 1


def test_synth_crime_writes_archive_months_that_import(reference, tmp_path):
    call_command(
        "synth_crime",
        str(tmp_path / "synth"),
        months=3,
        rows=3000,
        start="2024-06",
        source=str(WALSALL_JSON),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    files = sorted((tmp_path / "synth").rglob("*.csv"))

    assert [f.name for f in files] == [f"2024-0{m}-west-midlands-street.csv" for m in (6, 7, 8)]
    assert files[0].read_text().splitlines()[0] == HEADER
    run_import(tmp_path / "synth")
    total = CrimeLPAMonth.objects.aggregate(n=Sum("count"))["n"]
    assert 2700 < total < 3300
    assert CrimeImport.objects.get().months == ["2024-06", "2024-07", "2024-08"]


def test_synth_crime_refuses_a_bad_start_month(tmp_path):
    with pytest.raises(CommandError, match="--start must be a month written YYYY-MM"):
        call_command("synth_crime", str(tmp_path), start="June", source=str(WALSALL_JSON), stdout=StringIO())
