from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("socex.core.urls")),
    path("accounts/", include("socex.accounts.urls")),
    path("areas/", include("socex.areas.urls")),
    path("audit/", include("socex.audit.urls")),
    path("sharing/", include("socex.sharing.urls")),
    path("people/", include("socex.people.urls")),
    path("referrals/", include("socex.referrals.urls")),
    path("cases/", include("socex.cases.urls")),
    path("safeguarding/", include("socex.safeguarding.urls")),
    path("nrm/", include("socex.nrm.urls")),
    path("intelligence/network/", include("socex.intelligence.network.urls")),
    path("intelligence/", include("socex.intelligence.urls")),
    path("investigations/", include("socex.investigations.urls")),
    path("analytics/", include("socex.analytics.urls")),
    path("funding/", include("socex.funding.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "socex.core.views.forbidden"
handler404 = "socex.core.views.not_found"
handler500 = "socex.core.views.server_error"
