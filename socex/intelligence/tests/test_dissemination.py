"""Dissemination: a published report's sanitised text goes to a named partner agency only when its
handling code permits, through the sharing ledger; and a partner never reaches the original
text, the grade or the source by any page, API endpoint or search."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from socex.accounts.services import api_token_create
from socex.audit.models import Action, Event
from socex.intelligence import rules, services
from socex.intelligence.models import Dissemination, Report
from socex.intelligence.tests.conftest import C_GRADE, SANITISED, disseminate, publish, submit
from socex.sharing.models import Share
from socex.sharing.services import share_revoke

pytestmark = pytest.mark.django_db

# What only the police may ever see of the fixture report: words of its original text, its grade
# and its source.
SECRETS = ("Pelsall Lane", "07700 900123", "AB12 CDE", "black Audi", "deal line for the", "2B P", "Partner agency")


def _messages(error):
    return " ".join(error.messages)


# --- The rules -----------------------------------------------------------------------------------


def test_a_published_p_report_is_disseminated_through_the_ledger(published, hub_detective, walsall_partner):
    dissemination = disseminate(published, hub_detective, walsall_partner)
    share = dissemination.share
    assert (share.organisation, share.legal_basis.code, share.object_id) == (
        walsall_partner.organisation,
        "children-act-1989-s47",
        str(published.pk),
    )
    assert (dissemination.handling_code, dissemination.conditions_confirmed) == ("P", False)
    event = Event.objects.filter(action=Action.SHARE, object_type="intelligence.report").get()
    assert event.detail["recipient"] == "Walsall Council Early Help"
    assert event.justification == share.legal_basis.title


@pytest.mark.parametrize("fixture", ["submitted", "evaluated"])
def test_an_unpublished_report_is_never_disseminated(request, fixture, hub_detective, walsall_partner):
    report = request.getfixturevalue(fixture)
    with pytest.raises(ValidationError) as caught:
        disseminate(report, hub_detective, walsall_partner)
    assert "(only published reports are disseminated rule)" in _messages(caught.value)
    assert not Share.objects.exists()


def test_a_sanitised_but_unpublished_report_is_not_disseminated(evaluated, analyst, hub_detective, walsall_partner):
    services.report_sanitise(actor=analyst, report=evaluated, sanitised_text=SANITISED)
    with pytest.raises(ValidationError):
        disseminate(evaluated, hub_detective, walsall_partner)


def test_handling_code_c_needs_the_sharer_to_confirm_the_conditions(
    hub_officer, analyst, hub_detective, walsall_partner
):
    report = publish(submit(hub_officer), analyst, grade=C_GRADE)
    with pytest.raises(ValidationError) as caught:
        disseminate(report, hub_detective, walsall_partner)
    message = caught.value.message_dict["conditions_confirmed"][0]
    assert "(handling code permits sharing rule)" in message
    assert "Share only with Early Help; not with the family" in message
    assert not Share.objects.exists()
    dissemination = disseminate(report, hub_detective, walsall_partner, conditions_confirmed=True)
    assert (dissemination.handling_code, dissemination.conditions_confirmed) == ("C", True)
    assert dissemination.handling_conditions == "Share only with Early Help; not with the family"


def test_a_legacy_graded_report_is_never_disseminated(hub_officer, analyst, hub_detective, walsall_partner):
    report = publish(submit(hub_officer), analyst, grade=rules.Grade(scheme="5x5x5", legacy_grading="B24"))
    with pytest.raises(ValidationError) as caught:
        disseminate(report, hub_detective, walsall_partner, conditions_confirmed=True)
    assert "(handling code permits sharing rule)" in _messages(caught.value)
    assert "never read as a 3x5x2 handling code" in _messages(caught.value)


def test_only_intelligence_readers_who_may_share_disseminate(published, analyst, hub_officer, walsall_partner):
    for actor in (analyst, hub_officer):  # no sharing.manage; no intel.view
        with pytest.raises(PermissionDenied):
            disseminate(published, actor, walsall_partner)


def test_the_ledger_rules_still_apply(published, hub_detective, walsall_partner):
    with pytest.raises(ValidationError) as caught:
        disseminate(published, hub_detective, walsall_partner, until=dt.date.today() - dt.timedelta(days=1))
    assert "until" in caught.value.message_dict
    assert not Dissemination.objects.exists()


# --- What the partner sees -------------------------------------------------------------------------


def test_the_partner_reads_the_sanitised_copy_and_nothing_else(signed_in, disseminated, walsall_partner):
    client = signed_in(walsall_partner)
    html = client.get(reverse("intelligence:shared", args=[disseminated.reference])).content.decode()
    assert SANITISED in html
    assert "Children Act 1989" in html
    for secret in SECRETS:
        assert secret not in html
    view = Event.objects.filter(action=Action.VIEW).order_by("-id").first()
    assert (view.object_id, view.detail["shown"], view.actor_id) == (
        str(disseminated.pk),
        "sanitised copy",
        walsall_partner.pk,
    )
    listing = client.get(reverse("intelligence:shared_list")).content.decode()
    assert disseminated.reference in listing
    assert "Shared intelligence" in client.get("/").content.decode()  # the home panel, now there is something


def test_another_agency_and_the_police_do_not_get_the_partner_view(
    signed_in, disseminated, school_outsider, hub_detective
):
    url = reverse("intelligence:shared", args=[disseminated.reference])
    assert signed_in(school_outsider).get(url).status_code == 404
    assert signed_in(hub_detective).get(url).status_code == 404  # police read the report itself


def test_revoking_the_share_ends_the_partners_sight_of_it(signed_in, disseminated, walsall_partner, hub_detective):
    share = Share.objects.get()
    share_revoke(actor=hub_detective, share=share, reason="Shared in error")
    assert (
        signed_in(walsall_partner).get(reverse("intelligence:shared", args=[disseminated.reference])).status_code == 404
    )


def _intelligence_urls(report: Report, entity_id: int, group_id: int) -> list[str]:
    """Every page of the intelligence app (network pages included), filled in for these records."""
    values = {"reference": report.reference, "entity_id": entity_id, "group_id": group_id}
    urls = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in ("intelligence", "network"):
                route = prefix + str(pattern.pattern)
                for name, value in values.items():
                    for converter in ("str", "int", "slug", "uuid"):
                        route = route.replace(f"<{converter}:{name}>", str(value))
                    route = route.replace(f"<{name}>", str(value))
                if "<" not in route:
                    urls.append("/" + route)

    walk(get_resolver().url_patterns, "", "")
    return urls


def test_a_partner_never_reaches_unsanitised_text_by_any_url_api_or_search(
    client, signed_in, disseminated, walsall_partner, analyst, hub_detective
):
    phone = services.entity_get_or_create(actor=hub_detective, kind="phone", value="07700 900123")
    services.mention_add(actor=hub_detective, report=disseminated, entity=phone)
    line = services.group_create(actor=analyst, kind="county_line", name="Pelsall Lane line")
    urls = _intelligence_urls(disseminated, phone.pk, line.pk)
    assert len(urls) >= 15
    partner = signed_in(walsall_partner)
    searches = {"q": "Audi", "entity": phone.pk, "group": line.pk}  # a word of the original text only
    for url in urls:
        for response in (partner.get(url), partner.get(url, searches), partner.post(url, {"sanitised_text": "x"})):
            body = response.content.decode(errors="replace")
            for secret in SECRETS:
                assert secret not in body, (url, secret)
    _, secret_token = api_token_create(user=walsall_partner, name="partner")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret_token}"}
    api_calls = [
        "/api/v1/intelligence/reports",
        "/api/v1/intelligence/reports?q=Pelsall",
        f"/api/v1/intelligence/reports/{disseminated.reference}",
        "/api/v1/intelligence/shared",
        "/api/v1/intelligence/shared?q=Audi",
        "/api/v1/intelligence/shared?q=Walsall",
        f"/api/v1/intelligence/shared/{disseminated.reference}",
    ]
    for url in api_calls:
        body = client.get(url, **bearer).content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
    shared = client.get(f"/api/v1/intelligence/shared/{disseminated.reference}", **bearer).json()
    assert shared["sanitised_text"] == SANITISED
    assert set(shared) == {
        "reference", "url", "lpa", "sanitised_text", "shared_by", "shared_at", "until", "legal_basis", "scope",
        "share_reference",
    }  # fmt: skip
    assert client.get(f"/api/v1/intelligence/reports/{disseminated.reference}", **bearer).status_code == 404


def test_the_dissemination_page_refuses_code_c_without_confirmation(
    signed_in, hub_officer, analyst, hub_detective, walsall_partner
):
    from socex.sharing.models import LegalBasis

    report = publish(submit(hub_officer), analyst, grade=C_GRADE)
    url = reverse("intelligence:disseminate", args=[report.reference])
    client = signed_in(hub_detective)
    page = client.get(url).content.decode()
    assert "I confirm that sharing with this agency meets the handling conditions" in page
    data = {
        "organisation": walsall_partner.organisation.pk,
        "legal_basis": LegalBasis.objects.get(code="children-act-1989-s47").pk,
        "scope": "For the MACE meeting",
        "until": (dt.date.today() + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
    }
    refused = client.post(url, data)
    assert "(handling code permits sharing rule)" in refused.content.decode()
    assert not Share.objects.exists()
    assert client.post(url, data | {"conditions_confirmed": "on"}).status_code == 302
    assert Dissemination.objects.get().conditions_confirmed


def test_the_dissemination_page_explains_why_an_unpublished_report_cannot_go(signed_in, evaluated, hub_detective):
    url = reverse("intelligence:disseminate", args=[evaluated.reference])
    page = signed_in(hub_detective).get(url).content.decode()
    assert "(only published reports are disseminated rule)" in page
    assert 'name="organisation"' not in page
