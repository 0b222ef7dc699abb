"""Working days across bank holidays, the reasonable grounds clock, the recovery period and the work tray."""

import datetime as dt

import pytest

from socex.nrm import rules, services
from socex.nrm.clocks import clock_for, rg_overdue, rg_overdue_cutoff, work_tray
from socex.nrm.tests.helpers import make_person, submitted

D = dt.date


def test_the_bank_holidays_are_england_and_wales_and_match_the_shared_list():
    import csv
    from pathlib import Path

    shared = Path("/work/shared/data/holidays/england_bank_holidays_2010_2030_from_holidays_pkg.csv")
    expected = {D.fromisoformat(row["date"]) for row in csv.DictReader(shared.open())} if shared.exists() else set()
    for day in (D(2024, 12, 25), D(2024, 12, 26), D(2024, 3, 29), D(2024, 4, 1), D(2025, 1, 1), D(2022, 9, 19)):
        assert rules.is_bank_holiday(day)
        assert not expected or day in expected
    assert not rules.is_bank_holiday(D(2024, 3, 17))  # St Patrick's Day is Northern Ireland's, not England's


@pytest.mark.parametrize(
    ("submitted_on", "due", "label"),
    [
        (D(2024, 12, 20), D(2024, 12, 31), "Christmas: Friday 20 Dec skips the weekend, 25 and 26 Dec"),
        (D(2024, 3, 28), D(2024, 4, 8), "Easter: Thursday 28 Mar skips Good Friday and Easter Monday"),
        (D(2024, 5, 1), D(2024, 5, 9), "Early May bank holiday, Monday 6 May"),
        (D(2024, 6, 3), D(2024, 6, 10), "An ordinary week"),
    ],
)
def test_the_reasonable_grounds_target_counts_working_days(submitted_on, due, label):
    assert rules.rg_due_date(submitted_on) == due, label


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (D(2024, 12, 31), False),  # the 5th working day: not yet awaited longer than 5
        (D(2025, 1, 1), False),  # New Year's Day is not a working day
        (D(2025, 1, 2), True),  # the 6th working day
    ],
)
def test_overdue_only_after_more_than_five_working_days_across_christmas(today, overdue):
    assert rg_overdue(D(2024, 12, 20), today) is overdue


@pytest.mark.parametrize(("today", "overdue"), [(D(2024, 4, 8), False), (D(2024, 4, 9), True)])
def test_overdue_across_easter(today, overdue):
    assert rg_overdue(D(2024, 3, 28), today) is overdue


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert rules.working_days_between(D(2024, 12, 20), D(2024, 12, 27)) == 3  # 23, 24, 27
    assert rules.working_days_between(D(2024, 12, 20), D(2024, 12, 20)) == 0


def test_the_overdue_cutoff_is_the_latest_overdue_submission():
    today = D(2025, 1, 2)
    cutoff = rg_overdue_cutoff(today)
    assert rg_overdue(cutoff, today)
    assert not rg_overdue(cutoff + dt.timedelta(days=1), today)
    # Submitted on Sunday 22 December, the first working day counted is Monday 23: overdue on 2 January too.
    assert cutoff == D(2024, 12, 22)


@pytest.mark.django_db
def test_a_referrals_clock(hub_officer, first_responders, child, walsall):
    referral = submitted(hub_officer, child, walsall, D(2024, 12, 20))
    clock = clock_for(referral, D(2025, 1, 2))
    assert (clock.rg_due, clock.rg_working_days, clock.rg_overdue) == (D(2024, 12, 31), 6, True)
    services.decision_record(
        actor=hub_officer,
        referral=referral,
        stage="rg",
        outcome="positive",
        decided_on=D(2025, 1, 3),
        decision_maker="sca",
    )
    referral.refresh_from_db()
    clock = clock_for(referral, D(2025, 2, 1))
    assert not clock.rg_overdue
    assert clock.rg_working_days == 7
    assert (clock.recovery_period_days, clock.recovery_period_end) == (30, D(2025, 2, 2))
    assert clock.recovery_period_passed is False
    assert clock.cg_days_waiting == 29
    assert clock_for(referral, D(2025, 2, 2)).recovery_period_passed is True


@pytest.mark.django_db
def test_the_work_tray_sorts_referrals_into_their_lists(hub_officer, first_responders, walsall, child):
    today = D(2025, 1, 2)
    overdue = submitted(hub_officer, child, walsall, D(2024, 12, 20))
    second = make_person(hub_officer, dob=D(2010, 1, 1), given="Lee", family="Hart")
    in_time = submitted(hub_officer, second, walsall, D(2024, 12, 23))
    third = make_person(hub_officer, dob=D(2010, 1, 1), given="Sam", family="Hill")
    waiting_cg = submitted(hub_officer, third, walsall, D(2024, 11, 1))
    services.decision_record(
        actor=hub_officer,
        referral=waiting_cg,
        stage="rg",
        outcome="positive",
        decided_on=D(2024, 11, 4),
        decision_maker="sca",
    )
    services.support_referral_add(
        actor=hub_officer, referral=waiting_cg, provider="la_childrens_services", referred_on=D(2024, 11, 4)
    )
    tray = work_tray(hub_officer, today)
    assert [row.referral for row in tray.rg_overdue] == [overdue]
    assert [row.referral for row in tray.awaiting_rg] == [in_time]
    assert [row.referral for row in tray.awaiting_cg] == [waiting_cg]
    assert tray.awaiting_cg[0].clock.cg_days_waiting == (today - D(2024, 11, 4)).days
    assert [s.referral for s in tray.support_waiting] == [waiting_cg]
    assert tray.counts()["rg_overdue"] == 1


@pytest.mark.django_db
def test_the_tray_shows_only_what_the_user_may_see(hub_officer, walsall_nrm_lead, child, walsall):
    submitted(hub_officer, child, walsall, D(2024, 12, 20))
    assert work_tray(walsall_nrm_lead, D(2025, 1, 2)).counts()["rg_overdue"] == 0
    assert work_tray(hub_officer, D(2025, 1, 2)).counts()["rg_overdue"] == 1
