"""The safeguarding endpoints of the API (mounted at /api/v1/safeguarding/)."""

from ninja import Router

router = Router()
