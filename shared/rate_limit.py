"""Rate limits (flask-limiter) and the delay after failed sign-ins.

Use as `@limit("RATELIMIT_LOGIN")` — the setting's value is read per request, so tests and
deployments change limits through configuration only. Limits count in memory by default, in Redis
when configured. A 429 carries Retry-After; no other answer does (the limiter's own headers are off,
so a 200 never carries one and a queue's own estimate is never overwritten).

Failed sign-ins are counted, not attempts, in the database (every process sees them): see
`PasswordAttempt`.

`@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")` bounds how many requests of one client run at once
in this process: a request reading a shop's page may wait on the shop for up to SCRAPER_TOTAL_TIMEOUT,
and a rate limit alone would let one client hold every server thread that long.
"""

import hashlib
import hmac
import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from config import Settings
from features.auth import model as login_failures
from shared import clock
from shared.auth import verify_token
from shared.database import Database
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


class PasswordAttempt:
    """One password check against an account, delayed only for a client that keeps failing.

    An account may collect LOGIN_FREE_FAILURES failures (from any address, within
    LOGIN_FAILURE_WINDOW_SECONDS) without anyone waiting. After that, a client with n failures of its
    own on the account must wait 2^(n-1) seconds (at most LOGIN_MAX_DELAY_SECONDS) after its last one
    before its next attempt is even checked: 429 LOGIN_DELAYED, with the password unchecked, so the wait
    reveals nothing. A client without failures — the owner, while strangers guess — is always checked,
    so a correct password signs in. Unknown emails are counted alike (no hint that an account is missing).
    A delayed client whose wait is over gets one attempt: the first of its simultaneous attempts takes the
    turn (its wait starts again from now), the others are told to wait.

        attempt = PasswordAttempt.begin(db=db, settings=settings, email=email, client=ip)  # may raise 429
        if correct: attempt.succeeded() else: attempt.failed()
    """

    def __init__(self, *, db: Database, settings: Settings, account_key: str, client_key: str) -> None:
        self.db, self.settings = db, settings
        self.account_key, self.client_key = account_key, client_key

    @classmethod
    def begin(
        cls, *, db: Database, settings: Settings, email: object, client: str | None
    ) -> "PasswordAttempt":
        secret = settings.SECRET_KEY.encode("utf-8")
        account = email.strip().lower() if isinstance(email, str) else ""
        attempt = cls(
            db=db,
            settings=settings,
            account_key=_keyed(secret, "account", account),
            client_key=_keyed(secret, "client", client or "unknown"),
        )
        if settings.RATELIMIT_ENABLED:
            attempt._take_turn()
        return attempt

    def failed(self) -> None:
        if self.settings.RATELIMIT_ENABLED:
            now = clock.now()
            login_failures.add_failure(
                self.db,
                account_key=self.account_key,
                client_key=self.client_key,
                now=clock.timestamp(now),
                since=self._window_start(now),
            )

    def succeeded(self) -> None:
        """The client proved the password: its own failures are forgiven (not the account's other ones)."""
        if self.settings.RATELIMIT_ENABLED:
            login_failures.clear(self.db, account_key=self.account_key, client_key=self.client_key)

    def _take_turn(self) -> None:
        now = clock.now()
        counts = login_failures.counts(
            self.db, account_key=self.account_key, client_key=self.client_key, since=self._window_start(now)
        )
        if counts["total"] < self.settings.LOGIN_FREE_FAILURES or not counts["mine"]:
            return
        delay = min(2 ** min(counts["mine"] - 1, 30), self.settings.LOGIN_MAX_DELAY_SECONDS)
        last_failure = clock.parse(counts["my_last"])
        assert last_failure is not None  # a client with failures of its own has a last one
        wait = math.ceil((last_failure + timedelta(seconds=delay) - now).total_seconds())
        if wait > 0:
            raise _login_delayed(wait)
        if not login_failures.take_turn(
            self.db,
            account_key=self.account_key,
            client_key=self.client_key,
            last_seen=counts["my_last"],
            now=clock.timestamp(now),
        ):
            raise _login_delayed(delay)

    def _window_start(self, now: datetime) -> str:
        return clock.timestamp(now, seconds_from_now=-self.settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _login_delayed(wait: int) -> RateLimitedError:
    return RateLimitedError(
        f"Too many failed sign-ins for this account from your address; try again in {wait} seconds",
        code="LOGIN_DELAYED",
        details={"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


def _keyed(secret: bytes, kind: str, value: str) -> str:
    return hmac.new(secret, f"{kind}:{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
