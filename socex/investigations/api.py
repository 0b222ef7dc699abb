"""The investigations endpoints of the API (mounted at /api/v1/investigations/)."""

from ninja import Router

router = Router()
