"""The access matrix, as tables: every page and endpoint, for the hub officer (triages), the
referring partner (Walsall Early Help, the author), their colleague, another partner (a Dudley
school) and someone with no referral role (the VRP officer).

A referral someone may not see is a 404; one they may see but not change (or not triage) is a 403;
an area their roles do not include is a 403.
"""

import pytest
from django.urls import reverse

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db

PERSONAS = ["hub_officer", "walsall_partner", "walsall_colleague", "school_outsider", "vrp_officer"]


def _status(signed_in, request, persona, method, url, data=None):
    client = signed_in(request.getfixturevalue(persona))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


# (page, method, hub officer, referring partner, colleague, other partner, outsider)
AREA_PAGES = [
    ("referrals:index", "get", (302, 302, 302, 302, 403)),
    ("referrals:mine", "get", (200, 200, 200, 200, 403)),
    ("referrals:dashboard", "get", (200, 200, 200, 200, 403)),
    ("referrals:new", "get", (200, 200, 200, 200, 403)),
    ("referrals:queue", "get", (200, 403, 403, 403, 403)),
]


@pytest.mark.parametrize(("name", "method", "codes"), AREA_PAGES)
def test_area_pages(signed_in, request, name, method, codes):
    expected = dict(zip(PERSONAS, codes, strict=True))
    for persona in PERSONAS:
        assert _status(signed_in, request, persona, method, reverse(name)) == expected[persona], persona


# Pages about the submitted referral (made by Walsall Early Help).
SUBMITTED_PAGES = [
    ("referrals:detail", "get", (200, 200, 200, 404, 404)),
    ("referrals:submitted", "get", (200, 200, 200, 404, 404)),
    ("referrals:triage", "get", (200, 403, 403, 404, 404)),
    ("referrals:triage", "post", (200, 403, 403, 404, 404)),
    # Nobody changes a submitted referral's answers.
    ("referrals:concerns", "get", (403, 403, 403, 404, 404)),
    ("referrals:check", "post", (403, 403, 403, 404, 404)),
    ("referrals:subjects", "get", (403, 403, 403, 404, 404)),
    ("referrals:subject_use", "post", (403, 403, 403, 404, 404)),
]


@pytest.mark.parametrize(("name", "method", "codes"), SUBMITTED_PAGES)
def test_pages_about_a_submitted_referral(signed_in, request, submitted, name, method, codes):
    expected = dict(zip(PERSONAS, codes, strict=True))
    url = reverse(name, args=[submitted.pk])
    for persona in PERSONAS:
        assert _status(signed_in, request, persona, method, url) == expected[persona], persona


# A draft is its author's alone, even within their organisation and from the hub.
DRAFT_PAGES = [
    ("referrals:detail", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:resume", [], "get", (404, 302, 404, 404, 404)),
    ("referrals:subjects", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:subject_match", [], "post", (404, 200, 404, 404, 404)),
    ("referrals:subject_use", [], "post", (404, 404, 404, 404, 404)),  # no person given: 404 even to the author
    ("referrals:concerns", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:screening", ["significant"], "get", (404, 200, 404, 404, 404)),
    ("referrals:level", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:awareness", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:risks", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:check", [], "get", (404, 200, 404, 404, 404)),
    ("referrals:triage", [], "get", (404, 403, 404, 404, 404)),
]


@pytest.mark.parametrize(("name", "args", "method", "codes"), DRAFT_PAGES)
def test_pages_about_a_draft(signed_in, request, draft, name, args, method, codes):
    expected = dict(zip(PERSONAS, codes, strict=True))
    url = reverse(name, args=[draft.pk, *args])
    for persona in PERSONAS:
        assert _status(signed_in, request, persona, method, url) == expected[persona], persona


def test_removing_a_subject_is_the_authors_alone(signed_in, request, draft):
    subject = draft.subjects.get()
    url = reverse("referrals:subject_remove", args=[draft.pk, subject.pk])
    for persona in ["hub_officer", "walsall_colleague", "school_outsider", "vrp_officer"]:
        assert _status(signed_in, request, persona, "post", url) == 404, persona
    assert draft.subjects.count() == 1
    assert _status(signed_in, request, "walsall_partner", "post", url) == 302
    assert draft.subjects.count() == 0


def test_someone_who_may_not_see_it_learns_nothing_and_their_look_is_not_logged(signed_in, school_outsider, submitted):
    response = signed_in(school_outsider).get(reverse("referrals:detail", args=[submitted.pk]))
    assert response.status_code == 404
    assert submitted.reference.encode() not in response.content
    assert not Event.objects.filter(action=Action.VIEW, object_id=str(submitted.pk)).exists()


def test_every_read_of_a_referral_is_audited(signed_in, hub_officer, submitted):
    signed_in(hub_officer).get(reverse("referrals:detail", args=[submitted.pk]))
    event = Event.objects.filter(action=Action.VIEW, object_type="referrals.referral").get()
    assert (event.object_id, event.actor_id) == (str(submitted.pk), hub_officer.pk)


# --- the API -----------------------------------------------------------------------------------


def _bearer(user):
    _, secret = api_token_create(user=user, name="referral tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


API = [
    ("get_one", (200, 200, 200, 404, 404)),
    ("list", (200, 200, 200, 200, 403)),
    ("tool", (200, 200, 200, 200, 403)),
    ("submit_empty", (422, 422, 422, 422, 403)),
]


@pytest.mark.parametrize(("endpoint", "codes"), API)
def test_api_endpoints(client, request, submitted, endpoint, codes):
    expected = dict(zip(PERSONAS, codes, strict=True))
    for persona in PERSONAS:
        headers = _bearer(request.getfixturevalue(persona))
        if endpoint == "get_one":
            response = client.get(f"/api/v1/referrals/{submitted.pk}", **headers)
        elif endpoint == "list":
            response = client.get("/api/v1/referrals/", **headers)
        elif endpoint == "tool":
            response = client.get("/api/v1/referrals/screening-tool", **headers)
        else:
            body = {
                "subjects": [],
                "lpa": "E08000030",
                "exploitation_types": [],
                "concern_summary": "",
                "screening_answers": {},
                "child_aware": "",
                "family_aware": "",
                "immediate_risks": "",
            }
            response = client.post("/api/v1/referrals/", body, content_type="application/json", **headers)
        assert response.status_code == expected[persona], persona


def test_the_api_list_holds_only_your_organisations_referrals(client, submitted, school_outsider, walsall_colleague):
    other = client.get("/api/v1/referrals/", **_bearer(school_outsider)).json()
    assert other == {"items": [], "count": 0}
    same = client.get("/api/v1/referrals/", **_bearer(walsall_colleague)).json()
    assert [item["reference"] for item in same["items"]] == [submitted.reference]
    assert Event.objects.filter(action=Action.EXPORT, object_type="referrals.referral").count() == 2
