"""POST /api/auth/forgot-password: is the answer as quick for an address with an account as for one without?

    .venv/bin/python bench/bench_forgot_password.py [--requests 200] [--smtp-delay 2] [--port 8012]

Serves the app over real HTTP (Werkzeug's threaded server on --port) on a temporary SQLite database with
rate limits off, and a loopback mail server (aiosmtpd) that takes --smtp-delay seconds to accept each
message: a slow mail provider. Alternating known and unknown addresses, it times each request from the
client's side and prints, per group, the median, 90th percentile and mean in milliseconds, and how many
emails arrived. Then the same with a mail server that accepts the connection and never answers (the
mailer waits SMTP_TIMEOUT_SECONDS). The answer should not depend on the group in either case.
"""

import argparse
import asyncio
import logging
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402  (after the repository is on the path)
from tests.helpers import app_settings  # noqa: E402


class SlowMailServer:
    def __init__(self, delay):
        self.delay, self.received = delay, 0

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received += 1
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(smtp_settings, *, requests_count, port):
    folder = Path(tempfile.mkdtemp(prefix="bench-forgot-"))
    app = create_app(app_settings(folder, database="bench.db", SMTP_TIMEOUT_SECONDS=5.0, **smtp_settings))
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    known = [f"shopper{i}@example.com" for i in range(requests_count // 2)]
    for email in known:
        body = {"email": email, "password": "correct horse 1"}
        assert session.post(base + "/api/create-account", json=body, timeout=30).status_code == 201
    times = {"known": [], "unknown": []}
    for i in range(requests_count):
        group = "known" if i % 2 == 0 else "unknown"
        email = known[i // 2] if group == "known" else f"nobody{i}@example.com"
        started = time.perf_counter()
        answer = session.post(base + "/api/auth/forgot-password", json={"email": email}, timeout=30)
        times[group].append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 202
    server.shutdown()
    return times


def report(title, times, received=None):
    print(title)
    for group, values in times.items():
        values = sorted(values)
        p90 = values[int(len(values) * 0.9) - 1]
        print(
            f"  {group:8s} n={len(values)} median {statistics.median(values):.2f} ms, "
            f"p90 {p90:.2f} ms, mean {statistics.mean(values):.2f} ms"
        )
    if received is not None:
        print(f"  emails received by the end of the run: {received}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--smtp-delay", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=8012)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

    handler = SlowMailServer(args.smtp_delay)
    smtp_port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    slow = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, "SMTP_STARTTLS": False}
    times = measure(slow, requests_count=args.requests, port=args.port)
    report(f"mail server taking {args.smtp_delay} s per message", times, handler.received)
    controller.stop()

    with socket.socket() as silent:  # accepts connections (the kernel does) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        mute = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": silent.getsockname()[1], "SMTP_STARTTLS": False}
        times = measure(mute, requests_count=args.requests, port=args.port)
        report("mail server that never answers", times)


if __name__ == "__main__":
    main()
