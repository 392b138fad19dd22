"""Settings for trainingcenter, read from the environment: one module, no local file.

`make run` passes development values; production sets DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and DATABASE_URL. With DEBUG off the HTTPS hardening
(HSTS, secure cookies, redirect to HTTPS) is on unless DJANGO_HTTPS=0 says the
site is served over plain HTTP (only for tests and trials on a closed network).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import XLSX

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; anything but true or false is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated list; empty items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(use a random string of 50 or more characters)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

# Citizen IDs at rest (trainingcenter.encryption): Fernet keys, the first
# encrypts and every one reads (rotation), and the key of the hash they are
# matched by. Required like SECRET_KEY; the development values only with DEBUG.
CITIZEN_ID_KEYS = env_list("CITIZEN_ID_KEYS")
CITIZEN_ID_HASH_KEY = os.environ.get("CITIZEN_ID_HASH_KEY", "")
if not (CITIZEN_ID_KEYS and CITIZEN_ID_HASH_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "CITIZEN_ID_KEYS and CITIZEN_ID_HASH_KEY are required when DJANGO_DEBUG "
            "is off (see the operations guide: keys for citizen IDs)."
        )
    CITIZEN_ID_KEYS = CITIZEN_ID_KEYS or [
        "ZGV2ZWxvcG1lbnQtb25seS1rZXktbmV2ZXItaW4tcHI="
    ]
    CITIZEN_ID_HASH_KEY = CITIZEN_ID_HASH_KEY or "development-only-citizen-id-hash-key"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    # Third-party apps under their Vietnamese names (trainingcenter/apps.py).
    "trainingcenter.apps.AxesConfig",
    "csp",
    "trainingcenter.apps.SimpleHistoryConfig",
    "sequences.apps.SequencesConfig",
    "trainingcenter.apps.TasksConfig",
    "trainingcenter.apps.TasksDatabaseBackendConfig",
    "trainingcenter",
    "courses",
    "enrollment",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trainingcenter.logs.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trainingcenter.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "trainingcenter.tenancy.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last but the 405 page, so that the centre's scope also covers lazily
    # rendered templates (and that page).
    "trainingcenter.tenancy.CenterMiddleware",
    "trainingcenter.errors.method_not_allowed_page",
]

ROOT_URLCONF = "trainingcenter.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trainingcenter.tenancy.center_context",
            ],
        },
    },
]

WSGI_APPLICATION = "trainingcenter.wsgi.application"

# Database: DATABASE_URL, or a SQLite file beside manage.py.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with the writers of a process served in turn.
    DATABASES["default"]["ENGINE"] = "trainingcenter.sqlite"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    # Threaded live-server tests need a file, not an in-memory database; it
    # sits beside the database it is named after, so runs on different
    # DATABASE_URLs do not share one.
    _db_file = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {
        "NAME": str(_db_file.with_name(f"test-{_db_file.name}"))
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options",
        # JIT off: it compiles the big report queries for about a second of
        # CPU each under load and saves less than that (bench/load_bench.py).
        "-c statement_timeout={} -c lock_timeout={} -c jit=off".format(
            env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30000),
            env_int("DATABASE_LOCK_TIMEOUT_MS", 5000),
        ),
    )

# An optional read replica for reports and rollups (trainingcenter/routers.py):
# a streaming replica of the same database, with the same options.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
    }
REPORT_DATABASE = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["trainingcenter.routers.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "trainingcenter.passwords.ContextWordsValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute force: lock a username from one address, never a
# whole commune office behind one NAT.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a proxy, the client address comes from the header the proxy sets.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if AXES_IPWARE_PROXY_COUNT
    else ["REMOTE_ADDR"]
)

# Sessions live in the database (stateless app servers, server-side logout).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 3 * 3600)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 12 * 3600)

# Internationalisation: Vietnamese first, English on request.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
FORMAT_MODULE_PATH = ["trainingcenter.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-import-export: the admin imports and exports xlsx only (no CSV, whose
# cells a spreadsheet would run as formulas).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_FORMATS = [XLSX]

# Certificates: the address printed in the QR code, and the public page's limit.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
VERIFY_RATE_PER_MINUTE = env_int("VERIFY_RATE_PER_MINUTE", 20)
# Wrong codes a client may type on the public feedback form in 10 minutes.
FEEDBACK_FAILURES_PER_10_MINUTES = env_int("FEEDBACK_FAILURES_PER_10_MINUTES", 50)
# A class batch of more certificates than this is rendered by the background
# worker with a progress bar; a smaller one (under about a second) right away.
CERTIFICATE_INLINE_MAX = env_int("CERTIFICATE_INLINE_MAX", 30)
# A report PDF with more table rows than this is laid out by the background worker.
REPORT_PDF_INLINE_ROWS = env_int("REPORT_PDF_INLINE_ROWS", 300)
# A rollup workbook of more rows than this is written by the background worker.
ROLLUP_XLSX_INLINE_ROWS = env_int("ROLLUP_XLSX_INLINE_ROWS", 3000)
# Pages rendered per WeasyPrint document in a background batch: the progress step.
CERTIFICATE_CHUNK = env_int("CERTIFICATE_CHUNK", 50)
# A running job silent this many seconds has lost its worker and is queued
# again by `manage.py recover_jobs` or its user (trainingcenter.models.Job).
JOBS_STALLED_AFTER = env_int("JOBS_STALLED_AFTER", 600)

# Background jobs (django-tasks with its database backend; `manage.py db_worker`).
# Two queues: certificate batches (enrollment/tasks.py) and the rest (report
# PDFs, rollup workbooks), each served by workers of its own in production.
TASK_QUEUES = ["default", "certificates"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}

# Trainee lists from Excel (enrollment/importing.py).
TRAINEE_IMPORT_MAX_BYTES = env_int("TRAINEE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
TRAINEE_IMPORT_MAX_ROWS = env_int("TRAINEE_IMPORT_MAX_ROWS", 5000)

# Uploads: the limits on files live in the forms; these bound the rest.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_PERMISSIONS = 0o600

# HTTP hardening: no sniffing, no referrer to other sites, an isolated window.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY", False):
    # Only correct when the proxy overwrites X-Forwarded-Proto (deploy/ nginx).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

# Personal data: more people than this exported by one user of a centre in
# one day is flagged to the director on the dashboard.
PERSONAL_DATA_DAILY_EXPORT_LIMIT = env_int("PERSONAL_DATA_DAILY_EXPORT_LIMIT", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "trainingcenter.logs.RequestIdFilter"},
        # No citizen ID in a log line or an error report, whoever wrote it.
        "mask_citizen_ids": {"()": "trainingcenter.privacy.MaskCitizenIdsFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "mask_citizen_ids"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Django's own default adds a console handler of its own in DEBUG:
        # with the root's, every 403 was printed twice.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # …and configuring "django" resets its children: the development
        # server's request lines are kept here.
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        "django.security": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        "trainingcenter": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
