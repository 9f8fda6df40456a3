"""Try-on worker processes (scripts/worker.py) for tests, each in its own process group.

    with WorkerProcess(env, log_path, processes=1) as worker:   # env: settings as environment variables
        ...
        worker.kill()       # kill -9, like a lost machine

Leaving the block kills whatever is still running.
"""

import os
import signal
import subprocess
import sys

from tests.scale.api_process import ROOT


class WorkerProcess:
    def __init__(self, env, log_path, processes=1):
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.processes = processes
        self.process = None

    def __enter__(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "scripts/worker.py", "--processes", str(self.processes)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        return self

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        """SIGKILL to the worker and any processes it started; no chance to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def __exit__(self, *exc_info):
        self.kill()
