"""The intelligence endpoints of the API (mounted at /api/v1/intelligence/)."""

from ninja import Router

router = Router()
