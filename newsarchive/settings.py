"""Settings for newsarchive: one module, driven by environment variables.

Every variable, its default and its meaning is listed in README.md ("Configuration").
Development works with none set: DEBUG on, an embedded PostgreSQL under .data/.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name)


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (50+ random characters; "
            'python -c "import secrets; print(secrets.token_urlsafe(50))")'
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Header middleware sits above DatabaseUnavailableMiddleware so the 503 page gets them.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsarchive.middleware.ContentSecurityPolicyMiddleware",
    # Above everything that can touch the database (sessions, auth, messages, axes), so a
    # PostgreSQL outage anywhere below is a 503 page rather than a 500.
    "newsarchive.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: an editor reads from the primary on every page.
    "newsarchive.db_router.ReplicaReadsMiddleware",
    # Last, so that it sees the outcome of the authentication backends.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "newsarchive.wsgi.application"

# Database: PostgreSQL only. DATABASE_URL wins; without it an embedded server under .data/.
if database_url := env_secret("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url)}
else:
    from newsarchive.embedded_db import default_data_dir, embedded_database_url

    EMBEDDED_DATA_DIR = default_data_dir()
    DATABASES = {"default": dj_database_url.parse(embedded_database_url(EMBEDDED_DATA_DIR))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("newsarchive needs PostgreSQL: DATABASE_URL must be postgres://…")
DATABASES["default"].update(
    # Persistent connections with a health check, so a database restart costs one
    # failed request per connection rather than an outage until the workers restart.
    CONN_MAX_AGE=env_int("CONN_MAX_AGE", 60),
    CONN_HEALTH_CHECKS=True,
)
# Several checkouts or engineers running the suite at once against one server each need
# a test database of their own (the default is test_<NAME>).
if test_database_name := os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_database_name}
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)

# Read replicas (docs/scaling.md): reader-facing pages read from them, everything else
# (editors, writes, commands, workers) uses "default", the primary. None = all on default.
DATABASE_REPLICAS: list[str] = []
replica_urls = env_secret("DATABASE_REPLICA_URLS") or ""
for number, replica_url in enumerate(filter(None, map(str.strip, replica_urls.split(","))), 1):
    replica = dj_database_url.parse(replica_url)
    if not replica["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must be postgres://… URLs")
    replica.update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        # Tests see the primary's test database through it: a replica is a copy of it.
        TEST={"MIRROR": "default"},
    )
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["newsarchive.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login throttling (django-axes): lock a username+client address pair after repeated
# failures. Behind a reverse proxy the client address is the one the proxy puts in
# X-Forwarded-For, believed only from the proxies in TRUSTED_PROXIES (addresses or CIDR
# ranges); otherwise every visitor would share the proxy's address and one stranger could
# lock every editor out.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "newsarchive.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# After logging in an editor lands on the admin index (Django refuses an off-site `next`
# and would otherwise send them to a /accounts/profile/ page that does not exist).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves straight from the app's static/ folders; a deployment
# runs collectstatic once and serves the hashed, compressed copies from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
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

# Security. HTTPS hardening is on by default whenever DEBUG is off; a deployment behind a
# TLS-terminating proxy keeps it and sets SECURE_PROXY_SSL_HEADER via USE_X_FORWARDED_PROTO.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Reading room at scale: a page's one statement reads at most ARCHIVE_FACET_SAMPLE + 1 of the
# newest matches. When that is all of them, its count, facets and timeline are exact and
# shown at once; otherwise the page lists the newest and says "Counting all 2,000+
# matches…" until the exact figures (search.exact_summary, over every match) arrive from
# its counts page, which caches them (below). ARCHIVE_COUNT_CAP bounds the count a page
# makes on its own ("more than 2,000") while it waits. See docs/scaling.md.
ARCHIVE_COUNT_CAP = 2_000
ARCHIVE_FACET_SAMPLE = 2_000

# Shared by every web process and worker: the exact counts (keyed by the archive generation,
# articles/generation.py), the home page's totals and the feeds. The table is created by
# every migrate (articles/apps.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "newsarchive_cache",
        "TIMEOUT": 300,
        # Exact counts of old generations are never read again; culling removes a third of
        # the entries past this many.
        "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 3},
    },
    # Rendered page fragments, in each web process's memory: the article page below its
    # header (articles.views.article_detail). Keyed by the archive generation, so every
    # process renders again after a change; a fragment is a few kilobytes, so 2,000 of
    # them stay under ~20 MB, and they never push the shared exact figures out.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "newsarchive API",
    "DESCRIPTION": "Read-only access to the conflict-news archive for analysts.",
    "VERSION": "1.0.0",
}

# Background tasks (django-tasks; Django 6 has them built in as django.tasks). The database
# backend needs no other service: `manage.py db_worker` runs the queued ingestion.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Ingestion
INGEST_ALLOW_PRIVATE_URLS = env_bool("INGEST_ALLOW_PRIVATE_URLS", False)
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 20 * 1024 * 1024)
INGEST_TIMEOUT_SECONDS = env_int("INGEST_TIMEOUT_SECONDS", 15)
# Text pasted into the admin's import is a form field, bound by this limit (uploads are
# streamed to disk and are not): room for the largest article ingestion accepts, and the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_BYTES + 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # pgserver reports every start and exit at INFO; only its problems matter here.
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The search index beside PostgreSQL (articles/search_index.py, docs/scaling.md): exact
# counts, facets and timelines of any search from tantivy, PostgreSQL's own lexemes at
# their positions. Derived and rebuildable (manage.py search_index rebuild); a request the
# index cannot answer exactly (not built, changes pending, a filter it cannot express)
# is answered by PostgreSQL.
SEARCH_INDEX_ENABLED = os.environ.get("SEARCH_INDEX_ENABLED", "1") not in ("0", "false", "")
SEARCH_INDEX_DIR = Path(
    os.environ.get("SEARCH_INDEX_DIR")
    or BASE_DIR / ".data" / "search-index" / DATABASES["default"]["NAME"]
)
