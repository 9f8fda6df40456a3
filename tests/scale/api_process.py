"""The API as a separate operating-system process on 127.0.0.1, as production runs several of them.

    with ApiProcess(env, log_path) as api:     # env: settings as environment variables
        requests.get(api.url + "/health")          # the process's stderr (its logs) goes to log_path
        api.kill()                                 # kill -9: nothing is cleaned up or released

Run as a script, it builds the app from the environment, serves it on a free port and prints that
port on stdout.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ApiProcess:
    def __init__(self, env, log_path):
        self.env = {**os.environ, **env}
        self.log_path = Path(log_path)
        self.process = None
        self.url = None

    def __enter__(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.scale.api_process"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"API process did not start:\n{self.log_path.read_text()}")
        self.url = f"http://127.0.0.1:{line}"
        return self

    def kill(self):
        """SIGKILL, like the OOM killer or a lost machine: no request ends, no clean-up runs."""
        self.process.kill()
        self.process.wait()

    def __exit__(self, *exc_info):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def main():
    from werkzeug.serving import make_server

    from app import create_app

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
