"""The referrals pages. Each views module lists its own ``urlpatterns``."""

from socex.referrals.views import drafting, lists, triage

app_name = "referrals"

urlpatterns = [*lists.urlpatterns, *drafting.urlpatterns, *triage.urlpatterns]
