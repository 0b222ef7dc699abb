"""The analytics endpoints of the API (mounted at /api/v1/analytics/)."""

from ninja import Router

router = Router()
