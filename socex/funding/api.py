"""The funding endpoints of the API (mounted at /api/v1/funding/)."""

from ninja import Router

router = Router()
