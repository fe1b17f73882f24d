"""Settings for Banten PM.

Every deployment choice comes from an environment variable with a safe development
default: a SQLite file, eager Celery and emails written to files. With DEBUG off the
app refuses to start without a real SECRET_KEY.
"""

import copy
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram search index (OpClass in index expressions); inert on SQLite
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "regions",
    "programs",
    "beneficiaries",
    "reports",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SlidingSessionMiddleware",  # after it: marks the session to save, or not
    "core.middleware.PageLanguageMiddleware",
    "core.middleware.RefuseNulMiddleware",  # before anything reads a filter or a form
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.access.AccessLogMiddleware",  # the personal-data access log: one INSERT a request
    "django_otp.middleware.OTPMiddleware",
    "regions.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked sign-in (any door) into the 429 of core.signin.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "banten_pm.urls"
WSGI_APPLICATION = "banten_pm.wsgi.application"
ASGI_APPLICATION = "banten_pm.asgi.application"

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


def pool_options(value: str) -> dict[str, int] | None:
    """DATABASE_POOL -> the sizes of psycopg's connection pool, or None for no pool.

    "" / "false" / "off": no pool; "true" / "on": 2 to 4 connections; "N": N connections;
    "MIN:MAX": from MIN up to MAX. Each process (a gunicorn or Celery worker) keeps its own.
    """
    text = value.strip().lower()
    if text in ("", "false", "off", "no"):
        return None
    if text in ("true", "on", "yes"):
        return {"min_size": 2, "max_size": 4}
    low, sep, high = text.partition(":")
    try:
        sizes = {"min_size": int(low), "max_size": int(high if sep else low)}
    except ValueError:
        sizes = {}
    if not sizes or sizes["min_size"] < 0 or sizes["max_size"] < max(sizes["min_size"], 1):
        raise ImproperlyConfigured(
            f"DATABASE_POOL must be true, false, a size (4) or MIN:MAX with MIN <= MAX (2:8), not {value!r}."
        )
    return sizes


def database_settings(url: str, *, conn_max_age: int, pool: dict[str, int] | None) -> dict:
    """One entry of DATABASES from its URL. A pool needs PostgreSQL and CONN_MAX_AGE 0:
    Django refuses persistent connections on a pooled database, say so at start-up."""
    database = env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    database["CONN_MAX_AGE"] = conn_max_age
    if pool is not None:
        if "postgresql" not in database["ENGINE"]:
            raise ImproperlyConfigured("DATABASE_POOL needs PostgreSQL (a postgres:// DATABASE_URL).")
        if conn_max_age:
            raise ImproperlyConfigured("DATABASE_POOL needs CONN_MAX_AGE=0: the pool keeps the connections.")
        database.setdefault("OPTIONS", {})["pool"] = dict(pool)
    return database


def replica_settings(url: str, default: dict, *, conn_max_age: int, pool: dict[str, int] | None) -> dict:
    """The "replica" alias: DATABASE_REPLICA_URL, or, when unset, a copy of default that
    nothing reads (REPORTS_DATABASE stays "default"). Tests read the same test database
    (Django's TEST MIRROR). A PostgreSQL replica session is read-only, as a streaming
    replica is: a write sent there by mistake fails instead of landing on a mirror."""
    replica = database_settings(url, conn_max_age=conn_max_age, pool=pool) if url else copy.deepcopy(default)
    if url and "postgresql" in replica["ENGINE"]:
        options = replica.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
    replica["TEST"] = {"MIRROR": "default"}
    return replica


CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=0)
DATABASE_POOL = pool_options(env.str("DATABASE_POOL", default=""))
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASES = {
    "default": database_settings(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=CONN_MAX_AGE,
        pool=DATABASE_POOL,
    )
}
DATABASES["replica"] = replica_settings(
    DATABASE_REPLICA_URL, DATABASES["default"], conn_max_age=CONN_MAX_AGE, pool=DATABASE_POOL
)
# Reports and exports read here (reports/selectors.py, explicitly); everything else reads
# and writes the primary, so a page always sees what it has just written.
REPORTS_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["banten_pm.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "regions.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "regions.backends.PermissionsInOneQueryBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity: a phone left on a village office desk logs itself out.
# The expiry slides with every request (core.middleware.SlidingSessionMiddleware), written at
# most once every SESSION_REFRESH_SECONDS rather than on every request: a page view costs no
# UPDATE of the session row, and the idle limit holds to within that minute.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 2)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sign-in failures (core/signin.py): per username and per client address, on every door
# (/masuk/, /admin/login/, the API token). While locked even the right password is refused.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
# Proxies in front that append to X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks, apart
AXES_HANDLER = "core.signin.SignInHandler"
AXES_LOCKOUT_CALLABLE = "core.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.signin.client_address"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, not only the running count
AXES_RESET_ON_SUCCESS = True  # a success clears the username's count (the address's stays)
# A try while locked does not restart the cool-off: the owner of a username an attacker
# hammers still gets back in when the stated wait is over.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "core.signin.username_of"

# Reads per user on the API (api/throttles.py): every read, and the detail reads of a person
# or household (full NIKs and KK to those who may see them), as "N/second|minute|hour|day".
API_READ_RATE = env.str("API_READ_RATE", default="600/hour")
API_IDENTITY_READ_RATE = env.str("API_IDENTITY_READ_RATE", default="30/hour")

# API tokens lapse after this many days without use (api/auth.py).
API_TOKEN_IDLE_DAYS = env.int("API_TOKEN_IDLE_DAYS", default=30)

# The second factor (TOTP, django-otp) for the officials who use the admin (regions.policy).
OTP_TOTP_ISSUER = "Banten PM"
# The admin never shows a TOTP secret or its QR code again (enrolment is /verifikasi/daftar/):
# its config and QR views answer 403 to everyone, for a device that exists or not.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "id"
# Dates as officials write them: "12 Maret 2025", "12-03-2025".
FORMAT_MODULE_PATH = ["core.formats"]
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# Ahead of every app's catalogue: locale/en translates our (Indonesian) msgids, locale/id
# only third-party English ones that ship no Indonesian (unfold's).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email: written to files in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "emails"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Banten PM <noreply@bantenprov.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: eager (in-process) unless a Redis broker is configured.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker keeps Django's LOGGING (and its personal-data filter) instead of its own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat copies these into its database schedule at start: the outbox drain publishes, each
# minute, the tasks kept while the broker was down (core.outbox).
CELERY_BEAT_SCHEDULE = {
    "antrean-keluar": {
        "task": "core.tasks.drain_outbox",
        "schedule": env.float("OUTBOX_DRAIN_SECONDS", default=60.0),
    },
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# One queue per kind of work, so each gets its own workers and scales apart: a large import
# never delays the reports, a slow mail server never holds up a dispatch.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "beneficiaries.tasks.run_import": {"queue": "imports"},
    "reports.tasks.dispatch_monthly_reports": {"queue": "reports"},
    "reports.tasks.send_report": {"queue": "email"},  # renders the report, then mails it
}

# Household imports (P3KE / DTSEN): limits on hostile files and where uploads are kept.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=20 * IMPORT_MAX_BYTES)
IMPORT_MAX_ZIP_MEMBERS = env.int("IMPORT_MAX_ZIP_MEMBERS", default=200)
IMPORT_BATCH_SIZE = env.int("IMPORT_BATCH_SIZE", default=2000)
IMPORT_STORAGE_DIR = env.path("IMPORT_STORAGE_DIR", default=str(VAR_DIR / "imports"))

# One cache shared by every process (the API's login limiter counts failures in it).
# CACHE_URL may name its own Redis database, apart from the Celery broker's.
CACHES = {"default": env.cache_url("CACHE_URL", default=REDIS_URL or "locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", "banten-pm")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down must not turn every API call and save into a 500 (core.cache); and a
    # Redis that does not answer costs a request a second at most, not the OS timeout.
    CACHES["default"]["BACKEND"] = "core.cache.TolerantRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.ReadThrottle", "api.throttles.IdentityReadThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Banten PM API",
    "DESCRIPTION": "Pemberdayaan masyarakat Provinsi Banten: households, cases and their stages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are a map of the data: only for signed-in users (token or session).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegencyKindEnum": "regions.models.Regency.Kind",
        "VillageKindEnum": "regions.models.Village.Kind",
        "PartnerKindEnum": "programs.models.Partner.Kind",
        "AssistanceKindEnum": "beneficiaries.models.cases.AssistanceKind",
        "MoveKindEnum": "beneficiaries.models.StageTransition.Kind",
        "MoveStateEnum": "beneficiaries.models.MoveState",
        "MoveTargetEnum": "beneficiaries.models.Target",
        "CaseStatusEnum": "beneficiaries.models.CaseStatus",
        "CapitalAccessStatusEnum": "beneficiaries.models.CapitalAccess.Status",
        "FollowUpStatusEnum": "beneficiaries.models.FollowUpStatus",
        "CloseReasonEnum": "beneficiaries.models.CloseReason",
        "InterventionKindEnum": "beneficiaries.models.InterventionKind",
        "HazStatusEnum": "beneficiaries.growth.who.HazStatus",
        "WazStatusEnum": "beneficiaries.growth.who.WazStatus",
        "WhzStatusEnum": "beneficiaries.growth.who.WhzStatus",
        "BusinessFollowUpKindEnum": "beneficiaries.models.FollowUpKind",
        "BusinessStatusEnum": "beneficiaries.models.BusinessStatus",
        "CapitalHelpStatusEnum": "beneficiaries.models.CapitalHelpStatus",
    },
}

UNFOLD = {
    "SITE_TITLE": "Banten PM",
    "SITE_HEADER": "Banten PM",
    "SITE_SUBHEADER": _("Pemberdayaan Masyarakat Provinsi Banten"),
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("favicon.svg")},
    ],
    "STYLES": [lambda request: static("css/admin.css")],
    "SHOW_HISTORY": True,
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "beneficiaries.admin_dashboard.dashboard_callback",
    "COLORS": {
        "primary": {
            "50": "oklch(97.7% .014 180)",
            "100": "oklch(95.3% .051 180)",
            "200": "oklch(91% .096 180)",
            "300": "oklch(85.5% .138 181)",
            "400": "oklch(77.7% .152 182)",
            "500": "oklch(70.4% .14 182)",
            "600": "oklch(50% .1 185)",  # darker than unfold's teal: 4.5:1 on white (axe)
            "700": "oklch(45% .09 186)",
            "800": "oklch(43.7% .078 188)",
            "900": "oklch(38.6% .063 188)",
            "950": "oklch(27.7% .046 192)",
        },
        # unfold's subtle grey on its light panels falls under 4.5:1; one step darker.
        "font": {
            "subtle-light": "var(--color-base-600)",
            "default-light": "var(--color-base-700)",
            "important-light": "var(--color-base-900)",
            "subtle-dark": "var(--color-base-400)",
            "default-dark": "var(--color-base-300)",
            "important-dark": "var(--color-base-100)",
        },
    },
}

# No NIK, KK or name in any log line (UU 27/2022): every handler, Django's own included
# (runserver's request lines, mail to admins), passes through the redacting filter.
# Content-Security-Policy (django-csp): our own scripts and styles only, nothing inline,
# nothing from another host. The browser tests fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# What code we do not own needs on top (core.middleware.ContentSecurityPolicyMiddleware):
# unfold's Alpine.js evaluates its x- attributes (unsafe-eval) and writes style attributes;
# Swagger UI styles inline. Our own admin templates keep their CSS in static files.
CSP_PATH_RELAXATIONS = {
    "/admin/": {"script-src": ["'unsafe-eval'"], "style-src": ["'unsafe-inline'"]},
    "/api/v1/docs/": {"style-src": ["'unsafe-inline'"]},
}
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "usb", "interest-cohort",
]  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "core.logging.RedactPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["personal_data"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# HTTPS. Production (DEBUG off) defaults to the strict set `check --deploy` asks for;
# development stays on plain http://127.0.0.1:8000. Behind a proxy that ends TLS, the proxy
# must set X-Forwarded-Proto (and strip it from clients): BEHIND_TLS_PROXY trusts it.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Only allows the domain to be submitted to the browsers' preload list (a separate, manual
# step); check --deploy asks for it.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
