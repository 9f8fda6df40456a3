"""CPU time of one authenticated request inside the app, next to bare Flask, with no server and no network.

    .venv/bin/python bench/bench_request_cpu.py [--requests 300] [--rounds 7] [--app-dir CHECKOUT]

bench_api.py measures requests/s through gunicorn and wrk, which on a shared machine moves with everyone
else's load. This calls the WSGI apps directly (the app as in production: JSON access log to a file,
SQLite, rate limits off) and counts the process's CPU time, not the wall clock, so another process taking
the cores does not move the figure: the best of the rounds, in ms per request. --app-dir measures another
checkout (e.g. one made with `git archive <commit> | tar -x -C /tmp/before`) with the same account and
requests, to compare two versions. The requests are this checkout's bench_api.py's (the same for every
checkout measured): the two reads and the two writes.
"""

import argparse
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_api import app_env  # noqa: E402

WARDROBE_ITEMS = 20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-request-cpu-")
    os.environ.update(app_env(Path(folder)))
    os.chdir(options.app_dir)
    sys.path[:0] = [str(options.app_dir.resolve()), str(ROOT)]
    with open(f"{folder}/stderr.log", "w") as console_log, contextlib.redirect_stderr(console_log):
        best = measure(options)  # the console log goes to a file, as under gunicorn
    print(f"{options.app_dir}: CPU ms per request, best of {options.rounds} rounds of {options.requests}")
    for label, milliseconds in best.items():
        print(f"  {label}: {milliseconds:.3f}")


def measure(options):
    """{request: best CPU ms per request}."""
    from werkzeug.test import EnvironBuilder

    from app import create_app
    from bench.bench_api import GARMENT, app_cases, bare_app
    from bench.timing import best_cpu_per_call

    app = create_app()
    client = app.test_client()
    token = client.post(
        "/api/create-account",
        json={"email": "bench@example.com", "password": "correct horse 1", "height": 170, "weight": 65},
    ).get_json()["data"]["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for number in range(WARDROBE_ITEMS):
        client.post(
            "/api/wardrobe/items",
            headers=headers,
            data={
                "garment_image": (io.BytesIO(GARMENT.read_bytes()), "tee.jpg"),
                "title": f"Tee {number}",
                "category": "t_shirts",
                "size": "M",
            },
        )

    def request(wsgi_app, path, request_headers, method="GET", body=None):
        environ = EnvironBuilder(
            path=path,
            method=method,
            headers=request_headers,
            data=body,
            content_type="application/json" if body is not None else None,
        ).get_environ()
        body_bytes = environ["wsgi.input"].read()

        def call():
            statuses = []
            answer = wsgi_app(
                {**environ, "wsgi.input": io.BytesIO(body_bytes)},
                lambda status, _headers, _exc_info=None: statuses.append(status),
            )
            b"".join(answer)
            answer.close()
            if not statuses[0].startswith("200"):
                raise RuntimeError(f"{path} answered {statuses[0]}")

        return call

    cases = {"GET /ping (bare Flask)": request(bare_app.wsgi_app, "/ping", {})}
    for label, url, _headers, method, body in app_cases("", headers):
        cases[label] = request(app.wsgi_app, url, headers, method, body)
    for call in cases.values():
        for _ in range(options.requests // 2):  # warm-up: caches, connections, lazy imports
            call()
    best = best_cpu_per_call(cases, options.requests, options.rounds)
    return {label: seconds * 1000 for label, seconds in best.items()}


if __name__ == "__main__":
    main()
