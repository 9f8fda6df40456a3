"""Server-Sent Events on WSGI: the wire format, and noticing that the client has gone.

A stream is a generator of text frames (https://html.spec.whatwg.org/multipage/server-sent-events.html):
an event is `id:`, `event:` and `data:` lines and a blank line; a line starting with `:` is a comment
(heartbeats); `retry:` tells a client how many milliseconds to wait before it reconnects.

A stream holds its server thread until it ends. A client that leaves is noticed when a write fails, and
sooner where the server lets the app look at the connection: gunicorn and Werkzeug hand over the socket,
waitress says whether the channel is still connected (with `channel_request_lookahead` set, as app.py does).
"""

import json
import socket
from collections.abc import Callable, Mapping
from typing import Any


def event(name: str, data: Mapping[str, Any], event_id: str) -> str:
    """One event frame: its id, its name and its data as one line of JSON."""
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def comment(text: str) -> str:
    """A comment frame: clients ignore it, proxies see bytes flowing."""
    return f": {text}\n\n"


def retry(milliseconds: int) -> str:
    """The reconnection delay a client waits after the stream ends or breaks."""
    return f"retry: {milliseconds}\n\n"


def disconnect_check(environ: Mapping[str, Any]) -> Callable[[], bool]:
    """A function answering whether the client of this request has closed its connection; always False where
    the server shows neither the socket nor the channel (the next failed write then ends the stream)."""
    waitress_check = environ.get("waitress.client_disconnected")
    if callable(waitress_check):
        return lambda: bool(waitress_check())
    sock = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        return lambda: _peer_closed(sock)
    return lambda: False


def _peer_closed(sock: socket.socket) -> bool:
    """A non-blocking peek: end of file (or a reset) means the peer closed; no data yet means it is there."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except ValueError:  # a TLS socket takes no flags: left to the failed write
        return False
    except OSError:
        return True
