"""Importing a partner's list of people: through ``manage.py import_people`` and the web pages.

The rules checked: a good CSV or Excel file imports every row, owned and held by the importer's
organisation; a dry run writes nothing; a bad header, encoding or row is refused naming the row
and column, and nothing is written; a probable match is linked to the person already in the
index rather than duplicated; partners see the people they imported and no one else's; every
import is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from socex.accounts.models import User
from socex.audit.models import Action, Event
from socex.people import services
from socex.people.details import PersonDetails
from socex.people.models import AliasKind, DobPrecision, Ethnicity, Gender, Holding, Person

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PUPILS_CSV = DATA / "pupils.csv"
PUPILS_XLSX = DATA / "pupils.xlsx"
PUPILS = ["Kieran Smyth", "Aisha Begum", "Zoë Kowalczyk", "Chidi Okonkwo", "Marcus Campbell-Reid"]


# --- helpers -------------------------------------------------------------------------------------


def import_people(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_fails(*args: str, match: str = "") -> str:
    """Run the command expecting refusal; return everything it said (output and the error)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_people", *args, stdout=out, stderr=err)
    said = f"{out.getvalue()}\n{err.getvalue()}\n{refused.value}"
    assert re.search(match, said), said
    return said


def pupil_rows() -> list[list[str]]:
    with PUPILS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def pupils_with(tmp_path: Path, row: int, heading: str, value: str) -> Path:
    """The pupils file with one cell changed: ``row`` as the spreadsheet numbers it (header = 1)."""
    rows = pupil_rows()
    rows[row - 1][rows[0].index(heading)] = value
    return write_csv(tmp_path / "pupils.csv", rows)


def people_written() -> tuple[int, int, int]:
    """People, and CREATE and IMPORT events about people: all zero when nothing was written."""
    events = Event.objects.filter(object_type="people.person")
    return (
        Person.objects.count(),
        events.filter(action=Action.CREATE).count(),
        events.filter(action=Action.IMPORT).count(),
    )


def existing_kieran(owner_user: User) -> Person:
    """Kieran as another agency already recorded him: a variant spelling, same date of birth."""
    return services.person_create(
        actor=owner_user,
        details=PersonDetails(
            given_name="Kiernan",
            family_name="Smyth",
            date_of_birth=dt.date(2011, 2, 3),
            dob_precision=DobPrecision.EXACT,
            postcodes=["WS2 8AA"],
        ),
        holding_reference="EH-20931",
    )


# --- the command: good files ------------------------------------------------------------------------


def test_a_partner_imports_a_csv_list_of_pupils(walsall_partner):
    out, _ = import_people(str(PUPILS_CSV), "--as", walsall_partner.email)

    assert "Imported pupils.csv: 5 added, 0 linked" in out
    for number, name in enumerate(PUPILS, start=2):
        assert f"Row {number}: {name}" in out
    people = Person.objects.all()
    assert sorted(p.display_name for p in people) == sorted(PUPILS)
    assert {p.owner_id for p in people} == {walsall_partner.organisation_id}
    kieran = Person.objects.get(family_name="Smyth")
    assert kieran.date_of_birth.isoformat() == "2011-02-03"
    assert kieran.gender == Gender.MALE
    assert kieran.ethnicity == Ethnicity.WHITE_BRITISH
    assert kieran.notes == "Missing from home twice this term"
    assert set(kieran.identifiers.values_list("kind", "value")) == {("nhs", "9990000018"), ("upn", "A123456789012")}
    assert list(kieran.phones.values_list("number", flat=True)) == ["+447700900123"]
    assert list(kieran.addresses.values_list("line_1", "town", "postcode")) == [
        ("12 Station Street", "Walsall", "WS2 8AA")
    ]
    assert list(kieran.aliases.values_list("given_name", flat=True)) == ["Ky"]
    holding = Holding.objects.get(person=kieran)
    assert (holding.organisation, holding.local_reference) == (walsall_partner.organisation, "PARK-0001")
    assert Person.objects.get(given_name="Zoë").family_name == "Kowalczyk"


def test_an_excel_workbook_imports_dates_years_and_numbers(hub_officer):
    out, _ = import_people(str(PUPILS_XLSX), "--as", hub_officer.email)

    assert "Imported pupils.xlsx: 4 added" in out
    assert "Row 6: Siobhán O'Brien" in out  # the blank row 5 is skipped but keeps its number
    lukasz = Person.objects.get(given_name="Łukasz")
    assert lukasz.date_of_birth.isoformat() == "2010-04-12"
    assert list(lukasz.phones.values_list("number", flat=True)) == ["+447700900321"]
    tobi = Person.objects.get(given_name="Tobi")
    assert (tobi.dob_precision, tobi.date_of_birth.year) == (DobPrecision.YEAR, 2009)
    assert (tobi.gender, tobi.gender_self_described) == (Gender.SELF_DESCRIBED, "Non-binary")
    assert Person.objects.get(given_name="Mariam").ethnicity == Ethnicity.ASIAN_PAKISTANI
    assert Person.objects.get(given_name="Mariam").addresses.get().postcode == "WS1 3HB"


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path, walsall_partner):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + PUPILS_CSV.read_bytes())

    import_people(str(path), "--as", walsall_partner.email)

    assert Person.objects.count() == 5


def test_the_import_is_audited_once_with_a_create_for_each_person(walsall_partner):
    import_people(str(PUPILS_CSV), "--as", walsall_partner.email)

    imported = Event.objects.get(action=Action.IMPORT, object_type="people.person")
    assert imported.actor_id == walsall_partner.pk
    assert imported.object_repr == "pupils.csv"
    assert imported.detail["file"] == "pupils.csv"
    assert imported.detail["rows"] == 5
    assert imported.detail["new"] == 5
    assert len(imported.detail["created"]) == 5
    assert len(imported.detail["sha256"]) == 64
    creates = Event.objects.filter(action=Action.CREATE, object_type="people.person")
    assert creates.count() == 5
    assert set(creates.values_list("actor_id", flat=True)) == {walsall_partner.pk}


def test_a_dry_run_reports_every_row_and_writes_nothing(walsall_partner):
    out, _ = import_people(str(PUPILS_CSV), "--as", walsall_partner.email, "--dry-run")

    assert "Dry run of pupils.csv: would add 5 and link 0" in out
    assert "Row 2: Kieran Smyth, 03/02/2011: New person" in out
    assert people_written() == (0, 0, 0)
    # The check read the index, so it is recorded as a search.
    search = Event.objects.get(action=Action.SEARCH, object_type="people.person")
    assert search.search_terms == "Import check of pupils.csv"


def test_a_partner_sees_the_people_they_imported_and_an_outsider_does_not(walsall_partner, school_outsider, signed_in):
    import_people(str(PUPILS_CSV), "--as", walsall_partner.email)
    kieran = Person.objects.get(family_name="Smyth")

    assert Person.objects.visible_to(walsall_partner).count() == 5
    assert signed_in(walsall_partner).get(reverse("people:person", args=[kieran.pk])).status_code == 200
    assert Person.objects.visible_to(school_outsider).count() == 0
    assert signed_in(school_outsider).get(reverse("people:person", args=[kieran.pk])).status_code == 404


# --- the command: matches ----------------------------------------------------------------------------


def test_a_probable_match_is_linked_not_duplicated(walsall_partner, hub_officer):
    kieran = existing_kieran(walsall_partner)

    out, _ = import_people(str(PUPILS_CSV), "--as", hub_officer.email)

    assert f"Row 2: Kieran Smyth, 03/02/2011: Probable match: link ({kieran.reference})" in out
    assert "Imported pupils.csv: 4 added, 1 linked" in out
    assert Person.objects.filter(family_name="Smyth").count() == 1
    assert Person.objects.count() == 5
    kieran.refresh_from_db()
    assert kieran.given_name == "Kiernan"  # the record's own name is kept...
    assert ("Kieran", "Smyth", AliasKind.SPELLING) in set(
        kieran.aliases.values_list("given_name", "family_name", "kind")
    )  # ...and the file's spelling is added so it is found next time
    assert set(kieran.identifiers.values_list("kind", "value")) == {("nhs", "9990000018"), ("upn", "A123456789012")}
    assert list(kieran.phones.values_list("number", flat=True)) == ["+447700900123"]
    holdings = dict(kieran.holdings.values_list("organisation__name", "local_reference"))
    assert holdings == {"Walsall Council Early Help": "EH-20931", "West Midlands Police": "PARK-0001"}
    imported = Event.objects.get(action=Action.IMPORT)
    assert imported.detail["linked"] == [kieran.reference]
    assert Event.objects.filter(action=Action.UPDATE, object_id=str(kieran.pk)).exists()


def test_create_all_adds_a_probable_match_as_a_new_person(walsall_partner, hub_officer):
    existing_kieran(walsall_partner)

    out, _ = import_people(str(PUPILS_CSV), "--as", hub_officer.email, "--create-all")

    assert "Probable match: add as new" in out
    assert Person.objects.filter(family_name="Smyth").count() == 2


def test_a_school_is_not_matched_against_people_it_cannot_see(walsall_partner, school_outsider):
    kieran = existing_kieran(walsall_partner)

    out, _ = import_people(str(PUPILS_CSV), "--as", school_outsider.email, "--dry-run")

    assert kieran.reference not in out
    assert "Row 2: Kieran Smyth, 03/02/2011: New person" in out


def test_a_partner_links_a_later_list_to_the_person_it_already_holds(walsall_partner):
    kieran = existing_kieran(walsall_partner)

    import_people(str(PUPILS_CSV), "--as", walsall_partner.email)

    assert Person.objects.filter(family_name="Smyth").count() == 1
    assert kieran.holdings.count() == 1  # already held: no second holding
    assert kieran.identifiers.count() == 2


def test_a_possible_match_is_added_as_a_new_person(walsall_partner):
    services.person_create(actor=walsall_partner, details=PersonDetails(given_name="Kieran", family_name="Smyth"))

    out, _ = import_people(str(PUPILS_CSV), "--as", walsall_partner.email)

    assert "Row 2: Kieran Smyth, 03/02/2011: Possible match: add as new" in out
    assert "first name matches (Kieran); surname matches (Smyth)" in out.replace("First", "first")
    assert Person.objects.filter(family_name="Smyth").count() == 2


def test_a_probable_match_a_partner_may_see_but_not_change_is_added_as_new(hub_detective, walsall_partner):
    from socex.sharing.models import LegalBasis
    from socex.sharing.services import share_grant

    kieran = existing_kieran(hub_detective)
    share_grant(
        actor=hub_detective,
        obj=kieran,
        organisation=walsall_partner.organisation,
        legal_basis=LegalBasis.objects.get(code="children-act-1989-s47"),
        scope="For the Walsall MACE meeting",
        until=dt.date.today() + dt.timedelta(days=30),
    )

    out, _ = import_people(str(PUPILS_CSV), "--as", walsall_partner.email)

    assert f"{kieran.reference} is shared with your organisation but not held by it" in out
    assert Person.objects.filter(family_name="Smyth").count() == 2
    assert kieran.holdings.count() == 1


def test_two_rows_matching_the_same_person_are_refused(tmp_path, walsall_partner, hub_officer):
    existing_kieran(walsall_partner)
    rows = pupil_rows()
    twin = list(rows[1])
    twin[rows[0].index("UPN")] = ""
    twin[rows[0].index("NHS number")] = ""
    twin[rows[0].index("Local reference")] = ""
    twin[rows[0].index("Given name")] = "Kieren"
    path = write_csv(tmp_path / "twice.csv", [*rows, twin])

    import_fails(str(path), "--as", hub_officer.email, match=r"Row 7: This row and row 2 both match P-\d+")
    assert Person.objects.count() == 1


# --- the command: bad files and rows -----------------------------------------------------------------


BAD_CELLS = [
    pytest.param(
        3,
        "Date of birth",
        "30/02/2011",
        r"Row 3, column D Date of birth \(date_of_birth\): .*30/02/2011 does not exist",
        id="impossible-date",
    ),
    pytest.param(3, "Date of birth", "01/01/2099", r"Row 3, column D .*today or in the past", id="future-date"),
    pytest.param(
        4, "NHS number", "999 000 0019", r"Row 4, column L NHS number \(nhs_number\): .*check digit", id="nhs"
    ),
    pytest.param(
        5, "Postcode", "WS99 ZZZZ", r"Row 5, column I Postcode \(postcode\): Enter a real UK postcode", id="postcode"
    ),
    pytest.param(2, "Phone", "12345", r"Row 2, column J Phone \(phone\): .*not a valid phone number", id="phone"),
    pytest.param(
        2, "Phone", "call the school", r"Row 2, column J Phone \(phone\): Enter a phone number", id="phone-text"
    ),
    pytest.param(
        6, "Given name", "", r"Row 6, column B Given name \(given_name\): Enter the person's given", id="no-name"
    ),
    pytest.param(
        6, "Ethnicity", "Martian", r"Row 6, column F Ethnicity \(ethnicity\): 'Martian' is not an", id="ethnicity"
    ),
]


@pytest.mark.parametrize(("row", "heading", "value", "message"), BAD_CELLS)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(
    tmp_path, walsall_partner, row, heading, value, message
):
    path = pupils_with(tmp_path, row, heading, value)

    said = import_fails(str(path), "--as", walsall_partner.email, match=message)

    assert "nothing was imported" in said
    assert people_written() == (0, 0, 0)


def test_every_bad_row_is_reported_not_just_the_first(tmp_path, walsall_partner):
    rows = pupil_rows()
    rows[2][3] = "30/02/2011"
    rows[4][8] = "nowhere"
    path = write_csv(tmp_path / "pupils.csv", rows)

    said = import_fails(str(path), "--as", walsall_partner.email, match="2 problem")

    assert "Row 3, column D" in said
    assert "Row 5, column I" in said


def test_a_row_repeated_in_the_file_is_reported(tmp_path, walsall_partner):
    rows = pupil_rows()
    path = write_csv(tmp_path / "pupils.csv", [*rows, rows[2]])

    import_fails(str(path), "--as", walsall_partner.email, match=r"Row 7.*repeats row 3")
    assert people_written() == (0, 0, 0)


def test_a_dry_run_also_fails_on_bad_rows_but_reports_the_good_ones(tmp_path, walsall_partner):
    path = pupils_with(tmp_path, 3, "Date of birth", "30/02/2011")

    said = import_fails(str(path), "--as", walsall_partner.email, "--dry-run", match="Row 3, column D")

    assert "Row 2: Kieran Smyth, 03/02/2011: New person" in said
    assert people_written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda h: h.append("Shoe size"), r"does not know: 'Shoe size' \(column P\)", id="unknown"),
        pytest.param(
            lambda h: h.__setitem__(2, "Surnam"), r"'Surnam' \(column C\).*no family_name column", id="missing"
        ),
        pytest.param(
            lambda h: h.__setitem__(0, "Given name"), r"'Given name' and 'Given name' .*given_name", id="twice"
        ),
        pytest.param(lambda h: h.__setitem__(3, "Birthday"), r"'Birthday'.*no date_of_birth column", id="no-dob"),
    ],
)
def test_a_wrong_header_is_refused_naming_the_column(tmp_path, walsall_partner, change, message):
    rows = pupil_rows()
    change(rows[0])
    if len(rows[0]) > len(rows[1]):
        for row in rows[1:]:
            row.append("")
    path = write_csv(tmp_path / "pupils.csv", rows)

    import_fails(str(path), "--as", walsall_partner.email, match=message)
    assert people_written() == (0, 0, 0)


def test_a_windows_encoded_csv_is_refused_with_how_to_fix_it(tmp_path, walsall_partner):
    path = write_csv(tmp_path / "pupils.csv", pupil_rows(), encoding="cp1252")  # Zoë's ë is byte EB

    said = import_fails(str(path), "--as", walsall_partner.email, match="not saved as UTF-8 text: line 4")

    assert "CSV UTF-8 (Comma delimited)" in said
    assert people_written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pupils.xls", b"\xd0\xcf\x11\xe0 old excel", "old Excel file"),
        ("pupils.xlsx", b"this is not a zip file", "could not be opened as an Excel workbook"),
        ("pupils.txt", b"given_name,family_name", "must be a CSV file"),
        ("pupils.csv", b"", "empty"),
        ("pupils.csv", b"given_name,family_name,date_of_birth\n", "no rows of people"),
        ("pupils.csv", b'given_name,family_name,date_of_birth\n"Kieran,Smyth,03/02/2011\n', "could not be read as CSV"),
    ],
)
def test_an_unreadable_file_is_refused(tmp_path, walsall_partner, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    import_fails(str(path), "--as", walsall_partner.email, match=message)
    assert people_written() == (0, 0, 0)


def test_too_many_rows_are_refused(settings, walsall_partner):
    settings.SOCEX_PEOPLE_IMPORT_MAX_ROWS = 3

    import_fails(str(PUPILS_CSV), "--as", walsall_partner.email, match="more than 3 rows")
    assert people_written() == (0, 0, 0)


def test_too_large_a_file_is_refused(settings, walsall_partner):
    settings.SOCEX_PEOPLE_IMPORT_MAX_BYTES = 200

    import_fails(str(PUPILS_CSV), "--as", walsall_partner.email, match="the most this import accepts is 200 bytes")


def test_an_excel_file_with_a_bad_row_names_the_row_and_column(tmp_path, walsall_partner):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Given name", "Family name", "Date of birth", "NHS number"])
    sheet.append(["Amara", "Osei", "12/12/2012", "999 000 0042"])
    sheet.append(["Jack", "Evans", "31/04/2012", ""])
    workbook.save(tmp_path / "list.xlsx")

    import_fails(str(tmp_path / "list.xlsx"), "--as", walsall_partner.email, match=r"Row 3, column C .*does not exist")
    assert people_written() == (0, 0, 0)


# --- the command: bad arguments -----------------------------------------------------------------------


def test_bad_arguments_are_refused_clearly(tmp_path, walsall_partner, vrp_officer):
    import_fails(str(tmp_path / "missing.csv"), "--as", walsall_partner.email, match="There is no file at")
    import_fails(str(tmp_path), "--as", walsall_partner.email, match="is a folder")
    import_fails(str(PUPILS_CSV), "--as", "nobody@nowhere.example", match="No user has the email address")
    import_fails(str(PUPILS_CSV), "--as", vrp_officer.email, match="cannot import people")
    import_fails(str(PUPILS_CSV), match="--as")
    import_fails(str(PUPILS_CSV), "--as", walsall_partner.email, "--link-matches", "--create-all", match="not allowed")
    assert people_written() == (0, 0, 0)


# --- the web pages ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploads kept between the check and the import go to the test's own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def upload(client: Client, path: Path, *, matches: str = "link", name: str | None = None):
    with path.open("rb") as handle:
        data = {"file": handle, "matches": matches}
        if name:
            from django.core.files.uploadedfile import SimpleUploadedFile

            data["file"] = SimpleUploadedFile(name, handle.read())
        return client.post(reverse("people:import_start"), data)


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").split("/")[-1]


def stored_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "people-imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_the_upload_page_explains_the_columns(signed_in, walsall_partner):
    response = signed_in(walsall_partner).get(reverse("people:import_start"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload' in page
    assert "csrfmiddlewaretoken" in page
    for column in ("given_name", "family_name", "date_of_birth", "nhs_number", "local_reference"):
        assert f"<code>{column}</code>" in page


def test_the_template_is_a_csv_with_every_column(signed_in, walsall_partner):
    response = signed_in(walsall_partner).get(reverse("people:import_template"))

    assert response["Content-Type"].startswith("text/csv")
    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header[:4] == ["local_reference", "given_name", "middle_names", "family_name"]
    assert "date_of_birth" in header
    assert "nhs_number" in header


def test_only_people_who_can_add_people_may_import(signed_in, vrp_officer, auditor):
    for user in (vrp_officer, auditor):
        client = signed_in(user)
        assert client.get(reverse("people:import_start")).status_code == 403
        assert client.get(reverse("people:import_template")).status_code == 403
        assert upload(client, PUPILS_CSV).status_code == 403
    assert people_written() == (0, 0, 0)


def test_a_partner_checks_then_imports_a_csv_on_the_web(signed_in, walsall_partner, tmp_path):
    client = signed_in(walsall_partner)
    token = token_of(upload(client, PUPILS_CSV))

    preview = client.get(reverse("people:import_preview", args=[token]))

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the people before importing them" in page
    assert "Kieran Smyth" in page
    assert "New person" in page
    assert "Import 5 people" in page
    assert people_written() == (0, 0, 0)  # the check writes nothing

    done = client.post(reverse("people:import_commit", args=[token]), follow=True)

    assert done.status_code == 200
    assert "Import complete" in done.content.decode()
    assert Person.objects.filter(owner=walsall_partner.organisation).count() == 5
    kieran = Person.objects.get(family_name="Smyth")
    assert kieran.reference in done.content.decode()
    assert people_written() == (5, 5, 1)
    assert stored_files(tmp_path) == []  # the uploaded file is deleted once imported
    # The token is spent: the same import cannot be run twice.
    assert client.post(reverse("people:import_commit", args=[token])).status_code == 404


def test_an_excel_workbook_imports_on_the_web(signed_in, hub_officer):
    client = signed_in(hub_officer)
    token = token_of(upload(client, PUPILS_XLSX))
    assert "Łukasz Nowak" in client.get(reverse("people:import_preview", args=[token])).content.decode()

    client.post(reverse("people:import_commit", args=[token]))

    assert Person.objects.count() == 4


def test_the_preview_shows_the_best_match_and_why(signed_in, walsall_partner, hub_officer):
    kieran = existing_kieran(walsall_partner)
    client = signed_in(hub_officer)
    token = token_of(upload(client, PUPILS_CSV))

    page = client.get(reverse("people:import_preview", args=[token])).content.decode()

    assert "Probable match: link" in page
    assert kieran.reference in page
    assert "Very likely: 99%" in page
    assert "date of birth matches exactly" in page.lower()
    assert "other spelling Kieran Smyth" in page

    response = client.post(reverse("people:import_commit", args=[token]))

    assert response.status_code == 302
    assert Person.objects.filter(family_name="Smyth").count() == 1
    assert kieran.holdings.filter(organisation=hub_officer.organisation, local_reference="PARK-0001").exists()


def test_choosing_to_add_matches_as_new_on_the_web(signed_in, walsall_partner, hub_officer):
    existing_kieran(walsall_partner)
    client = signed_in(hub_officer)
    token = token_of(upload(client, PUPILS_CSV, matches="create"))

    assert "Probable match: add as new" in client.get(reverse("people:import_preview", args=[token])).content.decode()
    client.post(reverse("people:import_commit", args=[token]))

    assert Person.objects.filter(family_name="Smyth").count() == 2


def test_a_wrong_header_is_refused_beside_the_file_field(tmp_path, signed_in, walsall_partner):
    rows = pupil_rows()
    rows[0][2] = "Shoe size"
    path = write_csv(tmp_path / "bad.csv", rows)

    response = upload(signed_in(walsall_partner), path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "does not know: &#x27;Shoe size&#x27; (column C)" in page
    assert "govuk-file-upload--error" in page
    assert stored_files(tmp_path) == []


def test_a_windows_encoded_file_is_refused_on_the_web(tmp_path, signed_in, walsall_partner):
    path = write_csv(tmp_path / "pupils.csv", pupil_rows(), encoding="cp1252")

    page = upload(signed_in(walsall_partner), path).content.decode()

    assert "not saved as UTF-8 text: line 4" in page


def test_bad_rows_are_shown_by_row_and_column_and_cannot_be_imported(tmp_path, signed_in, walsall_partner):
    path = pupils_with(tmp_path, 3, "Date of birth", "30/02/2011")
    client = signed_in(walsall_partner)
    token = token_of(upload(client, path))

    page = client.get(reverse("people:import_preview", args=[token])).content.decode()

    assert "1 problem in 1 row: nothing can be imported yet" in page
    assert 'href="#row-3">Row 3, column D Date of birth (date_of_birth): Date of birth must be a real date' in page
    assert "Upload a corrected file" in page
    assert reverse("people:import_commit", args=[token]) not in page
    # Posting to the import anyway checks the file again and writes nothing.
    response = client.post(reverse("people:import_commit", args=[token]))
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert people_written() == (0, 0, 0)


def test_an_upload_belongs_to_the_session_and_user_that_made_it(signed_in, walsall_partner, school_outsider):
    token = token_of(upload(signed_in(walsall_partner), PUPILS_CSV))
    other = Client()
    other.force_login(school_outsider)

    assert other.get(reverse("people:import_preview", args=[token])).status_code == 404
    assert other.post(reverse("people:import_commit", args=[token])).status_code == 404
    assert people_written() == (0, 0, 0)


def test_an_upload_cannot_be_used_by_another_user_in_the_same_session(signed_in, walsall_partner, hub_officer):
    client = signed_in(walsall_partner)
    token = token_of(upload(client, PUPILS_CSV))
    session = client.session
    entry = session["people_imports"][token]
    entry["user_id"] = str(hub_officer.pk)
    session["people_imports"] = {token: entry}
    session.save()

    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404


def test_a_made_up_token_is_a_404(signed_in, walsall_partner):
    client = signed_in(walsall_partner)

    assert client.get(reverse("people:import_preview", args=["x" * 32])).status_code == 404
    assert client.get("/people/import/..%2F..%2Fsecret/").status_code == 404


def test_cancelling_deletes_the_upload(signed_in, walsall_partner, tmp_path):
    client = signed_in(walsall_partner)
    token = token_of(upload(client, PUPILS_CSV))
    assert len(stored_files(tmp_path)) == 1

    response = client.post(reverse("people:import_cancel", args=[token]))

    assert response.status_code == 302
    assert stored_files(tmp_path) == []
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404
    assert people_written() == (0, 0, 0)


def test_importing_needs_the_csrf_token(walsall_partner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(walsall_partner)

    response = upload(client, PUPILS_CSV)

    assert response.status_code == 403
    assert people_written() == (0, 0, 0)


def test_a_row_count_over_the_limit_is_refused_on_upload(settings, signed_in, walsall_partner):
    settings.SOCEX_PEOPLE_IMPORT_MAX_ROWS = 2

    page = upload(signed_in(walsall_partner), PUPILS_CSV).content.decode()

    assert "more than 2 rows of people" in page


# --- a double click --------------------------------------------------------------------------------


def _posting_until_unlocked(client: Client, url: str) -> HttpResponse:
    """On SQLite's shared-cache test database a second writer is refused at once rather than
    waiting, as a file database with busy_timeout would: wait and retry, as the timeout does."""
    for _ in range(1000):
        try:
            return client.post(url)
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("Waited ten seconds for the database write lock.")


@pytest.mark.django_db(transaction=True)
def test_clicking_import_twice_at_once_imports_the_file_once(walsall_partner):
    first = Client()
    first.force_login(walsall_partner)
    token = token_of(upload(first, PUPILS_CSV))
    second = Client()
    second.cookies = first.cookies  # the same browser session, two requests in flight
    url = reverse("people:import_commit", args=[token])
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def click(client: Client) -> None:
        try:
            start.wait()
            statuses.append(_posting_until_unlocked(client, url).status_code)
        except BaseException as error:  # reported below, so a failure in a thread fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=[client]) for client in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert people_written() == (5, 5, 1)  # the file was imported once
    assert 404 in statuses  # the other click found the upload gone
    if connection.vendor == "postgresql":
        # On SQLite a click can fail after its import committed (saving the session finds the
        # shared-cache table locked) and its retry then gets the 404 too; PostgreSQL waits.
        assert sorted(statuses) == [302, 404]
