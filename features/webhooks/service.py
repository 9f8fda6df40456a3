"""Try-on callbacks: an account's default URL and signing secret, the outbox of deliveries and its deliverer.

A job accepted with a callback URL (its own, else the account's default) gets a delivery row in the same
transaction (`attach`); the transaction that ends the job makes it due (`jobs_ended`), so a crash loses
neither. The deliverer (`Deliverer.run`, called by the web process's try-on maintenance loop, for the thread
and the RQ queue alike) leases due rows, POSTs the job as `GET /api/job/<id>` shows it, signed like Stripe's
webhooks, and retries with exponential backoff until WEBHOOK_MAX_ATTEMPTS. Every row lives in the database,
so a restart, or another process, carries on where this one stopped.
"""

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from config import Settings
from features.webhooks import model, sender
from shared import clock, outbound
from shared.database import Database
from shared.errors import ApiError
from shared.logger import get_logger

log = get_logger("webhooks")

SIGNATURE_HEADER = "BecauseFuture-Signature"
DELIVERY_HEADER = "BecauseFuture-Delivery"
EVENT_HEADER = "BecauseFuture-Event"
SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2048
_JITTER = (
    0.2  # each wait is the doubled one ±20 %, so receivers that failed together are not retried together
)
_LEASE_MARGIN_SECONDS = 30  # a lease outlives its attempt (WEBHOOK_TIMEOUT_SECONDS) by this much
_PURGE_INTERVAL_SECONDS = 600.0
INTERNAL_ERROR = "INTERNAL_ERROR"  # the attempt itself broke (logged); retried like any other failure

# The job of a delivery as GET /api/job/<id> shows it (None once the job is gone), from the try-on feature.
RenderJob = Callable[[str], dict[str, Any] | None]


def get_endpoint(*, db: Database, user_id: str) -> dict[str, Any]:
    """{url, secret} of the account; the secret is made on first use."""
    row = model.get_endpoint(db, user_id)
    if row is None:
        model.create_endpoint(db, user_id, _new_secret())
        row = model.get_endpoint(db, user_id)
        assert row is not None  # just inserted (or inserted by a request that came first)
    return {"url": row["url"], "secret": row["secret"]}


def set_default_url(*, db: Database, settings: Settings, user_id: str, url: str | None) -> dict[str, Any]:
    """The account's default callback URL (checked like a job's); None clears it."""
    checked = check_callback_url(settings=settings, url=url) if url is not None else None
    get_endpoint(db=db, user_id=user_id)
    model.set_url(db, user_id, checked)
    return get_endpoint(db=db, user_id=user_id)


def rotate_secret(*, db: Database, user_id: str) -> dict[str, Any]:
    """A new secret replaces the old one at once: every later attempt, retries included, is signed with it."""
    get_endpoint(db=db, user_id=user_id)
    model.set_secret(db, user_id, _new_secret())
    return get_endpoint(db=db, user_id=user_id)


def check_callback_url(*, settings: Settings, url: object) -> str:
    """The URL if the server may POST to it (http/https, at most MAX_URL_LENGTH characters, no credentials,
    every address its host resolves to public); 400 CALLBACK_URL_NOT_ALLOWED otherwise, with the reason."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL_LENGTH:
        raise _not_allowed(
            url,
            f"callback_url must be an http(s) URL of at most {MAX_URL_LENGTH} characters",
            "INVALID_URL",
        )
    url = url.strip()
    try:
        outbound.check_url(url, allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS)
    except ApiError as error:
        raise _not_allowed(url, _REASONS.get(error.code, error.message), error.code) from None
    return url


_REASONS = {
    "UPSTREAM_UNREACHABLE": "callback_url's host could not be found",
    "URL_NOT_ALLOWED": "callback_url must be a public http(s) address (not a private, loopback or reserved one)",
    "INVALID_URL": "callback_url must be an absolute http(s) URL without credentials",
}


def _not_allowed(url: object, message: str, reason: str) -> ApiError:
    return ApiError(
        message,
        code="CALLBACK_URL_NOT_ALLOWED",
        status_code=400,
        details={"field": "callback_url", "reason": reason, "url": url if isinstance(url, str) else None},
    )


def callback_url_for(*, db: Database, settings: Settings, user_id: str, given: object) -> str | None:
    """Where a new job's callback goes: the URL sent with it (checked; null or blank is none), else the
    account's default, else nowhere (None). The default was checked when it was set; every attempt checks it
    again."""
    if given is not None and not (isinstance(given, str) and not given.strip()):
        return check_callback_url(settings=settings, url=given)
    row = model.get_endpoint(db, user_id)
    return row["url"] if row else None


def attach(*, db: Database, job_id: str, user_id: str, url: str) -> None:
    """A callback for a job being accepted (inside the transaction that inserts the job)."""
    model.insert_delivery(db, job_id=job_id, user_id=user_id, url=url)


def jobs_ended(*, db: Database, job_ids: Collection[str]) -> None:
    """These jobs ended: their callbacks are due (inside the transaction that records the end)."""
    if job_ids:
        model.make_due(db, job_ids)


def callbacks(*, db: Database, job_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """`callback` of each job that has one, by job id: {url, status, attempts, last_status, last_error};
    status is null until the job ends, then pending, delivered or failed."""
    if not job_ids:
        return {}
    return {
        job_id: {
            "url": row["url"],
            "status": None if row["status"] == model.WAITING else row["status"],
            "attempts": row["attempts"],
            "last_status": row["last_status"],
            "last_error": row["last_error"],
        }
        for job_id, row in model.for_jobs(db, job_ids).items()
    }


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The BecauseFuture-Signature header: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delay(settings: Settings, attempts: int) -> float:
    """Seconds to wait after the attempts-th failed attempt: the base, doubled per attempt, jittered."""
    return (
        settings.WEBHOOK_RETRY_BASE_SECONDS * 2.0 ** (attempts - 1) * random.uniform(1 - _JITTER, 1 + _JITTER)
    )


class Deliverer:
    """Sends due deliveries on WEBHOOK_WORKERS threads; `run` is called by a maintenance loop."""

    def __init__(self, *, db: Database, settings: Settings, render: RenderJob) -> None:
        self.db = db
        self.settings = settings
        self.render = render
        self._pool = ThreadPoolExecutor(max_workers=settings.WEBHOOK_WORKERS, thread_name_prefix="webhook")
        self._in_flight = 0
        self._lock = threading.Lock()
        self._last_purge = -float("inf")

    def run(self) -> None:
        """Lease the due deliveries there are free threads for and send them; now and then delete old ones."""
        if time.monotonic() - self._last_purge >= _PURGE_INTERVAL_SECONDS:
            self._last_purge = time.monotonic()
            cutoff = clock.timestamp(seconds_from_now=-self.settings.WEBHOOK_RETENTION_DAYS * 86400)
            purged = model.delete_finished_before(self.db, cutoff)
            if purged:
                log.info("old webhook deliveries deleted", extra={"deleted": purged})
        with self._lock:
            free = self.settings.WEBHOOK_WORKERS - self._in_flight
        if free <= 0:
            return
        lease = self.settings.WEBHOOK_TIMEOUT_SECONDS + _LEASE_MARGIN_SECONDS
        for delivery in model.lease_due(self.db, free, lease):
            with self._lock:
                self._in_flight += 1
            self._pool.submit(self._send, delivery)

    def stop(self) -> None:
        """Wait for the attempts under way (each ends within WEBHOOK_TIMEOUT_SECONDS); leased rows not yet sent
        are taken again when their lease runs out."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _send(self, delivery: dict[str, Any]) -> None:
        try:
            self._attempt(delivery)
        except Exception:
            log.exception("webhook delivery crashed", extra={"delivery_id": delivery["delivery_id"]})
            self._record(delivery, sender.Answer(None, INTERNAL_ERROR))  # counted: no endless retry
        finally:
            with self._lock:
                self._in_flight -= 1
            self.db.close_thread_connection()

    def _attempt(self, delivery: dict[str, Any]) -> None:
        job = self.render(delivery["job_id"])
        if job is None:  # deleted since the lease (its delivery went with it)
            return
        body = json.dumps(job, separators=(",", ":"), ensure_ascii=False, default=str).encode()
        secret = get_endpoint(db=self.db, user_id=delivery["user_id"])["secret"]
        answer = sender.post(
            delivery["url"],
            body,
            {
                "Content-Type": "application/json",
                "User-Agent": "BecauseFuture-Webhooks/1",
                SIGNATURE_HEADER: signature(secret, int(clock.epoch_seconds()), body),
                DELIVERY_HEADER: delivery["delivery_id"],
                EVENT_HEADER: f"job.{job['status']}",
            },
            allow_private=self.settings.SCRAPER_ALLOW_PRIVATE_NETWORKS,
            timeout=self.settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        self._record(delivery, answer)

    def _record(self, delivery: dict[str, Any], answer: sender.Answer) -> None:
        """The attempt's outcome: delivered, failed after the last attempt, or pending until the next one."""
        attempts = delivery["attempts"] + 1
        status, next_attempt_at = model.PENDING, None
        if answer.delivered:
            status = model.DELIVERED
        elif attempts >= self.settings.WEBHOOK_MAX_ATTEMPTS:
            status = model.FAILED
        else:
            next_attempt_at = clock.timestamp(seconds_from_now=retry_delay(self.settings, attempts))
        recorded = model.record_attempt(
            self.db,
            delivery,
            status=status,
            last_status=answer.status,
            last_error=answer.error,
            next_attempt_at=next_attempt_at,
        )
        log.info(
            "webhook attempt",
            extra={
                "delivery_id": delivery["delivery_id"],
                "job_id": delivery["job_id"],
                "attempt": attempts,
                "http_status": answer.status,
                "error": answer.error,
                "outcome": status if recorded else "lease_lost",
            },
        )


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_hex(32)
