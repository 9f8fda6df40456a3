"""generateContent calls made in a helper process of this one, so their CPU is not the server's.

The SDK turns every request's photos into base64 inside a JSON body and parses the answer's image back out
of one (about 8 ms of CPU a call for a 1K answer, more under load), all of it holding the interpreter lock.
In one API process that runs the in-process try-on workers, 50 answers arriving together queued every other
request behind that work. Here the SDK runs in a helper process, on the other core: the calling thread
connects to the helper's Unix socket, sends the call (model, contents, config: pickled, the photos as raw
bytes) and waits for the answer on its own connection, which holds no lock while it waits; the helper runs
each connection on a thread of its own with one genai.Client per client setting (one connection pool each,
as google-genai expects) and sends back the parsed answer, or the call's typed error (gemini_client's
mapping, made there from the SDK's exception).

- The helper is started when first needed (`python -m shared.ai_models.gemini_calls_worker`, never a fork
  of a threaded server) and kept; if it dies, the calls it held fail with UPSTREAM_UNAVAILABLE and the next
  call starts a new one.
- Each process has its own helper: a forked child (gunicorn, RQ workers) starts its own.
"""

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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
# Socket buffers large enough for a call or an answer to pass in one piece (each piece a thread waits for
# is one more wait for this process's interpreter lock); the system may grant less.
SOCKET_BUFFER_BYTES = 4 * 1024 * 1024


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


def enlarge_buffers(sock: socket.socket) -> None:
    for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
        sock.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER_BYTES)


class CallProcess:
    """The helper process and its socket; calls from many threads share it, each on its own connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: str | None = None

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
        process, address = self._started()
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            enlarge_buffers(sock)
            sock.connect(address)
        except OSError:
            sock.close()
            self._lost(process)
            raise _helper_gone("refused the call") from None
        with Connection(sock.detach()) as connection:
            try:
                connection.send((options, model, contents, config))
                if not connection.poll(options.longest_call_seconds() + _WAIT_MARGIN_SECONDS):
                    self._lost(process)
                    raise _helper_gone("did not answer")
                outcome = connection.recv()
            except (EOFError, OSError):
                self._lost(process)
                raise _helper_gone("stopped") from None
        kind = outcome[0]
        if kind == "ok":
            return cast(types.GenerateContentResponse, outcome[1])
        if kind == "error":
            raise CallFailed(*outcome[1:])
        raise RuntimeError(f"the Gemini helper process failed a call:\n{outcome[1]}")

    def close(self) -> None:
        """Stop the helper (at exit; calls still waiting fail)."""
        with self._lock:
            process = self._process
        if process is not None:
            self._lost(process)

    def _started(self) -> tuple["subprocess.Popen[bytes]", str]:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                assert self._folder is not None  # set with the process
                return self._process, _address(self._folder)
            self._stop_locked()
            folder = tempfile.mkdtemp(prefix="gemini-calls-")
            process = subprocess.Popen(
                [sys.executable, "-m", "shared.ai_models.gemini_calls_worker", _address(folder)],
                cwd=_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
            )
            assert process.stdout is not None  # a pipe was asked for
            with Connection(os.dup(process.stdout.fileno()), writable=False) as ready:
                started = ready.poll(_STARTUP_SECONDS) and ready.recv_bytes() == b"ready"
            if not started:
                _kill(process, folder)
                raise _helper_gone("did not start")
            self._process, self._folder = process, folder
            return process, _address(folder)

    def _lost(self, process: "subprocess.Popen[bytes]") -> None:
        """The helper `process` is gone or taken as stuck: it is stopped (the calls it held fail) and the next call
        starts another."""
        with self._lock:
            if self._process is process:
                self._stop_locked()

    def _stop_locked(self) -> None:
        if self._process is not None and self._folder is not None:
            _kill(self._process, self._folder)
        self._process, self._folder = None, None


def _address(folder: str) -> str:
    return os.path.join(folder, "calls.sock")


def _kill(process: "subprocess.Popen[bytes]", folder: str) -> None:
    process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()
    shutil.rmtree(folder, ignore_errors=True)


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
