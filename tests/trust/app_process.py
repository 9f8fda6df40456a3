"""`python app.py` as a child process on a free 127.0.0.1 port: started, killed with SIGKILL, restarted.

    server = AppProcess(server_environment(tmp_path, AI_PROVIDER="gemini", ...), tmp_path / "app.log").start()
    requests.get(server.url + "/health")
    server.kill()      # no shutdown hooks, no clean-up: what a crash or the OOM killer does
    server.start()     # the same database, images and secrets, a new port
    server.stop()

The child inherits the environment (DATABASE_URL and REDIS_URL included, so the PostgreSQL pass of the
suite runs it on PostgreSQL) with the given settings on top. Used by tests/trust, bench/load_test.py and
bench/bench_availability.py (which may serve another checkout: `root`).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.helpers import app_environment

ROOT = Path(__file__).resolve().parents[2]


def server_environment(directory, **settings):
    """The environment of a `python app.py` on loopback keeping every file under directory, its log warnings
    only (on stderr), with `settings` on top."""
    return app_environment(
        directory, **{"HOST": "127.0.0.1", "LOG_TO_FILES": False, "LOG_LEVEL": "WARNING", **settings}
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppProcess:
    def __init__(self, env, log_path, root=ROOT):
        self.env = env
        self.root = root
        self.log_path = Path(log_path)
        self.process = None
        self.url = None

    def start(self, timeout=60):
        """Start the server and return once /health answers (RuntimeError with its log if it never does)."""
        port = free_port()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "app.py"],
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env, "PORT": str(port)},
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"python app.py did not come up:\n{self.log_path.read_text()[-3000:]}")

    def kill(self):
        """SIGKILL: the process ends at once, in the middle of whatever it was doing."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
