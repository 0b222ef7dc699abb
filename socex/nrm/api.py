"""The nrm endpoints of the API (mounted at /api/v1/nrm/)."""

from ninja import Router

router = Router()
