"""`python app.py`'s server: waitress, with its own refusals in the API's JSON envelope.

waitress answers a request it cannot parse (an invalid start line or header, headers past its limit, a body past
MAX_REQUEST_SIZE, an unknown Transfer-Encoding) before the app sees it, in plain text; a client reading the API
gets the same envelope and headers from those as from every other answer. A JSON body announced larger than its
endpoint's cap is refused as soon as the headers are read, not after the whole body has been received.
"""

import json
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

from shared.request_data import json_cap_for
from shared.response import readable_size

_CODES = {400: "BAD_REQUEST", 413: "PAYLOAD_TOO_LARGE", 431: "HEADERS_TOO_LARGE", 501: "NOT_IMPLEMENTED"}


class _JsonErrorTask(ErrorTask):
    """waitress's refusal of an unreadable request, in the JSON envelope."""

    def execute(self) -> None:
        error, adj = self.request.error, self.channel.server.adj  # type: ignore[attr-defined]  # request: the parser
        if error.code == 413:
            endpoint_limit = getattr(error, "limit", None)
            message = (
                f"Request body is larger than the limit of {readable_size(endpoint_limit)} for this endpoint"
                if endpoint_limit is not None
                else f"Request body is larger than the limit of {readable_size(adj.max_request_body_size)}"
            )
        elif error.code == 431:
            message = (
                "The request line and headers are larger than the limit of "
                f"{readable_size(adj.max_request_header_size)}"
            )
        elif error.code == 500:
            message = "Something went wrong on our side"
        else:
            message = f"The request could not be read: {error.body.rstrip('.')}"
        body = json.dumps(
            {
                "success": False,
                "error": {"code": _CODES.get(error.code, "INTERNAL_ERROR"), "message": message},
            }
        ).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers = [
            *self.response_headers,
            ("Content-Type", "application/json"),
            ("X-Content-Type-Options", "nosniff"),
            ("Cache-Control", "no-store"),
        ]
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _CappedParser(HTTPRequestParser):
    """Refuses a JSON body past its endpoint's cap once the headers are read (`app` is set per server)."""

    app: Flask | None = None
    _cap_checked = False

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        if self.headers_finished and not self._cap_checked:
            self._cap_checked = True
            if (
                self.app is not None
                and not self.error
                and self.content_length > 0
                and _is_json(self.headers.get("CONTENT_TYPE", ""))
            ):
                limit = json_cap_for(self.app, self.command, self.path)  # type: ignore[attr-defined, arg-type]  # waitress sets path (unstubbed) and command as str (stub: bytes)
                if limit is not None and self.content_length > limit:
                    self.error = _OverJsonCap(limit)
                    self.completed = True
        return consumed


class _OverJsonCap(RequestEntityTooLarge):
    """A JSON body past its endpoint's cap; `limit` names the cap in the refusal."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"exceeds the endpoint's JSON limit of {limit}")
        self.limit = limit


def _is_json(content_type: str) -> bool:
    """The test Flask's request.is_json makes: application/json or application/*+json."""
    mimetype = content_type.split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


class _JsonErrorChannel(HTTPChannel):
    error_task_class = _JsonErrorTask


def serve(app: Flask, **options: Any) -> None:
    """Serve app with waitress (options are its adjustments) until the process is stopped."""
    parser = type("AppParser", (_CappedParser,), {"app": app})
    channel = type("AppChannel", (_JsonErrorChannel,), {"parser_class": parser})
    sockets: dict[int, object] = {}
    server = create_server(app, map=sockets, **options)  # type: ignore[arg-type]  # fd → dispatcher, not socket
    for listener in list(sockets.values()):  # one server per listening address
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    server.print_listen("Serving on http://{}:{}")
    server.run()
