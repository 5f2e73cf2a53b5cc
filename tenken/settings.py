"""Settings for tenken (``DJANGO_SETTINGS_MODULE=tenken.settings``).

Runtime state (the SQLite file, uploads, collected static files, stored reports) lives under one
directory, ``TENKEN_STATE_DIR`` (default ``./var`` in the current directory, as ``make run`` uses it;
an absolute path in production). The embedded default is SQLite in that directory. PostgreSQL (production) is chosen with
``TENKEN_DB=postgres``; ``TENKEN_PG_*`` override the connection (defaults: 127.0.0.1:5432, trust auth).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent  # the installed package (code and package data only)
STATE_DIR = Path(os.environ.get("TENKEN_STATE_DIR", "var")).resolve()

SECRET_KEY = os.environ.get("TENKEN_SECRET_KEY", "dev-only-not-secret-tenken")
DEBUG = os.environ.get("TENKEN_DEBUG", "1") == "1"
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = STATE_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = STATE_DIR / "media"

LOGIN_URL = "/admin/login/"

EMAIL_BACKEND = os.environ.get("TENKEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Upload and workbook limits (see tenken.spreadsheets.safety).
TENKEN_MAX_UPLOAD_BYTES = int(os.environ.get("TENKEN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
TENKEN_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("TENKEN_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = TENKEN_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = TENKEN_MAX_UPLOAD_BYTES

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
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
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
