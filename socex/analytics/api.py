"""The analytics endpoints of the API (mounted at /api/v1/analytics/)."""

from ninja import Router

router = Router()

# Part B: the threat-risk ranking and internal figures (socex.analytics.api_ranking).
from socex.analytics.api_ranking import router as _ranking_router  # noqa: E402

router.add_router("", _ranking_router)
