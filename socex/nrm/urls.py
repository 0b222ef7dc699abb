"""The NRM pages, mounted at /nrm/."""

from socex.nrm.views import decisions, first_responders, pack, published, referrals, statistics

app_name = "nrm"

urlpatterns = [
    *referrals.urlpatterns,
    *decisions.urlpatterns,
    *pack.urlpatterns,
    *statistics.urlpatterns,
    *published.urlpatterns,
    *first_responders.urlpatterns,
]
