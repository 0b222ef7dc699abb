"""Reminders: the background task and the command, once a day, references only, audited."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from socex.audit.models import Action, Event
from socex.nrm import services
from socex.nrm.models import Reminder, ReminderKind
from socex.nrm.tasks import send_nrm_reminders, send_reminders
from socex.nrm.tests.helpers import make_person, start, submitted

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def overdue(hub_officer, first_responders, child, walsall):
    return submitted(hub_officer, child, walsall, D(2024, 12, 20))


def test_the_command_sends_one_email_per_officer_with_references_only(hub_officer, overdue):
    call_command("nrm_reminders", "--now", "--date", "2025-01-02")
    [email] = mail.outbox
    assert email.to == [hub_officer.email]
    assert overdue.reference in email.body
    assert "awaited 6 working days" in email.body
    assert "Kieran" not in email.body
    assert "Smith" not in email.body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.sent_on) == (ReminderKind.RG_OVERDUE, D(2025, 1, 2))
    event = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert event.detail["channel"] == "email"
    assert event.detail["reminders"] == [[overdue.reference, "rg_overdue"]]


def test_not_overdue_yet_no_reminder(overdue):
    assert send_reminders(D(2024, 12, 31)) == {"emails": 0, "reminders": 0}


def test_a_reminder_is_repeated_only_after_the_repeat_days(overdue, settings):
    settings.SOCEX_NRM_REMINDER_REPEAT_DAYS = 7
    assert send_reminders(D(2025, 1, 2))["reminders"] == 1
    assert send_reminders(D(2025, 1, 2))["reminders"] == 0
    assert send_reminders(D(2025, 1, 8))["reminders"] == 0
    assert send_reminders(D(2025, 1, 9))["reminders"] == 1


def test_the_end_of_the_recovery_period_is_reminded_once(hub_officer, overdue):
    services.decision_record(
        actor=hub_officer,
        referral=overdue,
        stage="rg",
        outcome="positive",
        decided_on=D(2025, 1, 3),
        decision_maker="sca",
    )
    assert send_reminders(D(2025, 2, 1))["reminders"] == 0
    assert send_reminders(D(2025, 2, 2))["reminders"] == 1
    assert "minimum recovery period ended on 2 February 2025" in mail.outbox[-1].body
    assert send_reminders(D(2025, 3, 2))["reminders"] == 0


def test_support_waiting_and_drafts_are_reminded(hub_officer, overdue, walsall):
    services.support_referral_add(actor=hub_officer, referral=overdue, provider="ictg", referred_on=D(2024, 12, 20))
    start(hub_officer, make_person(hub_officer, dob=D(2010, 1, 1), given="Lee"), walsall, referred_on=D(2024, 12, 20))
    send_reminders(D(2025, 1, 2))
    kinds = sorted(Reminder.objects.values_list("kind", flat=True))
    assert kinds == ["not_submitted", "rg_overdue", "support_waiting"]
    assert len(mail.outbox) == 1  # one email for the officer, three lines


def test_an_officer_who_can_no_longer_see_the_referral_is_not_sent_it(hub_officer, overdue):
    hub_officer.is_active = False
    hub_officer.save(update_fields=["is_active"])
    assert send_reminders(D(2025, 1, 2))["emails"] == 0


def test_the_task_runs_in_the_background_and_the_command_queues_it(hub_officer, overdue):
    result = send_nrm_reminders.enqueue("2025-01-02")
    assert result.return_value == {"emails": 1, "reminders": 1}
    call_command("nrm_reminders", "--date", "2025-01-09")  # queued; the test settings run tasks at once
    assert len(mail.outbox) == 2


def test_a_bad_date_is_refused(overdue):
    with pytest.raises(CommandError, match="--date must be a date like 2025-03-31"):
        call_command("nrm_reminders", "--now", "--date", "2nd January")
