"""GET /openapi.json (the API's OpenAPI 3.1 document), /docs (Swagger UI) and /playground (try-on page).

Every file is served by the app itself, Swagger UI's from the flask-swagger-ui package: the pages
work on a machine without internet and never load code from a CDN.
"""
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, current_app, jsonify, send_from_directory

from features.docs.openapi import build_document

bp = Blueprint("docs", __name__)

DOCS_DIR = Path(__file__).parent
PLAYGROUND_DIR = DOCS_DIR / "playground"
SWAGGER_UI_DIR = Path(flask_swagger_ui.__file__).parent / "dist"


def init_app(app):
    """Build the document once: it only changes with the code and the settings."""
    app.extensions["openapi"] = build_document(settings=app.extensions["settings"])


@bp.get("/openapi.json")
def openapi_document():
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
