"""jospar settings: everything comes from the environment.

With nothing set, jospar runs on its embedded default: SQLite in ``var/``, media on the local
disk, Celery tasks run in-process (eager), e-mail written to the console. Production sets
DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker and cache), the S3 variables and SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.secret_key import load_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("JOSPAR_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# SECRET_KEY: see "Sign-in and secrets" at the end.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "drf_spectacular_sidecar",
    "csp",
    "jospar.core",
    "jospar.plans",
    "jospar.programs",
    "jospar.control",
    "jospar.civic",
    "jospar.indicators",
    "jospar.media",
    "jospar.initiatives",
    "jospar.events",
    "jospar.site",
]

MIDDLEWARE = [
    # First: every response, even one another middleware refuses, carries the request id and is
    # counted.
    "jospar.core.ops.request_id.RequestIdMiddleware",
    "jospar.core.ops.metrics.MetricsMiddleware",
    "jospar.core.ops.health.OpsEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: too large a body is a 413; a storage fault a 503.
    "jospar.core.middleware_faults.RequestFaultsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the form: NUL bytes and unreadable bodies are a 400.
    "jospar.core.middleware_edge.EdgeInputMiddleware",
    "jospar.core.views.errors.MethodNotAllowedPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads of the public API (/open311/v2/) skip the messages, the second factor: they serve
    # no signed-in page (jospar.core.middleware_lean).
    "jospar.core.middleware_lean.LeanMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
# benchmarks/pages.py only: each response says how many queries it took.
if os.environ.get("QUERY_COUNT_HEADER") == "1":
    MIDDLEWARE.insert(0, "jospar.core.ops.query_count.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jospar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jospar.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jospar.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a background import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails a request (and /readyz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
    # Prepared statements (docs/operations.md, "App servers"): with server-side binding,
    # psycopg prepares a statement on a connection after DB_PREPARE_THRESHOLD runs, and the
    # persistent connections (CONN_MAX_AGE) keep them. Off by default: a transaction-mode
    # PgBouncer between jospar and PostgreSQL cannot keep a session's prepared statements.
    if env.bool("DB_SERVER_SIDE_BINDING", default=False):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int(
            "DB_PREPARE_THRESHOLD", default=5
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Kazakh is the state language and comes first.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "jospar" / "locale"]
USE_I18N = True
# Django ships no Kazakh number formats: ours give the decimal comma and grouped thousands.
FORMAT_MODULE_PATH = ["jospar.formats"]
# Plans, deadlines and reports are reckoned in Kazakhstan's time (UTC+5 since 2024-03-01).
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
# The embedded default serves static files straight from the apps; production collects them.
WHITENOISE_USE_FINDERS = env.bool(
    "WHITENOISE_USE_FINDERS", default=not env.str("DATABASE_URL", default="")
)
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files: served through jospar.core.serving. Behind nginx with local files, set the
# internal location's prefix (deploy/nginx.conf); with S3, signed URLs live this long.
FILES_X_ACCEL_PREFIX = env.str("FILES_X_ACCEL_PREFIX", default="")
FILES_SIGNED_URL_SECONDS = env.int("FILES_SIGNED_URL_SECONDS", default=300)
FILES_PUBLIC_MAX_AGE = env.int("FILES_PUBLIC_MAX_AGE", default=3600)
# Large uploads are spooled here while a request runs; `jospar sweep-files` removes what a killed
# process left (older than FILES_TEMP_MAX_AGE_HOURS), and files no row points at after
# FILES_ORPHAN_GRACE_HOURS.
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default=str(VAR_DIR / "tmp" / "uploads"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILES_ORPHAN_GRACE_HOURS = env.float("FILES_ORPHAN_GRACE_HOURS", default=6)
FILES_TEMP_MAX_AGE_HOURS = env.float("FILES_TEMP_MAX_AGE_HOURS", default=6)

S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("S3_BUCKET"),
                "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
                "region_name": env.str("S3_REGION", default=None),
                "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
                "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Fails soft (jospar.core.cache): a Redis down or frozen costs one short timeout, then the
    # cache is skipped for CACHE_BREAKER_SECONDS. Timeouts in the faults block below.
    CACHES = {
        "default": {
            "BACKEND": "jospar.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis in production; with no broker, tasks run in-process at once (eager).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The workers log through LOGGING (JSON lines with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Periodic jobs, at a time of day in Kazakhstan: Celery beat runs them in production; with no
# broker, `jospar serve` (or `jospar run-schedule`) runs each at most once a day. `callable`
# takes `on="YYYY-MM-DD"` (or nothing: today); `task` is its Celery name.
JOSPAR_PERIODIC_JOBS = {
    "reminders": {
        "task": "control.send_reminders",
        "callable": "jospar.control.tasks.send_reminders",
        "at": env.str("CONTROL_REMIND_AT", default="08:00"),
    },
    "digests": {
        "task": "control.send_digests",
        "callable": "jospar.control.tasks.send_digests",
        "at": env.str("CONTROL_DIGEST_AT", default="08:30"),
    },
    # The regional offices' status reports kept owed a year ahead of today.
    "status_schedules": {
        "task": "control.extend_status_schedules",
        "callable": "jospar.control.tasks.extend_status_schedules",
        "at": env.str("STATUS_SCHEDULES_AT", default="02:30"),
    },
    # Files no row points at (a process killed mid-filing), and stale upload temporaries.
    "sweep_files": {
        "task": "core.sweep_files",
        "callable": "jospar.core.tasks.sweep_files",
        "at": env.str("FILES_SWEEP_AT", default="03:30"),
    },
    # Civic Control: the akimat is told once of each report whose answer is overdue.
    "civic_overdue": {
        "task": "civic.mark_overdue",
        "callable": "jospar.civic.tasks.mark_overdue",
        "at": env.str("CIVIC_OVERDUE_AT", default="08:15"),
    },
    # Indicators computed from Civic Control and the control loop, stored for each period.
    "indicators_recompute": {
        "task": "indicators.recompute",
        "callable": "jospar.indicators.tasks.recompute",
        "at": env.str("INDICATORS_RECOMPUTE_AT", default="04:00"),
    },
    # Information-space monitoring: the embedded default collects once a day; Celery beat
    # (below) every MONITOR_COLLECT_EVERY_MINUTES. Each source's own backoff decides what is due.
    "media_collect": {
        "task": "media.collect_due",
        "callable": "jospar.media.tasks.collect_due",
        "at": env.str("MONITOR_COLLECT_AT", default="06:00"),
    },
}
CELERY_BEAT_SCHEDULE = {
    name: {
        "task": job["task"],
        "schedule": crontab(hour=int(job["at"].split(":")[0]), minute=int(job["at"].split(":")[1])),
    }
    for name, job in JOSPAR_PERIODIC_JOBS.items()
}

# Information-space monitoring (jospar.media): the politeness of collection, per site.
MONITOR_USER_AGENT = env.str(
    "MONITOR_USER_AGENT", default="jospar-monitoring/1.0 (+mailto:monitoring@jospar.kz)"
)
MONITOR_MIN_INTERVAL = env.float("MONITOR_MIN_INTERVAL", default=5.0)  # seconds between requests
MONITOR_AFTER_429 = env.float("MONITOR_AFTER_429", default=30.0)  # seconds of silence after a 429
MONITOR_PER_SITE = env.int("MONITOR_PER_SITE", default=2)  # requests at once to one site
MONITOR_TIMEOUT = env.float("MONITOR_TIMEOUT", default=20.0)  # seconds, every request
MONITOR_COLLECT_EVERY_MINUTES = env.int("MONITOR_COLLECT_EVERY_MINUTES", default=30)
MONITOR_ITEMS_PER_RUN = env.int("MONITOR_ITEMS_PER_RUN", default=50)  # new articles per source/run
MONITOR_FETCH_IMAGES = env.bool("MONITOR_FETCH_IMAGES", default=True)  # for photo reuse
MONITOR_FLAG_AFTER = env.int("MONITOR_FLAG_AFTER", default=3)  # failures in a row
CELERY_BEAT_SCHEDULE["media_collect"]["schedule"] = MONITOR_COLLECT_EVERY_MINUTES * 60

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if env.str("EMAIL_HOST", default="")
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jospar <noreply@localhost>")
# Links in e-mails are made absolute with this address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A letter that failed this many times is given up (its notification stays in the application).
NOTIFY_EMAIL_MAX_ATTEMPTS = env.int("NOTIFY_EMAIL_MAX_ATTEMPTS", default=5)

# Reminders of control deadlines (jospar.control.reminders), counted in working days.
CONTROL_REMIND_BEFORE_WORKING_DAYS = env.list(
    "CONTROL_REMIND_BEFORE_WORKING_DAYS", cast=int, default=[5, 1]
)
CONTROL_REMIND_OVERDUE_EVERY_WORKING_DAYS = env.int(
    "CONTROL_REMIND_OVERDUE_EVERY_WORKING_DAYS", default=5
)
# How many items of each list a controller's daily digest shows (the counts are complete).
CONTROL_DIGEST_TOP_ITEMS = env.int("CONTROL_DIGEST_TOP_ITEMS", default=10)

# Behind a proxy in production: trust its scheme header only when told to.
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)

# Civic Control (jospar.civic): citizens' problem reports.
_MB = 1024 * 1024
# Off: a report is public as soon as it is filed (a moderator may hide it afterwards). On: it
# waits for a moderator to publish (or hold) it.
CIVIC_PREMODERATION = env.bool("CIVIC_PREMODERATION", default=False)
CIVIC_PHOTO_MAX_BYTES = env.int("CIVIC_PHOTO_MAX_BYTES", default=10 * _MB)
CIVIC_VIDEO_MAX_BYTES = env.int("CIVIC_VIDEO_MAX_BYTES", default=50 * _MB)
CIVIC_AUDIO_MAX_BYTES = env.int("CIVIC_AUDIO_MAX_BYTES", default=10 * _MB)
CIVIC_MEDIA_MAX_FILES = env.int("CIVIC_MEDIA_MAX_FILES", default=10)
# A photo of more pixels is refused before it is decoded (decompression bombs).
CIVIC_IMAGE_MAX_PIXELS = env.int("CIVIC_IMAGE_MAX_PIXELS", default=50_000_000)
# ... and one whose decoding would hold more memory than this (estimated from its header); the
# decoding runs in a separate process whose address space is limited (jospar.civic.imaging).
CIVIC_IMAGE_MAX_DECODED_BYTES = env.int("CIVIC_IMAGE_MAX_DECODED_BYTES", default=192 * _MB)
CIVIC_IMAGE_WORKER_MEMORY = env.int("CIVIC_IMAGE_WORKER_MEMORY", default=512 * _MB)
CIVIC_IMAGE_PUBLIC_MAX_SIDE = env.int("CIVIC_IMAGE_PUBLIC_MAX_SIDE", default=2560)
CIVIC_THUMBNAIL_SIDE = env.int("CIVIC_THUMBNAIL_SIDE", default=480)
# Originals of photos, videos and audio (with their GPS metadata) are kept here, outside
# MEDIA_ROOT, and downloaded only through an access check; with S3, in the private bucket.
CIVIC_PRIVATE_MEDIA_ROOT = Path(
    env.str("CIVIC_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
)
# An open report of the same topic this close is offered for support before filing anew.
CIVIC_NEARBY_METERS = env.int("CIVIC_NEARBY_METERS", default=150)
# The e-mail confirmation link of a citizen's account: valid this long; sent again at most
# this often.
CIVIC_CONFIRM_MAX_AGE = env.int("CIVIC_CONFIRM_MAX_AGE", default=3 * 24 * 3600)
CIVIC_CONFIRM_RESEND_SECONDS = env.int("CIVIC_CONFIRM_RESEND_SECONDS", default=60)
# A Nominatim-compatible search URL for typed addresses. Empty (the default): no geocoding; a
# citizen without a pin chooses the region, and the report is marked as approximately placed.
GEOCODER_URL = env.str("GEOCODER_URL", default="")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=5.0)

# A plan file larger than this is read by a background task, with progress shown.
PLAN_UPLOAD_ASYNC_BYTES = env.int("PLAN_UPLOAD_ASYNC_BYTES", default=1024 * 1024)
# A report on a plan's execution with at least this many activities is built by a background
# task, with progress shown; a smaller one is built while the person waits.
REPORT_EXPORT_ASYNC_ACTIVITIES = env.int("REPORT_EXPORT_ASYNC_ACTIVITIES", default=300)
# ... or of more entries (obligations) than this: the time to build grows with them.
REPORT_EXPORT_ASYNC_ENTRIES = env.int("REPORT_EXPORT_ASYNC_ENTRIES", default=400)
# Uploaded plans: a real plan is tens of kilobytes; 20 MB leaves room for Word files with images.
PLAN_UPLOAD_MAX_BYTES = env.int("PLAN_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# The maps' base layer: OpenStreetMap's standard tiles by default (their usage policy asks for
# the attribution below and a modest load; a busy deployment sets its own tile server here).
# "none" (or an empty value) draws no tiles. Under the pins the maps always draw jospar's own
# regions and settlements, so they still orient people when the tile server is unreachable.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# An offline machine cannot resolve the tile host: its maps then draw no tiles rather than a
# dozen failed requests per page (jospar.core.maps). False takes MAP_TILE_URL as it is.
MAP_TILE_CHECK = env.bool("MAP_TILE_CHECK", default=True)
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
MAP_TILE_MAX_ZOOM = env.int("MAP_TILE_MAX_ZOOM", default=19)
# A bigger form body (or more fields) is refused with the 400 page (jospar.core.views.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# The error pages in the site's layout and the request's language (jospar.core.views.errors).
CSRF_FAILURE_VIEW = "jospar.core.views.errors.csrf_failure"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A multipart body to the API or Open311 carries one file: the largest any of them accepts, and
# the form (jospar.core.middleware_faults answers 413 over it, before anything reads it).
API_UPLOAD_MAX_BYTES = env.int(
    "API_UPLOAD_MAX_BYTES",
    default=max(
        CIVIC_VIDEO_MAX_BYTES,
        PLAN_UPLOAD_MAX_BYTES,
        env.int("CONTROL_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024),
    )
    + DATA_UPLOAD_MAX_MEMORY_SIZE,
)

# Open311 GeoReport v2 (`/open311/v2/`): the one jurisdiction this endpoint serves (a request
# naming another gets 404), and what service discovery tells clients.
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="jospar.kz")
OPEN311_ENDPOINT_TYPE = env.str("OPEN311_ENDPOINT_TYPE", default="production")
OPEN311_CHANGESET = env.str("OPEN311_CHANGESET", default="2026-11-22T00:00:00+05:00")
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="")
OPEN311_KEY_SERVICE = env.str("OPEN311_KEY_SERVICE", default="")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "jospar.core.api.schema.EdgeAutoSchema",
    # The token first: a request without credentials is answered 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jospar.core.edge_api_auth.EdgeTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # limit 1..200 and offset 0..10^9, anything else refused (jospar.core.edge_api).
    "DEFAULT_PAGINATION_CLASS": "jospar.core.edge_api.EdgePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "jospar.core.edge_api_auth.EdgeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "jospar.core.api.errors.exception_handler",
    # JSON only: DRF's browsable pages carry inline styles the Content-Security-Policy refuses,
    # and /api/docs/ documents and tries the API already.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jospar API",
    "DESCRIPTION": "Plans, control schedule and directory of jospar; the citizen portal's civic "
    "initiatives, Generous Heart and calendar of public events.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API viewer is served from the installed drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Reports are written in the two languages of plans only; other "lang" fields allow English.
    "ENUM_NAME_OVERRIDES": {
        "ReportLangEnum": "jospar.control.models_exports.ExportLang",
        # The control loop's own choice sets, beside other "kind" and "status" fields.
        "ObligationStatusEnum": "jospar.control.models.ObligationStatus",
        "ReportKindEnum": "jospar.control.models.ReportKind",
        "ControlDecisionKindEnum": "jospar.control.models.ControlDecisionKind",
        # Evidence by form of completion: the activity's kinds, and the evidence's.
        "CompletionKindEnum": "jospar.plans.models.CompletionKind",
        "EvidenceKindEnum": "jospar.control.models_evidence.EvidenceKind",
        # The Map of civic initiatives: its states and kinds beside the portal's and control's.
        "InitiativeStateEnum": "jospar.initiatives.models.InitiativeState",
        "InitiativeKindEnum": "jospar.initiatives.models.InitiativeKind",
        "InitiativeAuthorKindEnum": "jospar.initiatives.models.AuthorKind",
        "SelectionBodyEnum": "jospar.initiatives.models.SelectionBody",
        "NeedKindEnum": "jospar.initiatives.models.NeedKind",
        "PledgerKindEnum": "jospar.initiatives.models.PledgerKind",
        "PledgeStateEnum": "jospar.initiatives.models.PledgeState",
        # Generous Heart and the calendar of public events (their API, issue #12).
        "HeartStageEnum": "jospar.initiatives.models_heart.HeartStage",
        "HeartCategoryEnum": "jospar.initiatives.models_heart.HeartCategory",
        "EventKindEnum": "jospar.events.models.EventKind",
        "EventStateEnum": "jospar.events.models.EventState",
        # The project office's read API (issue #10).
        "StatusReportStateEnum": "jospar.programs.models_office.StatusReportState",
        "DeclaredStatusEnum": "jospar.programs.models_office.DeclaredStatus",
        "ProgramNodeKindEnum": "jospar.programs.models.NodeKind",
    },
}

# Operations (docs/operations.md): logs, metrics, health, TLS and the Content-Security-Policy.

# Logs: one JSON object a line, with the request id, where a collector reads them (the default
# when a DATABASE_URL is set); lines for people on the embedded default. LOG_FORMAT=json|text.
LOG_FORMAT = env.str(
    "LOG_FORMAT", default="json" if env.str("DATABASE_URL", default="") else "text"
)
ACCESS_LOG = env.str("ACCESS_LOG", default="on")
if ACCESS_LOG not in ("on", "buffered", "off"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ACCESS_LOG is one of on, buffered, off")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jospar.core.ops.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "jospar.core.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        },
        "access": (
            {
                "class": "logging.handlers.MemoryHandler",
                "capacity": env.int("ACCESS_LOG_BUFFER", default=256),
                "flushLevel": 30,  # WARNING
                "target": "console",
                # The request id is read when the line is made, not when the batch is written.
                "filters": ["request_id"],
            }
            if ACCESS_LOG == "buffered"
            else {
                "class": "logging.StreamHandler",
                "formatter": "json" if LOG_FORMAT == "json" else "text",
                "filters": ["request_id"],
            }
        ),
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per request (jospar.core.ops.metrics): ACCESS_LOG=on writes each at once,
        # "buffered" in batches of ACCESS_LOG_BUFFER lines (and at once on a warning or at
        # exit), "off" not at all (docs/operations.md, "App servers").
        "jospar.access": {
            "handlers": [] if ACCESS_LOG == "off" else ["access"],
            "level": "INFO",
            "propagate": False,
        },
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO; fontTools every font it subsets.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Faults, audit and backups (docs/operations.md "When a dependency fails") ---------------
from datetime import timedelta  # noqa: E402

# After a cache failure, this process computes without Redis for this long before trying again.
CACHE_BREAKER_SECONDS = env.float("CACHE_BREAKER_SECONDS", default=30.0)
# Publishing a task: one attempt bounded by these timeouts; a failure leaves the task in the
# outbox (jospar.core.outbox) for the flush job. The worker's BRPOP waits 1 s, under the read
# timeout. Results are read with the same bounds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": env.float("BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("BROKER_SOCKET_TIMEOUT", default=3.0),
    # Connecting: one retry at once, then the error (kombu waits 2 s before a retry otherwise).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_REDIS_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=3.0)
# SMTP: a mail server that does not answer must not hold a worker (or a page) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
if S3_BUCKET:
    from typing import Any, cast

    from botocore.config import Config as _BotoConfig  # type: ignore[import-untyped]

    _s3_options = cast(dict[str, dict[str, dict[str, Any]]], STORAGES)["default"]["OPTIONS"]
    _s3_options["client_config"] = _BotoConfig(
        connect_timeout=env.float("S3_CONNECT_TIMEOUT", default=3.0),
        read_timeout=env.float("S3_READ_TIMEOUT", default=20.0),
        retries={"max_attempts": 2, "mode": "standard"},
    )

# The audit chain is sealed with an HMAC whose key the database does not hold. Production sets
# AUDIT_HMAC_KEY (like SECRET_KEY, and a different value); the embedded default keeps a key it
# generated in var/. Anchors (the head's sequence number and HMAC) are appended outside the
# database: to this file, to the log, and with S3 to the bucket under AUDIT_ANCHOR_PREFIX.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
AUDIT_HMAC_KEY_FILE = VAR_DIR / "audit-hmac.key"
if not AUDIT_HMAC_KEY and env.str("DATABASE_URL", default=""):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY must be set when DATABASE_URL is (e.g. `python -c 'import secrets; "
        "print(secrets.token_hex(32))'`); keep it outside the database and its backups."
    )
AUDIT_ANCHOR_FILE = Path(env.str("AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit-anchors.log")))
AUDIT_ANCHOR_PREFIX = env.str("AUDIT_ANCHOR_PREFIX", default="audit-anchors/" if S3_BUCKET else "")
AUDIT_ANCHOR_EVERY_MINUTES = env.int("AUDIT_ANCHOR_EVERY_MINUTES", default=15)

# Jobs run every few minutes (Celery beat; each pass of the embedded scheduler when due).
JOSPAR_FREQUENT_JOBS = {
    "outbox_flush": {
        "task": "core.outbox_flush",
        "callable": "jospar.core.outbox.outbox_flush",
        "every_minutes": 1,
    },
    "audit_anchor": {
        "task": "core.audit_anchor",
        "callable": "jospar.core.audit_anchor.audit_anchor_write",
        "every_minutes": AUDIT_ANCHOR_EVERY_MINUTES,
    },
    # Photos whose public copy could not be made for a passing reason are queued again.
    "media_retry": {
        "task": "civic.media_retry",
        "callable": "jospar.civic.services.media_processing.media_processing_retry",
        "every_minutes": 1,
    },
}
CELERY_BEAT_SCHEDULE.update(
    {
        name: {"task": job["task"], "schedule": timedelta(minutes=int(job["every_minutes"]))}
        for name, job in JOSPAR_FREQUENT_JOBS.items()
    }
)
# ---- Sign-in and secrets (issue #9; docs/decisions.md "Sign-in and secrets") ----------------
# Production (DATABASE_URL, REDIS_URL, S3_BUCKET or BEHIND_PROXY set) must set SECRET_KEY, or
# jospar refuses to start; the embedded default makes its own random key in var/secret_key.
SECRET_KEY = load_secret_key(os.environ, VAR_DIR)

INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# After authentication: the second factor (django-otp) and the lockout of failed logins (axes,
# which must come last).
MIDDLEWARE += [
    "jospar.core.middleware_lean.LeanOTPMiddleware",
    "jospar.core.middleware_lean.LeanSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Throttle counters live in their own cache alias (Redis in production, shared by the app
# servers; local memory on the embedded default).
CACHES["throttle"] = {**CACHES["default"], "KEY_PREFIX": "throttle"}

# The client's address: REMOTE_ADDR; behind our proxy (BEHIND_PROXY=1), the last address of
# X-Forwarded-For, the one nginx appended itself ($proxy_add_x_forwarded_for). Addresses a
# client wrote into the header before it are never believed.
JOSPAR_BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# How many proxies of ours append to X-Forwarded-For (nginx alone: 1).
JOSPAR_PROXY_COUNT = env.int("PROXY_COUNT", default=1)

# Logins (staff, the admin site, citizens' e-mail login): after LOGIN_FAILURE_LIMIT wrong
# passwords for one account, or from one address, within the cool-off, that account (or
# address) is refused, right password or not, until LOGIN_COOLOFF_MINUTES after the last
# failure.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.float("LOGIN_COOLOFF_MINUTES", default=15.0))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "jospar.core.throttle.login_client_ip"
AXES_LOCKOUT_CALLABLE = "jospar.core.throttle.login_lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Lockouts are logged (WARNING); each single failure is not.
_loggers = LOGGING["loggers"]
if isinstance(_loggers, dict):
    _loggers["axes"] = {"level": "WARNING"}
# Other throttled forms and APIs: "<count>/<seconds>" per key, within a fixed window.
JOSPAR_THROTTLE_RATES = {
    # Password reset: letters asked for one address, and asks from one client address.
    "password_reset_email": env.str("THROTTLE_PASSWORD_RESET_EMAIL", default="3/3600"),
    "password_reset_ip": env.str("THROTTLE_PASSWORD_RESET_IP", default="10/3600"),
    # Citizens' registration and "send the confirmation again", per client address.
    "register_ip": env.str("THROTTLE_REGISTER_IP", default="10/3600"),
    # Registration per e-mail address (a taken address gets a letter each time).
    "register_email": env.str("THROTTLE_REGISTER_EMAIL", default="3/3600"),
    # Open311 POST service requests, per API key and per client address.
    "open311_key": env.str("THROTTLE_OPEN311_KEY", default="120/3600"),
    "open311_ip": env.str("THROTTLE_OPEN311_IP", default="300/3600"),
    # Codes of the second factor entered after the password, per person (django-otp also
    # slows down each device after a wrong code).
    "two_factor_user": env.str("THROTTLE_TWO_FACTOR_USER", default="10/900"),
    # Public votes (Generous Heart, an initiative's selection): votes per account and per client
    # address, refused beyond; and the burst on one ballot from one address beyond which all its
    # votes in the window are held for a moderator's review (docs/decisions.md).
    "vote_user": env.str("THROTTLE_VOTE_USER", default="30/3600"),
    "vote_ip": env.str("THROTTLE_VOTE_IP", default="60/3600"),
    "vote_burst": env.str("THROTTLE_VOTE_BURST", default="5/600"),
}
# The REST API (DRF), per token / signed-in user, and per address for anonymous calls.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "jospar.core.throttle.ApiUserThrottle",
    "jospar.core.throttle.ApiAnonThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "api_user": env.str("THROTTLE_API_USER", default="1200/hour"),
    "api_anon": env.str("THROTTLE_API_ANON", default="120/hour"),
}
# Second factor (TOTP, django-otp) for controllers and administrators: optional (each may
# enrol) by default; required (they are sent to enrol before anything else) when set.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="jospar")
# Prometheus metrics at /metrics, for a scraper that sends "Authorization: Bearer METRICS_TOKEN";
# with no token set, /metrics is not served (404). The proxy never forwards /metrics. Under
# gunicorn's several workers set PROMETHEUS_MULTIPROC_DIR (an empty directory per host).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# /readyz: each dependency (database, Redis, storage) must answer within this many seconds.
READINESS_TIMEOUT = env.float("READINESS_TIMEOUT", default=2.0)

# TLS: SECURE_COOKIES=1 says the site is served over HTTPS (behind the proxy, with BEHIND_PROXY=1
# so that Django sees the scheme): then plain HTTP is redirected and browsers are told (HSTS)
# to use HTTPS only, for a year by default. Probes and the scraper talk to the app servers
# directly over HTTP, so their paths are never redirected.
_TLS = env.bool("SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_TLS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if _TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is the domain owner's commitment to browsers' lists, not undone quickly: opt-in.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]


def _origins(url: str) -> list[str]:
    """The CSP sources that let a page load from ``url``: its scheme and host (a ``{s}``
    subdomain placeholder of a tile URL becomes a wildcard)."""
    wildcard = "{s}" in url or "{a-c}" in url
    parts = urlsplit(url.replace("{s}", "a").replace("{a-c}", "a"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return []
    host = parts.netloc.rsplit("@", 1)[-1]
    if wildcard:
        host = "*." + host.split(".", 1)[1]
    return [f"{parts.scheme}://{host}"]


# Content-Security-Policy (django-csp): scripts and styles only from our own files, no inline
# code, no eval. Images also from the map's tile server; images, video and audio from the S3
# storage (signed URLs; virtual-hosted addressing puts the bucket in the host name).
_S3_ORIGINS = _origins(env.str("S3_ENDPOINT_URL", default="") or "https://s3.amazonaws.com")
_S3_SOURCES = (
    [*_S3_ORIGINS, *(o.replace("://", "://*.", 1) for o in _S3_ORIGINS)] if S3_BUCKET else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_origins(MAP_TILE_URL), *_S3_SOURCES],
        "media-src": ["'self'", *_S3_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
