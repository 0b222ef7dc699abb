"""Who gets what from every case page, as one table.

The case is led by West Midlands Police and shared with Walsall Early Help in the sharing ledger:

* hub staff (``hub_officer``: case.edit) use every page;
* the participating partner (``walsall_partner``) reads the case, its chronology and documents,
  adds entries and documents, but may not change the case (403);
* the analyst (police, case.view_all without case.edit) reads but may not change or add (403);
* the non-participating partner (``school_outsider``) gets 404 for the case: its existence is
  not confirmed (the search gives them a signpost only, tested in test_views);
* the outsider (``vrp_officer``, no case role) gets 404 for the case and 403 for the cases area.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socex.cases.services import case_closure_request, document_add

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"

VIEW = {"hub_officer": 200, "walsall_partner": 200, "analyst": 200, "school_outsider": 404, "vrp_officer": 404}
EDIT = {"hub_officer": 200, "walsall_partner": 403, "analyst": 403, "school_outsider": 404, "vrp_officer": 404}
CONTRIBUTE = {"hub_officer": 200, "walsall_partner": 200, "analyst": 403, "school_outsider": 404, "vrp_officer": 404}
AREA = {"hub_officer": 200, "walsall_partner": 200, "analyst": 200, "school_outsider": 200, "vrp_officer": 403}

PAGES = {
    "detail": VIEW,
    "chronology": VIEW,
    "chronology_csv": VIEW,
    "chronology_pdf": VIEW,
    "document_download": VIEW,
    "edit": EDIT,
    "share": EDIT,
    "subject_add": EDIT,
    "risk_review_add": EDIT,
    "flag_add": EDIT,
    "closure_request": EDIT,
    "note_add": CONTRIBUTE,
    "document_add": CONTRIBUTE,
}
AREA_PAGES = ("list", "search", "dashboard")


@pytest.fixture
def document(shared_case, hub_officer):
    return document_add(actor=hub_officer, case=shared_case, upload=SimpleUploadedFile("plan.pdf", PDF))


def _url(name, case, document):
    if name == "document_download":
        return reverse("cases:document_download", args=[case.pk, document.pk])
    return reverse(f"cases:{name}", args=[case.pk])


@pytest.mark.parametrize(
    ("page", "persona", "status"),
    [(page, persona, status) for page, rule in PAGES.items() for persona, status in rule.items()],
)
def test_case_pages(signed_in, request, shared_case, document, page, persona, status):
    response = signed_in(request.getfixturevalue(persona)).get(_url(page, shared_case, document))
    assert response.status_code == status
    if status == 200 and page == "detail":
        assert shared_case.reference.encode() in response.content


@pytest.mark.parametrize(("page", "persona", "status"), [(p, who, s) for p in AREA_PAGES for who, s in AREA.items()])
def test_cases_area_pages(signed_in, request, shared_case, page, persona, status):
    assert signed_in(request.getfixturevalue(persona)).get(reverse(f"cases:{page}")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor", 200),
        ("hub_officer", 403),
        ("walsall_partner", 403),
        ("school_outsider", 404),
        ("vrp_officer", 404),
    ],
)
def test_deciding_a_closure(signed_in, request, shared_case, hub_officer, persona, status):
    closure = case_closure_request(actor=hub_officer, case=shared_case, reason="Risk reduced")
    url = reverse("cases:closure_decide", args=[shared_case.pk, closure.pk])
    assert signed_in(request.getfixturevalue(persona)).get(url).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("hub_officer", 302), ("walsall_partner", 403), ("analyst", 403), ("school_outsider", 404)]
)
def test_removing_a_flag(signed_in, request, shared_case, hub_officer, persona, status):
    from socex.cases.services import case_flag

    case_flag(actor=hub_officer, case=shared_case, flag="missing", on=True)
    url = reverse("cases:flag_remove", args=[shared_case.pk, "missing"])
    assert signed_in(request.getfixturevalue(persona)).post(url).status_code == status


@pytest.mark.parametrize(
    ("page", "status"),
    [("detail", 200), ("edit", 200), ("risk_review_add", 200), ("note_add", 200), ("chronology", 200)],
)
def test_a_partner_whose_agency_leads_the_case_edits_it(signed_in, lead_partner, walsall_case, page, status):
    assert signed_in(lead_partner).get(reverse(f"cases:{page}", args=[walsall_case.pk])).status_code == status


def test_the_lead_partner_sees_nothing_of_a_case_their_agency_is_not_on(signed_in, lead_partner, case):
    assert signed_in(lead_partner).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_share_that_has_ended_takes_the_partner_off_the_case(signed_in, case, hub_officer, walsall_partner):
    from socex.cases.tests.conftest import share_case
    from socex.sharing.services import share_revoke

    share = share_case(case, hub_officer, walsall_partner)
    client = signed_in(walsall_partner)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    share_revoke(actor=hub_officer, share=share, reason="Case closed at MACE")
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:chronology", args=[case.pk])).status_code == 404
