"""Sign-in, failed sign-in and sign-out go to the audit log.

Django announces these through its auth signals wherever they happen (our sign-in page, the
Django admin login, ``force_login``), so the audit listens to the signals instead of each view
repeating it. This is the only use of signals in the app, and it is audit, not business logic.

On the sign-in request the user is still anonymous when AuditContextMiddleware runs, so the
actor is passed explicitly; the IP address and request id come from the audit context.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from socex.audit.models import Action
from socex.audit.services import record

# The form field django-axes and Django's AuthenticationForm use for the email address.
_EMAIL_KEY = "username"


def _via(request: HttpRequest | None) -> dict[str, str]:
    return {"path": request.path} if request is not None else {}


def audit_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Action.LOGIN, obj=user, actor=user, detail=_via(request))


def audit_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # signing out of a session that had already ended
        return
    record(Action.LOGOUT, obj=user, actor=user, detail=_via(request))


def _failure_reason(request: HttpRequest | None, account: Any) -> str:
    # django-axes handles this signal first (it is installed before us) and flags a lockout.
    if request is not None and getattr(request, "axes_locked_out", False):
        return "locked_out"
    if account is None:
        return "no_such_account"
    if not account.is_active:
        return "account_switched_off"
    return "wrong_password"


def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Record the email attempted and why it failed. Django has already masked the password; it is never read."""
    email = str(credentials.get(_EMAIL_KEY) or credentials.get("email") or "")[:254]
    account = (
        get_user_model().objects.filter(email__iexact=email).select_related("organisation").first() if email else None
    )
    record(
        Action.LOGIN_FAILED,
        obj=account,
        actor=account,
        detail={"email": email, "reason": _failure_reason(request, account), **_via(request)},
    )


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    user_logged_in.connect(audit_sign_in, dispatch_uid="socex.accounts.audit_sign_in")
    user_logged_out.connect(audit_sign_out, dispatch_uid="socex.accounts.audit_sign_out")
    user_login_failed.connect(audit_failed_sign_in, dispatch_uid="socex.accounts.audit_failed_sign_in")
