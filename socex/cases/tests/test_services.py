"""The case services and the rules they hold: version checks, risk reviews, flags, closure with
supervisor approval, practitioner entries and document checks. Each writes its audit event and
chronology entry, or nothing at all."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from socex.accounts.models import User
from socex.areas.models import LPA
from socex.audit.models import Action, Event
from socex.cases import documents
from socex.cases.models import Case, CaseStatus, ChronologyEntry, ClosureDecision, ClosureRequest, RiskReview
from socex.cases.services import (
    case_add_subjects,
    case_closure_approve,
    case_closure_reject,
    case_closure_request,
    case_create,
    case_flag,
    case_update,
    chronology_add,
    chronology_note_add,
    document_add,
    risk_review_add,
)
from socex.cases.tests.conftest import make_person
from socex.core.testing.factories import in_days

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _events(case, action):
    return Event.objects.filter(object_type="cases.case", object_id=str(case.pk), action=action)


def _update(actor, case, version, **changes):
    values = {
        "summary": case.summary,
        "keyworker": case.keyworker,
        "lead_agency": case.lead_agency,
        "lpa": case.lpa,
        "exploitation_types": case.exploitation_types,
    }
    return case_update(actor=actor, case=case, expected_version=version, **(values | changes))


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- Opening a case --------------------------------------------------------------------------------


def test_opening_a_case_numbers_it_sets_the_first_review_and_writes_the_chronology(case, hub_officer):
    assert case.reference == f"CASE-{timezone.localdate().year}-000001"
    assert case.version == 1
    assert case.review_due == timezone.localdate() + dt.timedelta(days=84)  # at risk: 12 weeks by default
    [entry] = case.chronology.all()
    assert (entry.category, entry.summary) == ("case", "Case opened, led by West Midlands Police")
    assert _events(case, Action.CREATE).count() == 1


def test_the_review_interval_is_a_setting(settings, hub_officer, kieran, case):
    settings.SOCEX_CASE_REVIEW_DAYS = {"significant": 7}
    urgent = case_create(
        actor=hub_officer, subjects=[kieran], lead_agency=case.lead_agency, lpa=case.lpa, risk_level="significant"
    )
    assert urgent.review_due == timezone.localdate() + dt.timedelta(days=7)


# --- Concurrent edits ------------------------------------------------------------------------------


def test_an_update_raises_the_version_and_records_old_and_new_values(case, hub_officer):
    _update(hub_officer, case, 1, summary="Now also linked to a Coventry line.", exploitation_types=["cce"])
    case.refresh_from_db()
    assert (case.version, case.exploitation_types) == (2, ["cce"])
    event = _events(case, Action.UPDATE).get()
    assert event.changes["summary"][1] == "Now also linked to a Coventry line."
    assert event.changes["version"] == [1, 2]
    assert case.chronology.filter(summary="Case details changed: summary, exploitation types").exists()


def test_a_stale_version_is_refused_and_nothing_is_overwritten(case, hub_officer, hub_detective):
    first_view = Case.objects.get(pk=case.pk)
    second_view = Case.objects.get(pk=case.pk)
    _update(hub_detective, first_view, 1, summary="The detective's summary.")
    with pytest.raises(ValidationError) as refused:
        _update(hub_officer, second_view, 1, summary="The officer's summary, typed at the same time.")
    message = refused.value.message_dict["version"][0]
    assert "Someone else changed" in message
    assert "you had version 1; it is now version 2" in message
    assert "det.birmingham@police.example" in message
    case.refresh_from_db()
    assert case.summary == "The detective's summary."
    assert _events(case, Action.UPDATE).count() == 1


def test_the_keyworker_must_work_for_the_lead_agency(case, hub_officer, walsall_partner):
    with pytest.raises(ValidationError) as refused:
        _update(hub_officer, case, 1, keyworker=walsall_partner)
    assert refused.value.message_dict["keyworker"] == [
        "The keyworker must be an active member of the lead agency, West Midlands Police."
    ]


def test_an_update_needs_an_exploitation_type_and_edit_rights(case, hub_officer, analyst):
    with pytest.raises(ValidationError, match="at least one type"):
        _update(hub_officer, case, 1, exploitation_types=[])
    with pytest.raises(PermissionDenied):
        _update(analyst, case, 1, summary="An analyst may read, not change")


def test_a_partner_leading_a_case_changes_it_but_not_another_agencys(lead_partner, walsall_case, case):
    _update(lead_partner, walsall_case, 1, summary="Agreed at the Walsall MACE meeting.")
    assert Case.objects.get(pk=walsall_case.pk).summary == "Agreed at the Walsall MACE meeting."
    with pytest.raises(PermissionDenied):
        _update(lead_partner, case, 1, summary="Not theirs")


# --- Subjects ----------------------------------------------------------------------------------------


def test_adding_a_subject_and_refusing_one_already_there(case, hub_officer, kieran):
    sister = make_person(hub_officer, given="Leah", family="Smith", dob=dt.date(2013, 4, 1))
    case_add_subjects(actor=hub_officer, case=case, people=[sister])
    assert set(case.subjects.all()) == {kieran, sister}
    assert case.chronology.filter(category="subject", summary__startswith="Leah Smith").exists()
    with pytest.raises(ValidationError, match="is already a subject"):
        case_add_subjects(actor=hub_officer, case=case, people=[kieran])


# --- Risk reviews -----------------------------------------------------------------------------------


def test_a_risk_review_sets_the_level_and_next_review_and_builds_the_history(case, hub_officer):
    review = risk_review_add(
        actor=hub_officer,
        case=case,
        level="significant",
        reviewed_on=timezone.localdate(),
        reason="Seen with older males",
    )
    case.refresh_from_db()
    assert (review.previous_level, case.risk_level, case.version) == ("at_risk", "significant", 2)
    assert case.review_due == timezone.localdate() + dt.timedelta(days=28)
    entry = case.chronology.get(category="risk_review")
    assert entry.summary == "Risk review: At risk to Significant risk"
    assert (entry.source_type, entry.source_id) == ("cases.riskreview", str(review.pk))
    assert Event.objects.filter(action=Action.CREATE, object_type="cases.riskreview").exists()


def test_an_older_review_joins_the_history_without_changing_todays_level(case, hub_officer):
    risk_review_add(actor=hub_officer, case=case, level="significant", reviewed_on=timezone.localdate(), reason="Now")
    risk_review_add(actor=hub_officer, case=case, level="at_risk", reviewed_on=timezone.localdate(), reason="Later")
    case.refresh_from_db()
    assert case.risk_level == "at_risk"
    assert RiskReview.objects.filter(case=case).count() == 2


@pytest.mark.parametrize(
    ("level", "day", "reason", "field", "message"),
    [
        ("grave", 0, "x", "level", "Choose the risk level."),
        ("at_risk", 1, "x", "reviewed_on", "The date of the review must be today or in the past."),
        ("at_risk", -400, "x", "reviewed_on", "The date of the review must be on or after the day the case opened"),
        ("at_risk", 0, "  ", "reason", "Enter the reasons for this risk level"),
    ],
)
def test_a_bad_risk_review_is_refused_naming_the_rule(case, hub_officer, level, day, reason, field, message):
    with pytest.raises(ValidationError) as refused:
        risk_review_add(actor=hub_officer, case=case, level=level, reviewed_on=in_days(day), reason=reason)
    assert refused.value.message_dict[field][0].startswith(message)
    assert not RiskReview.objects.exists()


def test_the_database_refuses_a_review_without_reasons(case, hub_officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskReview.objects.create(
            case=case, level="at_risk", reviewed_on=timezone.localdate(), reason="", reviewer=hub_officer,
            next_review_due=timezone.localdate(),
        )  # fmt: skip


# --- Flags --------------------------------------------------------------------------------------------


def test_flags_come_from_the_versioned_list_and_are_added_and_removed_once(case, hub_officer):
    case_flag(actor=hub_officer, case=case, flag="missing", on=True, reason="Missing three times in May")
    assert Case.objects.get(pk=case.pk).flags == ["missing"]
    with pytest.raises(ValidationError, match="already flagged “Goes missing”"):
        case_flag(actor=hub_officer, case=case, flag="missing", on=True)
    with pytest.raises(ValidationError, match="Choose a flag from the list"):
        case_flag(actor=hub_officer, case=case, flag="made-up", on=True)
    case_flag(actor=hub_officer, case=case, flag="missing", on=False)
    assert Case.objects.get(pk=case.pk).flags == []
    assert list(case.chronology.filter(category="flag").values_list("summary", flat=True)) == [
        "Flag removed: Goes missing",
        "Flag added: Goes missing",
    ]


# --- Practitioner entries -------------------------------------------------------------------------


def test_a_participating_partner_adds_a_practitioner_entry(shared_case, walsall_partner):
    when = timezone.now() - dt.timedelta(days=2)
    entry = chronology_note_add(
        actor=walsall_partner, case=shared_case, category="home_visit", occurred_at=when, summary="Visited at home"
    )
    assert (entry.kind, entry.agency.name, entry.author) == (
        "practitioner",
        "Walsall Council Early Help",
        walsall_partner,
    )
    assert Event.objects.filter(action=Action.CREATE, object_type="cases.chronologyentry").exists()


def test_only_agencies_on_the_case_add_entries_and_not_in_the_future(case, school_outsider, analyst, hub_officer):
    now = timezone.now()
    for outsider in (school_outsider, analyst):
        with pytest.raises(PermissionDenied):
            chronology_note_add(actor=outsider, case=case, category="note", occurred_at=now, summary="Hello")
    with pytest.raises(ValidationError) as refused:
        chronology_note_add(
            actor=hub_officer, case=case, category="note", occurred_at=now + dt.timedelta(days=1), summary="x"
        )
    assert refused.value.message_dict["occurred_at"] == ["The date and time it happened must be in the past."]


def test_chronology_add_keeps_its_contract_for_other_apps(case, hub_officer):
    entry = chronology_add(case=case, category="mace", summary="  Discussed at MACE  ", actor=hub_officer, source=case)
    assert (entry.summary, entry.kind, entry.source_type) == ("Discussed at MACE", "system", "cases.case")
    with pytest.raises(ValidationError):
        chronology_add(case=case, category="mace", summary=" ")


# --- Closure ------------------------------------------------------------------------------------------


def test_closure_needs_a_reason_and_a_supervisor_who_did_not_ask(case, hub_officer, supervisor):
    with pytest.raises(ValidationError, match="Enter why the case can close"):
        case_closure_request(actor=hub_officer, case=case, reason="")
    closure = case_closure_request(actor=hub_officer, case=case, reason="No missing episodes for 3 months")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSURE_REQUESTED
    with pytest.raises(ValidationError, match="already waiting for a supervisor"):
        case_closure_request(actor=hub_officer, case=case, reason="Again")
    with pytest.raises(PermissionDenied):
        case_closure_approve(actor=hub_officer, closure=closure)
    case_closure_approve(actor=supervisor, closure=closure, note="Agreed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at is not None
    assert ClosureRequest.objects.get().decision == ClosureDecision.APPROVED
    assert case.chronology.filter(summary="Case closed: closure approved").exists()
    assert Event.objects.filter(action=Action.DECIDE, object_type="cases.closurerequest").exists()
    with pytest.raises(ValidationError, match="is closed"):
        risk_review_add(actor=hub_officer, case=case, level="none", reviewed_on=timezone.localdate(), reason="x")


def test_a_supervisor_cannot_approve_their_own_request(case, supervisor, hub_officer):
    supervisor.roles.add(*hub_officer.roles.all())
    supervisor = User.objects.get(pk=supervisor.pk)  # capabilities are cached per instance
    closure = case_closure_request(actor=supervisor, case=case, reason="Moved away")
    with pytest.raises(ValidationError, match="nobody approves their own closure request"):
        case_closure_approve(actor=supervisor, closure=closure)


def test_a_rejection_needs_reasons_and_reopens_the_case(case, hub_officer, supervisor):
    closure = case_closure_request(actor=hub_officer, case=case, reason="Risk reduced")
    with pytest.raises(ValidationError, match="Enter why the case should stay open"):
        case_closure_reject(actor=supervisor, closure=closure, note="")
    case_closure_reject(actor=supervisor, closure=closure, note="Wait for the MACE review")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    with pytest.raises(ValidationError, match="already decided"):
        case_closure_approve(actor=supervisor, closure=closure)


def test_the_closure_request_carries_the_version_check(case, hub_officer, hub_detective):
    _update(hub_detective, case, 1, summary="Changed meanwhile")
    with pytest.raises(ValidationError, match="Someone else changed"):
        case_closure_request(actor=hub_officer, case=case, reason="Done", expected_version=1)
    assert not ClosureRequest.objects.exists()


# --- Documents ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF), ("photo.png", PNG), ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
     ("notes.txt", "Café visit, notes".encode()), ("plan.docx", _docx())],
)  # fmt: skip
def test_allowed_files_are_stored_privately_and_recorded(case, hub_officer, settings, name, content):
    document = document_add(actor=hub_officer, case=case, upload=SimpleUploadedFile(name, content), title="")
    assert document.title == name
    stored = settings.SOCEX_CASE_DOCUMENTS_DIR / document.stored_name
    assert stored.read_bytes() == content
    assert name not in document.stored_name  # never stored under the name the uploader gave
    assert case.chronology.filter(category="document", summary=f"Document added: {name}").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "The selected file is a .exe file. It must be a PDF, Word (.docx)"),
        ("README", b"hello", "The selected file is a file without an extension."),
        ("photo.pdf", PNG, "The selected file's name ends in .pdf but its content is a PNG image."),
        ("letter.docx", b"PK\x03\x04not really a zip", "ends in .docx but its content is not a kind of file we accept"),
        ("notes.txt", PDF, "ends in .txt but its content is a PDF"),
        ("empty.txt", b"", "The selected file is empty."),
    ],
)
def test_wrong_or_mismatched_files_are_refused_with_the_reason(case, hub_officer, settings, name, content, message):
    with pytest.raises(ValidationError) as refused:
        document_add(actor=hub_officer, case=case, upload=SimpleUploadedFile(name, content))
    assert message in refused.value.message_dict["file"][0]
    assert not case.documents.exists()
    folder = settings.SOCEX_CASE_DOCUMENTS_DIR
    assert not folder.exists() or not any(folder.rglob("*.*"))


def test_the_size_limit_is_a_setting(settings, case, hub_officer):
    settings.SOCEX_CASE_DOCUMENT_MAX_MB = 1
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as refused:
        document_add(actor=hub_officer, case=case, upload=big)
    assert refused.value.message_dict["file"] == ["The selected file must be smaller than 1 MB."]


def test_a_failed_database_write_leaves_no_file_behind(case, hub_officer, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("socex.cases.services.record_create", fail)
    with pytest.raises(RuntimeError):
        document_add(actor=hub_officer, case=case, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not any(settings.SOCEX_CASE_DOCUMENTS_DIR.rglob("*.pdf"))


def test_sniffing_reads_the_content_not_the_name():
    assert documents.sniff(documents.as_file(PDF)) == "pdf"
    assert documents.sniff(documents.as_file(_docx())) == "docx"
    assert documents.sniff(documents.as_file(b"\x00\x01binary")) is None


def test_other_apps_can_open_a_case_from_a_referral(hub_officer, kieran):
    case = case_create(
        actor=None, subjects=[kieran, kieran], lead_agency=hub_officer.organisation, lpa=LPA.objects.get(name="Dudley")
    )
    assert case.subjects.count() == 1
    assert ChronologyEntry.objects.filter(case=case, author=None).count() == 1
