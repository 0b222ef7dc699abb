"""SOCEX Hub settings, read from the environment.

Three modes, chosen by ``SOCEX_MODE``:

* ``demo`` (what ``make run`` uses): SQLite under ``var/``, DEBUG on, MFA optional,
  cookies not marked Secure because the demo is served over plain http on loopback.
* ``test``: as demo but with fast password hashing; used by the test suite.
* ``production`` (the default): everything strict. ``SECRET_KEY`` and ``ALLOWED_HOSTS``
  must be given (``SECRET_KEY_FILE`` may point at a file instead), cookies are Secure,
  HSTS is on, and MFA is required unless ``SOCEX_REQUIRE_MFA=0``.

``DATABASE_URL`` selects the database (PostgreSQL in production); without it, SQLite
at ``var/socex.sqlite3``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOCEX_VAR_DIR", BASE_DIR / "var"))

MODES = ("demo", "test", "production")
MODE = os.environ.get("SOCEX_MODE", "production")
if MODE not in MODES:
    raise ImproperlyConfigured(f"SOCEX_MODE is {MODE!r}; it must be one of {', '.join(MODES)}.")
PRODUCTION = MODE == "production"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} is {raw!r}; use 1 or 0 (or true / false).")


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (for Docker/K8s secrets)."""
    value = os.environ.get(name)
    file_path = os.environ.get(f"{name}_FILE")
    if value:
        return value
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {file_path!r}, which cannot be read: {exc}.") from exc
    return None


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} is {raw!r}; use a whole number, e.g. {default}.") from None


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# --- Secrets and hosts -------------------------------------------------------------------
SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY (or SECRET_KEY_FILE) to a long "
            "random value, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(64))'. "
            "For a local demo use `make run`, which sets SOCEX_MODE=demo."
        )
    SECRET_KEY = "insecure-demo-key-not-for-production-" + MODE
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY is too short for production: use at least 50 random characters.")

DEBUG = env_bool("DEBUG", default=MODE == "demo")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (SOCEX_MODE=production).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. In production set it to the comma-separated host names the "
            "service answers to, e.g. ALLOWED_HOSTS=socex.example.police.uk."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "socex.core",
    "socex.accounts",
    "socex.areas",
    "socex.audit",
    "socex.sharing",
    "socex.people",
    "socex.cases",
    "socex.referrals",
    "socex.safeguarding",
    "socex.nrm",
    "socex.intelligence",
    "socex.investigations",
    "socex.funding",
    "socex.analytics",
    "socex.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their cache headers; every page gets no-store.
    "socex.core.middleware.PrivateResponseMiddleware",
    "socex.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "socex.core.middleware.AuditContextMiddleware",
    "socex.accounts.middleware.MfaRequiredMiddleware",
    "socex.accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last, as its documentation asks, so it sees the final response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "socex.core.context_processors.shell",
            ],
            "builtins": ["socex.core.templatetags.socex"],
        },
    }
]
FORM_RENDERER = "socex.core.forms.GovukFormRenderer"

# --- Database --------------------------------------------------------------------------------
DEFAULT_SQLITE = VAR_DIR / "socex.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL could not be read ({exc}). Use postgres://user:password@host:5432/name or sqlite:///path."
    ) from exc
if not DATABASES["default"].get("NAME"):
    raise ImproperlyConfigured(
        "DATABASE_URL names no database. Use postgres://user:password@host:5432/name or sqlite:///path."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            # Take the write lock when a transaction starts, so the audit hash chain can
            # never fork between two writers.
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if MODE == "test":
    # Argon2 at full cost makes a large suite slow; the production hasher is tested separately.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SOCEX_REQUIRE_MFA = env_bool("SOCEX_REQUIRE_MFA", default=MODE == "production")
OTP_TOTP_ISSUER = os.environ.get("SOCEX_SERVICE_NAME", "SOCEX Hub")

# Failed sign-ins: lock the email+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env_int("SOCEX_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "socex.accounts.views.locked_out"
# The same client address as the audit log (REMOTE_ADDR; see client_ip for the proxy set-up),
# stated here so that installing django-ipware could never make axes trust X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "socex.core.middleware.client_ip"
AXES_VERBOSE = False

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "socex.core.views.csrf_failure"

# --- Security headers ------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation: UK --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "socex" / "static" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production static files come from the finders and change as they are edited.
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Background tasks (Django's tasks framework, database backend) --------------------------
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if MODE == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

# --- Email -------------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {"host": os.environ.get("EMAIL_HOST", "localhost"), "port": env_int("EMAIL_PORT", 25)}
        if PRODUCTION
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "socex-hub@localhost")

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- API (django-ninja) ------------------------------------------------------------------------
# A larger page is refused (422), so no single request can pull a whole ledger or the audit log;
# each page is recorded in the audit log as an export (socex.audit.listing.AuditedApiPagination).
NINJA_PAGINATION_MAX_LIMIT = 500

# --- SOCEX -------------------------------------------------------------------------------------
SOCEX_SERVICE_NAME = os.environ.get("SOCEX_SERVICE_NAME", "SOCEX Hub")
# The service's own address, for links in emails (no trailing slash).
SOCEX_SITE_URL = os.environ.get("SOCEX_SITE_URL", "http://localhost:8000").rstrip("/")
# The longest a share with a partner organisation may run before it must be renewed.
SOCEX_MAX_SHARE_DAYS = env_int("SOCEX_MAX_SHARE_DAYS", 730)

# Importing partners' lists of people (socex.people.importing). A probable match is linked to the
# person already known; a possible one is added as new, for the duplicate check to review.
SOCEX_PEOPLE_IMPORT_MAX_BYTES = env_int("SOCEX_PEOPLE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
SOCEX_PEOPLE_IMPORT_MAX_ROWS = env_int("SOCEX_PEOPLE_IMPORT_MAX_ROWS", 1000)
SOCEX_PEOPLE_IMPORT_PROBABLE_MATCH = 0.95
SOCEX_PEOPLE_IMPORT_POSSIBLE_MATCH = 0.5
SOCEX_REFERENCE_DIR = BASE_DIR / "socex" / "areas" / "reference" / "west_midlands"


def _json_or_text(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


# The capability apps' own settings (each app's conf.py lists its SOCEX_* names and defaults; the
# README has the table). Any of them can come from the environment, as JSON where it is a number,
# a list or a mapping (SOCEX_TRIAGE_TARGET_HOURS='{"significant": 4, "at_risk": 24, "none": 72}')
# and as plain text otherwise. Settings already read above keep their own parsing.
for _name, _raw in os.environ.items():
    if _name.startswith("SOCEX_") and _name not in globals():
        globals()[_name] = _json_or_text(_raw)
