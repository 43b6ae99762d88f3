"""Settings for Collab Registry, read from the environment (DESIGN "Commands and settings")."""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COLLAB_VAR_DIR", BASE_DIR / "var"))
# The embedded SQLite file, uploads and collected static files live here; a fresh clone has no
# var/ (it is git-ignored) and SQLite cannot create a missing folder.
for _folder in (VAR_DIR, VAR_DIR / "static"):
    with contextlib.suppress(OSError):  # a read-only deployment provides its own folders
        _folder.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


COLLAB_ENV = os.environ.get("COLLAB_ENV", "development")
PRODUCTION = COLLAB_ENV == "production"

SECRET_KEY = os.environ.get("COLLAB_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "COLLAB_SECRET_KEY must be set when COLLAB_ENV=production "
            '(a long random string, e.g. from `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`).'
        )
    # Development only: a fixed, clearly marked key so sessions survive restarts.
    SECRET_KEY = "dev-insecure-only-for-local-use-collab-registry-0123456789abcdef"

DEBUG = env_bool("COLLAB_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "COLLAB_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("COLLAB_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "guardian",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "collab",
    "partners",
    "programs",
]
if not PRODUCTION:
    # Development tooling (generate_scale_data): never installed in production.
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    # Outermost: drops `public` caching from any response that sets a cookie.
    "collab.middleware.PublicCacheGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "collab.middleware.SessionRefreshMiddleware",
    "collab.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Keeps a form posted after the session ended, for its user's next sign-in.
    "collab.rescue.FormRescueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# django-zeal (a test dependency) turns N+1 queries into errors: always under pytest, in
# development on request (COLLAB_ZEAL=1), never in production. Each request gets its own
# detection scope through the middleware; tests/conftest.py opens one around each test.
ZEAL_ENABLED = not PRODUCTION and env_bool("COLLAB_ZEAL", default="PYTEST_VERSION" in os.environ)
if ZEAL_ENABLED:
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.append("zeal.middleware.zeal_middleware")
    ZEAL_RAISE = True  # raise zeal.NPlusOneError, not a warning
    ZEAL_NPLUSONE_THRESHOLD = 2  # the same lazy load twice from one line is an N+1
    # Single-row look-ups that happen once per operation, not once per row: loading a session
    # (every login), the signed-in user, the staff group by name, and guardian's permission
    # look-ups in assign_perm (one grant per call; "*ObjectPermission": the direct-FK tables of
    # whichever model is the rights root). Zeal names the first frame outside site-packages as
    # the caller, so two such look-ups made by Django or guardian in one request or test read
    # as an N+1. (The tasks' own row loads are listed with the reason beside them.)
    ZEAL_ALLOWLIST = [
        {"model": "sessions.Session", "field": "get()"},
        {"model": "auth.User", "field": "get()"},
        {"model": "auth.Permission", "field": "get()"},
        {"model": "auth.Group", "field": "get()"},
        {"model": "*.*ObjectPermission", "field": "get()"},
        # One task per outbox message loads its row; tasks run eagerly in tests,
        # so several in one test read as an N+1.
        {"model": "collab.OutboxMessage", "field": "get()"},
    ]

# django-axes last: it turns a login refused for too many failures into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

ROOT_URLCONF = "collab.urls"
WSGI_APPLICATION = "collab.wsgi.application"

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
                "django.template.context_processors.i18n",
                "collab.context_processors.drafts",
            ],
        },
    },
]

# Selects and plain inputs written in Python, not through a template include per option.
FORM_RENDERER = "collab.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'collab.sqlite3'}",
        # Persistent connections: opening one costs more than most pages' queries together.
        conn_max_age=int(os.environ.get("COLLAB_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a command writes; a timeout instead of "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: anonymous visitors are sent to the login page.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["collab.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("bootstrap", xstatic_bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files (signed agreement scans) live under var/, never under a served URL:
# they are only reachable through permission-checked views.
MEDIA_ROOT = VAR_DIR / "media"
# No URL serves MEDIA_ROOT (no route, whitenoise serves only static files); the value exists
# because Django's live test server parses it.
MEDIA_URL = "/media-not-served/"
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
# Behind nginx (deploy/), the prefix of its internal location for PRIVATE_MEDIA_ROOT, e.g.
# "/_private/": permission-checked views then answer with X-Accel-Redirect and nginx sends the
# file (collab/files.py). Empty (the default): Django streams the file itself.
COLLAB_ACCEL_REDIRECT = os.environ.get("COLLAB_ACCEL_REDIRECT", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# The most fields one request may post: the largest form the project serves at its row limits,
# with a margin (the meeting page with 200 rows in each of its four sections posts about
# 6,000), so a form a few rows past a limit is read and says which section is too long. Above
# it Django refuses the request as a flood (collab.errors explains it). `manage.py check`
# fails if a form outgrows it (collab.checks).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 8_000

# Login throttling (django-axes): five wrong passwords for one username from one address lock
# that pair out for 15 minutes. Keyed on the pair, so a guesser cannot lock a colleague out from
# elsewhere, and one office behind one address is not locked out by one person's typos.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the client's address is in X-Forwarded-For: say how many proxies.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("COLLAB_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Content Security Policy (django-csp): only this site's own files; no inline script or style
# attribute anywhere (templates put behaviour in collab/static/collab/app.js and looks in
# app.css), and the site cannot be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_AGE = int(os.environ.get("COLLAB_SESSION_AGE", str(8 * 60 * 60)))
# Inactivity expiry: the age counts from the last request. Rather than saving the session on
# every request (SESSION_SAVE_EVERY_REQUEST: a write and a commit per page view),
# collab.middleware.SessionRefreshMiddleware renews it at most once per SESSION_REFRESH_SECONDS.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SIMPLE_HISTORY_REVERT_DISABLED = True

# E-mail, always written to the outbox first (collab/outbox.py), then sent by a task through
# EMAIL_BACKEND. Links in an e-mail need the site's own address, which a task or a command run
# from cron cannot learn from a request.
COLLAB_SITE_URL = os.environ.get("COLLAB_SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("COLLAB_FROM_EMAIL", "Collab Registry <noreply@localhost>")
EMAIL_BACKEND = os.environ.get(
    "COLLAB_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("COLLAB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COLLAB_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COLLAB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COLLAB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("COLLAB_EMAIL_TLS", False)

# The e-mail outbox (collab/outbox.py): attempts per message, the back-off between them
# (doubling from RETRY_BACKOFF seconds up to RETRY_BACKOFF_MAX), and how long a message may stay
# "sending" before the sweep decides its worker died (above the sending task's 90 s limit).
COLLAB_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("COLLAB_OUTBOX_MAX_ATTEMPTS", "6"))
COLLAB_OUTBOX_RETRY_BACKOFF = float(os.environ.get("COLLAB_OUTBOX_RETRY_BACKOFF", "30"))
COLLAB_OUTBOX_RETRY_BACKOFF_MAX = float(os.environ.get("COLLAB_OUTBOX_RETRY_BACKOFF_MAX", "3600"))
COLLAB_OUTBOX_SENDING_TIMEOUT = int(os.environ.get("COLLAB_OUTBOX_SENDING_TIMEOUT", "600"))

# Exports (collab/export_jobs.py): up to these many rows a list's `?export=` streams during the
# request; above, a task builds the file and the user watches its page. Excel is slower to
# write, hence its lower limit. A built file is kept KEEP_HOURS; an export interrupted (its worker
# killed) more than MAX_ATTEMPTS times is failed; TIME_LIMIT stops one that runs too long.
COLLAB_EXPORT_SYNC_ROWS = int(os.environ.get("COLLAB_EXPORT_SYNC_ROWS", "50000"))
COLLAB_EXPORT_SYNC_ROWS_XLSX = int(os.environ.get("COLLAB_EXPORT_SYNC_ROWS_XLSX", "5000"))
COLLAB_EXPORT_KEEP_HOURS = int(os.environ.get("COLLAB_EXPORT_KEEP_HOURS", "24"))
COLLAB_EXPORT_MAX_ATTEMPTS = int(os.environ.get("COLLAB_EXPORT_MAX_ATTEMPTS", "3"))
COLLAB_EXPORT_TIME_LIMIT = int(os.environ.get("COLLAB_EXPORT_TIME_LIMIT", "3000"))
COLLAB_EXPORT_PROGRESS_ROWS = int(os.environ.get("COLLAB_EXPORT_PROGRESS_ROWS", "2000"))
# Tests only: seconds an export waits at each progress step, to be slow enough to interrupt.
COLLAB_EXPORT_PROGRESS_PAUSE = float(os.environ.get("COLLAB_EXPORT_PROGRESS_PAUSE", "0"))

# Background work: Celery with Redis (docs/background.md). Without a broker every task runs
# eagerly, in the process and at the moment it is queued (`make run`, the unit tests): nothing to
# start and no Redis needed. With one, `celery -A collab worker` and `celery -A collab beat` run
# them.
COLLAB_BROKER_URL = os.environ.get("COLLAB_BROKER_URL", "")
CELERY_BROKER_URL = COLLAB_BROKER_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not COLLAB_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True  # an eager task's error reaches its caller, as in tests
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("COLLAB_TASK_QUEUE", "collab")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # tasks report through the database (outbox, export jobs)
# A task is acknowledged when it has finished, not when it was received: a worker that dies
# mid-task (killed, out of memory, host lost) leaves it to be delivered again. Tasks are
# therefore written to be run twice safely (claims with conditional updates).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task reserved at a time per process: a long export does not hold e-mails hostage.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard and soft limits (seconds); an export sets longer ones of its own. The broker's visibility
# timeout (when Redis hands an unacknowledged task to another worker) must exceed the longest.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("COLLAB_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("COLLAB_TASK_TIME_LIMIT", "360"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("COLLAB_BROKER_VISIBILITY_TIMEOUT", "7200"))
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# celery beat: the periodic tasks, at Jakarta time (tasks named by their app's tasks module).
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "programs.tasks.send_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "outbox-sweep": {"task": "collab.tasks.sweep_outbox", "schedule": 60.0},
    # Deletes exports a day old; reruns those whose worker died.
    "exports-sweep": {"task": "collab.tasks.sweep_exports", "schedule": 300.0},
}

# /health/ (collab/health.py): every worker writes a heartbeat to the shared cache every
# HEARTBEAT_SECONDS; older than STALE_SECONDS it counts as no worker (503). The broker ping waits
# at most BROKER_TIMEOUT seconds.
COLLAB_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("COLLAB_WORKER_HEARTBEAT_SECONDS", "10"))
COLLAB_WORKER_STALE_SECONDS = float(os.environ.get("COLLAB_WORKER_STALE_SECONDS", "60"))
COLLAB_HEALTH_BROKER_TIMEOUT = float(os.environ.get("COLLAB_HEALTH_BROKER_TIMEOUT", "1"))

# Django's shared cache: Redis when COLLAB_CACHE_URL is set (several app servers and workers
# see one cache), else one local-memory cache per process.
COLLAB_CACHE_URL = os.environ.get("COLLAB_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": COLLAB_CACHE_URL}
        if COLLAB_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

if os.environ.get("COLLAB_CACHE_KEY_PREFIX"):
    # Several sites (or test sessions, the smoke test) on one Redis keep their keys apart.
    CACHES["default"]["KEY_PREFIX"] = os.environ["COLLAB_CACHE_KEY_PREFIX"]
# The REST API under /api/v1/ (docs/api.md): personal tokens first, so that a request without
# credentials is answered 401 with a WWW-Authenticate header; then the browser's session (with
# CSRF). Lists are cursor-paginated; every queryset is restricted (collab/api/viewsets.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "collab.api.authentication.TokenAuthentication",
        "collab.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["collab.api.permissions.ApiPermission"],
    "DEFAULT_THROTTLE_CLASSES": [
        "collab.api.throttling.ClientThrottle",
        "collab.api.throttling.AddressThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": ["collab.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "collab.api.pagination.CursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "collab.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "NUM_PROXIES": int(os.environ.get("COLLAB_PROXY_COUNT", "0")) or None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or signed-in user) and per client address, counted in Django's cache:
# shared by every worker when COLLAB_CACHE_URL points at Redis.
COLLAB_API_THROTTLE_RATES = {
    "client": os.environ.get("COLLAB_API_RATE", "2000/hour"),
    "address": os.environ.get("COLLAB_API_RATE_ADDRESS", "5000/hour"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collab Registry API",
    "DESCRIPTION": (
        "Programmes, partners, pilot sites, meetings, commitments, agreements and indicators of "
        "the registry, read and written with the same rights as the pages. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets named after their model (several models have a "status" or a "kind").
    "ENUM_NAME_OVERRIDES": {
        "ProgramStatusEnum": "programs.models.Program.Status",
        "SiteStatusEnum": "programs.models.Site.Status",
        "MeetingKindEnum": "programs.models.Meeting.Kind",
        "ActionItemStatusEnum": "programs.models.ActionItem.Status",
        "CommitmentKindEnum": "programs.models.Commitment.Kind",
        "CommitmentStatusEnum": "programs.models.commitments.CommitmentStatus",
        "AgreementKindEnum": "programs.models.Agreement.Kind",
        "AgreementStatusEnum": "programs.models.Agreement.Status",
        "RegionLevelEnum": "collab.models.Region.Level",
        "RegionKindEnum": "collab.models.Region.Kind",
        "PillarEnum": "partners.models.Pillar",
        "PartnerKindEnum": "partners.models.PartnerKind",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "AUTHENTICATION_WHITELIST": [
        "collab.api.authentication.TokenAuthentication",
        "collab.api.authentication.SessionAuthentication",
    ],
}
# The public pages (programs.public): seconds a browser or proxy may keep a page
# (`Cache-Control: public, max-age`); the shared cache keeps it until the next save.
COLLAB_PUBLIC_MAX_AGE = int(os.environ.get("COLLAB_PUBLIC_MAX_AGE", "300"))
# IATI activity files (docs/iati.md): the reporting organisation's IATI identifier (the prefix of
# every iati-identifier), its name and its IATI organisation type (OrganisationType code list).
COLLAB_IATI_ORG_ID = os.environ.get("COLLAB_IATI_ORG_ID", "XI-IATI-COLLAB")
COLLAB_IATI_ORG_NAME = os.environ.get("COLLAB_IATI_ORG_NAME", "Collab Registry")
COLLAB_IATI_ORG_TYPE = os.environ.get("COLLAB_IATI_ORG_TYPE", "90")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("COLLAB_SSL_REDIRECT", True)
    # A load balancer may probe /health/ over plain HTTP (on the internal network, straight to
    # gunicorn or nginx's port 80): it answers states only, sets no cookie, and a redirect would
    # read as "down". Every other page is redirected to HTTPS.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("COLLAB_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Errors reach the admins by e-mail (deploy/ and docs/deploy.md): a 500 (Django's own
# `django.request` logging, DEBUG off) and a failed task (`celery.app.trace`). Sent straight
# through EMAIL_BACKEND, not the outbox, which needs the database that may be what failed.
# COLLAB_ADMINS: "Name <address>, Name <address>".
ADMINS = [
    (address.split("<", 1)[0].strip() or address, address.split("<", 1)[-1].rstrip(">").strip())
    for address in env_list("COLLAB_ADMINS")
]
SERVER_EMAIL = os.environ.get("COLLAB_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = os.environ.get("COLLAB_EMAIL_SUBJECT_PREFIX", "[Collab Registry] ")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "loggers": {
        "celery.app.trace": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("COLLAB_LOG_LEVEL", "WARNING")},
}
