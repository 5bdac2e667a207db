"""Django settings. Embedded default: SQLite under XUANJU_DATA (./data); DATABASE_URL for PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url

from xuanju.hosting import hosting

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("XUANJU_DATA", Path.cwd() / "data")).resolve()


def private_dir(path: Path) -> Path:
    """``path`` created if missing and kept 0700: the data folder holds ID numbers and ballots."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        with contextlib.suppress(PermissionError):  # another owner's folder: left as they set it
            path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """``path`` created empty if missing, with mode 0600 from the start (no window at 0644), and an
    existing file tightened to 0600. SQLite gives its -wal and -shm files the database's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return path


def _secret_key() -> str:
    """From the environment, or a key generated once and kept in the data folder."""
    if key := os.environ.get("XUANJU_SECRET_KEY"):
        return key
    private_dir(DATA_DIR)
    path = private_file(DATA_DIR / "secret_key")
    if not path.stat().st_size:
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("XUANJU_DEBUG") == "1"
# Host names, HTTPS and the reverse proxy: see xuanju/hosting.py and docs/deploy.md.
HOSTING = hosting(os.environ)
ALLOWED_HOSTS = HOSTING.allowed_hosts
CSRF_TRUSTED_ORIGINS = HOSTING.csrf_trusted_origins
SECURE_PROXY_SSL_HEADER = HOSTING.proxy_ssl_header

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xuanju.accounts",
    "xuanju.audit",
    "xuanju.organizations",
    "xuanju.elections",
    "xuanju.counting",
    "xuanju.documents",
    "xuanju.supervision",
    "xuanju.vetting",
    "xuanju.reserve",
    "xuanju.congress",
    "xuanju.campaigns",
    "xuanju.limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xuanju.csp.ContentSecurityPolicyMiddleware",
    "xuanju.limits.body.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "xuanju.accounts.middleware.AccountStateMiddleware",
    "xuanju.venue.middleware.VenueOnlyMiddleware",  # a venue laptop serves the meeting only
]

ROOT_URLCONF = "xuanju.urls"
WSGI_APPLICATION = "xuanju.wsgi.application"

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
                "xuanju.csp.nonce",
                "xuanju.accounts.inbox.navigation",
            ],
            "builtins": ["xuanju.display"],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    private_dir(DATA_DIR)
    # The database, its WAL and shared-memory files and the stored files hold ID numbers: 0600.
    for _suffix in ("", "-wal", "-shm"):
        if _suffix == "" or (DATA_DIR / f"xuanju.sqlite3{_suffix}").exists():
            private_file(DATA_DIR / f"xuanju.sqlite3{_suffix}")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "xuanju.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of one failing
                # mid-transaction; WAL lets readers go on while one writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # synchronous=FULL: in WAL mode NORMAL may lose the last commits on a power loss
                # (the WAL is not synced at each commit); FULL syncs it before COMMIT returns, so a
                # ballot entry the counter saw acknowledged survives even a power cut (DESIGN.md,
                # Durability). Each commit costs one fsync, which counting at desk speed never feels.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (per user name) after five failed logins for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Successful logins are not logged: login times and addresses must never help re-link a voter to
# a ballot (R-SUP-1). Failures are kept only for the lockout.
AXES_DISABLE_ACCESS_LOG = True
# Locking by user name alone is deliberate: an attacker rotating addresses must not get more tries.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after two idle hours (every request renews them) and when the browser closes.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HOSTING.https
SECURE_SSL_REDIRECT = HOSTING.https
SECURE_HSTS_SECONDS = HOSTING.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = HOSTING.hsts_subdomains
SECURE_HSTS_PRELOAD = HOSTING.hsts_preload
if HOSTING.https and not HOSTING.hsts_preload:
    # The preload list is the domain owner's commitment for every subdomain (XUANJU_HSTS_PRELOAD=1
    # opts in); not being on it is a choice, not a misconfiguration.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Always Simplified Chinese, whatever the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# Each new head of the audit chain, appended after every transaction that moves it (R-SUP-4): keep
# it where the database's users cannot rewrite it, or point it at a file shipped elsewhere.
AUDIT_HEADS_LOG = Path(os.environ.get("XUANJU_AUDIT_HEADS_LOG", DATA_DIR / "audit-heads.log"))
# Stored files (documents, parked uploads) are readable by the server's account only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A batch of scanned ballots is one upload of many files (Django refuses more than 100 by default).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# Form fields other than files stay small; an uploaded file above 2.5 MB goes to a temporary file
# instead of memory. Whole requests are bounded per route (xuanju/limits/body.py), each scanned
# file by xuanju.paper.bounds (bytes, pages, pixels per page, checked before decoding).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background tasks (django-tasks): uploaded scans are read by a worker, `xuanju worker`, which
# `xuanju serve` starts beside the web server (docs/deploy.md). The queue is a table of the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The offline venue kit (xuanju/venue, docs/venue.md): the county's signing key lives in KEYS_DIR on
# the central system; a venue laptop keeps its meeting package, its own key and its state in VENUE_DIR.
KEYS_DIR = Path(os.environ.get("XUANJU_KEYS_DIR", DATA_DIR / "keys"))
VENUE_DIR = DATA_DIR / "venue"
