"""Production refuses secrets that are short or of low variety (a forged token must not be an offline guess away)."""

import secrets

import pytest

from app import create_app, shutdown_app
from config import ConfigurationError
from tests.helpers import app_settings

STRONG = secrets.token_urlsafe(32)


def _production(tmp_path, **secrets_):
    return create_app(
        app_settings(tmp_path, database="p.db", FLASK_ENV="production", LOG_TO_FILES=False, **secrets_)
    )


@pytest.mark.parametrize(
    "weak,reason",
    [
        ("a", "at least 32 bytes"),  # the SECRET_KEY=a
        ("Tr0ub4dor&3xyz", "at least 32 bytes"),
        ("a" * 64, "low variety"),  # one character
        ("0101" * 16, "low variety"),  # few distinct characters
        ("changeme-changeme-changeme-changeme", "low variety"),  # a word repeated
        ("password1password2password3password4", "low variety"),  # repeated blocks with a counter
    ],
)
@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
def test_production_refuses_weak_secrets(tmp_path, name, weak, reason):
    other = "JWT_SECRET_KEY" if name == "SECRET_KEY" else "SECRET_KEY"
    with pytest.raises(ConfigurationError, match=reason) as refused:
        _production(tmp_path, **{name: weak, other: STRONG})
    assert name in str(refused.value)
    assert len(weak) < 4 or weak not in str(refused.value)  # never echo the secret


@pytest.mark.parametrize(
    "strong",
    [secrets.token_urlsafe(32), secrets.token_hex(16), secrets.token_hex(64), secrets.token_urlsafe(96)],
)
def test_production_accepts_random_secrets(tmp_path, strong):
    app = _production(tmp_path, SECRET_KEY=strong, JWT_SECRET_KEY=secrets.token_hex(32))
    assert app.test_client().get("/health").status_code == 200
    shutdown_app(app)
