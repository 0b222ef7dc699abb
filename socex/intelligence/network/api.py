"""The network endpoints of the API (mounted at /api/v1/intelligence/network/)."""

from ninja import Router

router = Router()
