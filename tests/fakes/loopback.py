"""The part every fake of the outside world shares: a threaded HTTP server on 127.0.0.1."""
import threading
from http.server import ThreadingHTTPServer


class LoopbackServer:
    """Serves `_handler_class()` on a free loopback port; start()/stop() or use as a context manager."""

    thread_name = "fake-server"

    def __init__(self):
        self._server = None
        self._thread = None
        self._address = None
        self._stopping = threading.Event()

    def _handler_class(self):
        raise NotImplementedError

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._address = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def host(self):
        host, port = self._address
        return f"{host}:{port}"

    @property
    def base_url(self):
        return f"http://{self.host}"

    def url(self, path):
        return self.base_url + path
