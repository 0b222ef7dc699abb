"""Investigation fixtures: the Birmingham hub detective with a detective post, a second police
investigator who is not a detective, a child known to the index with an open exploitation case."""

import datetime as dt

import pytest

from socex.accounts.services import api_token_create
from socex.areas.models import LPA, Hub
from socex.cases.services import case_create
from socex.core.testing.factories import UserFactory
from socex.investigations import services
from socex.investigations.models import StaffKind
from socex.people.details import PersonDetails
from socex.people.services import person_create

OPENED = dt.date(2026, 3, 2)


@pytest.fixture
def detective_post(hub_detective, supervisor):
    return services.staff_set(
        actor=supervisor,
        user=hub_detective,
        hub=Hub.objects.get(code="birmingham"),
        kind=StaffKind.DETECTIVE,
        capacity=20,
    )


@pytest.fixture
def constable(wmp, supervisor):
    """A police investigator on the Coventry hub's staff who is not a detective."""
    user = UserFactory(
        email="pc.coventry@police.example", full_name="PC Dan Moss", organisation=wmp, roles=["hub-detective"]
    )
    services.staff_set(
        actor=supervisor, user=user, hub=Hub.objects.get(code="coventry"), kind=StaffKind.NON_DETECTIVE, capacity=10
    )
    return user


@pytest.fixture
def child(hub_detective):
    return person_create(
        actor=hub_detective,
        details=PersonDetails(given_name="Kieran", family_name="Smith", date_of_birth=dt.date(2011, 2, 3)),
    )


@pytest.fixture
def childs_case(hub_officer, walsall_partner, child):
    return case_create(
        actor=hub_officer,
        subjects=[child],
        lead_agency=walsall_partner.organisation,
        lpa=LPA.objects.get(name="Walsall"),
    )


@pytest.fixture
def investigation(hub_detective, detective_post):
    return services.investigation_create(
        actor=hub_detective,
        title="Walsall county line (BLUE line)",
        offences=["msa-s1", "mda-s4-3"],
        officer_in_case=hub_detective,
        lpa=LPA.objects.get(name="Walsall"),
        opened_on=OPENED,
        crime_references=["20/123456/26"],
    )


@pytest.fixture
def api(client):
    def for_user(user):
        _, secret = api_token_create(user=user, name="investigation tests")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

        def get(path=""):
            return client.get(f"/api/v1/investigations/{path}", **headers)

        def post(path, payload):
            return client.post(f"/api/v1/investigations/{path}", payload, content_type="application/json", **headers)

        return get, post

    return for_user
