"""The public base URL of the API (scheme and host), for the absolute URLs handed to clients."""

from collections.abc import Callable

from flask import has_request_context, request


def public_base_url(configured: str, port: int) -> str | Callable[[], str]:
    """PUBLIC_BASE_URL when set: the address clients use (behind a proxy, the proxy's). Unset, a function
    that reads it per answer: the scheme and Host of the request being answered (the server trusts no
    X-Forwarded-* header), or http://localhost:PORT outside any request (a queue worker, a script)."""
    if configured:
        return configured.rstrip("/")

    def from_request() -> str:
        if has_request_context():
            return str(request.host_url).rstrip("/")
        return f"http://localhost:{port}"

    return from_request
