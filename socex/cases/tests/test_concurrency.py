"""Two people save the same case at the same moment, each from the version they opened: exactly one
change is saved and the other is refused by the version check, never silently overwritten.

On PostgreSQL the threads really overlap, held apart by the row lock ``case_update`` takes. On
SQLite (shared-cache memory in tests) a second writer is refused at once with "database table is
locked"; the thread waits and retries, as a file database's busy timeout would.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from socex.cases.models import Case
from socex.cases.services import case_update

THREADS = 4


def _retrying(save):
    for _ in range(500):
        try:
            return save()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("Waited five seconds for the database write lock.")


@pytest.mark.django_db(transaction=True)
def test_only_one_of_several_simultaneous_saves_of_one_version_wins(transactional_db, case, hub_officer):
    start = threading.Barrier(THREADS)
    saved: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            opened = Case.objects.select_related("lead_agency", "keyworker", "lpa").get(pk=case.pk)
            start.wait()
            _retrying(
                lambda: case_update(
                    actor=hub_officer, case=opened, expected_version=1, summary=f"Version from editor {n}",
                    keyworker=opened.keyworker, lead_agency=opened.lead_agency, lpa=opened.lpa,
                    exploitation_types=opened.exploitation_types,
                )
            )  # fmt: skip
            saved.append(f"Version from editor {n}")
        except ValidationError as error:
            refused.append(error.message_dict["version"][0])
        except BaseException as error:  # reported below, so a failure in a thread fails the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(saved) == 1
    assert len(refused) == THREADS - 1
    assert all("Someone else changed" in message for message in refused)
    final = Case.objects.get(pk=case.pk)
    assert (final.summary, final.version) == (saved[0], 2)
