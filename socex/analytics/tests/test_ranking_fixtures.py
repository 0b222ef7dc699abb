"""Data builders for the part B analytics tests (ranking, siting, internal figures, briefings).

Not fixtures themselves, so any test module can call them with the numbers its rule needs. The
crime counts go straight into the aggregates the crime import keeps (``CrimeCount`` per LSOA and
``CrimeLPAMonth`` per LPA, which the pages read); the internal records
are real rows of the referrals, cases, NRM and intelligence models, created with the fewest fields
their constraints allow.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

from django.utils import timezone

from socex.accounts.models import Organisation, User
from socex.analytics.internal import Period, add_months
from socex.analytics.models import CrimeCount, CrimeLPAMonth
from socex.areas.models import LPA, LSOA

PERIOD = Period(start=dt.date(2025, 1, 1), months=12)
_numbers = itertools.count(1)


def add_lsoas() -> None:
    """One LSOA per LPA holding all its residents, a fifth of them aged 0 to 24."""
    for lpa in LPA.objects.all():
        LSOA.objects.get_or_create(
            code=f"{lpa.code}X",
            defaults={
                "name": f"{lpa.name} 001A",
                "lpa": lpa,
                "population": lpa.population,
                "population_0_15": lpa.population // 10,
                "population_16_24": lpa.population // 10,
            },
        )


def add_crime(per_month: Mapping[str, Mapping[str, int]], period: Period = PERIOD) -> None:
    """``{"Walsall": {"violent-crime": 100}}``: that many crimes in every month of ``period``."""
    for name, categories in per_month.items():
        lpa = LPA.objects.get(name=name)
        lsoa = LSOA.objects.filter(lpa=lpa).first()
        for month in period.month_list():
            for category, count in categories.items():
                if count:
                    CrimeCount.objects.create(month=month, lpa=lpa, lsoa=lsoa, category=category, count=count)
                    CrimeLPAMonth.objects.create(month=month, lpa=lpa, category=category, count=count)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def add_referrals(referrer: User, counts: Mapping[str, int], day: dt.date = dt.date(2025, 6, 15)) -> None:
    from socex.referrals.models import Referral, ReferralStatus

    assert referrer.organisation is not None
    for name, count in counts.items():
        lpa = LPA.objects.get(name=name)
        for _ in range(count):
            Referral.objects.create(
                reference=f"REF-2025-{next(_numbers):06d}",
                status=ReferralStatus.SUBMITTED,
                referrer=referrer,
                referrer_agency=referrer.organisation,
                lpa=lpa,
                submitted_at=_moment(day),
                confirmed_level="at_risk",
            )


def add_cases(organisation: Organisation, counts: Mapping[str, int], day: dt.date = dt.date(2025, 6, 15)) -> None:
    from socex.cases.models import Case

    for name, count in counts.items():
        lpa = LPA.objects.get(name=name)
        for _ in range(count):
            Case.objects.create(
                reference=f"CASE-2025-{next(_numbers):06d}", lead_agency=organisation, lpa=lpa, opened_at=_moment(day)
            )


def add_nrm_referrals(officer: User, counts: Mapping[str, int], day: dt.date = dt.date(2025, 6, 15)) -> None:
    from socex.nrm.models import AgeGroup, Consent, NrmReferral, NrmStatus, Under18
    from socex.people.details import PersonDetails
    from socex.people.services import person_create

    assert officer.organisation is not None
    for name, count in counts.items():
        lpa = LPA.objects.get(name=name)
        for _ in range(count):
            person = person_create(actor=officer, details=PersonDetails(given_name="Test", family_name="Child"))
            NrmReferral.objects.create(
                reference=f"NRM-2025-{next(_numbers):06d}",
                person=person,
                lpa=lpa,
                first_responder=officer.organisation,
                first_responder_type="police",
                officer=officer,
                age_group=AgeGroup.CHILD,
                exploitation_types=["criminal"],
                exploitation_types_version="test",
                under_18=Under18.YES,
                consent=Consent.NOT_NEEDED,
                status=NrmStatus.AWAITING_RG,
                submitted_on=day,
            )


def add_intelligence(author: User, counts: Mapping[str, int], day: dt.date = dt.date(2025, 6, 15)) -> None:
    from socex.intelligence.models import Report, SourceType

    assert author.organisation is not None
    for name, count in counts.items():
        lpa = LPA.objects.get(name=name)
        for _ in range(count):
            Report.objects.create(
                reference=f"INT-2025-{next(_numbers):07d}",
                source_type=SourceType.OFFICER,
                obtained_on=day,
                lpa=lpa,
                text="Synthetic test report.",
                author=author,
                owner=author.organisation,
            )


def before(period: Period = PERIOD) -> dt.date:
    """A day in the month before ``period`` (outside it)."""
    return add_months(period.start, -1).replace(day=20)
