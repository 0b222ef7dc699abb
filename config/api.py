"""The REST API at /api/v1/ (django-ninja). Every endpoint uses the same access functions as the UI.

Each app has an ``api.py`` with a ``router``; they are mounted here. Every endpoint needs a
personal API token (``Authorization: Bearer <token>``) unless it says otherwise; see
``socex.accounts.api_auth``. ``request.auth`` is the token's owner.
"""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

from socex.accounts.api import router as accounts_router
from socex.accounts.api_auth import ApiTokenAuth
from socex.analytics.api import router as analytics_router
from socex.areas.api import router as areas_router
from socex.audit.api import router as audit_router
from socex.cases.api import router as cases_router
from socex.funding.api import router as funding_router
from socex.intelligence.api import router as intelligence_router
from socex.intelligence.network.api import router as network_router
from socex.investigations.api import router as investigations_router
from socex.nrm.api import router as nrm_router
from socex.people.api import router as people_router
from socex.referrals.api import router as referrals_router
from socex.safeguarding.api import router as safeguarding_router
from socex.sharing.api import router as sharing_router

api = NinjaAPI(
    title="SOCEX Hub API",
    version="1",
    description="Personal API tokens: create one under Your account, then send `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=ApiTokenAuth(),
    # The interactive docs and the schema are for signed-in staff, not the open internet.
    docs_decorator=login_required,
)
api.add_router("/accounts/", accounts_router, tags=["Accounts"])
api.add_router("/areas/", areas_router, tags=["Areas"])
api.add_router("/audit/", audit_router, tags=["Audit"])
api.add_router("/people/", people_router, tags=["People"])
api.add_router("/sharing/", sharing_router, tags=["Sharing"])
api.add_router("/referrals/", referrals_router, tags=["Referrals"])
api.add_router("/cases/", cases_router, tags=["Cases"])
api.add_router("/safeguarding/", safeguarding_router, tags=["Safeguarding"])
api.add_router("/nrm/", nrm_router, tags=["NRM"])
api.add_router("/intelligence/network/", network_router, tags=["Network"])
api.add_router("/intelligence/", intelligence_router, tags=["Intelligence"])
api.add_router("/investigations/", investigations_router, tags=["Investigations"])
api.add_router("/analytics/", analytics_router, tags=["Analytics"])
api.add_router("/funding/", funding_router, tags=["Funding"])
