"""Password reset by email: a single-use code, valid PASSWORD_RESET_MINUTES, stored only as its HMAC.

`request_reset` answers every address alike: it only queues the work on the mailer's thread, where the
account is looked up and, when it exists, a code is stored and emailed. So the answer, and the time it
takes, never tell whether an address has an account. `reset_password` spends a code: it sets the new
password, uses up the account's other codes and ends every session of the account (sessions.password_changed,
as a password change does: their refresh tokens stop at once, their access tokens at the next request; older
tokens without a session stop through token_version).

A code is 12 characters of Crockford's base 32 (60 random bits), shown as XXXX-XXXX-XXXX: short enough
to type from a phone, far too many to guess within 30 minutes behind RATELIMIT_RESET_PASSWORD. Typing is
forgiven: any case, hyphens and spaces, O for 0, I and L for 1.
"""

import hashlib
import hmac
import secrets
from email.message import EmailMessage
from html import escape
from typing import Any
from urllib.parse import quote

from config import Settings
from features.auth import model, sessions
from features.users import model as user_model, service as users_service
from shared import clock
from shared.database import Database
from shared.errors import ValidationError
from shared.mail import Mailer, compose_message
from shared.validators import validate_new_password

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U to misread
CODE_LENGTH = 12
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", "- \t")
SUBJECT = "Reset your Because Future password"


def request_reset(
    *, db: Database, settings: Settings, mailer: Mailer, email: str, link_base: str | None
) -> None:
    """Queue the reset email for `email` (a valid, lower-cased address); nothing here depends on whether an
    account uses it. link_base: where the reset page is (None: the email carries the code only)."""
    mailer.send_later(lambda: reset_message(db=db, settings=settings, email=email, link_base=link_base))


def reset_message(
    *, db: Database, settings: Settings, email: str, link_base: str | None
) -> EmailMessage | None:
    """For an active account: store a new code and return the email that carries it; None otherwise."""
    user = user_model.get_by_email(db, email)
    if user is None or not user["is_active"]:
        return None
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = clock.now()
    model.add_reset(
        db,
        token_hash=_hashed(settings, code),
        userid=user["userid"],
        now=clock.timestamp(now),
        expires_at=clock.timestamp(now, seconds_from_now=settings.PASSWORD_RESET_MINUTES * 60),
    )
    return _message(settings, user=user, code=shown(code), link=reset_link(settings, link_base, shown(code)))


def reset_password(*, db: Database, settings: Settings, token: object, new_password: object) -> None:
    """Set the password of the code's account and spend the code; 400 INVALID_RESET_TOKEN for a code that
    is unknown, used, expired or malformed, the sign-up password codes for a weak password (the code stays
    usable then)."""
    code = normalized(token)
    token_hash = _hashed(settings, code) if code else ""
    now = clock.timestamp()
    row = model.usable_reset(db, token_hash=token_hash, now=now) if code else None
    user = user_model.get_by_userid(db, row["userid"]) if row else None
    if user is None or not user["is_active"]:
        raise _invalid(settings)
    password = validate_new_password(
        new_password, email=user["email"], min_length=settings.PASSWORD_MIN_LENGTH, field="new_password"
    )
    password_hash = users_service.hash_password(password)  # slow on purpose: before the write lock is taken
    with db.transaction():
        if not model.use_reset(db, token_hash=token_hash, now=now):
            raise _invalid(settings)  # a simultaneous request spent it first
        user_model.change_password(db, user["userid"], password_hash)
        sessions.password_changed(db, user["userid"])


def normalized(token: object) -> str | None:
    """The code as stored (upper case, no separators, misread letters corrected), or None if it cannot be one."""
    if not isinstance(token, str) or len(token) > 4 * CODE_LENGTH:
        return None
    code = token.upper().translate(_MISREAD).translate(_IGNORED)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def shown(code: str) -> str:
    """XXXX-XXXX-XXXX: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def reset_link(settings: Settings, link_base: str | None, code: str) -> str | None:
    """PASSWORD_RESET_URL with the code in it, else this server's reset page (the code in the fragment, which
    browsers never send to a server or in a Referer), or None without a base to trust."""
    if settings.PASSWORD_RESET_URL:
        return settings.PASSWORD_RESET_URL.replace("{token}", quote(code))
    return f"{link_base.rstrip('/')}/reset-password#token={code}" if link_base else None


def _hashed(settings: Settings, code: str) -> str:
    """The code's HMAC under SECRET_KEY: the table alone (a backup, a leak) cannot be used to reset anyone."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, b"password-reset:" + code.encode("ascii"), hashlib.sha256).hexdigest()


def _invalid(settings: Settings) -> ValidationError:
    return ValidationError(
        "This reset code does not work: it may be mistyped, already used, or older than "
        f"{settings.PASSWORD_RESET_MINUTES} minutes. Ask for a new reset email.",
        code="INVALID_RESET_TOKEN",
        details={"field": "token"},
    )


def _message(settings: Settings, *, user: dict[str, Any], code: str, link: str | None) -> EmailMessage:
    """The email a shopper reads: the link to follow, the code to type, how long both work."""
    minutes = settings.PASSWORD_RESET_MINUTES
    lifetime = (
        f"{'The link and the code work' if link else 'The code works'} once, for the next {minutes} minutes."
    )
    greeting = f"Hello {user['first_name']}," if user.get("first_name") else "Hello,"
    intro = (
        f"Someone, hopefully you, asked to reset the password of the Because Future account {user['email']}."
    )
    closing = (
        "If you did not ask for this, ignore this email: your password stays as it is, and nobody can "
        "change it without this code."
    )
    steps = [f"To choose a new password, open this link:\n{link}\n"] if link else []
    steps.append(f"{'Or enter' if link else 'Enter'} this code in the app, with your new password:\n{code}\n")
    text = "\n".join(
        [
            greeting,
            "",
            intro,
            "",
            *steps,
            lifetime,
            "",
            closing,
            "",
            "Because Future",
        ]
    )
    link_html = (
        f'<p>To choose a new password, <a href="{escape(link)}">open this link</a>.</p>'
        f"<p>Or enter this code in the app, with your new password:</p>"
        if link
        else "<p>Enter this code in the app, with your new password:</p>"
    )
    html = (
        f"<p>{escape(greeting)}</p><p>{escape(intro)}</p>{link_html}"
        f'<p style="font-size:1.4em;font-family:monospace;letter-spacing:0.1em">{escape(code)}</p>'
        f"<p>{lifetime}</p>"
        f"<p>{escape(closing)}</p><p>Because Future</p>"
    )
    return compose_message(settings, to=user["email"], subject=SUBJECT, text=text, html=html)
