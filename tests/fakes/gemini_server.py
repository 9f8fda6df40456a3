"""A fake Gemini REST server on 127.0.0.1 that the real google-genai SDK talks to.

    with FakeGemini() as gemini:                      # or gemini = FakeGemini().start(); ...; gemini.stop()
        settings = {"GEMINI_BASE_URL": gemini.base_url, "GEMINI_API_KEY": "test-key"}
        gemini.set_behaviour("rate_limit", times=2)   # 429 twice, then a normal answer
        gemini.delay = 0.5                            # seconds to wait before every answer
        ...
        gemini.requests[0]["text"], gemini.requests[0]["images"]

It answers `POST /{version}/models/{model}:generateContent` (the SDK sends /v1/...) like the real
service, and records every request as a dict: path, model, api_key, text (all text parts joined),
images (decoded inline image bytes, in order), mime_types and body (the parsed JSON).

Behaviours (set_behaviour(name, **params); the request count for `times` restarts at each call):
  ok              200 with a short text part and a PNG derived from the first input image (colours
                  inverted); params: background=(r, g, b) pads the image with a border of that colour,
                  as a model asked to put the subject on a plain background would.
  image_safety    200, candidate finishReason IMAGE_SAFETY and no image.
  prompt_blocked  200, promptFeedback.blockReason (param reason, default PROHIBITED_CONTENT), no candidates.
  text_only       200, a candidate with only a text part.
  rate_limit      429 RESOURCE_EXHAUSTED (with a RetryInfo delay) `times` times (default 1), then ok.
  server_error    500 INTERNAL, always.
  error           any error: params status (e.g. 400) and reason (e.g. INVALID_ARGUMENT).
  malformed       200 with a body that is not JSON.
  close           the connection is dropped without an answer.
A request for JSON (generationConfig.responseMimeType "application/json", as a text model reading a
product page sends) is answered, under `ok`, with `json_answer` as its text part: a dict is sent as
JSON, a string as it is (to send text that is not JSON).
`release()` cuts every pending and future delay short; `in_flight` counts requests being answered and
`peak_concurrency` is the largest number of requests it was answering at once (for concurrency tests).
Counters and the request log are guarded by a lock: the server handles requests in parallel threads.

pytest fixtures: import `gemini_server` (one server per session) and `gemini` (that server reset to
`ok`, no delay, empty request log) into a conftest.py: `from tests.fakes.gemini_server import gemini,
gemini_server  # noqa: F401`.
"""
import base64
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler

import pytest
from PIL import Image, ImageOps

from tests.fakes.loopback import LoopbackServer

BEHAVIOURS = ("ok", "image_safety", "prompt_blocked", "text_only", "rate_limit", "server_error", "error",
              "malformed", "close")
_PATH = re.compile(r"^/(?P<version>v1[a-z0-9]*)/models/(?P<model>[^/:]+):generateContent$")
_ERROR_REASONS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
                  500: "INTERNAL", 503: "UNAVAILABLE"}


class FakeGemini(LoopbackServer):
    thread_name = "fake-gemini"

    def __init__(self, behaviour="ok", **params):
        super().__init__()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.requests = []
        self.json_answer = {}
        self.delay = 0.0
        self.in_flight = 0
        self.peak_concurrency = 0  # most requests being answered at the same moment
        self.set_behaviour(behaviour, **params)

    # --- control ---------------------------------------------------------------------------
    def release(self):
        """End every delay now, pending and future: answers go out at once."""
        self._released.set()

    def stop(self):
        self._released.set()
        super().stop()

    def set_behaviour(self, name, **params):
        if name not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {name!r}; choose from {BEHAVIOURS}")
        with self._lock:
            self._behaviour, self._params, self._answered = name, params, 0

    @property
    def request_count(self):
        with self._lock:
            return len(self.requests)

    # --- answering -------------------------------------------------------------------------
    def _record(self, path, headers, body):
        match = _PATH.match(path)
        contents = body.get("contents", []) if isinstance(body, dict) else []
        parts = [part for content in contents for part in content.get("parts", [])]
        entry = {"path": path, "model": match["model"] if match else None,
                 "api_key": headers.get("x-goog-api-key"),
                 "text": "\n".join(part["text"] for part in parts if "text" in part),
                 "images": [base64.urlsafe_b64decode(part["inlineData"]["data"])
                            for part in parts if "inlineData" in part],
                 # Google's JSON parser takes both spellings; the SDK sends mime_type.
                 "mime_types": [part["inlineData"].get("mimeType") or part["inlineData"].get("mime_type")
                                for part in parts if "inlineData" in part],
                 "body": body}
        with self._lock:
            self.requests.append(entry)
            behaviour, params = self._behaviour, dict(self._params)
            self._answered += 1
            answered = self._answered
        return entry, behaviour, params, answered

    def _answer(self, entry, behaviour, params, answered):
        """(status, body bytes), or None to drop the connection."""
        if behaviour == "rate_limit" and answered <= params.get("times", 1):
            return _error(429, "Resource has been exhausted (e.g. check quota).",
                          details=[{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}])
        if behaviour == "server_error":
            return _error(500, "An internal error has occurred.")
        if behaviour == "error":
            return _error(params.get("status", 400), params.get("message", "Request rejected"), params.get("reason"))
        if behaviour == "malformed":
            return 200, b'{"candidates": [{"content": '
        if behaviour == "close":
            return None
        if behaviour == "image_safety":
            return _json(200, {"candidates": [{"finishReason": "IMAGE_SAFETY", "index": 0}],
                               "modelVersion": entry["model"]})
        if behaviour == "prompt_blocked":
            return _json(200, {"promptFeedback": {"blockReason": params.get("reason", "PROHIBITED_CONTENT")},
                               "modelVersion": entry["model"]})
        if behaviour == "text_only":
            return _json(200, _candidate([{"text": "I can't help with editing this picture."}], entry["model"]))
        if (entry["body"].get("generationConfig") or {}).get("responseMimeType") == "application/json":
            answer = self.json_answer
            return _json(200, _candidate([{"text": answer if isinstance(answer, str) else json.dumps(answer)}],
                                         entry["model"]))
        image = _derived_png(entry["images"][0], params.get("background")) if entry["images"] else None
        parts = [{"text": "Here is the edited image."}]
        if image is not None:
            parts.append({"inlineData": {"mimeType": "image/png", "data": base64.b64encode(image).decode()}})
        return _json(200, _candidate(parts, entry["model"]))

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                with fake._lock:
                    fake.in_flight += 1
                    fake.peak_concurrency = max(fake.peak_concurrency, fake.in_flight)
                try:
                    self._answer_post()
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _answer_post(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                entry, behaviour, params, answered = fake._record(self.path, self.headers, body)
                if fake.delay:
                    fake._released.wait(fake.delay)
                    if fake._stopping.is_set():
                        return
                if not _PATH.match(self.path):
                    answer = _error(404, f"Unknown path {self.path}")
                elif body is None:
                    answer = _error(400, "Invalid JSON payload received.")
                else:
                    answer = fake._answer(entry, behaviour, params, answered)
                if answer is None:
                    self.close_connection = True
                    return
                status, payload = answer
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, *args):
                pass

        return Handler


def _candidate(parts, model):
    return {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 1290, "totalTokenCount": 1300},
            "modelVersion": model}


def _json(status, body):
    return status, json.dumps(body).encode()


def _error(status, message, reason=None, details=None):
    error = {"code": status, "message": message, "status": reason or _ERROR_REASONS.get(status, "UNKNOWN")}
    if details:
        error["details"] = details
    return _json(status, {"error": error})


def _derived_png(image_data, background):
    image = ImageOps.invert(Image.open(io.BytesIO(image_data)).convert("RGB"))
    if background is not None:
        border = max(8, max(image.size) // 8)
        image = ImageOps.expand(image, border=border, fill=tuple(background))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def gemini_server():
    with FakeGemini() as server:
        yield server


@pytest.fixture
def gemini(gemini_server):
    gemini_server.set_behaviour("ok")
    gemini_server.delay = 0
    gemini_server.json_answer = {}
    with gemini_server._lock:
        gemini_server.requests.clear()
    yield gemini_server
    gemini_server.delay = 0
