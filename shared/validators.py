"""Input validation: each function returns the cleaned value or raises ValidationError."""

import gzip
import math
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shared.errors import ValidationError
from shared.text_patterns import compile_pattern

_EMAIL = compile_pattern(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
MAX_TEXT_LENGTH = 5000
# SQLite and PostgreSQL integers are 64-bit; a larger id can name no row and cannot even be sent as a parameter.
MAX_SQL_INTEGER = 2**63 - 1
MIN_SQL_INTEGER = -(2**63)
_DATE = compile_pattern(r"\d{4}-\d{2}-\d{2}")
# A refusal names this many offending fields and counts the rest: a body of 10,000 unknown keys must not
# come back as a 10,000-name message.
MAX_NAMED_FIELDS = 5
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt.gz")  # origin: common_passwords.NOTICE
# A local part this short ("al", "eva") appears inside ordinary words; longer ones are the person's name.
MIN_EMAIL_NAME_IN_PASSWORD = 4
_PASSWORD_CONTROL_CATEGORIES = (
    "Cc",
    "Cs",
    "Zl",
    "Zp",
)  # control characters, surrogates, line/paragraph breaks


def field_list(names: Iterable[object]) -> str:
    """ "a, b, c, d, e and 12 more": the first MAX_NAMED_FIELDS names, the rest counted."""
    names = list(names)
    shown = ", ".join(str(name)[:64] for name in names[:MAX_NAMED_FIELDS])
    hidden = len(names) - MAX_NAMED_FIELDS
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def field_details(names: Iterable[object], **extra: Any) -> dict[str, Any]:
    """Error details naming fields: the first MAX_NAMED_FIELDS, and how many there were."""
    names = list(names)
    return {"fields": [str(name)[:64] for name in names[:MAX_NAMED_FIELDS]], "count": len(names), **extra}


def refuse_unknown_fields(
    data: Iterable[str], allowed: Collection[str], ignored: Collection[str] = ()
) -> None:
    """400 UNKNOWN_FIELDS when data has keys outside allowed (ignored keys pass silently)."""
    unknown = sorted(set(data) - set(allowed) - set(ignored))
    if unknown:
        raise ValidationError(
            f"Unknown field(s): {field_list(unknown)}",
            code="UNKNOWN_FIELDS",
            details=field_details(unknown, allowed=list(allowed)),
        )


def validate_required(data: Mapping[str, Any], fields: Iterable[str]) -> None:
    missing = [
        f for f in fields if data.get(f) is None or (isinstance(data.get(f), str) and not data[f].strip())
    ]
    if missing:
        raise ValidationError(
            f"Missing required field(s): {field_list(missing)}",
            code="MISSING_FIELDS",
            details=field_details(missing),
        )


def validate_email(email: object) -> str:
    """Trimmed, lower-cased address; raises INVALID_EMAIL."""
    if not isinstance(email, str):
        raise ValidationError("Email must be a string", code="INVALID_EMAIL", details={"field": "email"})
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError("Email address is not valid", code="INVALID_EMAIL", details={"field": "email"})
    return email


def validate_new_password(
    password: object, *, email: str, min_length: int = 8, field: str = "password"
) -> str:
    """A password a shopper may choose: 8-256 characters, no control characters, not one of the most
    common passwords (any case, surrounding spaces ignored), and not the email or its name part."""
    if not isinstance(password, str):
        raise ValidationError("Password must be a string", code="INVALID_PASSWORD", details={"field": field})
    if len(password) < min_length:
        raise ValidationError(
            f"Password must be at least {min_length} characters",
            code="WEAK_PASSWORD",
            details={"field": field, "min_length": min_length},
        )
    if len(password) > 256:
        raise ValidationError(
            "Password must be at most 256 characters", code="INVALID_PASSWORD", details={"field": field}
        )
    if any(unicodedata.category(ch) in _PASSWORD_CONTROL_CATEGORIES for ch in password):
        raise ValidationError(
            "Password must not contain control characters, tabs or line breaks",
            code="INVALID_PASSWORD",
            details={"field": field},
        )
    folded = password.strip().lower()
    if folded in _common_passwords():
        raise ValidationError(
            "This password is one of the most commonly used ones and easy to guess; "
            "choose another (a few unrelated words work well)",
            code="COMMON_PASSWORD",
            details={"field": field},
        )
    local_part = email.partition("@")[0]
    if email in folded or (len(local_part) >= MIN_EMAIL_NAME_IN_PASSWORD and local_part in folded):
        raise ValidationError(
            "Your password must not contain your email address or the name before the @",
            code="PASSWORD_LIKE_EMAIL",
            details={"field": field},
        )
    return password


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def validate_numeric(
    value: object,
    field_name: str,
    min_value: float | None = None,
    max_value: float | None = None,
    allow_none: bool = True,
) -> float | None:
    """A finite number within [min_value, max_value]; numeric strings are accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValidationError(
            f"{field_name} is required", code="MISSING_FIELDS", details={"field": field_name}
        )
    if isinstance(value, bool):
        raise ValidationError(f"{field_name} must be a number", details={"field": field_name})
    try:
        number = float(value)  # type: ignore[arg-type]  # any JSON value: what float() refuses is caught here
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer too large for a float
        raise ValidationError(f"{field_name} must be a number", details={"field": field_name}) from None
    if not math.isfinite(number):
        raise ValidationError(f"{field_name} must be a finite number", details={"field": field_name})
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        raise ValidationError(
            f"{field_name} must be between {min_value} and {max_value}",
            code="OUT_OF_RANGE",
            details={"field": field_name, "min": min_value, "max": max_value},
        )
    return number


def validate_integer(
    value: object,
    field_name: str,
    min_value: int | None = None,
    max_value: int | None = None,
    default: int | None = None,
) -> int | None:
    """An integer within [min_value, max_value], and always within the 64-bit range SQL integers have."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValidationError(f"{field_name} must be an integer", details={"field": field_name})
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{field_name} must be an integer", details={"field": field_name}) from None
    min_value = MIN_SQL_INTEGER if min_value is None else max(min_value, MIN_SQL_INTEGER)
    max_value = MAX_SQL_INTEGER if max_value is None else min(max_value, MAX_SQL_INTEGER)
    if number < min_value or number > max_value:
        raise ValidationError(
            f"{field_name} must be between {min_value} and {max_value}",
            code="OUT_OF_RANGE",
            details={"field": field_name, "min": min_value, "max": max_value},
        )
    return number


def validate_text(
    value: object, field_name: str, max_length: int = MAX_TEXT_LENGTH, allow_none: bool = True
) -> str | None:
    """A string without control characters (newlines and tabs allowed), trimmed, at most max_length."""
    if value is None:
        if allow_none:
            return None
        raise ValidationError(
            f"{field_name} is required", code="MISSING_FIELDS", details={"field": field_name}
        )
    if not isinstance(value, str):
        raise ValidationError(f"{field_name} must be a string", details={"field": field_name})
    value = value.strip()
    if len(value) > max_length:
        raise ValidationError(
            f"{field_name} must be at most {max_length} characters",
            details={"field": field_name, "max_length": max_length},
        )
    if any((ord(ch) < 32 and ch not in "\n\r\t") or ord(ch) == 0x7F for ch in value):
        raise ValidationError(f"{field_name} contains control characters", details={"field": field_name})
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValidationError(f"{field_name} contains invalid unicode", details={"field": field_name})
    return value


def validate_choice(value: Any, field_name: str, choices: Collection[str], allow_none: bool = True) -> Any:
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError(
            f"{field_name} is required", code="MISSING_FIELDS", details={"field": field_name}
        )
    if value not in choices:
        raise ValidationError(
            f"{field_name} must be one of: {', '.join(choices)}",
            details={"field": field_name, "allowed": list(choices)},
        )
    return value


def validate_past_date(value: object, field_name: str) -> str | None:
    """A YYYY-MM-DD date strictly in the past (and after 1900)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise ValidationError(
            f"{field_name} must be a date in YYYY-MM-DD format",
            code="INVALID_DATE",
            details={"field": field_name},
        )
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"{field_name} is not a real date", code="INVALID_DATE", details={"field": field_name}
        ) from None
    if parsed >= date.today() or parsed.year < 1900:
        raise ValidationError(
            f"{field_name} must be in the past", code="INVALID_DATE", details={"field": field_name}
        )
    return parsed.isoformat()


def validate_url(url: object, field_name: str = "url") -> str:
    """An absolute http(s) URL (syntax only; network safety is checked where it is fetched)."""
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(
            f"{field_name} must be a URL", code="INVALID_URL", details={"field": field_name}
        )
    url = url.strip()
    if len(url) > 4096:
        raise ValidationError(f"{field_name} is too long", code="INVALID_URL", details={"field": field_name})
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValidationError(
            f"{field_name} is not a valid URL", code="INVALID_URL", details={"field": field_name}
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"{field_name} must be an http(s) URL", code="INVALID_URL", details={"field": field_name}
        )
    return url
