"""jospar settings: everything comes from the environment.

With nothing set, jospar runs on its embedded default: SQLite in ``var/``, media on the local
disk, Celery tasks run in-process (eager), e-mail written to the console. Production sets
DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker and cache), the S3 variables and SECRET_KEY.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("JOSPAR_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# The embedded default needs no secret to start; production must set its own (checked by
# `manage.py check --deploy` and refused below when DEBUG is off and a database URL is set).
SECRET_KEY = env.str("SECRET_KEY", default="jospar-embedded-default-not-for-production")
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
    "jospar.core",
    "jospar.plans",
    "jospar.control",
    "jospar.civic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the form: NUL bytes and unreadable bodies are a 400.
    "jospar.core.middleware_edge.EdgeInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

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
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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
    # Civic Control: the akimat is told once of each report whose answer is overdue.
    "civic_overdue": {
        "task": "civic.mark_overdue",
        "callable": "jospar.civic.tasks.mark_overdue",
        "at": env.str("CIVIC_OVERDUE_AT", default="08:15"),
    },
}
CELERY_BEAT_SCHEDULE = {
    name: {
        "task": job["task"],
        "schedule": crontab(hour=int(job["at"].split(":")[0]), minute=int(job["at"].split(":")[1])),
    }
    for name, job in JOSPAR_PERIODIC_JOBS.items()
}

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
# Uploaded plans: a real plan is tens of kilobytes; 20 MB leaves room for Word files with images.
PLAN_UPLOAD_MAX_BYTES = env.int("PLAN_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# The discipline map draws the regions from their stored boundaries; a tile layer under them is
# optional (an XYZ URL such as https://tiles.example/{z}/{x}/{y}.png): none by default, so that
# the pages need no outside server.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
# A bigger form body (or more fields) is refused with the 400 page (jospar.core.views_errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# The error pages in the site's layout and the request's language (jospar.core.views_errors).
CSRF_FAILURE_VIEW = "jospar.core.views_errors.csrf_failure"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Open311 GeoReport v2 (`/open311/v2/`): the one jurisdiction this endpoint serves (a request
# naming another gets 404), and what service discovery tells clients.
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="jospar.kz")
OPEN311_ENDPOINT_TYPE = env.str("OPEN311_ENDPOINT_TYPE", default="production")
OPEN311_CHANGESET = env.str("OPEN311_CHANGESET", default="2026-11-22T00:00:00+05:00")
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="")
OPEN311_KEY_SERVICE = env.str("OPEN311_KEY_SERVICE", default="")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "jospar.core.api_schema.EdgeAutoSchema",
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
    "EXCEPTION_HANDLER": "jospar.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jospar API",
    "DESCRIPTION": "Plans, control schedule and directory of jospar.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Reports are written in the two languages of plans only; other "lang" fields allow English.
    "ENUM_NAME_OVERRIDES": {
        "ReportLangEnum": "jospar.control.models_exports.ExportLang",
        # The control loop's own choice sets, beside other "kind" and "status" fields.
        "ObligationStatusEnum": "jospar.control.models.ObligationStatus",
        "ReportKindEnum": "jospar.control.models.ReportKind",
        "ControlDecisionKindEnum": "jospar.control.models.ControlDecisionKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO; fontTools every font it subsets.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
