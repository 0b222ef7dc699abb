"""Report search, on whichever database the suite runs on (SQLite FTS5 or PostgreSQL full text):
ranking, highlighting, filters, the restricted-team rule, the audit log, and queries with
operators, quotes, symbols, great length or nothing at all."""

import datetime as dt

import pytest
from django.db import connection

from socex.audit.models import Action, Event
from socex.intelligence import services
from socex.intelligence.models import Report
from socex.intelligence.search import ReportFilters, parse_query, search_reports, search_shared_reports
from socex.intelligence.tests.conftest import P_GRADE, publish, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(hub_officer, analyst, west_midlands):
    """Four reports about different things, one of them about Birmingham and graded."""
    from socex.areas.models import LPA

    made = {
        "cuckoo": submit(
            hub_officer, text="A vulnerable adult in Caldmore is being cuckooed by the Ky line. Runners stay there."
        ),
        "knife": submit(
            hub_officer,
            text="A boy was seen with a knife near the canal in Bloxwich. He is believed to run for a line.",
        ),
        "hotel": submit(
            hub_officer, text="Hotel rooms near junction 10 are booked for children travelling to Shrewsbury."
        ),
        "brum": submit(
            hub_officer,
            text="Cash from the county line is counted in Small Heath and taken to the line holder.",
            lpa=LPA.objects.get(name="Birmingham"),
            obtained_on=dt.date(2025, 6, 1),
        ),
    }
    made["brum"] = services.report_evaluate(actor=analyst, report=made["brum"], grade=P_GRADE)
    return made


def _refs(results):
    return [hit.report.reference for hit in results.hits]


def test_words_find_the_reports_that_contain_them_with_the_words_highlighted(hub_detective, reports):
    results = search_reports(hub_detective, "cuckooed")
    assert _refs(results) == [reports["cuckoo"].reference]
    assert results.total == 1
    assert '<mark class="socex-highlight">cuckooed</mark>' in str(results.hits[0].snippet)


def test_stemming_finds_other_forms_of_a_word(hub_detective, reports):
    assert _refs(search_reports(hub_detective, "travel")) == [reports["hotel"].reference]
    assert set(_refs(search_reports(hub_detective, "lines"))) == {
        reports["cuckoo"].reference,
        reports["knife"].reference,
        reports["brum"].reference,
    }


def test_results_are_ranked_by_relevance(hub_detective, reports, hub_officer):
    dense = submit(hub_officer, text="Line line line: the county line recruits on the line every day, line after line.")
    results = search_reports(hub_detective, "line")
    assert results.hits[0].report == dense
    assert [hit.rank for hit in results.hits] == list(range(1, len(results.hits) + 1))


def test_every_word_must_match_unless_or_is_used(hub_detective, reports):
    assert _refs(search_reports(hub_detective, "knife canal")) == [reports["knife"].reference]
    assert _refs(search_reports(hub_detective, "knife hotel")) == []
    assert set(_refs(search_reports(hub_detective, "knife OR hotel"))) == {
        reports["knife"].reference,
        reports["hotel"].reference,
    }


def test_quotes_make_a_phrase_and_minus_leaves_a_word_out(hub_detective, reports):
    assert _refs(search_reports(hub_detective, '"county line"')) == [reports["brum"].reference]
    assert _refs(search_reports(hub_detective, '"line county"')) == []
    assert set(_refs(search_reports(hub_detective, "line -knife"))) == {
        reports["cuckoo"].reference,
        reports["brum"].reference,
    }
    assert _refs(search_reports(hub_detective, 'line -"county line" -knife')) == [reports["cuckoo"].reference]


def test_a_star_matches_the_start_of_a_word(hub_detective, reports):
    assert _refs(search_reports(hub_detective, "cuck*")) == [reports["cuckoo"].reference]


def test_the_reference_finds_its_report(hub_detective, reports):
    assert _refs(search_reports(hub_detective, reports["hotel"].reference)) == [reports["hotel"].reference]


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("knife & | ! ( ) : * <-> ''", True),
        ('knife"', True),
        ('"knife', True),
        ("knife AND (canal OR", True),
        ("knife NOT hotel", True),
        ("KNIFE", True),
        ("knife\x00", True),
        ("knife' OR '1'='1", True),
        ("knife NEAR/3 canal", False),  # NEAR/3 is read as words ("near 3"), not an operator
        ("knife; DROP TABLE intelligence_report; --", False),
        ("{text}: knife ^ $ % \\ / \\x00", False),
    ],
)
def test_operators_quotes_and_symbols_are_made_safe_never_an_error(hub_detective, reports, typed, finds):
    results = search_reports(hub_detective, typed)
    assert (reports["knife"].reference in _refs(results)) is finds
    assert Report.objects.count() == 4  # nothing was run but a search


@pytest.mark.parametrize("typed", ["&&&", "***", '""', "- - -", "!!!", "()", "<->", "OR OR OR"])
def test_a_query_with_nothing_to_search_for_finds_nothing_and_says_why(hub_detective, reports, typed):
    results = search_reports(hub_detective, typed)
    assert results.hits == []
    assert results.total == 0
    assert results.messages


def test_only_stop_words_or_only_exclusions_find_nothing_and_say_why(hub_detective, reports):
    excluded = search_reports(hub_detective, "-knife -hotel")
    assert (excluded.hits, excluded.messages) == (
        [],
        ["Add a word to search for: a search cannot only leave words out."],
    )
    common = search_reports(hub_detective, "the and of")
    if connection.vendor == "postgresql":  # English stop words are dropped by PostgreSQL's parser
        assert common.hits == []
        assert "only very common words" in " ".join(common.messages)
    else:  # FTS5 keeps every word; none of these reports has all three
        assert common.hits == []


def test_a_very_long_query_is_cut_with_a_message(hub_detective, reports, settings):
    settings.SOCEX_INTEL_SEARCH_MAX_LENGTH = 50
    results = search_reports(hub_detective, "knife " + "x" * 10_000)
    assert "only the first 50 were used" in " ".join(results.messages)
    assert results.query.text == "knife"  # cut between words: the 10,000-letter word goes
    assert _refs(results) == [reports["knife"].reference]
    results = search_reports(hub_detective, "knife " + "canal " * 5000)
    assert _refs(results) == [reports["knife"].reference]


def test_too_many_terms_are_dropped_with_a_message(hub_detective, reports, settings):
    settings.SOCEX_INTEL_SEARCH_MAX_TERMS = 2
    results = search_reports(hub_detective, "knife canal elephant")
    assert _refs(results) == [reports["knife"].reference]
    assert "Only the first 2 words or phrases were searched for." in results.messages


def test_an_empty_query_lists_the_reports_newest_first_and_is_not_a_search(hub_detective, reports):
    before = Event.objects.filter(action=Action.SEARCH).count()
    results = search_reports(hub_detective, "   ")
    assert results.total == 4
    assert _refs(results)[-1] == reports["brum"].reference  # obtained in 2025, the others in 2026
    assert Event.objects.filter(action=Action.SEARCH).count() == before


def test_filters_narrow_the_search(hub_detective, reports):
    from socex.areas.models import LPA

    birmingham = LPA.objects.get(name="Birmingham")
    assert _refs(search_reports(hub_detective, "line", ReportFilters(lpa=birmingham))) == [reports["brum"].reference]
    assert _refs(search_reports(hub_detective, "", ReportFilters(source_evaluation="2", handling_code="P"))) == [
        reports["brum"].reference
    ]
    assert _refs(search_reports(hub_detective, "", ReportFilters(obtained_to=dt.date(2025, 12, 31)))) == [
        reports["brum"].reference
    ]
    assert len(_refs(search_reports(hub_detective, "", ReportFilters(obtained_from=dt.date(2026, 1, 1))))) == 3
    assert len(_refs(search_reports(hub_detective, "", ReportFilters(status="submitted")))) == 3


def test_entity_and_line_filters_find_the_reports_about_them(hub_detective, reports, analyst):
    phone = services.entity_get_or_create(actor=hub_detective, kind="phone", value="07700 900123")
    services.mention_add(actor=hub_detective, report=reports["knife"], entity=phone)
    line = services.group_create(actor=analyst, kind="county_line", name="Ky line", deal_line="07700 900123")
    node = line.entities.get()
    person = services.entity_get_or_create(actor=analyst, kind="handle", value="@ky_runner")
    services.link_create(actor=analyst, report=reports["cuckoo"], source=node, target=phone, link_type="uses_phone")
    services.link_create(actor=analyst, report=reports["hotel"], source=node, target=person, link_type="uses_account")
    assert set(_refs(search_reports(hub_detective, "", ReportFilters(entity=phone)))) == {
        reports["knife"].reference,
        reports["cuckoo"].reference,
    }
    assert set(_refs(search_reports(hub_detective, "", ReportFilters(group=line)))) == {
        reports["cuckoo"].reference,
        reports["hotel"].reference,
    }
    assert _refs(search_reports(hub_detective, "hotel", ReportFilters(group=line))) == [reports["hotel"].reference]


def test_restricted_reports_are_found_only_by_their_team(hub_detective, hub_officer, analyst, reports):
    secret = submit(
        hub_officer, text="Covert source says the knife came from a garage.", restricted_team=hub_officer.team
    )
    assert secret.reference not in _refs(search_reports(hub_detective, "knife"))  # Birmingham team
    assert secret.reference not in _refs(search_reports(analyst, "knife"))  # no team
    assert secret.reference in _refs(search_reports(hub_officer, "knife"))  # the author, in the Coventry team


def test_people_who_cannot_read_intelligence_find_nothing_but_their_own(hub_officer, walsall_partner, reports, analyst):
    own = submit(analyst, text="The analyst's own knife report.")
    assert own.reference not in _refs(search_reports(hub_officer, "knife"))  # intel.create only: own reports
    assert reports["knife"].reference in _refs(search_reports(hub_officer, "knife"))
    assert search_reports(walsall_partner, "knife").hits == []
    assert search_reports(walsall_partner, "").total == 0


def test_every_search_is_audited_with_its_terms_and_result_count(hub_detective, reports):
    from socex.areas.models import LPA

    search_reports(hub_detective, 'knife "near the canal" -hotel', ReportFilters(lpa=LPA.objects.get(name="Walsall")))
    event = Event.objects.filter(action=Action.SEARCH).order_by("-id").first()
    assert event.object_type == "intelligence.report"
    assert event.search_terms == 'Search: knife "near the canal" -hotel; Area (LPA): Walsall'
    assert (event.detail["results"], event.actor_id) == (1, hub_detective.pk)


def test_the_index_follows_every_change_to_a_report(hub_detective, analyst, reports):
    report = publish(reports["hotel"], analyst, sanitised="Children are taken to hotels out of the area.")
    assert _refs(search_reports(hub_detective, "Shrewsbury")) == [report.reference]
    Report.objects.filter(pk=report.pk).update(text="Rooms are booked in Telford now.")
    assert _refs(search_reports(hub_detective, "Shrewsbury")) == []
    assert _refs(search_reports(hub_detective, "Telford")) == [report.reference]


def test_the_sqlite_index_follows_every_change(hub_detective, reports):
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'intelligence_report'")
            assert "intel_report_search_gin" in {row[0] for row in cursor.fetchall()}
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'intelligence_report'")
        assert {row[0] for row in cursor.fetchall()} >= {
            "intelligence_report_fts_ai",
            "intelligence_report_fts_ad",
            "intelligence_report_fts_au",
        }
        cursor.execute("INSERT INTO intelligence_report_fts(intelligence_report_fts) VALUES ('integrity-check')")


def test_the_ranking_window_and_the_count_cap_stop_the_search_and_say_so(hub_detective, hub_officer, reports, settings):
    for number in range(5):
        submit(hub_officer, text=f"Another report about the line, number {number}.")
    settings.SOCEX_INTEL_SEARCH_RANK_WINDOW = 3
    settings.SOCEX_INTEL_SEARCH_COUNT_CAP = 4
    results = search_reports(hub_detective, "line", limit=10)
    assert len(results.hits) == 3
    assert (results.total, results.count_capped) == (3, True)  # the window doubles as the count
    newest = set(Report.objects.order_by("-id").values_list("reference", flat=True)[:3])
    assert set(_refs(results)) == newest
    assert "More than 3 reports match" in " ".join(results.messages)
    assert "Only the newest 3 matching reports were ranked" in " ".join(results.messages)
    listing = search_reports(hub_detective, "")  # no words: counted up to the cap
    assert (listing.total, listing.count_capped) == (4, True)
    assert "More than 4 reports match" in " ".join(listing.messages)
    assert not search_reports(hub_detective, "knife").count_capped


def test_paging_through_results(hub_detective, reports):
    first = search_reports(hub_detective, "line", limit=2)
    second = search_reports(hub_detective, "line", limit=2, offset=2)
    assert len(first.hits) == 2
    assert len(second.hits) == 1
    assert not set(_refs(first)) & set(_refs(second))
    assert second.hits[0].rank == 3


def test_parse_query_keeps_only_safe_terms():
    parsed = parse_query('Ky  "county line" -knife run* OR kdog@mail.example & ! :')
    assert parsed.text == 'ky "county line" -knife run* OR kdog@mail.example'


def test_partners_search_only_the_sanitised_text_of_what_was_shared_with_them(
    walsall_partner, school_outsider, hub_detective, analyst, reports
):
    from socex.intelligence.tests.conftest import disseminate

    report = publish(
        reports["cuckoo"], analyst, sanitised="An adult in Walsall is at risk of exploitation in their home."
    )
    disseminate(report, hub_detective, walsall_partner)
    found = search_shared_reports(walsall_partner, "exploitation")
    assert [hit.report.reference for hit in found.hits] == [report.reference]
    assert "<mark" in str(found.hits[0].snippet)
    assert search_shared_reports(walsall_partner, "cuckooed").hits == []  # only in the original text
    assert search_shared_reports(walsall_partner, "Caldmore").hits == []
    assert search_shared_reports(school_outsider, "exploitation").hits == []
    assert [hit.report.reference for hit in search_shared_reports(walsall_partner, "").hits] == [report.reference]
