"""The NRM pages. Each module lists its own ``urlpatterns``."""
