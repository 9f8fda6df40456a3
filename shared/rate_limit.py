"""Rate limits (flask-limiter). Memory by default, Redis when configured; limits come from settings.

Use as `@limit("RATELIMIT_LOGIN")` — the setting's value is read per request, so tests and
deployments change limits through configuration only.
"""
from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from shared.auth import verify_token
from shared.errors import ApiError

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def init_app(app, settings):
    storage = settings.RATELIMIT_STORAGE_URI or (settings.REDIS_URL or "memory://")
    # While Redis is unreachable each process counts in memory (limits stay on, requests never fail).
    app.config.update(RATELIMIT_ENABLED=settings.RATELIMIT_ENABLED, RATELIMIT_STORAGE_URI=storage,
                      RATELIMIT_HEADERS_ENABLED=True, RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True)
    limiter.init_app(app)


def limit(setting_name, key_func=None, scope=None):
    """Decorator applying the limit named by a setting, keyed per client IP unless key_func is given."""
    return limiter.limit(lambda: getattr(current_app.extensions["settings"], setting_name),
                         key_func=key_func, scope=scope)


def user_or_ip_key():
    """Per-user limits: the verified token's subject, else the client IP (evaluated before auth runs)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            return "user:" + verify_token(current_app.extensions["settings"], token.strip())["sub"]
        except ApiError:
            pass
    return "ip:" + (get_remote_address() or "unknown")
