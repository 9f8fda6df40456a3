"""The one clock and the one timestamp format.

Every timestamp the service stores or shows is ISO 8601 in UTC with milliseconds,
`2026-12-06T14:05:09.123+00:00`: fixed width, so comparing and sorting the text compares the times, in
any column of either database. `now()` is the only reader of the wall clock; what measures a duration or
a deadline inside one process uses `time.monotonic()`, which no clock adjustment moves.
"""

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def timestamp(moment: datetime | None = None, *, seconds_from_now: float = 0.0) -> str:
    """`moment` (default: now, moved by seconds_from_now) in the one format."""
    moment = (moment or now()) + timedelta(seconds=seconds_from_now)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse(text: str | None) -> datetime | None:
    """A stored timestamp as a datetime (None stays None)."""
    return datetime.fromisoformat(text) if text else None


def epoch_seconds() -> float:
    """Now as seconds since 1970 (signed URLs' expiry, rate-limit windows: formats others define)."""
    return now().timestamp()
