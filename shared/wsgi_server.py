"""`python app.py`'s server: waitress, with its own refusals in the API's JSON envelope.

waitress answers a request it cannot parse (an invalid start line or header, headers past its limit, a body past
MAX_REQUEST_SIZE, an unknown Transfer-Encoding) before the app sees it, in plain text; a client reading the API
gets the same envelope and headers from those as from every other answer.
"""
import json

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

_CODES = {400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 431: "HEADERS_TOO_LARGE", 501: "NOT_IMPLEMENTED"}


def _size(size):
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


class _JsonErrorTask(ErrorTask):
    """waitress's refusal of an unreadable request, in the JSON envelope."""

    def execute(self):
        error, adj = self.request.error, self.channel.server.adj
        if error.code == 413:
            message = f"Request body is larger than the limit of {_size(adj.max_request_body_size)}"
        elif error.code == 431:
            message = f"The request line and headers are larger than the limit of {_size(adj.max_request_header_size)}"
        elif error.code == 500:
            message = "Something went wrong on our side"
        else:
            message = f"The request could not be read: {error.body.rstrip('.')}"
        body = json.dumps({"success": False, "error": {"code": _CODES.get(error.code, "INTERNAL_ERROR"),
                                                       "message": message}}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff"),
                                      ("Cache-Control", "no-store")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _JsonErrorChannel(HTTPChannel):
    error_task_class = _JsonErrorTask


def serve(app, **options):
    """Serve app with waitress (options are its adjustments) until the process is stopped."""
    sockets = {}
    server = waitress.create_server(app, map=sockets, **options)
    for listener in list(sockets.values()):  # one server per listening address
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _JsonErrorChannel
    server.print_listen("Serving on http://{}:{}")
    server.run()
