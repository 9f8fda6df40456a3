"""The app served over real HTTP on 127.0.0.1 (a free port) from a background thread.

    with LiveServer(app) as server:
        requests.get(server.url + "/health")

External clients (newman, schemathesis, a browser) talk to it exactly as to a deployed server;
the try-on workers run in the same process, as in the embedded default.
"""

import threading

from werkzeug.serving import make_server


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.url = None
        self._server = None
        self._thread = None

    def __enter__(self):
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-api", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
