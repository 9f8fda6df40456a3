"""A fake Gemini REST server on 127.0.0.1 that the real google-genai SDK talks to.

    with FakeGemini() as gemini:                      # or gemini = FakeGemini().start(); ...; gemini.stop()
        settings = gemini.app_settings(GEMINI_TIMEOUT_SECONDS=5)  # AI_PROVIDER, key, base URL, and these
        gemini.set_behaviour("rate_limit", times=2)   # 429 twice, then a normal answer
        gemini.delay = 0.5                            # seconds to wait before every answer
        ...
        gemini.requests[0]["text"], gemini.requests[0]["images"]

It answers `POST /{version}/models/{model}:generateContent` (the SDK sends /v1/...) like the real
service, and records every request as a dict: path, model, api_key, text (all text parts joined),
images (decoded inline image bytes, in order), mime_types, body (the parsed JSON), received_at (when the
request had been read whole) and answered_at (when its answer had been written; None until then), both
`time.time()`.

Files (the Files API as the SDK's `client.files.upload` speaks it): `POST /upload/{version}/files` with
`X-Goog-Upload-Protocol: resumable` and `X-Goog-Upload-Command: start` opens an upload session and answers
its URL in `x-goog-upload-url`; the raw bytes then go to that URL (`upload`, `finalize`, checked against the
announced size and offset) and the answer is the File resource (name `files/<id>`, uri, mimeType, sizeBytes,
sha256Hash, createTime, expirationTime `file_ttl` seconds later (48 h), state ACTIVE, or PROCESSING for the
first `processing_reads` reads of `GET /{version}/files/<id>`). Every finished upload is logged in `uploads`
({name, mime_type, size}). A generateContent part `fileData {fileUri, mimeType}` is read as that file's image
(it joins `images` and `mime_types`; its uri joins `file_uris`); a file never uploaded, deleted or expired
(`expire_files()`, as 48 h later) is answered 403 PERMISSION_DENIED, one still PROCESSING 400
FAILED_PRECONDITION, with the real service's messages. `DELETE /{version}/files/<id>` (the SDK's
`client.files.delete`) answers 200 with an empty JSON object and forgets the file, or, as the real service does
for a file it does not have (never uploaded, deleted, expired), 403 PERMISSION_DENIED "You do not have permission
to access the File <id> or it may not exist."; every deletion asked for is logged in `deletions` ({name,
status}). `fail_deletes = True` answers every deletion 503. `fail_uploads = True` answers every upload 503;
`refuse_file_data = True` answers every generation naming a file 400 INVALID_ARGUMENT (a model that does
not take file references).

Models: `GET /{version}/models` (paged: pageSize, pageToken) and `GET /{version}/models/{name}` list
`gemini.models` ({name: supported generation methods}, set with set_models(); these requests are counted
in `list_requests`, not in `requests`). generateContent on a model not in it answers 404 NOT_FOUND with
the real service's message. Every answer with a candidate carries usageMetadata (prompt, candidates with
per-modality details, thoughts, total); an image answer is sized by imageConfig (imageSize 1K/2K/4K and
aspectRatio, as the real models draw them) unless a ready-made `image` is given.

Behaviours (set_behaviour(name, **params); the request count for `times` restarts at each call):
  ok              200 with a short text part and a PNG derived from the first input image (colours
                  inverted); params: background=(r, g, b) pads the image with a border of that colour,
                  as a model asked to put the subject on a plain background would; image=<PNG bytes>
                  answers with that image as it is (no image work: for benchmarks); text=<words> is the
                  text part. A request whose responseModalities leave out IMAGE gets the text only.
  thinking        200 as a thinking image model answers: thought text and an interim (thought) image
                  first, then the final text and image, with thoughtsTokenCount.
  finish          200, a candidate with finishReason `reason` (any FinishReason) and no image; param
                  text adds a text part (a refusal in words).
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
`release()` cuts every pending and future delay short; `in_flight` counts model requests being answered and
`peak_concurrency` is the largest number of them it was answering at once (for concurrency tests; uploads of files
are not model requests).
Counters and the request log are guarded by a lock: the server handles requests in parallel threads.

pytest fixtures, for every test (tests/conftest.py loads this module as a plugin): `gemini_server` (one
server per session), `gemini` (that server reset to `ok`, no delay, empty request log) and `fake_gemini`
(a fresh server of the test's own).
"""

import base64
import functools
import hashlib
import io
import json
import math
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

import pytest
from PIL import Image, ImageOps

from tests.fakes.loopback import LoopbackServer

BEHAVIOURS = (
    "ok",
    "thinking",
    "finish",
    "image_safety",
    "prompt_blocked",
    "text_only",
    "rate_limit",
    "server_error",
    "error",
    "malformed",
    "close",
)
_PATH = re.compile(r"^/(?P<version>v1[a-z0-9]*)/models/(?P<model>[^/:]+):generateContent$")
_MODELS_PATH = re.compile(r"^/(?P<version>v1[a-z0-9]*)/models(?:/(?P<model>[^/:?]+))?(?:\?(?P<query>.*))?$")
_UPLOAD_PATH = re.compile(r"^/upload/(?P<version>v1[a-z0-9]*)/files(?:\?(?P<query>.*))?$")
_FILE_PATH = re.compile(r"^/(?P<version>v1[a-z0-9]*)/files/(?P<id>[a-z0-9-]+)$")
FILE_TTL_SECONDS = 48 * 3600  # how long the Files API keeps an upload
_GENERATE = ["generateContent", "countTokens"]
# What a key can use by default: the image and text models the service is configured with out of the box,
# and others a real key lists (a text model, an image model of another family that only predicts).
DEFAULT_MODELS = {
    "gemini-3.1-flash-image": _GENERATE,
    "gemini-3-pro-image": _GENERATE,
    "gemini-2.5-flash-image": _GENERATE,
    "gemini-flash-lite-latest": _GENERATE,
    "gemini-2.5-flash-lite": _GENERATE,
    "gemini-2.5-flash": _GENERATE,
    "imagen-4.0-generate-001": ["predict"],
    "text-embedding-004": ["embedContent"],
}
# Pixels per side of a square image at each imageSize; other aspect ratios keep about the same area.
_IMAGE_SIDES = {"1K": 1024, "2K": 2048, "4K": 4096}
# Output tokens the image models bill per image at each size.
_IMAGE_TOKENS = {"1K": 1120, "2K": 1120, "4K": 2000}
_ERROR_REASONS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class FakeGemini(LoopbackServer):
    thread_name = "fake-gemini"

    def __init__(self, behaviour="ok", **params):
        super().__init__()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.requests = []
        self.list_requests = []
        self.models = dict(DEFAULT_MODELS)
        self.json_answer = {}
        self.delay = 0.0
        self.in_flight = 0
        self.peak_concurrency = 0  # most requests being answered at the same moment
        self.files = {}  # file id -> {data, mime_type, created, expires, reads_left_processing}
        self.uploads = []
        self.deletions = []
        self.fail_deletes = False
        self.file_ttl = FILE_TTL_SECONDS
        self.processing_reads = 0
        self.fail_uploads = False
        self.refuse_file_data = False
        self._upload_sessions = {}
        self.set_behaviour(behaviour, **params)

    def app_settings(self, **settings):
        """The settings of an app whose Gemini is this server (for the try-on model too), with `settings` added;
        every value works as an environment variable as well (for apps in processes of their own)."""
        return {
            "AI_PROVIDER": "gemini",
            "GEMINI_API_KEY": "test-key",
            "GEMINI_BASE_URL": self.base_url,
            **settings,
        }

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

    def set_models(self, models):
        """The models this key can use: names (generateContent) or {name: supported methods}."""
        with self._lock:
            self.models = dict(models) if isinstance(models, dict) else {name: _GENERATE for name in models}

    def expire_files(self):
        """Every uploaded file is gone, as 48 hours after its upload."""
        with self._lock:
            self.files.clear()

    @property
    def request_count(self):
        with self._lock:
            return len(self.requests)

    # --- answering -------------------------------------------------------------------------
    def _record(self, path, headers, body):
        match = _PATH.match(path)
        contents = body.get("contents", []) if isinstance(body, dict) else []
        parts = [part for content in contents for part in content.get("parts", [])]
        images, mime_types, file_uris, file_problem = [], [], [], None
        for part in parts:
            if "inlineData" in part:
                images.append(base64.urlsafe_b64decode(part["inlineData"]["data"]))
                # Google's JSON parser takes both spellings; the SDK sends mime_type.
                mime_types.append(part["inlineData"].get("mimeType") or part["inlineData"].get("mime_type"))
            elif "fileData" in part:
                uri = _either(part["fileData"], "fileUri", "file_uri")
                data, problem = self._file_for_generation(uri)
                file_uris.append(uri)
                if self.refuse_file_data:
                    problem = _error(400, "Request contains an invalid argument.")
                file_problem = file_problem or problem
                if data is not None:
                    images.append(data)
                    mime_types.append(_either(part["fileData"], "mimeType", "mime_type"))
        entry = {
            "path": path,
            "model": match["model"] if match else None,
            "api_key": headers.get("x-goog-api-key"),
            "text": "\n".join(part["text"] for part in parts if "text" in part),
            "images": images,
            "mime_types": mime_types,
            "file_uris": file_uris,
            "file_problem": file_problem,
            "body": body,
            "received_at": time.time(),
            "answered_at": None,
        }
        with self._lock:
            self.requests.append(entry)
            behaviour, params = self._behaviour, dict(self._params)
            self._answered += 1
            answered = self._answered
        return entry, behaviour, params, answered

    def _answer(self, entry, behaviour, params, answered):
        """(status, body bytes), or None to drop the connection."""
        if behaviour == "rate_limit" and answered <= params.get("times", 1):
            return _error(
                429,
                "Resource has been exhausted (e.g. check quota).",
                details=[{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}],
            )
        if behaviour == "server_error":
            return _error(500, "An internal error has occurred.")
        if behaviour == "error":
            return _error(
                params.get("status", 400), params.get("message", "Request rejected"), params.get("reason")
            )
        if behaviour == "malformed":
            return 200, b'{"candidates": [{"content": '
        if behaviour == "close":
            return None
        if behaviour == "image_safety":
            return _json(200, _candidate([], entry, finish_reason="IMAGE_SAFETY"))
        if behaviour == "prompt_blocked":
            return _json(
                200,
                {
                    "promptFeedback": {"blockReason": params.get("reason", "PROHIBITED_CONTENT")},
                    "usageMetadata": _usage(entry, [], 0),
                    "modelVersion": entry["model"],
                },
            )
        if behaviour == "text_only":
            return _json(200, _candidate([{"text": "I can't help with editing this picture."}], entry))
        if behaviour == "finish":
            parts = [{"text": params["text"]}] if params.get("text") else []
            return _json(200, _candidate(parts, entry, finish_reason=params.get("reason", "OTHER")))
        if (entry["body"].get("generationConfig") or {}).get("responseMimeType") == "application/json":
            answer = self.json_answer
            return _json(
                200, _candidate([{"text": answer if isinstance(answer, str) else json.dumps(answer)}], entry)
            )
        parts = [{"text": params.get("text", "Here is the edited image.")}]
        if _asks_for_images(entry) and (params.get("image") or entry["images"]):
            parts.append(
                _image_part(
                    params.get("image")
                    or _derived_png(entry["images"][0], params.get("background"), _image_config(entry))
                )
            )
        if behaviour == "thinking":
            drafts = [
                {**_image_part(_derived_png(entry["images"][0], (128, 128, 128), None)), "thought": True}
                for _ in entry["images"][:1]
            ]
            parts = [
                {"text": "Planning: keep the face and pose, swap the clothing.", "thought": True},
                *drafts,
                {"text": "Checking the drape and the light.", "thought": True},
                *parts,
            ]
        return _json(200, _candidate(parts, entry, thoughts=300 if behaviour == "thinking" else 0))

    def _answer_models(self, path):
        """(status, body) of models.list / models.get."""
        match = _MODELS_PATH.match(path)
        with self._lock:
            self.list_requests.append(path)
            models = dict(self.models)
        if match is None:
            return _error(404, f"Unknown path {path}")
        version = match["version"]
        if match["model"]:
            if match["model"] not in models:
                return _error(404, f"models/{match['model']} is not found for API version {version}")
            return _json(200, _model_resource(match["model"], models[match["model"]]))
        query = dict(parse_qsl(match["query"] or ""))
        names = sorted(models)
        start = int(query.get("pageToken") or 0)
        size = int(query.get("pageSize") or 50)
        body = {"models": [_model_resource(name, models[name]) for name in names[start : start + size]]}
        if start + size < len(names):
            body["nextPageToken"] = str(start + size)
        return _json(200, body)

    def _unknown_model(self, entry):
        """The 404 the real service gives a generateContent call to a model it does not know, or None."""
        with self._lock:
            known = entry["model"] in self.models and "generateContent" in self.models[entry["model"]]
        if known:
            return None
        version = _PATH.match(entry["path"])["version"]
        return _error(
            404,
            f"models/{entry['model']} is not found for API version {version}, or is not supported "
            "for generateContent. Call ListModels to see the list of available models and their "
            "supported methods.",
        )

    # --- the Files API ------------------------------------------------------------------------
    def _file_for_generation(self, uri):
        """(bytes, None) of the file a generation names by uri, or (None, the real service's error answer)."""
        file_id = (uri or "").rstrip("/").rpartition("/files/")[2]
        with self._lock:
            stored = self.files.get(file_id)
            if stored is not None and stored["expires"] <= time.time():
                del self.files[file_id]
                stored = None
        if stored is None:
            return None, _error(
                403, f"You do not have permission to access the File {file_id} or it may not exist."
            )
        if stored["reads_left_processing"] > 0:
            return None, _error(
                400,
                f"The File {file_id} is not in an ACTIVE state and usage is not allowed.",
                "FAILED_PRECONDITION",
            )
        return stored["data"], None

    def _answer_upload(self, path, headers, raw):
        """(status, body, headers) of the resumable upload protocol: a start, then the bytes."""
        match = _UPLOAD_PATH.match(path)
        if match is None:
            return (*_error(404, f"Unknown path {path}"), {})
        if self.fail_uploads:
            return (*_error(503, "The service is currently unavailable."), {})
        command = [word.strip() for word in (headers.get("X-Goog-Upload-Command") or "").split(",")]
        query = dict(parse_qsl(match["query"] or ""))
        if "start" in command:
            if headers.get("X-Goog-Upload-Protocol") != "resumable":
                return (*_error(400, "Upload protocol must be resumable."), {})
            try:
                size = int(headers.get("X-Goog-Upload-Header-Content-Length") or "")
            except ValueError:
                return (*_error(400, "X-Goog-Upload-Header-Content-Length is required."), {})
            declared = (json.loads(raw or b"{}").get("file") or {}) if raw else {}
            session = uuid.uuid4().hex
            with self._lock:
                self._upload_sessions[session] = {
                    "size": size,
                    "mime_type": headers.get("X-Goog-Upload-Header-Content-Type")
                    or _either(declared, "mimeType", "mime_type"),
                    "data": bytearray(),
                }
            upload_url = self.url(
                f"/upload/{match['version']}/files?upload_id={session}&upload_protocol=resumable"
            )
            return 200, b"", {"x-goog-upload-url": upload_url, "x-goog-upload-status": "active"}
        with self._lock:
            session = self._upload_sessions.get(query.get("upload_id", ""))
        if session is None or "upload" not in command:
            return (*_error(400, "Unknown upload session."), {"x-goog-upload-status": "final"})
        if int(headers.get("X-Goog-Upload-Offset") or -1) != len(session["data"]):
            return (*_error(400, "Upload offset does not match the bytes received."), {})
        session["data"] += raw
        if "finalize" not in command:
            return 200, b"", {"x-goog-upload-status": "active"}
        with self._lock:
            del self._upload_sessions[query["upload_id"]]
        if len(session["data"]) != session["size"]:
            return (*_error(400, "The upload's size does not match the size announced."), {})
        resource = self._store_file(bytes(session["data"]), session["mime_type"], match["version"])
        return (*_json(200, {"file": resource}), {"x-goog-upload-status": "final"})

    def _store_file(self, data, mime_type, version):
        file_id = uuid.uuid4().hex[:12]
        now = time.time()
        with self._lock:
            self.files[file_id] = {
                "data": data,
                "mime_type": mime_type,
                "created": now,
                "expires": now + self.file_ttl,
                "reads_left_processing": self.processing_reads,
                "version": version,
            }
            self.uploads.append({"name": f"files/{file_id}", "mime_type": mime_type, "size": len(data)})
            return self._file_resource(file_id)

    def _file_resource(self, file_id):
        stored = self.files[file_id]
        return {
            "name": f"files/{file_id}",
            "mimeType": stored["mime_type"],
            "sizeBytes": str(len(stored["data"])),
            "createTime": _timestamp(stored["created"]),
            "updateTime": _timestamp(stored["created"]),
            "expirationTime": _timestamp(stored["expires"]),
            "sha256Hash": base64.b64encode(hashlib.sha256(stored["data"]).hexdigest().encode()).decode(),
            "uri": self.url(f"/{stored['version']}/files/{file_id}"),
            "state": "PROCESSING" if stored["reads_left_processing"] > 0 else "ACTIVE",
            "source": "UPLOADED",
        }

    def _answer_file(self, file_id, method):
        """(status, body) of files.get / files.delete."""
        if method == "DELETE":
            answer = self._delete_file(file_id)
            with self._lock:
                self.deletions.append({"name": f"files/{file_id}", "status": answer[0]})
            return answer
        with self._lock:
            stored = self.files.get(file_id)
            if stored is None or stored["expires"] <= time.time():
                self.files.pop(file_id, None)
                return _error(
                    403, f"You do not have permission to access the File {file_id} or it may not exist."
                )
            resource = self._file_resource(file_id)
            stored["reads_left_processing"] = max(0, stored["reads_left_processing"] - 1)
            return _json(200, resource)

    def _delete_file(self, file_id):
        if self.fail_deletes:
            return _error(503, "The service is currently unavailable.")
        with self._lock:
            stored = self.files.pop(file_id, None)
        if stored is None or stored["expires"] <= time.time():
            return _error(
                403, f"You do not have permission to access the File {file_id} or it may not exist."
            )
        return _json(200, {})

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                file_path = _FILE_PATH.match(self.path.partition("?")[0])
                if file_path:
                    self._send(*fake._answer_file(file_path["id"], "GET"))
                else:
                    self._send(*fake._answer_models(self.path))

            def do_DELETE(self):
                self.rfile.read(
                    int(self.headers.get("Content-Length") or 0)
                )  # the SDK sends no body; read any
                file_path = _FILE_PATH.match(self.path.partition("?")[0])
                self._send(
                    *(fake._answer_file(file_path["id"], "DELETE") if file_path else _error(404, "Not found"))
                )

            def do_POST(self):
                # Model calls are what `in_flight` and `peak_concurrency` count; a photo's upload is not one.
                counted = not self.path.startswith("/upload/")
                with fake._lock:
                    fake.in_flight += counted
                    fake.peak_concurrency = max(fake.peak_concurrency, fake.in_flight)
                try:
                    self._answer_post()
                finally:
                    with fake._lock:
                        fake.in_flight -= counted

            def _answer_post(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.startswith("/upload/"):
                    self._send(*fake._answer_upload(self.path, self.headers, raw))
                    return
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
                    answer = (
                        fake._unknown_model(entry)
                        or entry["file_problem"]
                        or fake._answer(entry, behaviour, params, answered)
                    )
                if answer is None:
                    self.close_connection = True
                    return
                self._send(*answer)
                entry["answered_at"] = time.time()

            def _send(self, status, payload, headers=None):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, *args):
                pass

        return Handler


def _candidate(parts, entry, finish_reason="STOP", thoughts=0):
    candidate = {"finishReason": finish_reason, "index": 0}
    if parts:
        candidate["content"] = {"role": "model", "parts": parts}
    return {
        "candidates": [candidate],
        "usageMetadata": _usage(entry, parts, thoughts),
        "modelVersion": entry["model"],
        "responseId": "fake-response",
    }


def _usage(entry, parts, thoughts):
    """Token counts as the service reports them: 258 per input image plus the text, the answer by modality."""
    size = (_image_config(entry) or {}).get("imageSize", "1K")
    prompt = 258 * len(entry["images"]) + len(entry["text"]) // 4
    final = [part for part in parts if not part.get("thought")]
    image = sum(_IMAGE_TOKENS.get(size, 1120) for part in final if "inlineData" in part)
    text = sum(max(1, len(part["text"]) // 4) for part in final if "text" in part)
    details = [
        {"modality": modality, "tokenCount": count}
        for modality, count in (("IMAGE", image), ("TEXT", text))
        if count
    ]
    usage = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": image + text,
        "totalTokenCount": prompt + image + text + thoughts,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": len(entry["text"]) // 4}],
    }
    if details:
        usage["candidatesTokensDetails"] = details
    if thoughts:
        usage["thoughtsTokenCount"] = thoughts
    return usage


def _image_part(image):
    return {"inlineData": {"mimeType": "image/png", "data": _base64(image)}}


@functools.lru_cache(maxsize=8)
def _base64(image):
    """Encoded once per image: a benchmark's ready-made answer costs the fake no work per request."""
    return base64.b64encode(image).decode()


def _asks_for_images(entry):
    """A request whose responseModalities leave out IMAGE (a text model's) is answered in words only."""
    body = entry["body"] if isinstance(entry["body"], dict) else {}
    return "IMAGE" in (body.get("generationConfig") or {}).get("responseModalities", ["IMAGE"])


def _image_config(entry):
    body = entry["body"] if isinstance(entry["body"], dict) else {}
    return (body.get("generationConfig") or {}).get("imageConfig")


def _model_resource(name, methods):
    return {
        "name": f"models/{name}",
        "version": "001",
        "displayName": name.replace("-", " ").title(),
        "description": f"Fake {name}",
        "inputTokenLimit": 65536,
        "outputTokenLimit": 32768,
        "supportedGenerationMethods": list(methods),
        "thinking": "pro" in name or "3.1" in name,
    }


def _either(mapping, *keys):
    """The value under the first of `keys` present (Google's JSON parser takes camelCase and snake_case)."""
    return next((mapping[key] for key in keys if key in mapping), None)


def _timestamp(seconds):
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _json(status, body):
    return status, json.dumps(body).encode()


def _error(status, message, reason=None, details=None):
    error = {"code": status, "message": message, "status": reason or _ERROR_REASONS.get(status, "UNKNOWN")}
    if details:
        error["details"] = details
    return _json(status, {"error": error})


_derived_lock = threading.Lock()


def _derived_png(image_data, background, image_config):
    """The input inverted (and padded with `background`), drawn at the size imageConfig asks for; the same
    request is drawn once (many concurrent try-ons of one photo cost the fake one image)."""
    config = tuple(sorted((image_config or {}).items()))
    with _derived_lock:
        return _draw_derived(image_data, None if background is None else tuple(background), config)


@functools.lru_cache(maxsize=32)
def _draw_derived(image_data, background, config):
    image_config = dict(config)
    image = ImageOps.invert(Image.open(io.BytesIO(image_data)).convert("RGB"))
    if background is not None:
        border = max(8, max(image.size) // 8)
        image = ImageOps.expand(image, border=border, fill=background)
    if image_config:
        image = ImageOps.fit(image, _output_size(image_config, image.size))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _output_size(image_config, input_size):
    """(width, height) of an image at imageSize (default 1K) and aspectRatio (default: the input's)."""
    side = _IMAGE_SIDES.get(image_config.get("imageSize"), 1024)
    if image_config.get("aspectRatio"):
        width, height = (int(n) for n in image_config["aspectRatio"].split(":"))
    else:
        width, height = input_size
    scale = side / math.sqrt(width * height)
    return round(width * scale / 16) * 16, round(height * scale / 16) * 16


@pytest.fixture(scope="session")
def gemini_server():
    with FakeGemini() as server:
        yield server


@pytest.fixture
def gemini(gemini_server):
    gemini_server.set_behaviour("ok")
    gemini_server.set_models(DEFAULT_MODELS)
    gemini_server.delay = 0
    gemini_server.json_answer = {}
    gemini_server.file_ttl, gemini_server.processing_reads = FILE_TTL_SECONDS, 0
    gemini_server.fail_uploads = gemini_server.refuse_file_data = gemini_server.fail_deletes = False
    gemini_server._released.clear()  # an earlier test's release() must not cut this test's delays short
    with gemini_server._lock:
        gemini_server.requests.clear()
        gemini_server.list_requests.clear()
        gemini_server.uploads.clear()
        gemini_server.deletions.clear()
    yield gemini_server
    gemini_server.delay = 0


@pytest.fixture
def fake_gemini():
    """A fresh fake Gemini server of the test's own (its request log and behaviour are this test's)."""
    with FakeGemini() as server:
        yield server
