"""Fixtures for the intelligence tests: reports at each step of the workflow.

A Coventry hub officer (``intel.create`` only) submits; the analyst (``intel.evaluate``) grades,
sanitises and publishes; the Birmingham hub detective (``intel.view`` and ``sharing.manage``)
disseminates to Walsall Council Early Help.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socex.areas.models import LPA
from socex.intelligence import rules, services
from socex.intelligence.models import Report
from socex.sharing.models import LegalBasis

TEXT = (
    "Source states the deal line for the 'Ky' line is 07700 900123. Runners are collected in a black Audi, "
    "AB12 CDE, from an address on Pelsall Lane, WS2 8NT."
)
SANITISED = "A deal line operates in the Pelsall area of Walsall. Young people are collected by car."
P_GRADE = rules.Grade(scheme="3x5x2", source_evaluation="2", intelligence_assessment="B", handling_code="P")
C_GRADE = rules.Grade(
    scheme="3x5x2",
    source_evaluation="1",
    intelligence_assessment="A",
    handling_code="C",
    handling_conditions="Share only with Early Help; not with the family",
)


def walsall_lpa() -> LPA:
    return LPA.objects.get(name="Walsall")


def submit(actor, text: str = TEXT, **values) -> Report:
    fields = {"source_type": "partner", "obtained_on": dt.date(2026, 3, 2), "lpa": walsall_lpa(), "text": text}
    return services.report_submit(actor=actor, **(fields | values))


def publish(report: Report, evaluator, grade: rules.Grade = P_GRADE, sanitised: str = SANITISED) -> Report:
    report = services.report_evaluate(actor=evaluator, report=report, grade=grade)
    report = services.report_sanitise(actor=evaluator, report=report, sanitised_text=sanitised)
    return services.report_publish(actor=evaluator, report=report)


def disseminate(report: Report, sharer, partner, **values):
    fields = {
        "organisation": partner.organisation,
        "legal_basis": LegalBasis.objects.get(code="children-act-1989-s47"),
        "scope": "For the Walsall MACE meeting",
        "until": dt.date.today() + dt.timedelta(days=30),
    }
    return services.report_disseminate(actor=sharer, report=report, **(fields | values))


@pytest.fixture
def submitted(hub_officer) -> Report:
    return submit(hub_officer)


@pytest.fixture
def evaluated(submitted, analyst) -> Report:
    return services.report_evaluate(actor=analyst, report=submitted, grade=P_GRADE)


@pytest.fixture
def published(submitted, analyst) -> Report:
    return publish(submitted, analyst)


@pytest.fixture
def disseminated(published, hub_detective, walsall_partner) -> Report:
    disseminate(published, hub_detective, walsall_partner)
    return published


@pytest.fixture
def intel_reader(wmp):
    """A police intelligence reader who may neither submit, grade nor share (intel.view only)."""
    from socex.accounts.models import Role
    from socex.core.testing.factories import UserFactory

    Role.objects.get_or_create(
        code="intel-reader",
        defaults={"name": "Intelligence reader", "capabilities": ["intel.view"], "police_only": True},
    )
    return UserFactory(email="reader@police.example", full_name="Read Only", organisation=wmp, roles=["intel-reader"])
