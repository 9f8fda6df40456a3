"""What a large request body costs waitress's I/O thread, by how many bytes it reads at a time (`recv_bytes`).

    .venv/bin/python bench/bench_body_reads.py [--bodies 10] [--mb 30]

For each read size, serves a WSGI app that answers at once with waitress in a child process, sends --bodies
bodies of --mb MB over loopback while a probe asks for a small page every 20 ms, and reports the server's
CPU seconds for the bodies and the probe's latency. waitress reads every request whole before the app sees
it, so this is the cost of a body the app then refuses (bench/bench_availability.py's 30 MB client).
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
import waitress

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.trust.app_process import free_port  # noqa: E402

READ_SIZES = (8 * 1024, 64 * 1024, 256 * 1024)  # waitress's default ... app.py's


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _serve(port, read_size):
    waitress.serve(
        _app,
        host="127.0.0.1",
        port=port,
        threads=4,
        recv_bytes=read_size,
        max_request_body_size=64 * 1024 * 1024,
        _quiet=True,
    )


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def measure(read_size, bodies, body):
    port = free_port()
    server = multiprocessing.Process(target=_serve, args=(port, read_size))
    server.start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    latencies, sending = [], threading.Event()
    sending.set()

    def probe():
        while sending.is_set():
            started = time.perf_counter()
            requests.get(url, timeout=10)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    before = _cpu_seconds(server.pid)
    for _ in range(bodies):
        requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=120)
    cpu = _cpu_seconds(server.pid) - before
    sending.clear()
    prober.join()
    server.terminate()
    server.join()
    latencies.sort()
    return cpu, statistics.median(latencies), latencies[int(len(latencies) * 0.99)], len(latencies)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=int, default=10)
    parser.add_argument("--mb", type=int, default=30)
    args = parser.parse_args()
    body = b"x" * (args.mb * 1024 * 1024)
    print(
        f"| read size | server CPU s for {args.bodies} × {args.mb} MB | probe p50 ms | probe p99 ms | probes |"
    )
    print("|---|---|---|---|---|")
    for read_size in READ_SIZES:
        cpu, p50, p99, count = measure(read_size, args.bodies, body)
        print(f"| {read_size // 1024} KB | {cpu:.2f} | {p50:.1f} | {p99:.1f} | {count} |")


if __name__ == "__main__":
    main()
