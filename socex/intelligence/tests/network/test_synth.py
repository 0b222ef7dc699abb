"""manage.py synth_intel: bulk synthetic reports, entities and links that obey every rule, are
searchable at once, and never appear in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings

from socex.audit.models import Action, Event
from socex.intelligence.models import Entity, Group, Link, Report
from socex.intelligence.search import search_reports
from socex.intelligence.services import LINK_KINDS

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("synth_intel", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_writes_what_was_asked_and_every_row_keeps_the_rules(wmp, hub_detective, analyst):
    said = run("--reports", "300", "--entities", "400", "--links", "1500", "--seed", "3", "--batch", "128")
    assert "Added 300 synthetic reports, 400 entities (4 lines and groups) and 1,500 links." in said
    assert (Report.objects.count(), Entity.objects.count(), Link.objects.count()) == (300, 400, 1500)
    assert Group.objects.count() == 4
    # The database's own rules (checked by its constraints) held, and so do the services' rules:
    kinds = dict(Entity.objects.values_list("pk", "kind"))
    for source, target, link_type in Link.objects.values_list("source_id", "target_id", "link_type"):
        sources, targets = LINK_KINDS[link_type]
        assert source != target
        assert kinds[source] in sources
        assert kinds[target] in targets
    graded = Report.objects.exclude(status="submitted")
    assert not graded.filter(evaluated_by=None).exists()
    assert not graded.filter(evaluated_by=F("author")).exists()
    assert graded.filter(grading_scheme="5x5x5").exclude(legacy_grading="").exists()
    assert not Report.objects.filter(status__in=["sanitised", "published"], sanitised_text="").exists()
    assert Report.objects.filter(reference__regex=r"^INT-20[12][0-9]-[0-9]{7}$").count() == 300
    restricted = Report.objects.exclude(restricted_team=None)
    assert restricted.exists()
    assert not restricted.exclude(restricted_team=hub_detective.team).exists()
    event = Event.objects.get(action=Action.IMPORT)
    assert event.detail["links"] == 1500
    assert event.detail["source"] == "synth_intel (synthetic data)"


def test_the_reports_are_searchable_straight_away(wmp, analyst):
    run("--reports", "200", "--entities", "50", "--links", "100")
    results = search_reports(analyst, "line")
    assert results.total > 10
    assert '<mark class="socex-highlight">line</mark>' in results.hits[0].snippet


def test_the_same_seed_gives_the_same_reports(wmp):
    run("--reports", "20", "--entities", "10", "--links", "0", "--seed", "9")
    first = list(Report.objects.order_by("pk").values_list("text", flat=True))
    Report.objects.all().delete()
    run("--reports", "20", "--entities", "10", "--links", "0", "--seed", "9")
    assert list(Report.objects.order_by("pk").values_list("text", flat=True)) == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reports", "-1", "--entities", "1", "--links", "0"], "--reports must be 0 or more, not -1."),
        (["--reports", "0", "--entities", "5", "--links", "5"], "Links need at least 1 report and 2 entities"),
        (["--reports", "1", "--entities", "1", "--links", "0", "--owner", "Nobody"], "no organisation called 'Nobody'"),
        (
            ["--reports", "1", "--entities", "1", "--links", "0", "--owner", "Walsall Council Early Help"],
            "is not a police organisation",
        ),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(wmp, walsall_partner, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Report.objects.exists()


def test_it_never_runs_in_production(wmp):
    with override_settings(MODE="production"), pytest.raises(CommandError, match="never runs in production"):
        run("--reports", "1", "--entities", "1", "--links", "0")
    assert not Report.objects.exists()
