"""Structured JSON logging: daily-rotated app log, a separate error log, request id in every line.

Secrets never reach the logs: any field whose name mentions a password, token, secret or
authorization is replaced by "[redacted]" before formatting.
"""

import contextvars
import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config import Settings

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_SENSITIVE = ("password", "token", "secret", "authorization", "api_key", "apikey", "cookie")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
LOGGER_NAME = "because_future"
# One encoder for every line (json.dumps with options builds a new one per call).
_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)


def is_sensitive(key: object) -> bool:
    return _is_sensitive_name(str(key))


@lru_cache(maxsize=1024)
def _is_sensitive_name(key: str) -> bool:
    """Field names come from code, a few dozen of them: each is looked at once per process."""
    key = key.lower()
    return any(word in key for word in _SENSITIVE)


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("[redacted]" if is_sensitive(k) else redact(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line, built once however many handlers (console, app.log) write it."""
        line: str | None = record.__dict__.get("_json_line")
        if line is None:
            line = record.__dict__["_json_line"] = self._json_line(record)
        return line

    def _json_line(self, record: logging.LogRecord) -> str:
        entry = {
            # shared/clock.py's one format (UTC, milliseconds), of the moment the record was made
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and key not in entry and not key.startswith("_"):
                entry[key] = "[redacted]" if is_sensitive(key) else redact(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(entry)


def configure_logging(settings: "Settings") -> logging.Logger:
    """Attach handlers once per process; safe to call for every app created in tests."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(settings.LOG_LEVEL.upper())
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    formatter = JsonFormatter()
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(formatter)
    console.setLevel(logging.WARNING if settings.FLASK_ENV == "testing" else logging.INFO)
    logger.addHandler(console)
    if settings.LOG_TO_FILES:
        log_dir = Path(settings.LOG_DIR)
        log_dir.mkdir(parents=True, exist_ok=True)
        for filename, level in (("app.log", logging.DEBUG), ("errors.log", logging.ERROR)):
            handler = logging.handlers.TimedRotatingFileHandler(
                log_dir / filename, when="midnight", backupCount=14, encoding="utf-8", utc=True
            )
            handler.setLevel(level)
            handler.setFormatter(formatter)
            logger.addHandler(handler)
    return logger


def get_logger(name: str | None = None) -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)
