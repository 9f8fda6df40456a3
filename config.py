"""Every setting of the service, read once from the environment (and `.env` via python-dotenv).

`Settings.from_env()` is the only place that reads os.environ; the rest of the code receives a
Settings object. `create_app(config)` accepts a Settings or a dict of overrides for tests.
"""

import os
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
# Browser origins a development machine's own front-ends use; production allows only CORS_ORIGINS.
DEVELOPMENT_CORS_ORIGINS = ("http://localhost:3000", "http://localhost:8000")
MIN_SECRET_BYTES = 32
MIN_SECRET_DISTINCT_CHARACTERS = 8
# A random 32-byte secret deflates to about its own size; one built from a repeated word to far less.
MIN_SECRET_DEFLATED_BYTES = 24


class ConfigurationError(RuntimeError):
    """The configuration cannot be used (e.g. production without secrets)."""


def _bool(value: object, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Settings:
    # --- service ---
    FLASK_ENV: str = "development"
    FLASK_DEBUG: bool = False
    HOST: str = "0.0.0.0"
    PORT: int = 8000
    SECRET_KEY: str = ""
    SERVER_THREADS: int = (
        16  # `python app.py` (waitress): requests served at once; a scrape may wait 30 s on a shop
    )
    PUBLIC_BASE_URL: str = ""  # e.g. https://api.example.com; empty = derive from the request
    INSTANCE_DIR: str = str(BASE_DIR / "instance")

    # --- database ---
    DATABASE_PATH: str = str(BASE_DIR / "database.db")
    DATABASE_URL: str = ""  # postgresql://... wins over DATABASE_PATH when set
    DATABASE_BUSY_TIMEOUT_MS: int = 10000
    DATABASE_POOL_SIZE: int = 20  # PostgreSQL: most connections one process holds
    DATABASE_POOL_TIMEOUT_SECONDS: float = 10.0  # PostgreSQL: wait for a connection, then 503

    # --- auth ---
    JWT_SECRET_KEY: str = ""
    JWT_ALGORITHM: str = "HS256"
    # Sessions (features/auth/sessions.py): a short-lived access token (JWT) and a refresh token that works
    # once; each refresh hands out a new pair. A session not refreshed for REFRESH_TOKEN_DAYS ends.
    ACCESS_TOKEN_MINUTES: int = 15
    REFRESH_TOKEN_DAYS: int = 30
    # The loser of two simultaneous refreshes with one token, this soon after the winner, is refused without
    # ending the session (later, the same token is a replay: the session ends).
    REFRESH_REUSE_GRACE_SECONDS: int = 10
    PASSWORD_MIN_LENGTH: int = 8
    # Failed sign-ins per account (any address, last hour) before an address that keeps failing must wait
    # 1, 2, 4 ... seconds (at most LOGIN_MAX_DELAY_SECONDS) between its attempts; a correct password from
    # an address without failures always signs in.
    LOGIN_FREE_FAILURES: int = 5
    LOGIN_MAX_DELAY_SECONDS: int = 900
    LOGIN_FAILURE_WINDOW_SECONDS: int = 3600
    PASSWORD_RESET_MINUTES: int = 30  # a reset code (and its link) works once, for this long
    # Where the reset link of the email points; {token} is replaced by the code. Empty: this server's own
    # page, /reset-password#token=..., on PUBLIC_BASE_URL (or, outside production, the request's host).
    PASSWORD_RESET_URL: str = ""

    # --- mail (shared/mail.py) ---
    SMTP_HOST: str = ""  # empty: messages are written to MAIL_DIR as .eml files instead (development)
    SMTP_PORT: int = 587
    SMTP_USERNAME: str = ""  # empty: no AUTH
    SMTP_PASSWORD: str = ""
    # Upgrade the connection with STARTTLS (certificate checked against the system's CAs, or SSL_CERT_FILE's)
    # before AUTH and the message.
    SMTP_STARTTLS: bool = True
    SMTP_TIMEOUT_SECONDS: float = 10.0
    MAIL_FROM: str = "Because Future <no-reply@localhost>"
    MAIL_DIR: str = ""  # empty: INSTANCE_DIR/mail
    MAIL_QUEUE_SIZE: int = (
        1000  # messages waiting to be sent per process; past it new ones are dropped (logged)
    )

    # --- HTTP surface ---
    CORS_ORIGINS: tuple[str, ...] = ()  # empty: none in production, DEVELOPMENT_CORS_ORIGINS in development
    MAX_UPLOAD_SIZE: int = 6 * 1024 * 1024  # per file
    MAX_REQUEST_SIZE: int = 32 * 1024 * 1024  # whole body (multi-garment uploads carry several files)
    MAX_ACCOUNT_BODY_SIZE: int = (
        16 * 1024
    )  # JSON bodies of sign-up, login, profile and body-measurement endpoints
    MAX_JSON_BODY_SIZE: int = (
        256 * 1024
    )  # JSON bodies of endpoints that declare no limit of their own (json_limit)
    MAX_FORM_PARTS: int = 1000  # fields and files of one multipart form
    # Idempotency-Key (shared/idempotency.py): how long a first answer is replayed; how long a repeat waits for
    # the first request to end before 409 IDEMPOTENCY_IN_PROGRESS; after how long a first request that never
    # ended (its process died) lets go of its key, so a retry runs again.
    IDEMPOTENCY_TTL_HOURS: float = 24.0
    IDEMPOTENCY_WAIT_SECONDS: float = 5.0
    IDEMPOTENCY_LEASE_SECONDS: float = 300.0

    # --- images ---
    IMAGES_DIR: str = str(BASE_DIR / "images")
    IMAGES_BASE_URL: str = "/images"
    IMAGE_URL_TTL: int = 24 * 3600
    MAX_IMAGE_DIMENSION: int = 4096
    WARDROBE_IMAGE_MAX_DIMENSION: int = 2048  # stored wardrobe images are shrunk to fit this
    STORAGE_BACKEND: str = "local"
    S3_BUCKET: str = ""
    S3_REGION: str = "us-east-1"
    S3_ENDPOINT_URL: str = ""
    S3_ACCESS_KEY_ID: str = ""
    S3_SECRET_ACCESS_KEY: str = ""

    # --- AI image models ---
    AI_PROVIDER: str = "auto"  # auto | gemini | local
    BACKGROUND_REMOVAL_PROVIDER: str = "local"  # local | gemini
    GEMINI_API_KEY: str = ""
    # Ordered, comma-separated: the first one this key can use is called (asked of the API at start-up,
    # every GEMINI_MODEL_REFRESH_SECONDS and at once after a 404).
    GEMINI_MODEL_NAME: str = "gemini-3.1-flash-image,gemini-3-pro-image,gemini-2.5-flash-image"
    # The cheap text model for reading garment photos (and pages): the same ordered list rule.
    GEMINI_TEXT_MODEL_NAME: str = "gemini-flash-lite-latest,gemini-2.5-flash-lite,gemini-flash-latest"
    GEMINI_MODEL_REFRESH_SECONDS: float = 900.0
    GEMINI_IMAGE_SIZE: str = "1K"  # 1K | 2K | 4K
    # USD per million tokens, `model=input/text_output/image_output`; a name also prices the names it starts
    # (gemini-3-pro-image prices gemini-3-pro-image-preview). Estimates: check Google's price list.
    GEMINI_PRICES: str = (
        "gemini-3.1-flash-image=0.5/3/60,gemini-3-pro-image=2/12/120,"
        "gemini-2.5-flash-image=0.3/2.5/30,gemini-flash-lite-latest=0.1/0.4/0,"
        "gemini-2.5-flash-lite=0.1/0.4/0,gemini-flash-latest=0.3/2.5/0,gemini-2.5-flash=0.3/2.5/0"
    )
    GEMINI_BASE_URL: str = ""
    GEMINI_TIMEOUT_SECONDS: float = 60.0
    GEMINI_MAX_ATTEMPTS: int = 3
    GEMINI_RETRY_DELAY_SECONDS: float = 1.0  # first back-off; doubles per attempt, plus up to as much jitter
    # A photo's use (counted per process) at which it is also uploaded to the Gemini Files API in the background,
    # to be named by uri instead of sent inline while the upload lasts (48 h); 0 sends every photo inline.
    GEMINI_UPLOAD_ON_USE: int = 2
    # The product-page AI reader (features/garments/extractors/ai_reader.py): a text model, only with a key.
    PRODUCT_AI_READER: str = "auto"  # auto (on when GEMINI_API_KEY is set) | off
    PRODUCT_AI_READER_MODEL: str = "gemini-flash-lite-latest"
    PRODUCT_AI_READER_TIMEOUT_SECONDS: float = 15.0
    PRODUCT_AI_READER_MAX_INPUT_TOKENS: int = 3000

    # --- try-on jobs ---
    JOB_QUEUE: str = "thread"  # thread | rq
    REDIS_URL: str = ""
    WORKER_PROCESSES: int = 4  # scripts/worker.py processes (JOB_QUEUE=rq); each runs one job at a time
    TRYON_WORKERS: int = 50  # worker threads; model calls are I/O-bound, so threads waiting on them are cheap
    MAX_QUEUE_SIZE: int = 50
    MAX_JOBS_PER_USER: int = 5
    TRYON_DAILY_LIMIT: int = 50  # Gemini try-ons per user per UTC day (0 = no limit; local ones are free)
    JOB_TIMEOUT_SECONDS: int = 120
    JOB_INPUT_RETENTION_HOURS: int = 24
    # image files no row references (a process killed between writing one and committing its row)
    IMAGE_SWEEP_INTERVAL_SECONDS: int = 3600  # a background sweep this often, one process at a time (0: none)
    IMAGE_SWEEP_GRACE_SECONDS: int = 3600  # only files older than this go: a request in flight keeps its file
    # GET /api/job/<id>/events (Server-Sent Events): each open stream holds one server thread
    EVENT_STREAM_POLL_SECONDS: float = 0.5  # how often a stream reads its job's row
    EVENT_STREAM_HEARTBEAT_SECONDS: float = 15.0  # a `: keep-alive` comment after this long without an event
    EVENT_STREAM_MAX_SECONDS: float = 300.0  # then the stream ends with a `retry:` hint (clients reconnect)
    MAX_EVENT_STREAMS: int = 4  # streams open at once per process (503 EVENT_STREAMS_BUSY beyond)
    MAX_EVENT_STREAMS_PER_USER: int = 2  # one user's streams open at once, all processes (429)

    # --- try-on callbacks (features/webhooks) ---
    WEBHOOK_TIMEOUT_SECONDS: float = 10.0  # one delivery: connect, send, the receiver's status line
    WEBHOOK_MAX_ATTEMPTS: int = 8  # then the delivery is failed
    WEBHOOK_RETRY_BASE_SECONDS: float = (
        30.0  # wait after the first failure; doubles per attempt, ±20 % jitter
    )
    WEBHOOK_WORKERS: int = 4  # deliveries in flight per web process
    WEBHOOK_RETENTION_DAYS: int = 7  # delivered and failed deliveries are then deleted

    # --- product pages ---
    SCRAPER_ALLOW_PRIVATE_NETWORKS: bool = False  # test-only: shop pages and callbacks on 127.0.0.1
    SCRAPER_CONNECT_TIMEOUT: float = 5.0
    SCRAPER_READ_TIMEOUT: float = 15.0
    SCRAPER_TOTAL_TIMEOUT: float = 30.0  # one fetch, connect to last body byte, redirects included
    SCRAPER_MAX_HTML_BYTES: int = 5 * 1024 * 1024
    SCRAPER_MAX_IMAGE_BYTES: int = 15 * 1024 * 1024
    MAX_CLIENT_HTML_BYTES: int = 5 * 1024 * 1024
    GARMENT_CACHE_TTL_HOURS: int = 24
    EXTRACTION_TIMEOUT_SECONDS: float = 10.0  # CPU seconds to read one page; a worker past it is killed
    EXTRACTION_WORKERS: int = (
        3  # extraction processes per process, started when needed (> MAX_PAGE_READS_PER_CLIENT)
    )
    EXTRACTION_MEMORY_LIMIT_MB: int = 1024  # address space of an extraction process

    # --- rate limits (flask-limiter syntax) ---
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_STORAGE_URI: str = ""  # empty: memory, or Redis when REDIS_URL is set
    RATELIMIT_LOGIN: str = "10 per minute"
    RATELIMIT_REFRESH: str = "30 per minute"  # per client IP, like sign-in (a refresh token is a credential)
    RATELIMIT_EMAIL_CHANGE: str = "5 per hour"  # per user: each attempt needs the password, like a sign-in
    RATELIMIT_CREATE_ACCOUNT: str = "10 per hour"
    RATELIMIT_FORGOT_PASSWORD: str = "20 per hour"  # per client IP
    RATELIMIT_FORGOT_PASSWORD_EMAIL: str = "5 per hour"  # per email address asked about, known or not
    RATELIMIT_RESET_PASSWORD: str = "10 per minute"  # per client IP
    RATELIMIT_REMOVE_BG: str = "10 per minute"
    RATELIMIT_SCRAPE: str = "30 per minute"
    RATELIMIT_CATEGORIZE: str = (
        "30 per minute"  # anonymous; an image_url is downloaded, an image may go to Gemini
    )
    MAX_PAGE_READS_PER_CLIENT: int = (
        2  # requests of one IP reading shop pages at once (each may wait 30 s on a shop)
    )
    RATELIMIT_TRYON: str = "30 per minute"
    RATELIMIT_FITTING: str = "60 per minute"  # per user; a fit check by url may fetch the product page

    # --- metrics ---
    METRICS_TOKEN: str = (
        ""  # GET /metrics needs `Authorization: Bearer <token>`; empty = loopback callers only
    )

    # --- logging ---
    LOG_DIR: str = str(BASE_DIR / "logs")
    LOG_LEVEL: str = "INFO"
    LOG_TO_FILES: bool = True

    extra: dict[str, object] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.FLASK_ENV == "production"

    @property
    def cors_origins(self) -> tuple[str, ...]:
        """Origins browsers may call from: CORS_ORIGINS, else the local front-ends outside production."""
        return self.CORS_ORIGINS or (() if self.is_production else DEVELOPMENT_CORS_ORIGINS)

    @property
    def mail_dir(self) -> Path:
        """Where messages go without SMTP_HOST: MAIL_DIR, else the mail folder of INSTANCE_DIR."""
        return Path(self.MAIL_DIR) if self.MAIL_DIR else Path(self.INSTANCE_DIR) / "mail"

    @property
    def max_image_body_size(self) -> int:
        """JSON bodies that may carry one uploaded image in base64 (4/3 of its bytes) plus a few text fields."""
        return -(-self.MAX_UPLOAD_SIZE // 3) * 4 + 256 * 1024

    @property
    def max_page_body_size(self) -> int:
        """JSON bodies that may carry a product page's html: the html limit twice over (escapes) plus the rest."""
        return 2 * self.MAX_CLIENT_HTML_BYTES + 64 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, load_dotenv_file: bool = True) -> "Settings":
        """Build settings from the environment (after loading .env unless disabled)."""
        if env is None:
            if load_dotenv_file:
                load_dotenv(BASE_DIR / ".env", override=False)
            env = os.environ
        values: dict[str, Any] = {}  # each setting's value, of its field's type (_coerce)
        for f in fields(cls):
            if f.name == "extra" or f.name not in env:
                continue
            values[f.name] = _coerce(f, env[f.name])
        return cls(**values)

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> "Settings":
        """These settings with the given ones changed (text is coerced to the setting's type, as from_env)."""
        known = {f.name: f for f in fields(self)}
        coerced: dict[str, Any] = {}  # each setting's value, of its field's type
        for key, value in (overrides or {}).items():
            if key not in known:
                raise ConfigurationError(f"Unknown setting {key}")
            coerced[key] = _coerce(known[key], value) if isinstance(value, str) else value
        return replace(self, **coerced)


def _coerce(f: Field[Any], raw: str) -> bool | int | float | tuple[str, ...] | str:
    default = f.default
    if isinstance(default, bool):
        return _bool(raw, default)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(_list(raw))
    return raw


def finalize_secrets(settings: Settings) -> Settings:
    """Production must bring its own secrets; development gets random ones kept in instance/.

    The development secrets are generated per machine (never hard-coded), so a token minted on a
    developer's laptop is worthless anywhere else.
    """
    if settings.is_production:
        missing = [name for name in ("SECRET_KEY", "JWT_SECRET_KEY") if not getattr(settings, name)]
        if missing:
            raise ConfigurationError(
                f"FLASK_ENV=production requires {' and '.join(missing)} to be set "
                "(see env.template); refusing to start with generated secrets."
            )
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            weakness = secret_weakness(getattr(settings, name))
            if weakness:
                raise ConfigurationError(
                    f"{name} {weakness}; generate one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
                )
        return settings
    updates: dict[str, Any] = {}  # setting → a generated secret (str; Any: replace() takes every type)
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        if not getattr(settings, name):
            updates[name] = _dev_secret(Path(settings.INSTANCE_DIR), name)
    return replace(settings, **updates) if updates else settings


def secret_weakness(secret: str) -> str | None:
    """Why a signing secret could be guessed offline from one token, or None when it is strong enough.

    Low variety means fewer than 8 distinct characters, or a secret so repetitive ("changeme-changeme-...",
    "password1password2...") that deflate squeezes it below 24 bytes (~192 bits); random keys of 32 bytes
    or more (hex, base64) pass both.
    """
    data = secret.encode("utf-8")
    if len(data) < MIN_SECRET_BYTES:
        return f"must be at least {MIN_SECRET_BYTES} bytes long (it has {len(data)})"
    if len(set(secret)) < MIN_SECRET_DISTINCT_CHARACTERS:
        return f"has low variety: fewer than {MIN_SECRET_DISTINCT_CHARACTERS} distinct characters"
    if len(zlib.compress(data, 9)) - len(zlib.compress(b"", 9)) < MIN_SECRET_DEFLATED_BYTES:
        return "has low variety: it is built from repeated parts"
    return None


def _dev_secret(instance_dir: Path, name: str) -> str:

    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / f"dev-{name.lower()}"
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(value)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return value
