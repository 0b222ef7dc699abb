"""The REST API at /api/v1/ (django-ninja). Every endpoint uses the same access functions as the UI.

Each app has an ``api.py`` with a ``router``; they are mounted here. Every endpoint needs a
personal API token (``Authorization: Bearer <token>``) unless it says otherwise; see
``socex.accounts.api_auth``. ``request.auth`` is the token's owner.
"""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI

from socex.accounts.api import router as accounts_router
from socex.accounts.api_auth import ApiTokenAuth
from socex.areas.api import router as areas_router
from socex.audit.api import router as audit_router
from socex.people.api import router as people_router
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
