"""Shares granted at the same moment from different connections get different references,
and the audit chain stays one unbroken line.

On PostgreSQL the threads really overlap, held apart only by the chain lock share_grant takes.
On SQLite the test database lives in shared-cache memory, where a second writer is refused at
once ("database table is locked") instead of waiting as it does on a file database with
``busy_timeout``; the test waits and retries in that case, which is what the timeout does.
"""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from socex.sharing.models import Share
from socex.sharing.tests.factories import make_share

THREADS = 4
PER_THREAD = 5


def _waiting_for_the_write_lock(grant):
    for _ in range(500):
        try:
            return grant()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("Waited five seconds for the database write lock.")


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_get_unique_references_and_keep_the_chain(
    transactional_db, hub_detective, hub_record, walsall
):
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def grant_some():
        try:
            start.wait()
            for _ in range(PER_THREAD):
                _waiting_for_the_write_lock(
                    lambda: make_share(actor=hub_detective, obj=hub_record, organisation=walsall)
                )
        except BaseException as error:  # reported below, so a failure in a thread fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant_some) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(Share.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == THREADS * PER_THREAD
    out = io.StringIO()
    call_command("audit_verify", "--no-progress", stdout=out)
    assert "Audit chain intact" in out.getvalue()
