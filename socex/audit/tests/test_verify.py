"""``manage.py audit_verify`` proves the chain intact or names the first broken event."""

import io

import pytest
from django.core.management import CommandError, call_command

from socex.audit.models import Action, Event
from socex.audit.services import record
from socex.audit.testing import triggers_active, triggers_lifted

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(hub_detective):
    """Five events in a row, on top of whatever the personas' set-up wrote."""
    return [record(Action.VIEW, actor=hub_detective, justification=f"check {n}") for n in range(5)]


def verify(*args):
    out = io.StringIO()
    call_command("audit_verify", "--no-progress", *args, stdout=out)
    return out.getvalue()


def broken(*args):
    with pytest.raises(CommandError) as caught:
        verify(*args)
    return str(caught.value)


def test_an_intact_chain_passes_and_the_run_is_recorded(chain):
    total = Event.objects.count()
    output = verify()
    assert f"Audit chain intact: {total:,} events, last hash {chain[-1].hash}" in output
    run = Event.objects.order_by("-id").first()
    assert run.action == Action.VERIFY
    assert run.actor_label == "system (command)"
    assert run.detail["result"] == "intact"
    assert run.detail["events_checked"] == total
    assert run.prev_hash == chain[-1].hash


def test_the_recorded_run_is_itself_verified_next_time(chain):
    verify()
    assert "intact" in verify()


def test_an_edited_event_breaks_the_chain_at_that_event(chain):
    target = chain[2]
    with triggers_lifted():
        Event.objects.filter(pk=target.pk).update(justification="quietly rewritten")
    message = broken()
    assert message.startswith(f"Audit chain broken at event #{target.pk} (occurred ")
    assert "its contents do not match its hash" in message


def test_an_edited_event_with_a_recomputed_hash_breaks_the_link_after_it(chain):
    from socex.audit.services import compute_hash

    target = Event.objects.get(pk=chain[2].pk)
    target.justification = "rewritten with care"
    with triggers_lifted():
        Event.objects.filter(pk=target.pk).update(justification=target.justification, hash=compute_hash(target))
    message = broken()
    assert f"broken at event #{chain[3].pk} " in message
    assert f"does not match event #{chain[2].pk}" in message


def test_a_deleted_event_breaks_the_chain_at_the_next_one(chain):
    with triggers_lifted():
        Event.objects.filter(pk=chain[2].pk).delete()
    message = broken()
    assert f"broken at event #{chain[3].pk} " in message
    assert "deleted or inserted" in message


def test_an_inserted_event_breaks_the_chain(chain, hub_detective):
    forged = Event.objects.get(pk=chain[1].pk)
    forged.pk = chain[1].pk + 1000  # a new row slotted in after the last one is written
    forged.hash = "f" * 64
    with triggers_lifted():
        Event.objects.filter(pk=chain[4].pk).delete()
        forged.save(force_insert=True)
    message = broken()
    assert f"broken at event #{forged.pk} " in message


def test_deleting_the_oldest_events_is_detected(chain):
    first_id = Event.objects.order_by("id").values_list("id", flat=True).first()
    with triggers_lifted():
        Event.objects.filter(pk=first_id).delete()
    assert "does not start from the genesis hash" in broken()


def test_a_broken_run_is_recorded_too(chain):
    with triggers_lifted():
        Event.objects.filter(pk=chain[0].pk).update(actor_label="nobody")
    broken()
    run = Event.objects.filter(action=Action.VERIFY).order_by("-id").first()
    assert run.detail["result"] == "broken"
    assert run.detail["broken_at"] == chain[0].pk


def test_verifying_from_a_trusted_event_skips_what_came_before(chain):
    with triggers_lifted():
        Event.objects.filter(pk=chain[0].pk).update(actor_label="nobody")
    output = verify("--from-id", str(chain[1].pk))
    assert f"from event #{chain[1].pk}" in output
    assert "Audit chain intact: 4 events" in output


def test_from_an_event_that_does_not_exist_is_refused_and_records_nothing(chain):
    count = Event.objects.count()
    assert "There is no audit event #999999" in broken("--from-id", "999999")
    assert Event.objects.count() == count


def test_the_triggers_are_back_after_a_tamper_test(chain):
    with triggers_lifted():
        assert not triggers_active()
    assert triggers_active()


def test_an_empty_log_is_intact_and_the_run_becomes_its_first_event():
    assert not Event.objects.exists()
    assert "Audit chain intact: 0 events, last hash " + "0" * 64 in verify()
    first = Event.objects.get()
    assert (first.action, first.prev_hash) == (Action.VERIFY, "0" * 64)
    assert "Audit chain intact: 1 event, last hash" in verify()
