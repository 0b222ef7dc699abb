"""Areas pages. Geography is public information: every signed-in user sees it, including a
partner whose organisation is on nothing (the usual "outsider"); nobody signed out does,
and nobody can change it through the app."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from socex.areas.access import get_hub_for, get_lpa_for
from socex.areas.models import Hub
from socex.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_area_list_shows_each_lpa_with_its_figures_and_hubs(signed_in, hub_detective, reference):
    response = signed_in(hub_detective).get(reference_url := reverse("areas:list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Walsall" in page
    assert "E08000030" in page
    assert "284,129" in page  # Walsall's Census 2021 residents
    assert "1,144,925" in page  # Birmingham's
    assert reverse("areas:hub", args=["wolverhampton"]) in page
    assert reverse("areas:lpa", args=["E08000029"]) in page
    assert "socex-bar-chart" in page
    assert "No hub" not in page
    assert reference_url == "/areas/"


def test_area_list_shows_residents_aged_0_to_24(signed_in, analyst, reference):
    from django.db.models import F, Sum

    from socex.areas.models import LSOA

    expected = LSOA.objects.filter(lpa__code="E08000026").aggregate(
        n=Sum(F("population_0_15") + F("population_16_24"))
    )["n"]

    page = signed_in(analyst).get(reverse("areas:list")).content.decode()

    assert f"{expected:,}" in page


def test_an_lpa_served_by_no_hub_is_tagged(signed_in, hub_officer, reference):
    Hub.objects.get(code="birmingham").lpas_served.remove(
        *Hub.objects.get(code="birmingham").lpas_served.filter(name="Solihull")
    )

    page = signed_in(hub_officer).get(reverse("areas:list")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--grey">No hub</strong>' in page


def test_an_outsider_may_see_public_geography(signed_in, school_outsider, reference):
    assert signed_in(school_outsider).get(reverse("areas:list")).status_code == 200
    assert signed_in(school_outsider).get(reverse("areas:lpa", args=["E08000027"])).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, reference):
    for url in (
        reverse("areas:list"),
        reverse("areas:hub", args=["coventry"]),
        reverse("areas:lpa", args=["E08000026"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_only_answer_get(signed_in, administrator, reference):
    client = signed_in(administrator)
    assert client.post(reverse("areas:list")).status_code == 405
    assert client.post(reverse("areas:lpa", args=["E08000030"])).status_code == 405


def test_nobody_may_edit_geography_in_the_app(administrator, reference):
    with pytest.raises(PermissionDenied):
        get_lpa_for(administrator, "E08000030", need="edit")
    with pytest.raises(PermissionDenied):
        get_hub_for(administrator, "coventry", need="edit")


def test_area_list_without_reference_data_says_how_to_load_it(signed_in, db):
    user = UserFactory(email="new.install@example.org")

    page = signed_in(user).get(reverse("areas:list")).content.decode()

    assert "manage.py load_reference" in page


def test_hub_page_shows_what_it_serves(signed_in, hub_detective, reference):
    response = signed_in(hub_detective).get(reverse("areas:hub", args=["birmingham"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Birmingham SOCEX Hub" in page
    assert f"{1_144_925 + 216_233:,}" in page  # Birmingham and Solihull residents
    assert reverse("areas:lpa", args=["E08000029"]) in page


def test_unknown_hub_is_not_found(signed_in, hub_detective, reference):
    assert signed_in(hub_detective).get(reverse("areas:hub", args=["dudley"])).status_code == 404


def test_lpa_page_lists_its_lsoas_a_page_at_a_time(signed_in, walsall_partner, reference):
    client = signed_in(walsall_partner)

    first = client.get(reverse("areas:lpa", args=["E08000030"]))
    second = client.get(reverse("areas:lpa", args=["E08000030"]), {"page": 2})

    assert first.status_code == 200
    assert "169 neighbourhoods" in first.content.decode()
    assert first.context["page_obj"].paginator.num_pages == 4
    assert len(first.context["page_obj"].object_list) == 50
    assert set(first.context["page_obj"].object_list).isdisjoint(second.context["page_obj"].object_list)
    assert all(lsoa.lpa.code == "E08000030" for lsoa in second.context["page_obj"].object_list)


def test_lpa_page_searches_by_name_or_code(signed_in, walsall_partner, reference):
    client = signed_in(walsall_partner)
    url = reverse("areas:lpa", args=["E08000030"])

    by_name = client.get(url, {"q": "walsall 015a"})
    by_code = client.get(url, {"q": "E01010241"})
    elsewhere = client.get(url, {"q": "Birmingham"})

    assert [lsoa.code for lsoa in by_name.context["page_obj"].object_list] == ["E01010241"]
    assert [lsoa.name for lsoa in by_code.context["page_obj"].object_list] == ["Walsall 015A"]
    assert "0 of 169 neighbourhoods match" in elsewhere.content.decode()


def test_search_paging_keeps_the_search(signed_in, analyst, reference):
    page = signed_in(analyst).get(reverse("areas:lpa", args=["E08000025"]), {"q": "Birmingham 0"}).content.decode()

    assert "?q=Birmingham+0&amp;page=2" in page


def test_unknown_lpa_is_not_found(signed_in, analyst, reference):
    assert signed_in(analyst).get(reverse("areas:lpa", args=["E08000099"])).status_code == 404


def test_htmx_search_returns_only_the_results(signed_in, walsall_partner, reference):
    response = signed_in(walsall_partner).get(
        reverse("areas:lpa", args=["E08000030"]), {"q": "Walsall 015"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Walsall 015A" in page
    assert "<html" not in page
    assert "Walsall 001A" not in page
