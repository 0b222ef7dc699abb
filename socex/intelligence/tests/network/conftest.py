"""Fixtures for the network tests: small networks built straight into the database.

``Intel`` makes entities, reports graded as a test needs (3x5x2, legacy 5x5x5 or not yet graded,
restricted to a team or not) and links between entities. Reports are written with the ORM, not
through the intelligence services, so a test can lay out a network of dozens of links quickly;
every row still satisfies the database's own rules (an evaluated report has an evaluator who is
not its author, and so on).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

import pytest
from django.utils import timezone

from socex.accounts.models import Team, User
from socex.areas.models import LPA
from socex.intelligence.models import Entity, Link, Report

_numbers = itertools.count(1)


class Intel:
    def __init__(self, author: User, evaluator: User) -> None:
        self.author = author
        self.evaluator = evaluator
        self.lpa = LPA.objects.get(name="Walsall")

    def entity(self, label: str, kind: str = "person") -> Entity:
        return Entity.objects.create(kind=kind, key=f"test:{label.casefold()}", label=label)

    def entities(self, *labels: str, kind: str = "person") -> list[Entity]:
        return [self.entity(label, kind) for label in labels]

    def report(
        self,
        grade: str = "2B",
        *,
        legacy: str = "",
        restricted_team: Team | None = None,
        obtained_on: dt.date = dt.date(2026, 3, 2),
        text: str = "Source reports the two are seen together.",
    ) -> Report:
        number = next(_numbers)
        values: dict[str, object] = {
            "reference": f"INT-2026-{number:07d}",
            "source_type": "officer",
            "obtained_on": obtained_on,
            "lpa": self.lpa,
            "text": text,
            "author": self.author,
            "owner": self.author.organisation,
            "restricted_team": restricted_team,
        }
        if legacy:
            values |= {"grading_scheme": "5x5x5", "legacy_grading": legacy}
        elif grade:
            values |= {"source_evaluation": grade[0], "intelligence_assessment": grade[1], "handling_code": "P"}
        if legacy or grade:
            values |= {"status": "evaluated", "evaluated_by": self.evaluator, "evaluated_at": timezone.now()}
        return Report.objects.create(**values)

    def link(
        self,
        source: Entity,
        target: Entity,
        link_type: str = "associate",
        *,
        report: Report | None = None,
        valid_from: dt.date | None = None,
        valid_to: dt.date | None = None,
    ) -> Link:
        return Link.objects.create(
            source=source,
            target=target,
            link_type=link_type,
            report=report or self.report(),
            valid_from=valid_from,
            valid_to=valid_to,
            created_by=self.author,
        )

    def chain(self, entities: Iterable[Entity], link_type: str = "associate", **kwargs: object) -> list[Link]:
        items = list(entities)
        return [self.link(a, b, link_type, **kwargs) for a, b in itertools.pairwise(items)]  # type: ignore[arg-type]


@pytest.fixture
def intel(hub_detective, analyst) -> Intel:
    return Intel(author=hub_detective, evaluator=analyst)
