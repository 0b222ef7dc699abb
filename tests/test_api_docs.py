"""The API documents itself at /api/v1/docs, for signed-in people only."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_docs_need_sign_in(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_user_reads_the_docs_served_from_our_own_origin(signed_in, walsall_partner):
    response = signed_in(walsall_partner).get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page


def test_the_openapi_schema_lists_every_app(signed_in, walsall_partner):
    schema = signed_in(walsall_partner).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for prefix in ("/api/v1/accounts/", "/api/v1/areas/", "/api/v1/audit/", "/api/v1/sharing/"):
        assert any(path.startswith(prefix) for path in paths), prefix
