"""`python app.py` serves with a production WSGI server: JSON errors, no version banner, nothing secret in its log.

Werkzeug's development server (kept for FLASK_DEBUG=1) printed every query string (working signed image
URLs), answered low-level errors and `//` paths with HTML and named its version in `Server`.
"""

import json
import socket

import pytest
import requests

from tests.trust.app_process import AppProcess, server_environment


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("served")
    log = directory / "server.log"
    with AppProcess(server_environment(directory, FLASK_ENV="development", LOG_LEVEL="INFO"), log) as process:
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


def _raw_exchange(url, request_bytes):
    """Send bytes as they are (no client library would send these) and read the answer until the server closes."""
    host, port = url.removeprefix("http://").split(":")
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        try:  # the server may answer and close before it has read all that was sent
            connection.sendall(request_bytes)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


LOW_LEVEL = {  # requests the server refuses before the app sees them: (raw request, status, code)
    "headers past the limit": (
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n",
        431,
        "HEADERS_TOO_LARGE",
    ),
    "a URL past the header limit": (
        b"GET /health?" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        431,
        "HEADERS_TOO_LARGE",
    ),
    "an invalid start line": (b"GARBAGE\r\n\r\n", 400, "BAD_REQUEST"),
    "a header without a colon": (
        b"GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        400,
        "BAD_REQUEST",
    ),
    "an invalid Content-Length": (
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        400,
        "BAD_REQUEST",
    ),
    "an invalid chunk": (
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        400,
        "BAD_REQUEST",
    ),
    "a URL that is not ASCII": (b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400, "BAD_REQUEST"),
    "a body past MAX_REQUEST_SIZE": (
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n",
        413,
        "PAYLOAD_TOO_LARGE",
    ),
    "an unknown Transfer-Encoding": (
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        501,
        "NOT_IMPLEMENTED",
    ),
}


@pytest.mark.parametrize("case", LOW_LEVEL)
def test_requests_refused_before_the_app_answer_json(server, case):
    """Werkzeug answered these (and 414, 505) with HTML pages; waitress with plain text."""
    process, _log = server
    request_bytes, status, code = LOW_LEVEL[case]
    answered, headers, body = _raw_exchange(process.url, request_bytes)
    assert answered == status and headers["content-type"] == "application/json"
    assert headers["x-content-type-options"] == "nosniff"
    error = json.loads(body)["error"]
    assert error["code"] == code and error["message"] and "waitress" not in body.decode().lower()


def test_a_json_body_past_its_endpoints_cap_is_refused_before_it_is_sent(server):
    """A login takes 16 KB of JSON: a client announcing 20 MB gets its 413 after sending only the headers (the
    server used to read all 20 MB first, holding the interpreter other requests wait for)."""
    process, _log = server
    head = (
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=utf-8\r\n"
        b'Content-Length: 20000000\r\n\r\n{"email": '
    )
    status, headers, body = _raw_exchange(process.url, head)
    assert status == 413 and headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "PAYLOAD_TOO_LARGE" and "16 KB" in error["message"]
    within = requests.post(
        process.url + "/api/login", json={"email": "a@example.com", "password": "x" * 20_000}, timeout=10
    )  # past the cap but sent whole: the app's own answer, the same code
    assert within.status_code == 413 and within.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    form = requests.post(
        process.url + "/api/login", data={"email": "a@example.com", "password": "x"}, timeout=10
    )
    assert form.status_code != 413  # the cap is for JSON bodies only


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1",  # a 414 for Werkzeug
        b"GET /health HTTP/2.0",
        b"GET /health HTTP/3.7",
    ],
)  # a 505 for Werkzeug
def test_long_urls_and_other_http_versions_are_answered_in_json(server, request_line):
    process, _log = server
    status, headers, body = _raw_exchange(
        process.url, request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status in (200, 404) and headers["content-type"] == "application/json"
    assert "success" in json.loads(body)


def test_options_answers_json(server):
    process, _log = server
    response = requests.options(process.url + "/api/login", timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert "POST" in response.headers["Allow"] and response.json()["success"] is True


def test_the_log_holds_no_signature_token_or_password(server):
    process, log = server
    requests.get(
        process.url + "/images/avatars/u/x.png?expires=4102444800&sig=SIGNATURE-SECRET-1", timeout=10
    )
    requests.get(
        process.url + "/api/users/profile?token=TOKEN-SECRET-2",
        timeout=10,
        headers={"Authorization": "Bearer TOKEN-SECRET-3"},
    )
    requests.post(
        process.url + "/api/login",
        json={"email": "a@example.com", "password": "PASSWORD-SECRET-4"},
        timeout=10,
    )
    requests.get(process.url + "/health", timeout=10)  # the previous requests have been logged by now
    text = log.read_text()
    assert "/api/login" in text  # requests are logged ...
    for secret in ("SIGNATURE-SECRET-1", "TOKEN-SECRET-2", "TOKEN-SECRET-3", "PASSWORD-SECRET-4"):
        assert secret not in text  # ... without their secrets
