"""The project's URLs plus one page that uses ``share_record_view`` the way a later app will:
sharing a hub, fetched through the areas app's own access function."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from config.urls import urlpatterns as project_urlpatterns
from socex.areas.access import get_hub_for
from socex.sharing.views import share_record_view


def hub_share(request: HttpRequest, code: str) -> HttpResponse:
    hub = get_hub_for(request.user, code)
    return share_record_view(request, hub, back_url=reverse("areas:hub", args=[hub.code]))


urlpatterns = [path("test/hubs/<slug:code>/share/", hub_share, name="test_hub_share"), *project_urlpatterns]
handler403 = "socex.core.views.forbidden"
handler404 = "socex.core.views.not_found"
