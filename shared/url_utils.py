"""Turning stored relative paths into absolute URLs for clients."""

from flask import current_app, has_request_context, request


def base_url() -> str:
    configured = current_app.extensions["settings"].PUBLIC_BASE_URL
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return f"http://localhost:{current_app.extensions['settings'].PORT}"
