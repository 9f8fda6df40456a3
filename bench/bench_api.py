"""API throughput: authenticated reads and writes of the app next to a bare Flask endpoint, both served
the same way (gunicorn, gthread workers, on 127.0.0.1), loaded by wrk from a separate process.

    .venv/bin/python bench/bench_api.py [--rounds 3] [--seconds 5] [--connections 16] [--workers 2] [--threads 4]
                                        [--app-dir CHECKOUT ...]

The bare endpoint is the framework's own ceiling on this machine: Flask answering a small JSON
envelope with no auth, no database and no logging. Each app endpoint's requests/s is shown as a
ratio of it. Both servers run side by side and the endpoints are loaded in turn, round after round,
so a slower moment of a shared machine hits all of them alike; the figures are each endpoint's median. The app runs as in production (FLASK_ENV=production, JSON access logs to files, the
embedded default: SQLite and the in-process try-on queue); rate limits are off so they do not cap
the load. Needs wrk (installed with apt-get when missing and running as root).

Each --app-dir (another checkout, e.g. `git archive main | tar -x -C /tmp/main`; this one by default)
is served beside the others, each with its own account and database, and loaded in the same rounds, so
two versions are compared in the same minutes of a shared machine: one column of ratios per checkout.
"""

import argparse
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import requests
from flask import Flask, jsonify

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import app_environment  # noqa: E402

GUNICORN = Path(sys.executable).parent / "gunicorn"
GARMENT = ROOT / "tests" / "fixtures" / "postman" / "garment.jpg"
WARDROBE_ITEMS = 20
WARM_UP_SECONDS = 2

bare_app = Flask("bare")


@bare_app.get("/ping")
def ping():
    return jsonify({"success": True, "data": {"pong": True}})


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """One gunicorn serving `target` ("module:callable") on a free loopback port."""

    def __init__(self, target, *, workers, threads, connections, env, log_path, app_dir=ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._command = [
            str(GUNICORN),
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            # A gthread worker keeps the keep-alive connections it accepted, and one worker often wins most of
            # wrk's 16 (16/0, 15/1, 11/5 seen with `ss`): that run measures one process on one core, and which
            # endpoint or server it hits is chance (ratios 0.17-0.60 for the same code). Capping each worker at
            # its share makes both servers spread the load over every process.
            "--worker-connections",
            str(-(-connections // workers)),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(app_dir),
            target,
        ]
        self._env = {**os.environ, **env}
        self._log_path = log_path
        self._process = None

    def __enter__(self):
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(self._command, env=self._env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/", timeout=5)
                return self
            except (requests.ConnectionError, requests.Timeout):
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {self._log_path}") from None
                time.sleep(0.2)

    def __exit__(self, *exc_info):
        self._process.terminate()
        self._process.wait(timeout=30)


def seed(base_url):
    """An account with measurements and a page of wardrobe items; its auth header."""
    created = requests.post(
        base_url + "/api/create-account",
        json={"email": "bench@example.com", "password": "correct horse 1", "height": 170, "weight": 65},
    ).json()["data"]
    headers = {"Authorization": f"Bearer {created['token']}"}
    garment = GARMENT.read_bytes()
    for number in range(WARDROBE_ITEMS):
        response = requests.post(
            base_url + "/api/wardrobe/items",
            headers=headers,
            files={"garment_image": ("tee.jpg", garment)},
            data={"title": f"Tee {number}", "category": "t_shirts", "size": "M"},
        )
        response.raise_for_status()
    return headers


def wrk(url, *, seconds, connections, headers=None, method="GET", body=None, scratch):
    """(requests/s, p50 ms, p99 ms) of wrk against url; fails on any non-2xx answer."""
    script = scratch / "request.lua"
    lines = [f'wrk.method = "{method}"']
    for name, value in (headers or {}).items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if body is not None:
        lines += ['wrk.headers["Content-Type"] = "application/json"', f"wrk.body = [[{body}]]"]
    script.write_text("\n".join(lines) + "\n")

    def command(duration):
        return [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--latency",
            "--script",
            str(script),
            url,
        ]

    subprocess.run(command(WARM_UP_SECONDS), check=True, capture_output=True)
    output = subprocess.run(command(seconds), check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"{method} {url} answered errors under load:\n{output}")
    return (
        float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        _latency_ms(output, "50"),
        _latency_ms(output, "99"),
    )


def _latency_ms(output, percentile):
    value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}"


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    print("installing wrk (apt-get)", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)


def app_env(scratch):
    """The app's environment as in production, on its own SQLite file and folders under scratch."""
    return app_environment(
        scratch,
        database="bench.db",
        FLASK_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(32),
        JWT_SECRET_KEY=secrets.token_urlsafe(32),
        DATABASE_URL="",
        REDIS_URL="",
    )


def app_cases(url, headers):
    """(label, url, headers, method, body) of every app endpoint loaded."""
    return [
        ("GET /api/users/profile", url + "/api/users/profile", headers, "GET", None),
        (
            f"GET /api/wardrobe/items ({WARDROBE_ITEMS} items, signed image URLs)",
            url + "/api/wardrobe/items",
            headers,
            "GET",
            None,
        ),
        (
            "PUT /api/body-measurements (validate + upsert)",
            url + "/api/body-measurements",
            headers,
            "PUT",
            '{"waist_circumference": 74.5, "hip_circumference": 98}',
        ),
        (
            "PUT /api/users/profile (validate + update)",
            url + "/api/users/profile",
            headers,
            "PUT",
            '{"city": "Berlin"}',
        ),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--app-dir", type=Path, action="append", help="a checkout to serve (repeatable)")
    options = parser.parse_args()
    app_dirs = [path.resolve() for path in options.app_dir or [ROOT]]
    ensure_wrk()
    load = {"seconds": options.seconds, "connections": options.connections}
    serving = {"workers": options.workers, "threads": options.threads, "connections": options.connections}
    bare_label = "GET /ping (bare Flask, no auth, no database)"

    with tempfile.TemporaryDirectory() as folder, ExitStack() as servers:
        scratch = Path(folder)
        bare = servers.enter_context(
            Gunicorn("bench.bench_api:bare_app", env={}, log_path=scratch / "bare.log", **serving)
        )
        cases = {bare_label: {None: (bare.url + "/ping", {}, "GET", None)}}
        for number, app_dir in enumerate(app_dirs):
            folder_of_app = scratch / f"app-{number}"
            folder_of_app.mkdir()
            api = servers.enter_context(
                Gunicorn(
                    "app:create_app()",
                    env=app_env(folder_of_app),
                    log_path=folder_of_app / "app.log",
                    app_dir=app_dir,
                    **serving,
                )
            )
            for label, *request in app_cases(api.url, seed(api.url)):
                cases.setdefault(label, {})[app_dir] = tuple(request)
        samples = {(label, app_dir): [] for label, by_app in cases.items() for app_dir in by_app}
        for _round in range(options.rounds):
            for label, by_app in cases.items():  # each endpoint on every checkout in turn
                for app_dir, (url, case_headers, method, body) in by_app.items():
                    samples[label, app_dir].append(
                        wrk(url, headers=case_headers, method=method, body=body, scratch=scratch, **load)
                    )

    medians = {key: [statistics.median(values) for values in zip(*runs)] for key, runs in samples.items()}
    ceiling = medians[bare_label, None][0]
    print(f"Date: {date.today().isoformat()}. Machine: {machine()}.")
    print(
        f"gunicorn {options.workers} workers x {options.threads} threads (gthread) for both; wrk 1 thread, "
        f"{options.connections} connections; {options.rounds} rounds of {options.seconds} s per endpoint "
        f"(each after a {WARM_UP_SECONDS} s warm-up), medians.\n"
    )
    for number, app_dir in enumerate(app_dirs):
        print(f"checkout {number + 1}: {app_dir}")
    print("\n| endpoint | checkout | requests/s | p50 ms | p99 ms | vs bare Flask |")
    print("|---|---|---|---|---|---|")
    for (label, app_dir), (rate, p50, p99) in medians.items():
        checkout = "" if app_dir is None else app_dirs.index(app_dir) + 1
        print(f"| {label} | {checkout} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {rate / ceiling:.2f} |")


if __name__ == "__main__":
    main()
