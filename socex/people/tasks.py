"""Starting a duplicate check, and the background task that runs it.

:func:`dedupe_start` is the one way to ask for a run (the runs page and ``manage.py
dedupe_people`` call it); the task :func:`run_dedupe` does the work in a worker
(``manage.py db_worker``), or at once under the test settings' immediate backend.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from socex.audit.services import record_create
from socex.core.context import acting_as
from socex.people.access import can_merge
from socex.people.dedupe import execute_run
from socex.people.dedupe_model import DEFAULT_THRESHOLD
from socex.people.models import DedupeRun, DedupeRunStatus

if TYPE_CHECKING:
    from socex.accounts.models import User

STALE_AFTER = dt.timedelta(hours=12)
"""A run queued or running for longer than this is taken to have died with its worker."""


def check_threshold(threshold: float) -> float:
    if not 0 < threshold < 1:
        raise ValidationError(
            {"threshold": f"The threshold is a match probability between 0 and 1, like 0.9, not {threshold}."}
        )
    return threshold


def run_in_progress() -> DedupeRun | None:
    since = timezone.now() - STALE_AFTER
    active = (DedupeRunStatus.QUEUED, DedupeRunStatus.RUNNING)
    return DedupeRun.objects.filter(status__in=active, requested_at__gte=since).order_by("-requested_at").first()


def dedupe_create(*, actor: User | None, threshold: float = DEFAULT_THRESHOLD) -> DedupeRun:
    """Record a request for a duplicate check (audited); nothing runs yet.

    ``actor`` None is the system (a scheduled or command-line run). Refused while another
    check is queued or running, so two runs never write the same pairs at once.
    """
    if actor is not None and not can_merge(actor):
        raise PermissionDenied("Your roles do not include reviewing duplicates.")
    check_threshold(threshold)
    with transaction.atomic():
        busy = run_in_progress()
        if busy is not None:
            raise ValidationError(
                f"A duplicate check is already {busy.get_status_display().lower()} "
                f"(asked for at {timezone.localtime(busy.requested_at):%H:%M on %d/%m/%Y}). Wait for it to finish."
            )
        run = DedupeRun.objects.create(requested_by=actor, threshold=threshold)
        record_create(run, fields=("status", "threshold"), actor=actor)
    return run


def dedupe_start(*, actor: User | None, threshold: float = DEFAULT_THRESHOLD) -> DedupeRun:
    """Ask for a duplicate check over the whole index: create the run, audit it, queue the task.

    The task is queued once the run is committed, so the worker always finds it.
    """
    run = dedupe_create(actor=actor, threshold=threshold)
    transaction.on_commit(lambda: run_dedupe.enqueue(run.pk))
    return run


@task()
def run_dedupe(run_id: int) -> dict[str, int]:
    """Run the queued duplicate check ``run_id`` (see :func:`socex.people.dedupe.execute_run`)."""
    run = DedupeRun.objects.get(pk=run_id)
    with acting_as(None, channel="task"):
        execute_run(run)
    return {"people": run.people_count, "pairs": run.pair_count, "clusters": run.cluster_count}
