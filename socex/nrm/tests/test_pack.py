"""The referral pack: the Home Office form's questions in its order with its options, drafted answers,
every answer the form would reject flagged with its own message, the officer's answers, and the
text and PDF exports (audited)."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from socex.audit.models import Action, Event
from socex.nrm.conf import REFERENCE_DIR
from socex.nrm.form_vocab import form_pages
from socex.nrm.pack import build_pack
from socex.nrm.tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(hub_officer, first_responders, child, walsall):
    return start(
        hub_officer,
        child,
        walsall,
        narrative="Found carrying drugs in Walsall.",
        exploitation_types=["forced-to-commit-crime", "other"],
        other_exploitation="Made to hold weapons",
    )


def _answers(pack):
    return {a.question.field: a for page in pack.pages for a in page.answers}


def test_the_pages_follow_the_forms_order_and_use_its_own_words():
    pages = form_pages()
    keys = [page.key for page in pages]
    assert keys[:5] == [
        "reference",
        "organisation",
        "fr-location",
        "pv-under-age",
        "local-authority-contacted-about-child",
    ]
    assert keys.index("what-happened") < keys.index("types-of-exploitation") < keys.index("pv-name-referral")
    vocab = json.loads((REFERENCE_DIR / "homeoffice_nrm_form" / "fields.json").read_text())
    under_age = pages[3].questions[0]
    assert under_age.label == vocab["pv-under-age"]["legend"] == "Is the potential victim under 18?"
    assert under_age.options == [("yes", "Yes"), ("no", "No"), ("not-sure", "Not Sure")]


def test_drafts_come_from_the_referral_person_and_officer(hub_officer, referral):
    answers = _answers(build_pack(referral, hub_officer))
    assert answers["reference"].display == referral.reference
    assert answers["pv-under-age"].display == "Yes"
    assert answers["what-happened"].display == "Found carrying drugs in Walsall."
    assert answers["types-of-exploitation"].value == [
        "types-of-exploitation-forced-to-commit-crime",
        "types-of-exploitation-other",
    ]
    assert "Forced to commit a crime" in answers["types-of-exploitation"].display
    assert answers["other-exploitation-details"].display == "Made to hold weapons"
    assert (answers["pv-name-first-name"].display, answers["pv-name-last-name"].display) == ("Kieran", "Smith")
    assert answers["pv-dob"].display == "03/02/2010"
    assert answers["pv-gender"].display == "Male"
    assert answers["fr-details-last-name"].display == "Whitfield"
    assert answers["where-exploitation-happened-uk-city-1"].display == "Walsall"
    assert answers["where-exploitation-happened-uk-city-1"].note == "Must match an entry of the form's own list."


def test_every_answer_the_form_would_reject_is_flagged_with_its_message(hub_officer, referral):
    answers = _answers(build_pack(referral, hub_officer))
    # A child: the local authority contacted must be given, with its phone and email.
    assert answers["local-authority-contacted-about-child-local-authority-phone"].problems == [
        "You must enter a phone number"
    ]
    assert answers["birthplace"].problems == ["Enter the birthplace"]
    assert answers["what-happened"].problems == []
    # Adults only: not asked for a child, so not flagged.
    assert not answers["pv-want-to-submit-nrm"].asked
    assert answers["pv-want-to-submit-nrm"].problems == []
    assert not answers["pv-under-age-at-time-of-exploitation"].asked


def test_the_officers_answers_replace_the_drafts_and_are_checked(signed_in, hub_officer, referral):
    client = signed_in(hub_officer)
    page = reverse("nrm:pack_page", args=[referral.pk, "local-authority-contacted-about-child"])
    response = client.post(
        page,
        {
            "local-authority-contacted-about-child-local-authority-name": "Walsall Council",
            "local-authority-contacted-about-child-local-authority-phone": "not a number",
            "local-authority-contacted-about-child-local-authority-email": "mash@walsall.example",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (
        referral.pack_answers["local-authority-contacted-about-child-local-authority-email"] == "mash@walsall.example"
    )
    answers = _answers(build_pack(referral, hub_officer))
    assert answers["local-authority-contacted-about-child-local-authority-phone"].problems == [
        "Enter a real telephone number"
    ]
    assert answers["local-authority-contacted-about-child-local-authority-email"].problems == []
    assert answers["local-authority-contacted-about-child-local-authority-name"].source == "your answer"


def test_a_too_long_answer_and_a_future_date_are_flagged(hub_officer, referral):
    from socex.nrm.services import pack_answers_save

    pack_answers_save(
        actor=hub_officer,
        referral=referral,
        answers={"what-happened": "x" * 15001, "pv-dob": "01/01/2999", "fr-alternative-contact": "nobody"},
    )
    answers = _answers(build_pack(referral, hub_officer))
    assert answers["what-happened"].problems == ["You must enter no more than 15,000 characters"]
    assert answers["pv-dob"].problems == ["You must enter a valid date. The date cannot be in the future"]
    assert answers["fr-alternative-contact"].problems == ["Enter a valid email address"]


def test_the_pack_page_lists_the_problems(signed_in, hub_officer, referral):
    response = signed_in(hub_officer).get(reverse("nrm:pack", args=[referral.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The form would reject" in html
    assert "You must enter a phone number" in html
    assert response.context["pack"].problem_count > 0


def test_text_export_is_audited_as_an_export_of_the_referral(signed_in, hub_officer, referral):
    response = signed_in(hub_officer).get(reverse("nrm:pack_text", args=[referral.pk]))
    text = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="{referral.reference}-referral-pack.txt"'
    assert "Q: Is the potential victim under 18?" in text
    assert "Options: Yes | No | Not Sure" in text
    assert "! The form would reject this: Enter the birthplace" in text
    assert text.index("Is the potential victim under 18?") < text.index("How were they exploited?")
    event = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert (event.object_type, event.object_id) == ("nrm.nrmreferral", str(referral.pk))
    assert event.export_count == build_pack(referral, hub_officer).question_count


def test_pdf_export_is_a_pdf_of_the_pack_and_audited(signed_in, hub_officer, referral):
    response = signed_in(hub_officer).get(reverse("nrm:pack_pdf", args=[referral.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert referral.reference in text
    assert "Is the potential victim under 18?" in text
    assert Event.objects.filter(action=Action.EXPORT, object_id=str(referral.pk)).exists()


def test_an_adult_pack_asks_the_adult_questions(hub_officer, first_responders, adult, walsall):
    referral = start(hub_officer, adult, walsall, under_18="no", consent="given", consent_on=dt.date(2025, 1, 1))
    answers = _answers(build_pack(referral, hub_officer))
    assert answers["pv-want-to-submit-nrm"].asked
    assert answers["pv-want-to-submit-nrm"].value == "yes"
    assert answers["pv-under-age-at-time-of-exploitation"].problems == ["You must select an option"]
    assert not answers["local-authority-contacted-about-child-local-authority-phone"].asked
