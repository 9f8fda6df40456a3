"""Outgoing email: through SMTP (smtplib), or written as .eml files to MAIL_DIR when SMTP_HOST is not set.

`Mailer.send_later(compose)` runs `compose` and sends what it returns on the mailer's own thread, so a
request never waits on the mail server: a slow or unreachable one, or the work of deciding whether there
is anything to send at all (the password reset looks the account up there), costs every request the same.
A failure is logged, never raised to a client. Waiting messages live in memory: a process that stops
sends what is queued first (`stop`), a crash loses them (a shopper asks for the email again).
"""

import contextvars
import queue
import smtplib
import ssl
import threading
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from config import Settings
from shared import clock
from shared.logger import get_logger

log = get_logger("mail")

Compose = Callable[[], EmailMessage | None]  # the message to send, or None when there is none
_STOP = None
_STOP_WAIT_SECONDS = 30.0


def compose_message(
    settings: Settings, *, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    """A message from MAIL_FROM: plain text, and the HTML alternative when given."""
    message = EmailMessage()
    message["From"] = settings.MAIL_FROM
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    sender_domain = parseaddr(settings.MAIL_FROM)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def deliver(settings: Settings, message: EmailMessage) -> str:
    """Send the message now; where it went ("smtp://host:port" or the .eml file). Raises on failure."""
    if not settings.SMTP_HOST:
        return str(_write_to_folder(settings, message))
    with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=settings.SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.SMTP_STARTTLS:
            smtp.starttls(context=ssl.create_default_context())
        if settings.SMTP_USERNAME:
            smtp.login(settings.SMTP_USERNAME, settings.SMTP_PASSWORD)
        smtp.send_message(message)
    return f"smtp://{settings.SMTP_HOST}:{settings.SMTP_PORT}"


def _write_to_folder(settings: Settings, message: EmailMessage) -> str:
    """The message as an .eml file only its owner reads (it may hold a reset code), named so they sort by time."""
    folder = settings.mail_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.timestamp().replace(":", "").replace(".", "-")
    path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    tmp = path.with_suffix(".tmp")
    tmp.touch(mode=0o600)
    tmp.write_bytes(message.as_bytes())
    tmp.replace(path)
    return str(path)


class Mailer:
    """One background thread per process that composes and sends queued messages in order."""

    def __init__(self, settings: Settings, *, after_each: Callable[[], None] | None = None) -> None:
        """after_each runs on the mailer's thread after every message (the app gives back its database
        connection there)."""
        self.settings = settings
        self._after_each = after_each
        self._queue: queue.Queue[tuple[contextvars.Context, Compose] | None] = queue.Queue(
            maxsize=settings.MAIL_QUEUE_SIZE
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        if not settings.SMTP_HOST:  # in production nobody would read them there: say so louder
            (log.warning if settings.is_production else log.info)(
                "SMTP_HOST is not set: email is written to %s", settings.mail_dir
            )

    def send_later(self, compose: Compose) -> None:
        """Queue `compose`; its message is sent on the mailer's thread, in the caller's context (the log's
        request id). A full queue drops it (logged)."""
        self._ensure_thread()
        context = contextvars.copy_context()  # the request id, so the mail's log lines name its request
        try:
            self._queue.put_nowait((context, compose))
        except queue.Full:
            log.error(
                "mail queue is full (MAIL_QUEUE_SIZE=%d): a message was dropped",
                self.settings.MAIL_QUEUE_SIZE,
            )

    def stop(self) -> None:
        """Send what is queued (for at most 30 s), then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        self._queue.put(_STOP)
        thread.join(timeout=_STOP_WAIT_SECONDS)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mailer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while (queued := self._queue.get()) is not _STOP:
            context, compose = queued
            try:
                context.run(self._send, compose)
            finally:
                if self._after_each:
                    self._after_each()

    def _send(self, compose: Compose) -> None:
        try:
            message = compose()
            if message is not None:
                where = deliver(self.settings, message)
                log.info("mail %r delivered to %s", message["Subject"], where)
        except Exception:  # a mail server's failure (or the composer's) must never end the thread
            log.exception("mail not sent")


def get_mailer() -> Mailer:
    """The app's mailer (controllers only)."""
    from flask import current_app

    mailer: Mailer = current_app.extensions["mailer"]
    return mailer
