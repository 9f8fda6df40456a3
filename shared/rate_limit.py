"""Rate limits (flask-limiter) and a bound on the requests one client runs at once.

Use as `@limit("RATELIMIT_LOGIN")` — the setting's value is read per request, so tests and
deployments change limits through configuration only. Limits count in memory by default, in Redis
when configured. A 429 carries Retry-After; no other answer does (the limiter's own headers are off,
so a 200 never carries one and a queue's own estimate is never overwritten).

The delay after failed sign-ins is the auth feature's (features/auth/login_delay.py).

`@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")` bounds how many requests of one client run at once
in this process: a request reading a shop's page may wait on the shop for up to SCRAPER_TOTAL_TIMEOUT,
and a rate limit alone would let one client hold every server thread that long.
"""

import math
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from config import Settings
from shared import clock
from shared.auth import verify_token
from shared.errors import ApiError, RateLimitedError

limiter = Limiter(key_func=get_remote_address, headers_enabled=False)
View = TypeVar("View", bound=Callable[..., Any])


def init_app(app: Flask, settings: Settings) -> None:
    storage = settings.RATELIMIT_STORAGE_URI or (settings.REDIS_URL or "memory://")
    # While Redis is unreachable each process counts in memory (limits stay on, requests never fail).
    app.config.update(
        RATELIMIT_ENABLED=settings.RATELIMIT_ENABLED,
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_HEADERS_ENABLED=False,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    limiter.init_app(app)


def limit(
    setting_name: str,
    key_func: Callable[[], str] | None = None,
    scope: str | None = None,
    exempt_when: Callable[[], bool] | None = None,
) -> Callable[[View], View]:
    """Decorator applying the limit named by a setting, keyed per client IP unless key_func is given (the API
    document shows the setting's value)."""
    limited = limiter.limit(
        lambda: str(getattr(current_app.extensions["settings"], setting_name)),
        key_func=key_func,
        scope=scope,
        exempt_when=exempt_when,
    )

    def decorate(view: View) -> View:
        limited_view = cast(View, limited(view))  # the same view, behind the limiter
        setattr(limited_view, "rate_limit_setting", setting_name)  # noqa: B010  (read by features/docs/openapi.py)
        return limited_view

    return decorate


_running: dict[str, int] = {}
_running_lock = threading.Lock()


def at_once_per_client(setting_name: str) -> Callable[[View], View]:
    """Decorator: at most the setting's number of this client's requests (per IP, across every endpoint so
    decorated) run at once in this process; one more is 429 TOO_MANY_CONCURRENT_REQUESTS."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            settings = current_app.extensions["settings"]
            if not settings.RATELIMIT_ENABLED:
                return view(*args, **kwargs)
            key, allowed = get_remote_address() or "unknown", getattr(settings, setting_name)
            with _running_lock:
                if _running.get(key, 0) >= allowed:
                    raise RateLimitedError(
                        f"You already have {allowed} product pages being read; wait for one to finish",
                        code="TOO_MANY_CONCURRENT_REQUESTS",
                        details={"limit": allowed},
                        headers={"Retry-After": "5"},
                    )
                _running[key] = _running.get(key, 0) + 1
            try:
                return view(*args, **kwargs)
            finally:
                with _running_lock:
                    _running[key] -= 1
                    if not _running[key]:
                        del _running[key]

        return cast(View, limited)

    return decorate


def retry_after_seconds() -> int:
    """Seconds until the limit this request broke lets it through again (for the 429's Retry-After)."""
    breached = limiter.current_limit
    return max(1, math.ceil(breached.reset_at - clock.epoch_seconds())) if breached else 60


def user_or_ip_key() -> str:
    """Per-user limits: the verified token's subject, else the client IP (evaluated before auth runs)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            return "user:" + str(verify_token(current_app.extensions["settings"], token.strip())["sub"])
        except ApiError:
            pass
    return "ip:" + (get_remote_address() or "unknown")
