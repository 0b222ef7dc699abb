"""The demo's cases: made through the services once, however often the seed runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from socex.accounts.models import Organisation, User
from socex.cases.models import Case, CaseStatus
from socex.demo.cases import DEMO_CASES, seed_demo_cases
from socex.demo.seed import DEFAULT_DEMO_PASSWORD, SeedSummary, seed_demo
from socex.sharing.services import is_shared_with

pytestmark = pytest.mark.django_db


def test_the_demo_cases_are_made_once_and_walsall_early_help_takes_part(db):
    call_command("load_reference", stdout=StringIO(), stderr=StringIO())
    seed_demo(password=DEFAULT_DEMO_PASSWORD)
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    first = SeedSummary()
    seed_demo_cases(organisations=organisations, summary=first)
    demo = Case.objects.filter(summary__in=[spec.summary for spec in DEMO_CASES])
    assert demo.count() == len(DEMO_CASES)
    assert first.created["cases"] + first.existing["cases"] == len(DEMO_CASES)

    again = SeedSummary()
    seed_demo_cases(organisations=organisations, summary=again)
    assert (again.created["cases"], again.existing["cases"]) == (0, len(DEMO_CASES))
    assert demo.count() == len(DEMO_CASES)

    walsall = organisations["Walsall Council Early Help"]
    early_help = User.objects.get(email="earlyhelp.walsall@demo.socex.example")
    visible = Case.objects.visible_to(early_help)
    assert any(is_shared_with(case, walsall) for case in demo)
    assert visible.filter(lead_agency=walsall).exists()
    assert demo.filter(risk_reviews__isnull=False).distinct().count() >= 4
    assert demo.filter(documents__isnull=False).exists()
    assert demo.filter(status=CaseStatus.CLOSURE_REQUESTED).exists()
    assert demo.filter(status=CaseStatus.CLOSED).exists()
    assert demo.filter(chronology__kind="practitioner").exists()
