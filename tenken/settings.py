"""Settings for tenken (``DJANGO_SETTINGS_MODULE=tenken.settings``).

Runtime state (the SQLite file, uploads, collected static files, stored reports) lives under one
directory, ``TENKEN_STATE_DIR`` (default ``./var`` in the current directory, as ``make run`` uses it;
an absolute path in production). The embedded default is SQLite in that directory. PostgreSQL (production) is chosen with
``TENKEN_DB=postgres``; ``TENKEN_PG_*`` override the connection (defaults: 127.0.0.1:5432, trust auth).
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent  # the installed package (code and package data only)
STATE_DIR = Path(os.environ.get("TENKEN_STATE_DIR", "var")).resolve()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value.strip().lower() in {"1", "true", "yes", "on"}


# Secure by default (issue #14): DEBUG only when asked for (``make run`` asks), and no built-in key
# outside DEBUG. See docs/operations.md「本番の設定」 for the production environment.
DEBUG = _flag("TENKEN_DEBUG", False)
DEV_SECRET_KEY = "dev-only-not-secret-tenken"
SECRET_KEY = os.environ.get("TENKEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "環境変数 TENKEN_SECRET_KEY が設定されていないため起動しません。本番では 50 文字以上の推測できない値を"
            "設定してください（例: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'）。"
            "開発用に起動するときだけ TENKEN_DEBUG=1 を設定してください（docs/operations.md）"
        )
    SECRET_KEY = DEV_SECRET_KEY
elif SECRET_KEY == DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("TENKEN_SECRET_KEY に開発用の公開された値が設定されています。本番用の値に変えてください")
ALLOWED_HOSTS = os.environ.get("TENKEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "tenken.common",
    "tenken.orgs",
    "tenken.plans",
    "tenken.reviews",
    "tenken.indicators",
    "tenken.inventory",
    "tenken.reports",
    "tenken.surveys",
    "tenken.national",
    "tenken.imports",
    "tenken.web",
    "rest_framework",
    "drf_spectacular",
    "tenken.public",
    "tenken.opendata",
    "tenken.api",
    "axes",
    "tenken.publications",
    "tenken.jobs",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "tenken.common.security.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tenken.common.security.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "tenken.public.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenken.web.totp.TotpMiddleware",  # a confirmed authenticator app: no page before its code
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with 429
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tenken.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenken.web.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "tenken.wsgi.application"

if os.environ.get("TENKEN_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("TENKEN_PG_NAME", "tenken"),
            "USER": os.environ.get("TENKEN_PG_USER", "postgres"),
            "PASSWORD": os.environ.get("TENKEN_PG_PASSWORD", ""),
            "HOST": os.environ.get("TENKEN_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("TENKEN_PG_PORT", "5432"),
        }
    }
else:
    if "TENKEN_SQLITE_PATH" not in os.environ:
        STATE_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("TENKEN_SQLITE_PATH", str(STATE_DIR / "db.sqlite3")),
        }
    }

# A worker keeps its database connection between requests, for its whole life (gunicorn's --max-requests
# recycles workers), checked before reuse: an uncached page does not pay for a new connection (measured:
# 25 ms a page with a kept connection, 60–90 ms with a new one each time). TENKEN_CONN_MAX_AGE=N closes it
# after N seconds, =0 after every request (PgBouncer in transaction mode). A cached public page opens no
# connection at all (tenken.public.cache).
_conn_age = os.environ.get("TENKEN_CONN_MAX_AGE", "")
DATABASES["default"]["CONN_MAX_AGE"] = int(_conn_age) if _conn_age.strip() else None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("TENKEN_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- HTTP security (each switchable by environment; defaults are the production ones) --------------
# TENKEN_HTTPS=1 (default outside DEBUG): the site is served over HTTPS (directly or behind a proxy
# that sets X-Forwarded-Proto: then TENKEN_PROXY_SSL_HEADER=1).
HTTPS = _flag("TENKEN_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _flag("TENKEN_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "tenken.web.views.csrf_failure"  # in Japanese, with a way back (not Django's English page)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("TENKEN_SESSION_SECONDS", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = _flag("TENKEN_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SECURE_SSL_REDIRECT = _flag("TENKEN_SSL_REDIRECT", HTTPS)
if _flag("TENKEN_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("TENKEN_HSTS_SECONDS", str(365 * 86400 if HTTPS else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("TENKEN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("TENKEN_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = _flag("TENKEN_CONTENT_TYPE_NOSNIFF", True)
SECURE_REFERRER_POLICY = os.environ.get("TENKEN_REFERRER_POLICY", "same-origin") or None
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (tenken.common.security): no inline script anywhere; empty = header off.
TENKEN_CSP = os.environ.get(
    "TENKEN_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# -- login throttling (django-axes): per account and, separately, per address ------------------------
# Two-step login with an authenticator app (TOTP, tenken/web/totp.py): optional for everyone; with this
# on, organization admins and superusers must enrol one before they open any page.
TENKEN_REQUIRE_TOTP_FOR_ADMINS = _flag("TENKEN_REQUIRE_TOTP_FOR_ADMINS", False)
OTP_TOTP_ISSUER = os.environ.get("TENKEN_TOTP_ISSUER", "tenken")

AXES_FAILURE_LIMIT = int(os.environ.get("TENKEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TENKEN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TENKEN_PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

# -- logging: every 500 is logged (stderr, and TENKEN_LOG_FILE if set) with the request id -----------
_LOG_HANDLERS = ["console"] + (["file"] if os.environ.get("TENKEN_LOG_FILE") else [])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tenken.common.security.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [req %(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
        **(
            {"file": {"class": "logging.handlers.WatchedFileHandler", "filename": os.environ["TENKEN_LOG_FILE"],
                      "filters": ["request_id"], "formatter": "plain", "encoding": "utf-8"}}
            if os.environ.get("TENKEN_LOG_FILE") else {}
        ),
    },
    "loggers": {
        "django.request": {"handlers": _LOG_HANDLERS, "level": "ERROR", "propagate": False},
        "django.security": {"handlers": _LOG_HANDLERS, "level": "WARNING", "propagate": False},
        "tenken": {"handlers": _LOG_HANDLERS, "level": os.environ.get("TENKEN_LOG_LEVEL", "WARNING"),
                   "propagate": False},
        "axes": {"handlers": _LOG_HANDLERS, "level": "WARNING", "propagate": False},
    },
}

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = STATE_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = STATE_DIR / "media"

# One front door for every role (tenken.web.views.login); /surveys/login/ redirects here.
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# The header and footer of every page (web/base.html). The organization defaults to the signed-in
# person's organization (or, on public pages, the plan's).
TENKEN_SITE_NAME = os.environ.get("TENKEN_SITE_NAME", "tenken 行動計画の点検")
TENKEN_SITE_ORGANIZATION = os.environ.get("TENKEN_SITE_ORGANIZATION", "")
TENKEN_SITE_CONTACT = os.environ.get("TENKEN_SITE_CONTACT", "")

# Mail (notifications of the survey round). Console output by default; SMTP when TENKEN_EMAIL_HOST is set
# (or any backend named by TENKEN_EMAIL_BACKEND).
EMAIL_BACKEND = os.environ.get(
    "TENKEN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("TENKEN_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("TENKEN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TENKEN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TENKEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TENKEN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TENKEN_EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("TENKEN_EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("TENKEN_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("TENKEN_EMAIL_FROM", "tenken@localhost")
# Absolute links in e-mails (e.g. https://tenken.pref.example.lg.jp); when empty, the host of the request that
# sent the mail (`tenken check --deploy` warns: mails sent by jobs and commands would carry relative paths).
TENKEN_BASE_URL = os.environ.get("TENKEN_BASE_URL", "")

# Upload and workbook limits (see tenken.spreadsheets.safety).
TENKEN_MAX_UPLOAD_BYTES = int(os.environ.get("TENKEN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# All files of one request together (several returned workbooks at once); default 10 × the per-file limit.
TENKEN_MAX_UPLOAD_TOTAL_BYTES = int(os.environ.get("TENKEN_MAX_UPLOAD_TOTAL_BYTES", str(10 * TENKEN_MAX_UPLOAD_BYTES)))
TENKEN_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("TENKEN_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
# Uploads are streamed to a temporary file (never held in memory) and checked against the limit
# before any parser sees them; form fields other than files are bounded separately.
FILE_UPLOAD_HANDLERS = ["tenken.spreadsheets.uploads.LimitedTemporaryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("TENKEN_MAX_FORM_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
TENKEN_ANSWER_MAX_CHARS = int(os.environ.get("TENKEN_ANSWER_MAX_CHARS", "10000"))  # per answer field
# Per workbook, checked while reading (tenken.spreadsheets.limits); the first excess stops the read.
TENKEN_MAX_ROWS = int(os.environ.get("TENKEN_MAX_ROWS", "10000"))
TENKEN_MAX_COLUMNS = int(os.environ.get("TENKEN_MAX_COLUMNS", "200"))
TENKEN_MAX_CELLS = int(os.environ.get("TENKEN_MAX_CELLS", "200000"))
TENKEN_MAX_CELL_CHARS = int(os.environ.get("TENKEN_MAX_CELL_CHARS", "32767"))
TENKEN_MAX_MESSAGES = int(os.environ.get("TENKEN_MAX_MESSAGES", "50"))  # shown per refusal, with the total

# Indicator rating (評価): bands from best to worst; ``min_rate`` is an inclusive lower bound on the
# achievement rate as a fraction (see tenken.indicators.rates and docs/indicators.md).
TENKEN_INDICATOR_RATING_BANDS = [
    {"label": "A", "description": "目標を達成", "min_rate": "1.0"},
    {"label": "B", "description": "概ね順調（80%以上）", "min_rate": "0.8"},
    {"label": "C", "description": "やや遅れ（50%以上）", "min_rate": "0.5"},
    {"label": "D", "description": "遅れ（50%未満）", "min_rate": None},
]
# Public read-only REST API (tenken.api): anonymous, JSON only, paginated; schema by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tenken.api.pagination.PublicPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tenken.api.errors.exception_handler",
}
TENKEN_API_MAX_LIMIT = int(os.environ.get("TENKEN_API_MAX_LIMIT", "200"))
SPECTACULAR_SETTINGS = {
    "TITLE": "tenken 公開 API",
    "DESCRIPTION": "行動計画・方針・取組・点検結果（承認済みのみ）の読み取り専用 API。データは CC BY 4.0。",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
}
# A bare JSON view at /bench/ping.json, the baseline of bench/bench_public.py; off unless asked for.
TENKEN_BENCH_VIEWS = os.environ.get("TENKEN_BENCH_VIEWS", "0") == "1"
# Covering indexes (INCLUDE) are a PostgreSQL feature; SQLite simply builds the index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Background jobs (tenken.jobs) on django-tasks. Default: the database backend (no extra server; run
# ``tenken db_worker`` beside the web processes, more of them on more machines against the same
# PostgreSQL). ``TENKEN_TASKS_BACKEND=immediate`` runs every job inside the request (tests, tiny setups).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TENKEN_TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}
# Large work goes to the queue instead of the request (tenken.jobs.uploads): an upload above this many
# bytes of work in total (plan import, returned workbooks, register, indicator CSV; for .xlsx and .zip the
# uncompressed size of their members) or of more than this many files (a ZIP counts its members), and the
# round's all-workbooks ZIP of more than this many departments. Smaller ones stay synchronous.
TENKEN_BACKGROUND_UPLOAD_BYTES = int(os.environ.get("TENKEN_BACKGROUND_UPLOAD_BYTES", str(2 * 1024 * 1024)))
TENKEN_BACKGROUND_UPLOAD_FILES = int(os.environ.get("TENKEN_BACKGROUND_UPLOAD_FILES", "10"))
TENKEN_BACKGROUND_ZIP_RESPONSES = int(os.environ.get("TENKEN_BACKGROUND_ZIP_RESPONSES", "30"))
# Files a finished job produced (TENKEN_STATE_DIR/jobs/) are kept this long, then `tenken jobs-cleanup`
# removes them; uploaded inputs are removed as soon as their job has finished.
# A running job writes a heartbeat (Job.heartbeat_at) every fifth of this; one silent for longer is taken for
# lost (its worker was killed or the machine restarted) and shown as failed, with 「再実行」 (tenken.jobs.services).
# Must exceed the longest pause of a worker under load.
TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS = float(os.environ.get("TENKEN_JOB_HEARTBEAT_TIMEOUT_SECONDS", "300"))
TENKEN_JOB_FILE_RETENTION_HOURS = int(os.environ.get("TENKEN_JOB_FILE_RETENTION_HOURS", str(7 * 24)))

# Caches: local memory by default (per process), Redis when TENKEN_REDIS_URL is set (shared by every
# process and machine; needs the ``redis`` package). Public pages, API lists and open-data files are cached
# keyed on the public version stamp (tenken.public.stamp), which every committed write to public content
# (publishing, withdrawing, a plan edit…) replaces.
if os.environ.get("TENKEN_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["TENKEN_REDIS_URL"], "TIMEOUT": 24 * 3600}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "tenken", "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 2000}}}
TENKEN_PUBLIC_CACHE = os.environ.get("TENKEN_PUBLIC_CACHE", "1") == "1"
# The public version stamp (tenken.public.stamp) with the local-memory cache: one small file shared by
# every process of this machine (web workers, task workers, the CLI — give them the same state directory).
TENKEN_PUBLIC_STAMP_PATH = Path(os.environ.get("TENKEN_PUBLIC_STAMP_PATH", str(STATE_DIR / "public-version")))
# Absolute base of the public site for catalogues (DCAT/CKAN harvesters): "https://example.lg.jp".
# Empty: taken from the request.
TENKEN_PUBLIC_BASE_URL = os.environ.get("TENKEN_PUBLIC_BASE_URL", "").rstrip("/")

# CORS: any origin may read the public API and the open-data files (read-only, no credentials).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/v1/|public/plans/\d+/data/|public/catalog\.jsonld).*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# A report with more 別紙 rows than this is printed to PDF in a short-lived child process, so the process
# that asked for it (the background worker, a web process) does not keep WeasyPrint's memory afterwards.
TENKEN_PDF_CHILD_PROCESS_ROWS = int(os.environ.get("TENKEN_PDF_CHILD_PROCESS_ROWS", "1000"))
# A report with more 別紙 rows than this is printed to PDF in parts of at most this many rows, each in
# its own short-lived child process, and the parts joined into one tagged PDF: memory stays that of one
# part (tenken.reports.renderers.pdf_parts).
TENKEN_PDF_PART_ROWS = int(os.environ.get("TENKEN_PDF_PART_ROWS", "1000"))
