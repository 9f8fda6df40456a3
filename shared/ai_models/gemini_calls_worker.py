"""The helper process of shared/ai_models/gemini_calls.py: `python -m shared.ai_models.gemini_calls_worker FD`.

Reads calls from the pipe on file descriptor FD and runs each on a thread of its own (many calls wait on
the model at once), with one genai.Client per client setting; sends back (call id, outcome): ("ok", the
parsed answer), ("error", code, details, headers, model not found) for what the SDK raised, or ("crash",
traceback) for anything else. It exits when the pipe closes.
"""

import pickle
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from shared.ai_models.gemini_calls import ClientOptions, sdk_client
from shared.ai_models.gemini_client import CALL_FAILURES, ModelNotFoundError, typed_error

_clients: dict[ClientOptions, Any] = {}
_clients_lock = threading.Lock()
_send_lock = threading.Lock()


def main(fd: int) -> None:
    connection = Connection(fd)
    connection.send(("ready",))
    while True:
        try:
            _, call_id, options, model, contents, config = connection.recv()
        except EOFError:
            return
        threading.Thread(
            target=_call, args=(connection, call_id, options, model, contents, config), daemon=True
        ).start()


def _call(
    connection: Connection, call_id: int, options: ClientOptions, model: str, contents: Any, config: Any
) -> None:
    outcome: tuple[Any, ...]
    try:
        response = _client(options).models.generate_content(model=model, contents=contents, config=config)
        outcome = ("ok", response)
    except CALL_FAILURES as exc:
        error = typed_error(exc, model)
        outcome = ("error", error.code, error.details, error.headers, isinstance(error, ModelNotFoundError))
    except Exception:
        outcome = ("crash", traceback.format_exc())
    try:
        message = pickle.dumps((call_id, outcome), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an answer that does not pickle
        message = pickle.dumps((call_id, ("crash", traceback.format_exc())))
    with _send_lock:
        try:
            connection.send_bytes(message)
        except OSError:
            return  # the caller's process is gone


def _client(options: ClientOptions) -> Any:
    with _clients_lock:
        if options not in _clients:
            _clients[options] = sdk_client(options)
        return _clients[options]


if __name__ == "__main__":
    main(int(sys.argv[1]))
