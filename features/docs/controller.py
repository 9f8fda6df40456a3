"""GET /openapi.json (the API's OpenAPI 3.1 document), /docs (Swagger UI), /playground (try-on page) and
/reset-password (the page the password reset email links to).

Every file is served by the app itself, Swagger UI's from the flask-swagger-ui package: the pages
work on a machine without internet and never load code from a CDN. Both pages keep a token in the
browser, so they run no script but their own (a Content-Security-Policy) and no site may frame them.
"""

import base64
import hashlib
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, current_app, jsonify, send_from_directory

from features.docs.openapi import build_document
from shared.text_patterns import DOTALL, compile_pattern

bp = Blueprint("docs", __name__)

DOCS_DIR = Path(__file__).parent
PLAYGROUND_DIR = DOCS_DIR / "playground"
RESET_PASSWORD_DIR = DOCS_DIR / "reset_password"
SWAGGER_UI_DIR = Path(flask_swagger_ui.__file__).parent / "dist"
_INLINE_SCRIPT = compile_pattern(r"<script>(.*?)</script>", DOTALL)


def _content_security_policy():
    """Scripts from this server only (the docs page's one inline script by its hash), nothing frames the pages."""
    page = (DOCS_DIR / "swagger.html").read_text(encoding="utf-8")
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode()}'"
        for m in _INLINE_SCRIPT.finditer(page)
    )
    return (
        "default-src 'self'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; font-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


CONTENT_SECURITY_POLICY = _content_security_policy()


@bp.after_request
def page_security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/openapi.json")
def openapi_document():
    """Built at the first request, once every feature's routes are registered (it only changes with the code
    and the settings)."""
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_document(
            app=current_app, settings=current_app.extensions["settings"]
        )
    return jsonify(current_app.extensions["openapi"])


@bp.get("/docs")
def swagger_ui():
    return send_from_directory(DOCS_DIR, "swagger.html")


@bp.get("/docs/assets/<path:filename>")
def swagger_ui_asset(filename):
    return send_from_directory(SWAGGER_UI_DIR, filename)


@bp.get("/playground")
def playground():
    return send_from_directory(PLAYGROUND_DIR, "index.html")


@bp.get("/playground/<path:filename>")
def playground_asset(filename):
    return send_from_directory(PLAYGROUND_DIR, filename)


@bp.get("/reset-password")
def reset_password_page():
    return send_from_directory(RESET_PASSWORD_DIR, "index.html")


@bp.get("/reset-password/reset.js")
def reset_password_script():
    return send_from_directory(RESET_PASSWORD_DIR, "reset.js")
