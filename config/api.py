"""The REST API at /api/v1/ (django-ninja). Every endpoint uses the same access functions as the UI."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="SOCEX Hub API",
    version="1",
    description="Personal API tokens: send `Authorization: Bearer <token>`.",
    urls_namespace="api",
)
