"""The helper process of shared/ai_models/gemini_calls.py: `python -m shared.ai_models.gemini_calls_worker SOCKET`.

Listens on the Unix socket SOCKET and serves each connection (one call) on a thread of its own, as many
calls wait on the model at once, with one genai.Client per client setting; sends back ("ok", the parsed
answer), ("error", code, details, headers, model not found) for what the SDK raised, or ("crash",
traceback) for anything else. It writes a `ready` message on its standard output once it listens (nothing
else goes there), and exits when the process that started it is gone.
"""

import os
import pickle
import socket
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from shared.ai_models.gemini_calls import ClientOptions, enlarge_buffers, sdk_client
from shared.ai_models.gemini_client import CALL_FAILURES, ModelNotFoundError, typed_error

_clients: dict[ClientOptions, Any] = {}
_clients_lock = threading.Lock()
_PARENT_CHECK_SECONDS = 1.0


def main(address: str) -> None:
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(1024)
    listener.settimeout(_PARENT_CHECK_SECONDS)
    with Connection(sys.stdout.fileno(), readable=False) as ready:
        ready.send_bytes(b"ready")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nobody reads the pipe after this message
    while os.getppid() == parent:  # the process that started us is gone: nobody will call
        try:
            sock, _ = listener.accept()
        except TimeoutError:
            continue
        sock.settimeout(None)
        enlarge_buffers(sock)
        threading.Thread(target=_serve, args=(Connection(sock.detach()),), daemon=True).start()


def _serve(connection: Connection) -> None:
    with connection:
        try:
            options, model, contents, config = connection.recv()
        except (EOFError, OSError):
            return
        outcome = _call(options, model, contents, config)
        try:
            message = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an answer that does not pickle
            message = pickle.dumps(("crash", traceback.format_exc()))
        try:
            connection.send_bytes(message)
        except OSError:
            return  # the caller has gone


def _call(options: ClientOptions, model: str, contents: Any, config: Any) -> tuple[Any, ...]:
    try:
        return ("ok", _client(options).models.generate_content(model=model, contents=contents, config=config))
    except CALL_FAILURES as exc:
        error = typed_error(exc, model)
        return ("error", error.code, error.details, error.headers, isinstance(error, ModelNotFoundError))
    except Exception:
        return ("crash", traceback.format_exc())


def _client(options: ClientOptions) -> Any:
    with _clients_lock:
        if options not in _clients:
            _clients[options] = sdk_client(options)
        return _clients[options]


if __name__ == "__main__":
    main(sys.argv[1])
