"""A loopback webhook receiver: records every POST and answers with the statuses it is told to.

    with WebhookReceiver(statuses=[500, 200]) as receiver:
        receiver.url("/hooks")                 # http://127.0.0.1:<port>/hooks
        receiver.wait_for(2)                   # the first two deliveries: [{"path", "headers", "body"}]

Statuses are used in order, the last one for every later request (default: 200 always).
"""

import threading
import time
from http.server import BaseHTTPRequestHandler

from tests.fakes.loopback import LoopbackServer


class WebhookReceiver(LoopbackServer):
    thread_name = "fake-webhook-receiver"

    def __init__(self, statuses=(200,)):
        super().__init__()
        self._statuses = list(statuses)
        self._lock = threading.Condition()
        self.received = []

    def wait_for(self, count, timeout=30):
        """The first `count` deliveries, once that many arrived (AssertionError after timeout seconds)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.received)} deliveries arrived, not {count}"
                self._lock.wait(left)
            return list(self.received[:count])

    def _answer(self, path, headers, body):
        with self._lock:
            self.received.append({"path": path, "headers": headers, "body": body})
            self._lock.notify_all()
            return self._statuses[min(len(self.received), len(self._statuses)) - 1]

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._answer(self.path, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        return Handler
