"""`python app.py` serves with a production WSGI server: JSON errors, no version banner, nothing secret in its log.

Werkzeug's development server (kept for FLASK_DEBUG=1) printed every query string (working signed image
URLs), answered low-level errors and `//` paths with HTML and named its version in `Server`.
"""
import pytest
import requests

from tests.trust.app_process import AppProcess, app_environment


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("served")
    log = directory / "server.log"
    with AppProcess(app_environment(directory, FLASK_ENV="development", LOG_LEVEL="INFO"), log) as process:
        yield process, log


def test_server_header_names_no_version(server):
    process, _log = server
    response = requests.get(process.url + "/health", timeout=10)
    assert response.status_code == 200
    banner = response.headers.get("Server", "")
    assert "Werkzeug" not in banner and "Python" not in banner and not any(ch.isdigit() for ch in banner)


@pytest.mark.parametrize("path", ["//api/login", "//health", "/api//users/profile"])
def test_double_slashes_are_json_not_an_html_redirect(server, path):
    process, _log = server
    response = requests.get(process.url + path, timeout=10, allow_redirects=False)
    assert response.status_code not in (301, 302, 307, 308)
    assert response.headers["Content-Type"].startswith("application/json") and "success" in response.json()


def test_options_answers_json(server):
    process, _log = server
    response = requests.options(process.url + "/api/login", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert "POST" in response.headers["Allow"] and response.json()["success"] is True


def test_the_log_holds_no_signature_token_or_password(server):
    process, log = server
    requests.get(process.url + "/images/avatars/u/x.png?expires=4102444800&sig=SIGNATURE-SECRET-1", timeout=10)
    requests.get(process.url + "/api/users/profile?token=TOKEN-SECRET-2", timeout=10,
                 headers={"Authorization": "Bearer TOKEN-SECRET-3"})
    requests.post(process.url + "/api/login", json={"email": "a@example.com", "password": "PASSWORD-SECRET-4"},
                  timeout=10)
    requests.get(process.url + "/health", timeout=10)  # the previous requests have been logged by now
    text = log.read_text()
    assert "/api/login" in text  # requests are logged ...
    for secret in ("SIGNATURE-SECRET-1", "TOKEN-SECRET-2", "TOKEN-SECRET-3", "PASSWORD-SECRET-4"):
        assert secret not in text  # ... without their secrets
