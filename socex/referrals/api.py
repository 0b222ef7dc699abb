"""The referrals endpoints of the API (mounted at /api/v1/referrals/)."""

from ninja import Router

router = Router()
