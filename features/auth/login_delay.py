"""The delay after failed sign-ins: `PasswordAttempt`, over the login_failures table (features/auth/model.py).

Failed sign-ins are counted, not attempts, in the database (every process sees them). Sign-in (auth) and
the password change (users) check passwords through it.
"""

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from config import Settings
from features.auth import model as login_failures
from shared import clock
from shared.database import Database
from shared.errors import RateLimitedError


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
