"""The referrals pages. Each views module lists its own ``urlpatterns``."""
