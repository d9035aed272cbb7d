"""Settings read from the environment (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS).

With nothing set, the platform runs on a SQLite file under var/ in debug mode, which is what
`make run` on a fresh machine needs. Production sets DEBUG=false and its own SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo logins (password demo12345) only work while this is on; it follows DEBUG unless set.
DEMO_LOGINS_ENABLED = env.bool("DEMO_LOGINS_ENABLED", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "axes",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.members",
    "dangjian.development",
    "dangjian.meetings",
    "dangjian.office",
    "dangjian.stations",
    "dangjian.notices",
    "dangjian.errands",
    "dangjian.cases",
    "dangjian.tasks",
    "dangjian.notifications",
    "dangjian.reviews",
    "dangjian.villages",
    "dangjian.decisions",
    "dangjian.cadres",
    "dangjian.rectification",
    "dangjian.economy",
    "dangjian.projects",
    "dangjian.funds",
    "dangjian.scoring",
    "dangjian.dashboards",
    "dangjian.volunteers",
    "dangjian.liaison",
    "dangjian.joint",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangjian.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangjian.core.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "dangjian.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dangjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.shell",
                "dangjian.core.security.csp_nonce",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dangjian.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Django's PostgreSQL backend with a health check that polls the socket before it pings (core/postgresql).
PG_ENGINE = "dangjian.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = PG_ENGINE
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dangjian.accounts.backends.PlatformBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dangjian.accounts.validators.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"

# Reminders (manage.py send_reminders): e-mail through Django's backend (the console until one is set),
# SMS and WeChat through adapters that only log until a gateway is configured.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@dangjian.local")
NOTIFY_SMS_BACKEND = env("NOTIFY_SMS_BACKEND", default="dangjian.notifications.channels.LogSmsBackend")
NOTIFY_WECHAT_BACKEND = env(
    "NOTIFY_WECHAT_BACKEND", default="dangjian.notifications.channels.LogWechatBackend"
)
# The address people reach this site at, for absolute links in e-mails, SMS and the 3+X pack's files.
SITE_URL = env("SITE_URL", default="")
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Sessions end after 30 minutes without a request (SESSION_IDLE_MINUTES); the expiry moves forward at most
# once a minute (core.middleware.IdleSessionMiddleware), not with a write on every page.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Login throttling (django-axes): 5 failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "dangjian" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "dangjian" / "static"]
# Progress of long imports, read by the page while the upload request is still running: a file
# cache, so every gunicorn worker on the machine sees it (set PROGRESS_CACHE_URL for several machines).
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    "progress": env.cache("PROGRESS_CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}
# Uploaded evidence (documents, photos) is private: served only through scoped views, never as /media/.
# No URL serves MEDIA_ROOT: each app's download view checks scope and sends the file as an attachment
# (docs/security.md). MEDIA_URL is never routed; it only keeps FieldFile.url from pointing anywhere real.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/files/"
# Uploads larger than this go to a temporary file instead of memory; each service enforces its own limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dangjian.accounts.backends.PlatformTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "dangjian.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dangjian.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "乡镇党建办工作平台 API",
    "DESCRIPTION": "所有接口只返回当前用户所辖组织范围内的数据；范围外的对象与不存在的对象一样返回 404。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "dangjian.cases.choices.CaseKind",
        "CaseSourceEnum": "dangjian.cases.choices.Source",
        "CandidateSourceEnum": "dangjian.office.choices.CandidateSource",
        "RectificationStatusEnum": "dangjian.rectification.choices.CaseStatus",
        "RectificationSourceEnum": "dangjian.rectification.choices.Source",
        "RectificationSupportKindEnum": "dangjian.rectification.choices.SupportKind",
        "RectificationVisitItemKindEnum": "dangjian.rectification.choices.VisitItemKind",
        "ActivityKindEnum": "dangjian.cadres.choices.ActivityKind",
        "MentorGradeEnum": "dangjian.cadres.choices.Grade",
        "AssessmentGradeEnum": "dangjian.cadres.choices.AssessmentGrade",
        "AppraisalGradeEnum": "dangjian.meetings.choices.AppraisalGrade",
        "ProjectKindEnum": "dangjian.projects.choices.ProjectKind",
        "ProjectStatusEnum": "dangjian.projects.choices.ProjectStatus",
        "ProjectSourceKindEnum": "dangjian.projects.choices.SourceKind",
        "ProjectFileKindEnum": "dangjian.projects.choices.FileKind",
        "ProjectProgressModeEnum": "dangjian.projects.choices.ProgressMode",
        "VolunteerTeamKindEnum": "dangjian.volunteers.choices.TeamKind",
        "VillageDutyStatusEnum": "dangjian.villages.models.DutyStatus",
        "VillageDutyWeekdayEnum": "dangjian.villages.models.Weekday",
        "StaffRequestKindEnum": "dangjian.office.choices.RequestKind",
        "StaffRequestStatusEnum": "dangjian.office.choices.RequestStatus",
        "StaffRequestActionEnum": "dangjian.office.choices.RequestAction",
        "VolunteerCallOutKindEnum": "dangjian.volunteers.choices.CallOutKind",
        "DeputyKindEnum": "dangjian.liaison.choices.DeputyKind",
        "DeputyLevelEnum": "dangjian.liaison.choices.Level",
        "DeputyContactWayEnum": "dangjian.liaison.choices.ContactWay",
        "DecisionOpinionChannelEnum": "dangjian.decisions.models.Channel",
        "VillageCommitteeKindEnum": "dangjian.villages.models.CommitteeKind",
        "VillagePostKindEnum": "dangjian.villages.models.PostKind",
        "OfficePostKindEnum": "dangjian.office.choices.PostKind",
        "MeetingKindEnum": "dangjian.meetings.choices.MeetingKind",
        "SelectionStepKindEnum": "dangjian.office.choices.StepKind",
        "MeetingFileKindEnum": "dangjian.meetings.choices.FileKind",
        "CaseItemLevelEnum": "dangjian.cases.choices.Level",
        "ReviewStateEnum": "dangjian.reviews.models.ReviewState",
        "AttendanceStatusEnum": "dangjian.meetings.choices.Attendance",
        "DevelopmentCaseStatusEnum": "dangjian.development.models.CaseStatus",
        "MemberStatusEnum": "dangjian.members.choices.MemberStatus",
        "OrgKindEnum": "dangjian.orgs.choices.OrgKind",
        "MobileActivityKindEnum": "dangjian.members.choices.MobileActivityKind",
        "StandingDecisionKindEnum": "dangjian.members.models.StandingDecision.Kind",
        "NotificationKindEnum": "dangjian.notifications.models.Kind",
        "TrainingKindEnum": "dangjian.notices.choices.TrainingKind",
        "DispatchKindEnum": "dangjian.tasks.serializers.DISPATCH_KIND_CHOICES",
        "RoleEnum": "dangjian.core.roles.Role",
        "DecisionStateEnum": "dangjian.decisions.models.State",
        "MeetingStatusEnum": "dangjian.meetings.choices.MeetingStatus",
        "SignInMethodEnum": "dangjian.meetings.choices.SignInMethod",
        "JointPostKindEnum": "dangjian.joint.choices.PostKind",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
FORM_RENDERER = "dangjian.core.form_renderer.FormRenderer"  # Django's templates, select options inline
DJANGO_TABLES2_PAGE_RANGE = 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# HTTPS and browser hardening (docs/security.md). Production defaults apply whenever DEBUG is off;
# each can be turned off from the environment (e.g. SECURE_SSL_REDIRECT=false while testing on http).
# Behind nginx, which terminates TLS and must set X-Forwarded-Proto, Django trusts that header; turn
# TRUST_X_FORWARDED_PROTO off if the app is reachable without the proxy in between.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("TRUST_X_FORWARDED_PROTO", default=not DEBUG) else None
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Operations (docs/deploy.md) -------------------------------------------------------------------
# CONN_MAX_AGE > 0 keeps a worker's database connection between requests; CONN_HEALTH_CHECKS then checks a
# reused connection first (a socket poll, and a ping if the server sent anything), so a PostgreSQL restart or
# a killed backend costs a reconnect, not a failed request (dangjian/core/tests/test_faults.py). Behind
# pgbouncer in transaction mode keep CONN_MAX_AGE=0.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# pgbouncer in transaction mode cannot keep a server-side cursor between transactions.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
# Sessions in the database by default; "django.contrib.sessions.backends.cache" with a Redis CACHE_URL
# makes the app servers stateless.
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
# A read replica for dashboards and reports (off unless DATABASE_REPLICA_URL is set): GET requests under
# REPLICA_PATHS read from it, everything else (and every write) uses the primary (dangjian.core.replica).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = PG_ENGINE
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True, TEST={"MIRROR": "default"}
    )
    DATABASE_ROUTERS = ["dangjian.core.replica.ReplicaRouter"]
    MIDDLEWARE.append("dangjian.core.replica.ReplicaReadsMiddleware")
REPLICA_PATHS = env.list("REPLICA_PATHS", default=["/dashboards/", "/cases/report/"])
