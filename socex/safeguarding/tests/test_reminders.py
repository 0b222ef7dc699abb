"""The daily reminder emails: ``manage.py send_action_reminders`` queues the background task
(run at once by the test settings' immediate backend); one email per user listing their overdue
and due-soon actions, and their agency's unassigned ones; at most one a day."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from socex.audit.models import Action as AuditAction
from socex.audit.models import Event
from socex.core.testing.factories import UserFactory, in_days
from socex.safeguarding import services
from socex.safeguarding.models import ReminderSent

pytestmark = pytest.mark.django_db


def _action(actor, case, agency, *, due, owner=None, text="Visit"):
    return services.action_create(
        actor=actor, case=case, description=text, owner_agency=agency, owner=owner, due_date=in_days(due),
        created_at=timezone.now() - dt.timedelta(days=30),
    )  # fmt: skip


@pytest.fixture
def reminders(hub_officer, walsall_partner, case, wmp):
    org = walsall_partner.organisation
    return {
        "overdue": _action(hub_officer, case, org, due=-2, owner=walsall_partner, text="Secret detail about Kieran"),
        "soon": _action(hub_officer, case, org, due=3, owner=walsall_partner),
        "later": _action(hub_officer, case, org, due=20, owner=walsall_partner),
        "unassigned": _action(hub_officer, case, org, due=1),
        "police": _action(hub_officer, case, wmp, due=-1, owner=hub_officer),
    }


def _run(*args):
    out = StringIO()
    call_command("send_action_reminders", *args, stdout=out)
    return out.getvalue()


def _mail_to(mailoutbox, email):
    return [message for message in mailoutbox if message.to == [email]]


def test_one_email_per_user_with_their_overdue_and_due_soon_actions(
    mailoutbox, walsall_partner, hub_officer, reminders
):
    output = _run()
    assert "Sent 2 reminder email(s) listing 4 action(s)." in output
    [jo] = _mail_to(mailoutbox, walsall_partner.email)
    assert jo.subject == "SOCEX Hub: 1 overdue action and 2 actions due soon"
    body = jo.body
    overdue, soon = body.split("Due in the next 7 days")
    assert reminders["overdue"].reference in overdue
    assert reminders["soon"].reference in soon
    assert reminders["unassigned"].reference in soon
    assert "(your agency's, no one person owns it yet)" in soon
    assert reminders["later"].reference not in body
    assert reminders["police"].reference not in body
    assert f"http://localhost:8000/safeguarding/actions/{reminders['overdue'].pk}/" in body
    assert "Secret detail" not in body  # what an action says stays in the service
    [police] = _mail_to(mailoutbox, hub_officer.email)
    assert reminders["police"].reference in police.body


def test_a_second_run_the_same_day_sends_nothing(mailoutbox, reminders):
    _run("--now")
    first = len(mailoutbox)
    assert "Sent 0 reminder email(s)" in _run("--now")
    assert len(mailoutbox) == first == ReminderSent.objects.count()


def test_each_email_is_recorded_as_a_disclosure(mailoutbox, walsall_partner, reminders):
    _run()
    event = Event.objects.filter(action=AuditAction.EXPORT, detail__recipient=walsall_partner.email).get()
    assert event.export_count == 3
    assert event.actor_label == "system (task)"
    assert sorted(event.detail["actions"]) == sorted(
        reminders[key].reference for key in ("overdue", "soon", "unassigned")
    )


def test_unassigned_actions_can_be_left_out(settings, mailoutbox, walsall_partner, reminders):
    settings.SOCEX_ACTION_REMINDERS_INCLUDE_UNASSIGNED = False
    _run()
    [jo] = _mail_to(mailoutbox, walsall_partner.email)
    assert reminders["unassigned"].reference not in jo.body


def test_colleagues_get_the_unassigned_actions_and_only_if_they_can_see_the_case(
    mailoutbox, walsall_partner, reminders
):
    colleague = UserFactory(
        email="colleague@walsall.example", organisation=walsall_partner.organisation, roles=["partner-practitioner"]
    )
    no_roles = UserFactory(email="reception@walsall.example", organisation=walsall_partner.organisation, roles=[])
    _run()
    [mail] = _mail_to(mailoutbox, colleague.email)
    assert reminders["unassigned"].reference in mail.body
    assert reminders["overdue"].reference not in mail.body
    assert not _mail_to(mailoutbox, no_roles.email)


def test_done_actions_and_lost_access_send_nothing(mailoutbox, hub_officer, walsall_partner, reminders):
    from socex.sharing.services import share_revoke, shares_for

    share = shares_for(reminders["overdue"].case).filter(organisation=walsall_partner.organisation).get()
    share_revoke(actor=hub_officer, share=share, reason="Case moved")
    services.action_complete(actor=hub_officer, action=reminders["police"], version=1, note="Done")
    _run()
    assert mailoutbox == []


def test_a_date_can_be_given_and_a_bad_one_is_refused(mailoutbox, walsall_partner, reminders):
    later = (timezone.localdate() + dt.timedelta(days=18)).isoformat()
    _run("--date", later)
    [jo] = _mail_to(mailoutbox, walsall_partner.email)
    assert reminders["later"].reference in jo.body
    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        _run("--date", "18/03/2027")
