"""What open job event streams cost: N clients follow running try-ons through GET /api/job/<id>/events on one
gunicorn gthread process (as in production), for a fixed time.

    .venv/bin/python bench/bench_event_streams.py [--streams 50] [--seconds 20] [--poll 0.5]

The jobs are rows in `processing` (written straight into the app's SQLite file after it started, with a long
JOB_TIMEOUT_SECONDS, so no worker touches them): every stream reads its row each poll and has nothing new to
send, which is a stream's state for nearly all its life. Measured on the worker process, from /proc:
  - CPU per stream-second: the process's CPU time while the N streams are open, minus its CPU time over as
    long with none open, over N x the seconds;
  - row reads per stream-second: the `row_reads` each stream logs when it closes, over its `seconds`;
  - the worker's resident memory without and with the streams open;
  - release: how long after the clients hang up the last stream has closed and logged it (its thread free).
"""

import argparse
import http.client
import json
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_api import Gunicorn, app_env, machine  # noqa: E402
from shared import clock  # noqa: E402

SPARE_THREADS = 4  # beyond the streams, for the sign-up and the stream openings


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid):
    """Resident memory of a process (VmRSS)."""
    line = next(
        line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS:")
    )
    return int(line.split()[1]) / 1024


def worker_pid(master_pid):
    """The one worker process gunicorn's master started."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
                return int(entry.name)
    raise RuntimeError("no gunicorn worker found")


def running_jobs(database, user_id, count):
    """count job rows in `processing`, as a worker writes them while the model generates."""
    now = clock.timestamp()
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO tryon_jobs (job_id, user_id, kind, status, progress, stage, inputs, options, attempts, "
            "created_at, updated_at, started_at) VALUES (?, ?, 'single', 'processing', 60, 'generating', '{}', "
            "'{}', 1, ?, ?, ?)",
            [(job_id, user_id, now, now, now) for job_id in ids],
        )
    return ids


class Follower(threading.Thread):
    """One client reading a job's stream until told to hang up."""

    def __init__(self, port, job_id, headers):
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.connection.request("GET", f"/api/job/{job_id}/events", headers=headers)
        self.socket = self.connection.sock
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise RuntimeError(f"stream refused: {self.response.status} {self.response.read()[:200]!r}")
        self.events = 0

    def run(self):
        try:
            while line := self.response.readline():
                self.events += line.startswith(b"event:")
        except (OSError, ValueError):  # hung up by hang_up()
            pass

    def hang_up(self):
        """A FIN now: closing the socket alone waits for this thread's blocked read to return."""
        self.socket.shutdown(socket.SHUT_RDWR)
        self.join()
        self.connection.close()


def closed_streams(log_path):
    lines = log_path.read_text(encoding="utf-8").splitlines() if log_path.exists() else []
    entries = (json.loads(line) for line in lines if '"event stream closed"' in line)
    return [entry for entry in entries if entry.get("message") == "event stream closed"]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--poll", type=float, default=0.5, help="EVENT_STREAM_POLL_SECONDS")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-events-"))
    env = {
        **app_env(scratch),
        "EVENT_STREAM_POLL_SECONDS": str(options.poll),
        "EVENT_STREAM_MAX_SECONDS": str(options.seconds * 10),
        "MAX_EVENT_STREAMS": str(options.streams),
        "MAX_EVENT_STREAMS_PER_USER": str(options.streams),
        "JOB_TIMEOUT_SECONDS": "3600",
        "GEMINI_API_KEY": "",
    }
    server = Gunicorn(
        "app:create_app()",
        workers=1,
        threads=options.streams + SPARE_THREADS,
        connections=options.streams + SPARE_THREADS,
        env=env,
        log_path=scratch / "gunicorn.log",
    )
    with server:
        created = requests.post(
            server.url + "/api/create-account",
            json={"email": "bench@example.com", "password": "correct horse 1"},
            timeout=30,
        ).json()["data"]
        headers = {"Authorization": f"Bearer {created['token']}"}
        jobs = running_jobs(scratch / "bench.db", created["user"]["userid"], options.streams)
        pid = worker_pid(server._process.pid)

        time.sleep(1)
        idle_start = cpu_seconds(pid)
        time.sleep(options.seconds)
        idle_cpu, idle_rss = cpu_seconds(pid) - idle_start, resident_mb(pid)

        followers = [Follower(server.port, job_id, headers) for job_id in jobs]
        for follower in followers:
            follower.start()
        time.sleep(1)  # every stream has sent its first event and is polling
        busy_start = cpu_seconds(pid)
        time.sleep(options.seconds)
        busy_cpu, busy_rss = cpu_seconds(pid) - busy_start, resident_mb(pid)

        hung_up = time.monotonic()
        for follower in followers:
            follower.hang_up()
        log_path = scratch / "logs" / "app.log"
        while len(closed_streams(log_path)) < options.streams:
            if time.monotonic() - hung_up > 60:
                raise SystemExit(
                    f"only {len(closed_streams(log_path))} of {options.streams} streams closed in 60 s"
                )
            time.sleep(0.05)
        released = time.monotonic() - hung_up

    closed = closed_streams(log_path)
    stream_seconds = sum(entry["seconds"] for entry in closed)
    reads = sum(entry["row_reads"] for entry in closed)
    per_stream_ms = (busy_cpu - idle_cpu) * 1000 / (options.streams * options.seconds)
    print(f"{machine()}; gunicorn 1 worker x {options.streams + SPARE_THREADS} threads (gthread), SQLite")
    print(
        f"{options.streams} streams for {options.seconds:g} s, poll {options.poll:g} s: "
        f"process CPU {busy_cpu:.2f} s (idle {idle_cpu:.2f} s over as long) -> "
        f"{per_stream_ms:.2f} ms CPU per stream-second ({per_stream_ms / 10:.2f}% of a core per stream)"
    )
    print(f"worker memory: {idle_rss:.0f} MB without streams, {busy_rss:.0f} MB with them")
    print(
        f"row reads: {reads} in {stream_seconds:.0f} stream-seconds = {reads / stream_seconds:.2f} per "
        f"stream-second; every stream closed {released:.2f} s after its client hung up "
        f"(ended: {sorted({entry['ended'] for entry in closed})})"
    )


if __name__ == "__main__":
    main()
