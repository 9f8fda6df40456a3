"""The part every fake of the outside world shares: a threaded HTTP(S) server on 127.0.0.1."""

import ssl
import threading
from http.server import ThreadingHTTPServer


class _ListeningServer(ThreadingHTTPServer):
    """A real service accepts a burst of connections; socketserver's backlog of 5 drops the rest of one, and
    each dropped client waits a second for TCP to try again (50 try-ons at once saw that as a 1 s slower model)."""

    request_queue_size = 1024


class LoopbackServer:
    """Serves `_handler_class()` on a free loopback port; start()/stop() or use as a context manager.

    With `tls=(certificate file, key file)` (tests/fakes/tls.py) it speaks HTTPS as `localhost`.
    """

    thread_name = "fake-server"

    def __init__(self, tls=None):
        self._tls = tls
        self._server = None
        self._thread = None
        self._address = None
        self._stopping = threading.Event()

    def _handler_class(self):
        raise NotImplementedError

    def start(self):
        self._server = _ListeningServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        if self._tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._tls)
            # the handshake happens in the request thread, so a client that gives up cannot block accept()
            self._server.socket = context.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
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
        return f"localhost:{port}" if self._tls else f"{host}:{port}"

    @property
    def base_url(self):
        return f"{'https' if self._tls else 'http'}://{self.host}"

    def url(self, path):
        return self.base_url + path
