"""Statistics against a hand-computed fixture, and their CSV and XLSX exports (with suppression for partners).

The fixture, worked out by hand (2024 Q1 and Q2):

====  =========  =======  ======  =========  =============================  ==========  ========  ============
ref   submitted  age      gender  national.  exploitation                   FRO         LPA       county lines
====  =========  =======  ======  =========  =============================  ==========  ========  ============
A     10 Jan     child    male    British    criminal                       police      Walsall   yes
B     15 Feb     adult    female  Romanian   labour + sexual (more than 1)  police      B'ham     no
C     31 Mar     unknown  male    British    criminal                       local auth  Walsall   no
D     1 Apr      child    female  British    sexual                         police      Walsall   no
E     (draft, not counted)
F     1 Jul (outside the period)
====  =========  =======  ======  =========  =============================  ==========  ========  ============

Decisions: A RG positive 15 Jan, CG positive 1 Mar; B RG negative 20 Feb; C RG withdrawn 2 Apr;
D RG positive 8 Apr. Submission to RG in days: A 5, B 5, C 2, D 7 (median 5, mean 4.75); in working
days: A 3, B 3, C 1 (Easter Monday), D 5 (median 3, mean 3). RG to CG: A 46 days.
One Duty to Notify report, sent 5 May (Albanian, male).
"""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from socex.areas.models import LPA
from socex.audit.models import Action, Event
from socex.nrm import services
from socex.nrm.statistics import compute
from socex.nrm.tests.helpers import facts, make_person, start, submitted

pytestmark = pytest.mark.django_db

D = dt.date
Q1, Q2 = (2024, 1), (2024, 2)
URL = "/nrm/statistics/"
PERIOD = {"first": "2024 Q1", "last": "2024 Q2"}


def _rg(actor, referral, on, outcome="positive"):
    return services.decision_record(
        actor=actor, referral=referral, stage="rg", outcome=outcome, decided_on=on, decision_maker="sca"
    )


@pytest.fixture
def fixture(hub_officer, walsall_nrm_lead, walsall):
    birmingham = LPA.objects.get(name="Birmingham")
    person = lambda given, **kw: make_person(hub_officer, given=given, family="Test", **kw)  # noqa: E731
    a = submitted(hub_officer, person("A", dob=D(2010, 1, 1)), walsall, D(2024, 1, 10), county_lines=True)
    b = submitted(
        hub_officer,
        person("B", dob=D(1990, 1, 1), gender="female", nationality="Romanian"),
        birmingham,
        D(2024, 2, 15),
        under_18="no",
        consent="given",
        consent_on=D(2024, 2, 14),
        exploitation_types=["forced-to-work", "prostitution"],
    )
    c = submitted(walsall_nrm_lead, person("C"), walsall, D(2024, 3, 31), under_18="not-sure")
    d = submitted(
        hub_officer,
        person("D", dob=D(2011, 1, 1), gender="female"),
        walsall,
        D(2024, 4, 1),
        exploitation_types=["child-exploitation"],
    )
    start(hub_officer, person("E", dob=D(2010, 1, 1)), walsall, referred_on=D(2024, 2, 1))
    submitted(hub_officer, person("F", dob=D(2010, 1, 1)), walsall, D(2024, 7, 1))
    _rg(hub_officer, a, D(2024, 1, 15))
    services.decision_record(
        actor=hub_officer, referral=a, stage="cg", outcome="positive", decided_on=D(2024, 3, 1), decision_maker="sca"
    )
    _rg(hub_officer, b, D(2024, 2, 20), "negative")
    _rg(walsall_nrm_lead, c, D(2024, 4, 2), "withdrawn")
    _rg(hub_officer, d, D(2024, 4, 8))
    report = services.dtn_create(
        actor=hub_officer,
        facts=facts(walsall, gender="male", nationality="Albanian"),
        reported_on=D(2024, 5, 1),
    )
    services.dtn_submit(actor=hub_officer, report=report, submitted_on=D(2024, 5, 5))
    return {"a": a, "b": b, "c": c, "d": d}


def _rows(table):
    return dict(table.rows)


def test_referrals_by_every_dimension_match_the_hand_count(hub_officer, fixture):
    result = compute(hub_officer, Q1, Q2, today=D(2024, 6, 30))
    assert _rows(result.referrals) == {"All referrals": [3, 1]}
    tables = {table.key: _rows(table) for table in result.breakdowns}
    assert tables["age_group"] == {
        "Adult (18 or over)": [1, 0],
        "Child (17 or under)": [1, 1],
        "Age not specified or unknown": [1, 0],
    }
    assert tables["gender"] == {
        "Female": [1, 1],
        "Male": [2, 0],
        "Other": [0, 0],
        "Not specified or unknown": [0, 0],
    }
    assert tables["nationality"] == {"British": [2, 1], "Romanian": [1, 0]}
    assert tables["exploitation_type"] == {
        "Labour exploitation": [0, 0],
        "Sexual exploitation": [0, 1],
        "Criminal exploitation": [2, 0],
        "Domestic servitude": [0, 0],
        "Organ harvesting": [0, 0],
        "Not specified or unknown": [0, 0],
        "More than one type": [1, 0],
    }
    assert tables["first_responder_type"] == {"Police": [2, 1], "Local authority": [1, 0]}
    assert tables["lpa"] == {"Walsall": [2, 1], "Birmingham": [1, 0]}
    assert tables["county_lines"] == {"County lines": [1, 0], "Not county lines": [2, 1]}
    for table in result.breakdowns:  # every breakdown adds up to the quarter's total
        assert table.totals() == [3, 1], table.key


def test_decisions_waiting_times_and_duty_to_notify_match_the_hand_count(hub_officer, fixture):
    result = compute(hub_officer, Q1, Q2, today=D(2024, 6, 30))
    rg, cg = (_rows(table) for table in result.decisions)
    assert rg == {"Positive": [1, 1], "Negative": [1, 0], "Withdrawn": [0, 1]}
    assert cg == {"Positive": [1, 0], "Negative": [0, 0], "Withdrawn": [0, 0]}
    waits = {w.label: (w.count, w.median, w.mean) for w in result.waits}
    assert waits["Submission to reasonable grounds decision (days)"] == (4, 5.0, 4.75)
    assert waits["Submission to reasonable grounds decision (working days)"] == (4, 3.0, 3.0)
    assert waits["Positive reasonable grounds to conclusive grounds decision (days)"] == (1, 46.0, 46.0)
    dtn = {table.key: _rows(table) for table in result.dtn}
    assert dtn["dtn"] == {"Duty to Notify reports": [0, 1]}
    assert dtn["dtn_nationality"] == {"Albanian": [0, 1]}
    # Today (30 June 2024): D awaits a conclusive decision, 83 days after 8 April.
    assert result.now["awaiting_cg"] == 1
    assert result.now["cg_median_days"] == 83.0


def test_statistics_count_only_what_the_user_may_see(walsall_nrm_lead, fixture):
    result = compute(walsall_nrm_lead, Q1, Q2)
    assert _rows(result.referrals) == {"All referrals": [1, 0]}  # only C, which Walsall made


def test_one_lpa(hub_officer, fixture):
    result = compute(hub_officer, Q1, Q2, lpa=LPA.objects.get(name="Birmingham"))
    assert _rows(result.referrals) == {"All referrals": [1, 0]}


def test_the_page_shows_the_tables_and_a_chart(signed_in, hub_officer, fixture):
    response = signed_in(hub_officer).get(URL, PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "By age at exploitation" in html
    assert "More than one type" in html
    assert "socex-bar-chart" in html
    assert response.context["result"].referrals.totals() == [3, 1]


def test_a_bad_quarter_is_named_beside_its_field(signed_in, hub_officer):
    response = signed_in(hub_officer).get(URL, {"first": "2024 Q5", "last": "2024 Q1"})
    assert response.status_code == 200
    assert response.context["form"].errors["first"] == ["Enter a quarter like 2024 Q1"]
    assert response.context["result"] is None


def test_csv_export_is_audited_and_unsuppressed_for_hub_use(signed_in, hub_officer, fixture):
    response = signed_in(hub_officer).get("/nrm/statistics.csv", PERIOD)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Category", "Quarter", "Count"]
    assert ["NRM referrals", "All referrals", "2024 Q1", "3"] in rows
    event = Event.objects.filter(action=Action.EXPORT).latest("id")
    assert event.object_type == "nrm.statistics"
    assert event.export_count == len(rows) - 1
    assert "For partners" not in event.search_terms


def test_exports_for_partners_suppress_small_counts(signed_in, hub_officer, fixture, settings):
    settings.SOCEX_NRM_SUPPRESSION_THRESHOLD = 3
    client = signed_in(hub_officer)
    response = client.get("/nrm/statistics.csv", PERIOD | {"partners": "1"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert ["NRM referrals", "All referrals", "2024 Q1", "3"] in rows  # 3 is not under the threshold
    assert ["NRM referrals", "All referrals", "2024 Q2", "*"] in rows  # 1 is
    assert ["By gender", "Other", "2024 Q1", "0"] in rows  # zero identifies nobody
    assert "For partners" in Event.objects.filter(action=Action.EXPORT).latest("id").search_terms
    workbook = load_workbook(io.BytesIO(client.get("/nrm/statistics.xlsx", PERIOD | {"partners": "1"}).content))
    sheet = workbook["By age at exploitation"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Age group", "2024 Q1", "2024 Q2", "Total"]
    assert values[2] == ["Child (17 or under)", "*", "*", "*"]
    assert Event.objects.filter(action=Action.EXPORT).latest("id").detail["filename"].endswith("-partners.xlsx")


def test_statistics_need_the_nrm_role(signed_in, walsall_partner, vrp_officer):
    for user in (walsall_partner, vrp_officer):
        client = signed_in(user)
        assert client.get(URL).status_code == 403
        assert client.get("/nrm/statistics.csv", PERIOD).status_code == 403
        assert client.get("/nrm/statistics.xlsx", PERIOD).status_code == 403
