from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from socex.accounts.models import Organisation, User
from socex.audit.models import Action, Event

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_administrator", *args, stdout=out)
    return out.getvalue()


def test_creates_an_administrator_with_a_one_time_password_and_an_audit_trail():
    output = run("--email", "First.Admin@Force.example", "--name", "First Admin", "--organisation", "Test Police")
    user = User.objects.get(email="first.admin@force.example")
    assert user.has_cap("users.manage")
    assert user.must_change_password
    assert user.organisation == Organisation.objects.get(name="Test Police")
    password = output.split("One-time password: ")[1].split()[0]
    assert user.check_password(password)
    assert Event.objects.filter(action=Action.CREATE, object_id=str(user.pk)).exists()


def test_uses_an_existing_organisation(wmp):
    run("--email", "second@force.example", "--name", "Second Admin", "--organisation", "west midlands police")
    assert User.objects.get(email="second@force.example").organisation == wmp


def test_a_taken_email_is_refused_and_nothing_changes(administrator):
    users_before = User.objects.count()
    with pytest.raises(CommandError, match="email"):
        run("--email", administrator.email.upper(), "--name", "Clash", "--organisation", "Another Force")
    assert User.objects.count() == users_before
    assert not Organisation.objects.filter(name="Another Force").exists()
