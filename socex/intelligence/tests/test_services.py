"""The grading and workflow rules, through the services: each refusal names its rule, and the
database holds the same rules if anything bypasses the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from socex.audit.models import Action, Event
from socex.core.testing.factories import TeamFactory
from socex.intelligence import conf, rules, services
from socex.intelligence.models import Report, ReportStatus
from socex.intelligence.tests.conftest import C_GRADE, P_GRADE, SANITISED, TEXT, submit

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Submitting ----------------------------------------------------------------------------------


def test_a_submitted_report_gets_an_int_reference_a_retention_group_and_a_review_date(hub_officer):
    report = submit(hub_officer, obtained_on=dt.date(2024, 2, 29))
    year = dt.date.today().year
    assert report.reference == f"INT-{year}-0000001"
    assert submit(hub_officer).reference == f"INT-{year}-0000002"
    schedule = conf.retention_schedule()
    assert report.retention_group == schedule.default_group == "3"
    assert report.review_date == dt.date(2030, 2, 28)  # 6 years on; 29 February becomes 28 February
    assert (report.status, report.author, report.owner) == (
        ReportStatus.SUBMITTED,
        hub_officer,
        hub_officer.organisation,
    )
    created = Event.objects.filter(
        action=Action.CREATE, object_id=str(report.pk), object_type="intelligence.report"
    ).get()
    assert created.changes["reference"] == [None, report.reference]
    assert "text" not in created.changes  # the audit log names the report, it does not copy what it says


def test_only_police_with_intel_create_may_submit(walsall_partner, analyst, auditor):
    with pytest.raises(PermissionDenied):
        submit(walsall_partner)
    with pytest.raises(PermissionDenied):
        submit(auditor)  # police, but no intel.create
    assert submit(analyst).author == analyst


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"text": "   "}, "text", "Enter what you know"),
        ({"obtained_on": dt.date.today() + dt.timedelta(days=1)}, "obtained_on", "(date obtained rule)"),
        ({"source_type": "rumour"}, "source_type", "Choose where"),
    ],
)
def test_bad_submissions_are_refused_by_field(hub_officer, values, field, says):
    with pytest.raises(ValidationError) as caught:
        submit(hub_officer, **values)
    assert says in " ".join(caught.value.message_dict[field])
    assert not Report.objects.exists()


def test_a_report_can_be_restricted_only_to_a_team_of_the_authors_organisation(hub_officer, walsall_partner):
    other = TeamFactory(organisation=walsall_partner.organisation, name="Early Help duty team")
    with pytest.raises(ValidationError) as caught:
        submit(hub_officer, restricted_team=other)
    assert "(restricted team rule)" in caught.value.message_dict["restricted_team"][0]
    assert submit(hub_officer, restricted_team=hub_officer.team).restricted_team == hub_officer.team


# --- Grading -------------------------------------------------------------------------------------


def test_evaluation_grades_the_report_and_sets_the_review_date_from_its_retention_group(submitted, analyst):
    report = services.report_evaluate(actor=analyst, report=submitted, grade=P_GRADE, retention_group="1")
    assert (report.status, report.evaluated_by, report.grade_text) == (ReportStatus.EVALUATED, analyst, "2B P")
    assert report.grading_scheme == "3x5x2"
    assert report.review_date == dt.date(2036, 3, 2)  # group 1: 10 years from the date obtained
    change = Event.objects.filter(action=Action.UPDATE, object_type="intelligence.report").get()
    assert change.changes["status"] == ["submitted", "evaluated"]
    assert change.changes["handling_code"] == ["", "P"]


def test_the_author_may_never_evaluate_their_own_report(analyst):
    own = submit(analyst)
    with pytest.raises(ValidationError) as caught:
        services.report_evaluate(actor=analyst, report=own, grade=P_GRADE)
    assert "(second-person evaluation rule)" in _messages(caught.value)
    own.refresh_from_db()
    assert own.status == ReportStatus.SUBMITTED


def test_only_evaluators_evaluate(submitted, hub_detective):
    with pytest.raises(PermissionDenied):
        services.report_evaluate(actor=hub_detective, report=submitted, grade=P_GRADE)


@pytest.mark.parametrize(
    ("grade", "field"),
    [
        (
            rules.Grade(scheme="3x5x2", source_evaluation="4", intelligence_assessment="B", handling_code="P"),
            "source_evaluation",
        ),
        (
            rules.Grade(scheme="3x5x2", source_evaluation="2", intelligence_assessment="F", handling_code="P"),
            "intelligence_assessment",
        ),
        (
            rules.Grade(scheme="3x5x2", source_evaluation="2", intelligence_assessment="B", handling_code="4"),
            "handling_code",
        ),
        (
            rules.Grade(scheme="3x5x2", source_evaluation="", intelligence_assessment="B", handling_code="P"),
            "source_evaluation",
        ),
        (
            rules.Grade(scheme="6x6", source_evaluation="2", intelligence_assessment="B", handling_code="P"),
            "grading_scheme",
        ),
    ],
)
def test_a_grade_outside_the_3x5x2_scheme_is_refused_naming_the_rule(submitted, analyst, grade, field):
    with pytest.raises(ValidationError) as caught:
        services.report_evaluate(actor=analyst, report=submitted, grade=grade)
    assert "(3x5x2 grading scheme rule)" in " ".join(caught.value.message_dict[field])


def test_handling_code_c_needs_conditions(submitted, analyst):
    bare = rules.Grade(scheme="3x5x2", source_evaluation="1", intelligence_assessment="A", handling_code="C")
    with pytest.raises(ValidationError) as caught:
        services.report_evaluate(actor=analyst, report=submitted, grade=bare)
    assert "(handling code C needs conditions rule)" in caught.value.message_dict["handling_conditions"][0]
    report = services.report_evaluate(actor=analyst, report=submitted, grade=C_GRADE)
    assert report.handling_conditions == "Share only with Early Help; not with the family"


def test_codes_are_read_in_either_case_and_conditions_are_dropped_for_p(submitted, analyst):
    grade = rules.Grade(
        scheme="3x5x2", source_evaluation=" 3", intelligence_assessment="e", handling_code="p", handling_conditions="x"
    )
    report = services.report_evaluate(actor=analyst, report=submitted, grade=grade)
    assert (report.grade_text, report.handling_conditions) == ("3E P", "")


def test_a_legacy_5x5x5_grade_is_kept_verbatim_and_never_mapped(submitted, analyst):
    legacy = rules.Grade(scheme="5x5x5", legacy_grading="  b 2 4 ")
    report = services.report_evaluate(actor=analyst, report=submitted, grade=legacy)
    report.refresh_from_db()
    assert report.legacy_grading == "b 2 4"  # as written (only the surrounding spaces go)
    assert (report.source_evaluation, report.intelligence_assessment, report.handling_code) == ("", "", "")
    assert report.grade_text == "b 2 4 (5x5x5)"


@pytest.mark.parametrize("typed", ["", "2B P", "B2", "F24", "B26"])
def test_a_legacy_grade_must_look_like_5x5x5(submitted, analyst, typed):
    with pytest.raises(ValidationError) as caught:
        services.report_evaluate(
            actor=analyst, report=submitted, grade=rules.Grade(scheme="5x5x5", legacy_grading=typed)
        )
    assert "(legacy 5x5x5 grade rule)" in caught.value.message_dict["legacy_grading"][0]


# --- Sanitising and publishing ---------------------------------------------------------------------


def test_the_workflow_runs_submitted_evaluated_sanitised_published(evaluated, analyst):
    report = services.report_sanitise(actor=analyst, report=evaluated, sanitised_text=f"  {SANITISED} ")
    assert (report.status, report.sanitised_text, report.sanitised_by) == (ReportStatus.SANITISED, SANITISED, analyst)
    report = services.report_publish(actor=analyst, report=report)
    assert (report.status, report.published_by) == (ReportStatus.PUBLISHED, analyst)
    assert report.published_at is not None
    assert report.text == TEXT  # the original is kept, unchanged


def test_sanitising_before_evaluation_is_refused(submitted, analyst):
    with pytest.raises(ValidationError) as caught:
        services.report_sanitise(actor=analyst, report=submitted, sanitised_text=SANITISED)
    assert "(workflow order rule)" in _messages(caught.value)


def test_publishing_without_sanitised_text_is_refused_naming_the_rule(evaluated, analyst, submitted):
    with pytest.raises(ValidationError) as caught:
        services.report_publish(actor=analyst, report=evaluated)
    assert "(sanitised text before publishing rule)" in _messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.report_sanitise(actor=analyst, report=evaluated, sanitised_text="   ")
    assert "Enter the sanitised text" in caught.value.message_dict["sanitised_text"][0]


def test_publishing_before_evaluation_is_refused(submitted, analyst):
    with pytest.raises(ValidationError) as caught:
        services.report_publish(actor=analyst, report=submitted)
    assert "(workflow order rule)" in _messages(caught.value)


def test_a_published_report_keeps_its_grade_and_sanitised_text(published, analyst):
    with pytest.raises(ValidationError) as caught:
        services.report_evaluate(actor=analyst, report=published, grade=C_GRADE)
    assert "(workflow order rule)" in _messages(caught.value)
    with pytest.raises(ValidationError):
        services.report_sanitise(actor=analyst, report=published, sanitised_text="Something else")
    with pytest.raises(ValidationError):
        services.report_publish(actor=analyst, report=published)


# --- The database holds the same rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"source_evaluation": "4"},
        {"handling_code": "C", "handling_conditions": ""},
        {"legacy_grading": "B24"},  # a legacy grade beside a 3x5x2 grade
        {"status": "published", "sanitised_text": ""},
        {"status": "evaluated", "evaluated_by": None},
    ],
)
def test_the_database_refuses_what_the_services_refuse(evaluated, changes):
    Report.objects.filter(pk=evaluated.pk).update(sanitised_text=SANITISED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=evaluated.pk).update(**changes)


def test_the_database_refuses_an_evaluation_by_the_author(evaluated):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=evaluated.pk).update(evaluated_by=evaluated.author)
