"""Settings for Målbilde, read from the environment with safe defaults.

Without any environment the app runs embedded: SQLite in the data folder, a secret key
kept there, Norwegian bokmål. Production sets DATABASE_URL (PostgreSQL), SECRET_KEY,
ALLOWED_HOSTS and DEBUG explicitly.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MAALBILDE_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _embedded_secret_key() -> str:
    """A key kept in the data folder, so sessions survive restarts of the embedded app."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # First, so that its registration/ templates (password reset) come before the admin's.
    "maalbilde.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "maalbilde.organisations",
    "maalbilde.plans",
    "maalbilde.data",
    "maalbilde.networks",
    "maalbilde.funding",
    "maalbilde.reports",
    "maalbilde.api",
    # django-ninja's own copy of Swagger UI for /api/docs (no CDN, no inline script).
    "ninja",
    "maalbilde.demo",
]

MIDDLEWARE = [
    "maalbilde.web.requests.request_ids",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view reads the body, and after the person is known (CSRF reads the body in
    # its process_view, which runs after every middleware's call).
    "maalbilde.web.middleware.body_limits",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "maalbilde.web.middleware.private_pages",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after this many failed logins for one user name from one address, that
# pair waits (attempts are kept in the database, so every web process sees them).
AXES_FAILURE_LIMIT = env_int("MAALBILDE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("MAALBILDE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies: how many add themselves to X-Forwarded-For, so that throttling
# counts a person's own address, not the proxy's. Without proxies the header is ignored:
# anyone can write it.
PROXY_COUNT = env_int("MAALBILDE_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "maalbilde.web.addresses.client_address"

# Password reset mails go to the console unless a mail server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "maalbilde@localhost")
# Where people reach Målbilde: the links in e-mails sent without a request (reminders,
# reports by e-mail).
SITE_URL = os.environ.get("MAALBILDE_URL", "http://127.0.0.1:8000").rstrip("/")

ROOT_URLCONF = "maalbilde.urls"
WSGI_APPLICATION = "maalbilde.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'maalbilde.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # A writer waits this many seconds for another to finish (an import's short write,
        # a login) rather than failing with "database is locked".
        "timeout": env_int("MAALBILDE_SQLITE_BUSY_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The site has no inline script or style and loads nothing from elsewhere; SVG charts are
# drawn in the page. A policy that says so stops an injected script from running.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("MAALBILDE_LANGUAGE", "nb")
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maalbilde" / "locale"]
TIME_ZONE = "Europe/Oslo"
# English dates and times as in Britain, not America (maalbilde/formats/en).
FORMAT_MODULE_PATH = ["maalbilde.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

CSRF_FAILURE_VIEW = "maalbilde.web.requests.csrf_failure"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:plan-list"
LOGOUT_REDIRECT_URL = "web:login"

# Status verdicts (docs/status.md): a projection this close to its target is "at risk", not
# "behind" — a share of the target, and for growth targets, percentage points.
STATUS_AT_RISK_MARGIN = float(os.environ.get("MAALBILDE_STATUS_AT_RISK_MARGIN", "0.10"))
STATUS_GROWTH_MARGIN_POINTS = float(os.environ.get("MAALBILDE_STATUS_GROWTH_MARGIN_POINTS", "2"))

# The largest file the import page takes in, in bytes (checked before the upload is read).
WEB_UPLOAD_MAX_BYTES = env_int("MAALBILDE_WEB_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
# The largest form body without files (a plan or round file pasted as text, URL-encoded);
# a larger one is refused with the 400 page before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Files above this size are written to a temporary file while uploading, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Behind TLS (MAALBILDE_HTTPS=true): secure cookies, HSTS, redirect to https, and trust the
# proxy's X-Forwarded-Proto header.
if env_bool("MAALBILDE_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("MAALBILDE_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The largest data file an import accepts, in bytes.
DATA_FILE_MAX_BYTES = env_int("MAALBILDE_DATA_FILE_MAX_BYTES", 512 * 1024 * 1024)
# A workbook is refused when it unpacks to more than this (a small file can unpack to
# gigabytes), or has more rows than a sheet of Excel's can hold. A workbook is read whole
# (about 30 s for 600 000 rows, in the background); CSV, read in pieces, is faster.
XLSX_MAX_UNPACKED_BYTES = env_int("MAALBILDE_XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
XLSX_MAX_ROWS = env_int("MAALBILDE_XLSX_MAX_ROWS", 1_048_576)
# openpyxl reads every shared text before the first row (about 100 000 a second): more than
# this and the preview would not fit in a request.
XLSX_MAX_SHARED_STRINGS = env_int("MAALBILDE_XLSX_MAX_SHARED_STRINGS", 1_000_000)
# Long work (imports started in the browser) runs as tasks: kept in the database and run by
# the worker (`maalbilde db_worker`, which `maalbilde serve` starts beside the web server),
# so a request never waits for it and a web process never runs it. MAALBILDE_TASKS=immediate
# runs them within the request instead (tests, scripts).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    if os.environ.get("MAALBILDE_TASKS") == "immediate"
    else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}

# Calls a minute an API token may make; more are answered 429 with Retry-After.
API_CALLS_PER_MINUTE = env_int("MAALBILDE_API_CALLS_PER_MINUTE", 600)

# The largest plan file that `plan validate` and `plan import` accept, in bytes.
PLAN_FILE_MAX_BYTES = env_int("MAALBILDE_PLAN_FILE_MAX_BYTES", 1024 * 1024)
# The largest round file, in bytes (the source rounds are about 10 kB).
ROUND_FILE_MAX_BYTES = env_int("MAALBILDE_ROUND_FILE_MAX_BYTES", 256 * 1024)
# A strategy document read for a plan draft (PDF, Word or text), and how long reading it may
# take before it is given up (a hostile PDF can keep a reader busy).
STRATEGY_DOCUMENT_MAX_BYTES = env_int("MAALBILDE_STRATEGY_DOCUMENT_MAX_BYTES", 30 * 1024 * 1024)
STRATEGY_DOCUMENT_SECONDS = env_int("MAALBILDE_STRATEGY_DOCUMENT_SECONDS", 30)

# A group of fewer answers than this shows no sum, mean or count to members, so that no
# member's answer can be read out of it, even by a member and one other pooling their own
# answers: four (docs/networks.md).
NETWORK_MIN_ANSWERS = env_int("MAALBILDE_NETWORK_MIN_ANSWERS", 4)
# Quartiles of a handful of answers are answers: the least for them, besides rounding.
NETWORK_MIN_ANSWERS_FOR_QUARTILES = env_int("MAALBILDE_NETWORK_MIN_ANSWERS_FOR_QUARTILES", 10)

# Log lines to the console (where gunicorn and systemd collect them), one per line with the
# time, level, logger, request id and message; MAALBILDE_LOG_LEVEL sets how much.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maalbilde.web.requests.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s "
            "request=%(request_id)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MAALBILDE_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

# Unhandled errors also go to Sentry when SENTRY_DSN is set (off by default); the log lines
# above are written either way.
if os.environ.get("SENTRY_DSN"):
    from maalbilde.web.requests import error_reporting_start

    error_reporting_start(
        os.environ["SENTRY_DSN"], os.environ.get("SENTRY_ENVIRONMENT", "production")
    )
