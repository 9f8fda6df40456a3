"""Load test: simulated shoppers against a real `python app.py` on loopback, Gemini faked with a delay.

    .venv/bin/python bench/load_test.py [--users 100] [--duration 60] [--gemini-delay 2.0] [--poll 1.0]

Starts the fake Gemini server (tests/fakes/gemini_server.py, answering every generation after
--gemini-delay seconds) and the API as a child process (`python app.py` on the embedded default:
SQLite, local disk, in-process workers, default worker and queue sizes, RATELIMIT_ENABLED=false) on
127.0.0.1. Every simulated user has an account (made before the clock starts), then signs in and
does rounds of: browse the wardrobe (items, categories, try-on history), start a try-on (a photo down
to the thighs + a garment photo of a named type), poll it every --poll seconds until it ends, read its
result URL. Every user does one whole round; further rounds start only within --duration (at most
--max-rounds). A 429 from the try-on queue is back-pressure, not an error: the user waits its
Retry-After and tries again. Started try-ons are polled to their end for at most --drain seconds after
the duration.

Reports throughput, p50/p95/p99 latency per kind of request and overall, the error count (5xx,
transport errors, any other unexpected answer) and the try-ons started, done, failed and lost (never
ended). tests/trust/test_load.py runs a short form of this in CI.
"""

import argparse
import json
import platform
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.gemini_server import FakeGemini  # noqa: E402
from tests.photos import cameraman_png, t_shirt  # noqa: E402
from tests.trust.app_process import AppProcess, server_environment  # noqa: E402

PASSWORD = "load test password 1"
QUEUE_REFUSALS = ("QUEUE_FULL", "TOO_MANY_JOBS")
# Shoppers photographed down to the thighs name the garment's type: a try-on is one generation call.
TYPED_TOP = '{"garments": [{"type": "top"}]}'


@dataclass
class Report:
    """Everything measured, filled by the user threads (list.append is atomic, the counters take the lock)."""

    latencies: dict = field(default_factory=dict)  # kind -> [seconds]
    errors: list = field(default_factory=list)  # "kind: what went wrong"
    server_errors: int = 0  # answers with a 5xx status
    started_jobs: list = field(default_factory=list)
    ended_jobs: dict = field(default_factory=dict)  # job_id -> done | failed
    queue_refusals: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def timed(self, kind, session, method, url, expected=(200,), **kwargs):
        """One request; its latency is recorded, and any answer but an expected one is an error (None)."""
        started = time.perf_counter()
        try:
            response = session.request(method, url, timeout=60, **kwargs)
        except requests.RequestException as exc:
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            return None
        self.latencies.setdefault(kind, []).append(time.perf_counter() - started)
        if response.status_code not in expected:
            self.errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
            with self.lock:
                self.server_errors += response.status_code >= 500
            return None
        return response

    @property
    def requests_made(self):
        return sum(len(values) for values in self.latencies.values())

    def summary(self):
        everything = [value for values in self.latencies.values() for value in values]
        lost = [job_id for job_id in self.started_jobs if job_id not in self.ended_jobs]
        return {
            "seconds": round(self.seconds, 1),
            "requests": len(everything),
            "throughput_rps": round(len(everything) / self.seconds, 1) if self.seconds else 0.0,
            "latency_ms": {
                kind: percentiles(values)
                for kind, values in sorted(self.latencies.items()) + [("all requests", everything)]
            },
            "errors": len(self.errors),
            "server_errors_5xx": self.server_errors,
            "first_errors": self.errors[:10],
            "tryons": {
                "started": len(self.started_jobs),
                "done": sum(1 for status in self.ended_jobs.values() if status == "done"),
                "failed": sum(1 for status in self.ended_jobs.values() if status == "failed"),
                "lost": len(lost),
                "queue_refusals_429": self.queue_refusals,
            },
        }


def percentiles(values):
    ordered = sorted(values)

    def at(q):
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None

    return {"count": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def simulate_user(base_url, email, report, *, deadline, drain_deadline, max_rounds, poll_interval, files):
    """One shopper: sign in, then rounds of browse → try-on → poll → result until the deadline."""
    session = requests.Session()
    login = report.timed(
        "sign in", session, "POST", base_url + "/api/login", json={"email": email, "password": PASSWORD}
    )
    if login is None:
        return
    session.headers["Authorization"] = f"Bearer {login.json()['data']['token']}"
    for round_number in range(max_rounds):
        if round_number and time.monotonic() >= deadline:
            return
        for kind, path in (
            ("wardrobe items", "/api/wardrobe/items"),
            ("categories", "/api/wardrobe/categories"),
            ("try-on history", "/api/jobs?limit=10"),
        ):
            report.timed(kind, session, "GET", base_url + path)
        # Every user gets through one whole round, however long its start takes; later rounds only in time.
        job_id = start_tryon(
            base_url, session, report, drain_deadline if round_number == 0 else deadline, files
        )
        if job_id is not None:
            follow_tryon(base_url, session, report, job_id, drain_deadline, poll_interval)


def start_tryon(base_url, session, report, deadline, files):
    """The accepted job's id; waits out the queue's 429s until the deadline, then None."""
    while time.monotonic() < deadline:
        response = report.timed(
            "start try-on",
            session,
            "POST",
            base_url + "/api/tryon",
            expected=(202, 429),
            files={name: (filename, data) for name, (filename, data) in files.items()},
            data={"options": TYPED_TOP},
        )
        if response is None:
            return None
        if response.status_code == 202:
            job_id = response.json()["data"]["job_id"]
            report.started_jobs.append(job_id)
            return job_id
        if response.json()["error"]["code"] not in QUEUE_REFUSALS:
            report.errors.append(f"start try-on: 429 {response.text[:200]}")
            return None
        with report.lock:
            report.queue_refusals += 1
        time.sleep(min(float(response.headers.get("Retry-After", 1)), max(0.0, deadline - time.monotonic())))
    return None


def follow_tryon(base_url, session, report, job_id, drain_deadline, poll_interval):
    """Poll the job until it ends (or the drain deadline passes), then read its result URL."""
    while time.monotonic() < drain_deadline:
        time.sleep(poll_interval)
        response = report.timed("poll job", session, "GET", f"{base_url}/api/job/{job_id}")
        if response is None:
            return
        status = response.json()["data"]["status"]
        if status in ("done", "failed"):
            report.ended_jobs[job_id] = status
            if status == "done":
                report.timed("job result", session, "GET", f"{base_url}/api/job/{job_id}/result")
            else:
                report.errors.append(f"poll job: try-on {job_id} failed: {response.json()['data']['error']}")
            return


def create_accounts(base_url, count):
    """Emails of `count` new accounts, made in parallel (before the clock starts)."""
    emails = [f"shopper{n}.{time.time_ns()}@load.example" for n in range(count)]

    def sign_up(email):
        response = requests.post(
            base_url + "/api/create-account",
            timeout=120,
            json={"email": email, "password": PASSWORD, "first_name": "Load"},
        )
        response.raise_for_status()

    threads = [threading.Thread(target=sign_up, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return emails


def run_load(base_url, *, users, duration, max_rounds=1000, poll_interval=1.0, drain=120.0):
    """Run the simulated users against base_url; returns the Report."""
    files = {"selfie": ("me.png", cameraman_png()), "garment_image": ("top.png", t_shirt())}
    emails = create_accounts(base_url, users)
    report, started = Report(), time.monotonic()
    threads = [
        threading.Thread(
            target=simulate_user,
            args=(base_url, email, report),
            daemon=True,
            kwargs={
                "deadline": started + duration,
                "drain_deadline": started + duration + drain,
                "max_rounds": max_rounds,
                "poll_interval": poll_interval,
                "files": files,
            },
        )
        for email in emails
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def api_with_delayed_gemini(directory, gemini_delay, **settings):
    """(fake Gemini, running `python app.py`) for a load test, every file under directory."""
    with FakeGemini() as gemini:
        gemini.delay = gemini_delay
        environment = server_environment(
            directory,
            AI_PROVIDER="gemini",
            GEMINI_API_KEY="load-test",
            GEMINI_BASE_URL=gemini.base_url,
            GEMINI_TIMEOUT_SECONDS=60,
            **settings,
        )
        with AppProcess(environment, Path(directory) / "app.log") as server:
            yield gemini, server


def markdown(summary, args):
    rows = "\n".join(
        f"| {kind} | {values['count']} | {values['p50']} | {values['p95']} | {values['p99']} |"
        for kind, values in summary["latency_ms"].items()
    )
    tryons = summary["tryons"]
    return (
        f"{args.users} users, {args.duration:g} s, fake Gemini delay {args.gemini_delay:g} s, poll every "
        f"{args.poll:g} s: {summary['requests']} requests in {summary['seconds']} s = "
        f"**{summary['throughput_rps']} requests/s**; errors {summary['errors']} (5xx: "
        f"{summary['server_errors_5xx']}); try-ons started {tryons['started']}, done {tryons['done']}, failed "
        f"{tryons['failed']}, lost {tryons['lost']}; queue back-pressure (429) {tryons['queue_refusals_429']}.\n\n"
        f"| request | count | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|\n{rows}\n\n"
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of new work")
    parser.add_argument("--gemini-delay", type=float, default=2.0)
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between job polls")
    parser.add_argument("--max-rounds", type=int, default=1000)
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to let started try-ons end")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bf-load-") as directory,
        api_with_delayed_gemini(directory, args.gemini_delay) as (_, server),
    ):
        report = run_load(
            server.url,
            users=args.users,
            duration=args.duration,
            max_rounds=args.max_rounds,
            poll_interval=args.poll,
            drain=args.drain,
        )
    summary = report.summary()
    print(json.dumps(summary, indent=2))
    print()
    print(markdown(summary, args))
    ok = summary["errors"] == 0 and summary["tryons"]["lost"] == 0
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
