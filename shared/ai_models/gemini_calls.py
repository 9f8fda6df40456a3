"""generateContent calls made in a helper process of this one, so their CPU is not the server's.

The SDK turns every request's photos into base64 inside a JSON body and parses the answer's image back out
of one (about 8 ms of CPU a call for a 1K answer, more under load), all of it holding the interpreter lock.
In one API process that runs the in-process try-on workers, 50 answers arriving together queued every other
request behind that parsing. Here the SDK runs in a helper process, on the other core: the caller's thread
sends the call (model, contents, config: pickled, the photos as raw bytes) and waits on the pipe, which
holds no lock; the helper runs each call on a thread of its own with a genai.Client per client setting
(one connection pool each, as google-genai expects) and sends back the parsed answer, or the call's typed
error (gemini_client's mapping, made there from the SDK's exception).

- The helper is started when first needed (`python -m shared.ai_models.gemini_calls_worker`, never a fork
  of a threaded server) and kept; if it dies, the calls waiting on it fail with UPSTREAM_UNAVAILABLE and
  the next call starts a new one.
- Each process has its own helper: a forked child (gunicorn, RQ workers) starts its own.
"""

import atexit
import itertools
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from google.genai import types

from shared.ai_models.errors import ImageModelError

_ROOT = Path(__file__).resolve().parents[2]
_STARTUP_SECONDS = 60.0
# How long past the SDK's own limit (every attempt timed out, with its back-off) a caller waits for a helper
# that said nothing: the helper is then taken as stuck.
_WAIT_MARGIN_SECONDS = 30.0


@dataclass(frozen=True)
class ClientOptions:
    """What a genai.Client is made from (the helper keeps one client per distinct value)."""

    api_key: str
    base_url: str | None
    timeout_seconds: float
    max_attempts: int
    retry_delay_seconds: float
    retry_status_codes: tuple[int, ...]

    def longest_call_seconds(self) -> float:
        """The SDK's longest time for one call: every attempt timed out, with the doubling back-off between."""
        back_off = sum(2 * self.retry_delay_seconds * 2**i for i in range(self.max_attempts - 1))
        return self.max_attempts * self.timeout_seconds + back_off


class CallFailed(Exception):
    """A call's typed error as the helper made it from the SDK's exception (gemini_client.typed_error): its
    code, details and headers, and whether the API did not know the model (a 404)."""

    def __init__(
        self, code: str, details: dict[str, Any], headers: dict[str, str], model_not_found: bool
    ) -> None:
        super().__init__(code)
        self.code, self.details, self.headers = code, details, headers
        self.model_not_found = model_not_found


def sdk_client(options: ClientOptions) -> Any:
    """A genai.Client for these options (its retries on the listed status codes and on transport timeouts)."""
    from google import genai

    retry = types.HttpRetryOptions(
        attempts=options.max_attempts,
        http_status_codes=list(options.retry_status_codes),
        initial_delay=options.retry_delay_seconds,
        jitter=options.retry_delay_seconds,
    )
    return genai.Client(
        api_key=options.api_key,
        http_options=types.HttpOptions(
            base_url=options.base_url or None,
            timeout=int(options.timeout_seconds * 1000),
            retry_options=retry,
        ),
    )


class CallProcess:
    """The helper process and the pipe to it; calls from many threads share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._ids = itertools.count()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._waiting: dict[int, Future[tuple[Any, ...]]] = {}

    def generate(
        self,
        options: ClientOptions,
        model: str,
        contents: list[Any],
        config: types.GenerateContentConfig,
    ) -> types.GenerateContentResponse:
        """client.models.generate_content(model=, contents=, config=) in the helper. Raises CallFailed (the SDK's
        typed error) or ImageModelError UPSTREAM_UNAVAILABLE when the helper stopped or did not answer in the
        SDK's longest time for a call."""
        call_id = next(self._ids)
        answer: Future[tuple[Any, ...]] = Future()
        connection = self._started()
        with self._lock:
            self._waiting[call_id] = answer
        try:
            with self._send_lock:
                connection.send(("call", call_id, options, model, contents, config))
        except OSError:
            self._lost(connection)
        try:
            outcome = answer.result(timeout=options.longest_call_seconds() + _WAIT_MARGIN_SECONDS)
        except TimeoutError:
            self._lost(connection)
            raise _helper_gone("no answer") from None
        finally:
            with self._lock:
                self._waiting.pop(call_id, None)
        kind = outcome[0]
        if kind == "ok":
            return cast(types.GenerateContentResponse, outcome[1])
        if kind == "error":
            raise CallFailed(*outcome[1:])
        raise RuntimeError(f"the Gemini helper process failed a call:\n{outcome[1]}")

    def close(self) -> None:
        """Stop the helper (at exit; calls still waiting fail)."""
        with self._lock:
            connection = self._connection
        if connection is not None:
            self._lost(connection)

    def _started(self) -> Connection:
        with self._lock:
            if self._connection is not None:
                return self._connection
            ours, theirs = socket.socketpair()
            with theirs:
                process = subprocess.Popen(
                    [sys.executable, "-m", "shared.ai_models.gemini_calls_worker", str(theirs.fileno())],
                    cwd=_ROOT,
                    pass_fds=(theirs.fileno(),),
                    stdin=subprocess.DEVNULL,
                )
            connection = Connection(ours.detach())
            if not connection.poll(_STARTUP_SECONDS) or connection.recv() != ("ready",):
                process.kill()
                process.wait()
                connection.close()
                raise _helper_gone("did not start")
            self._process, self._connection = process, connection
        threading.Thread(
            target=self._read, args=(connection,), name="gemini-calls-reader", daemon=True
        ).start()
        return connection

    def _read(self, connection: Connection) -> None:
        """Hand each answer to the call waiting for it, until the pipe closes."""
        while True:
            try:
                call_id, outcome = connection.recv()
            except (EOFError, OSError):
                self._lost(connection)
                return
            with self._lock:
                answer = self._waiting.get(call_id)
            if answer is not None:
                answer.set_result(outcome)

    def _lost(self, connection: Connection) -> None:
        """The helper behind `connection` is gone or taken as stuck: it is stopped, its waiting calls fail and
        the next call starts another."""
        with self._lock:
            if self._connection is not connection:
                return
            process, self._connection, self._process = self._process, None, None
            waiting, self._waiting = self._waiting, {}
        connection.close()
        if process is not None:
            process.kill()
            process.wait()
        for answer in waiting.values():
            if not answer.done():
                answer.set_exception(_helper_gone("stopped"))


def _helper_gone(what: str) -> ImageModelError:
    return ImageModelError("UPSTREAM_UNAVAILABLE", details={"upstream": {"error": f"Gemini helper {what}"}})


_helper = CallProcess()


def helper() -> CallProcess:
    """This process's helper."""
    return _helper


def _forget_inherited_helper() -> None:
    """In a forked child the parent's helper is not ours to use or stop: start afresh."""
    global _helper
    _helper = CallProcess()


os.register_at_fork(after_in_child=_forget_inherited_helper)
atexit.register(lambda: _helper.close())
