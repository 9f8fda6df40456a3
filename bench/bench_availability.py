"""Availability under attack: while hostile requests of every kind run, does /health stay fast and do a
normal shopper's requests still finish?

    .venv/bin/python bench/bench_availability.py [--duration 60] [--repo PATH] [--no-attack] [--skip KIND ...]

Starts the fake Gemini (answers after 1 s), the loopback shop (tests/fakes/shop_server.py) and the API
as `python app.py` of --repo (default: this checkout) on the embedded default with its default limits.
Each kind of client speaks from its own loopback address (127.0.0.2 …), so the server tells them
apart as it would distinct clients; a hostile client answered 429 tries again 0.1 s later. For
--duration seconds (--no-attack: only the last two, for a baseline):

  slow-header shop   6 threads scraping a shop that sends its headers a few bytes at a time for 2 minutes
  hostile HTML       2 threads sending client HTML, in turn: each page shape of issue 14 that took seconds per
                     4 KB (tests/garments/test_hostile_pages.py: JSON-LD material, `window.` and `var a={` runs,
                     unended strings, a heading of repeated symbols, nested price blocks ...) and a 4.5 MB page
                     of ordinary markup (within MAX_CLIENT_HTML_BYTES) to scrape, and every third turn the
                     JSON-LD material page as a try-on's html (of its own user, polled to its end)
  huge image         1 thread, in turn: categorize an image_url of a 10000×10000 PNG (300 KB), one of a
                     15 MB file, and a try-on (of its own user) whose product image is the 10000×10000 PNG
  categorize flood   4 threads sending categorize requests with every field at its cap
  oversized bodies   1 thread sending 30 MB JSON bodies to categorize and to login, in turn
  stalling try-ons   1 user keeping MAX_JOBS_PER_USER try-ons in flight on the slow-header shop
  health probe       GET /health every 50 ms (latency p50/p99/max: the target is p99 < 100 ms)
  shopper            one user: scrape a normal page, then a try-on (selfie + garment photo) polled to its end

Reports the /health latencies, the shopper's scrapes and try-ons (done, failed, median seconds), the
answers everyone got (and how the hostile clients' accepted try-ons ended), and the server's memory when
idle and at its peak (VmHWM). Every loop stops by itself.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.gemini_server import FakeGemini  # noqa: E402
from tests.fakes.shop_server import ShopServer, huge_image, padded_page, padded_png  # noqa: E402
from tests.garments.test_hostile_pages import HOSTILE_PAGES  # noqa: E402
from tests.helpers import product_page_with_image  # noqa: E402
from tests.photos import astronaut_png, t_shirt  # noqa: E402
from tests.trust.app_process import AppProcess, server_environment  # noqa: E402

PASSWORD = "availability bench 1"
ADDRESSES = {
    "slow-header shop": "127.0.0.2",
    "hostile HTML": "127.0.0.3",
    "huge image": "127.0.0.4",
    "categorize flood": "127.0.0.5",
    "stalling try-ons": "127.0.0.6",
    "health probe": "127.0.0.7",
    "shopper": "127.0.0.8",
    "oversized bodies": "127.0.0.9",
}
HOSTILE_KINDS = [kind for kind in ADDRESSES if kind not in ("health probe", "shopper")]


class _FromAddress(HTTPAdapter):
    def __init__(self, address):
        self.address = address
        super().__init__(pool_maxsize=16)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session(kind):
    """A requests session whose connections come from the kind's own loopback address."""
    http = requests.Session()
    http.mount("http://", _FromAddress(ADDRESSES[kind]))
    return http


class Bench:
    def __init__(self, server, shop, duration):
        self.server, self.shop = server, shop
        self.ends = time.monotonic() + duration
        self.answers = {kind: Counter() for kind in ADDRESSES}
        self.health = []
        self.scrapes, self.tryons = [], []  # (ok, seconds)
        self.lock = threading.Lock()
        self.tokens = {
            kind: self.sign_up(kind) for kind in ("shopper", "stalling try-ons", "huge image", "hostile HTML")
        }
        self.selfie, self.garment = astronaut_png(), t_shirt()
        huge_image(10000, 10000, "png")  # made once, before the clock starts
        padded_png(15)
        self.big_json = b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}'
        self.hostile_pages = [*HOSTILE_PAGES.values(), padded_page(self.shop.page_html("jsonld_graph"), 4500)]

    def sign_up(self, kind):
        email = f"{kind.replace(' ', '-')}-{time.time_ns()}@example.com"
        response = session(kind).post(
            f"{self.server.url}/api/create-account",
            timeout=30,
            json={"email": email, "password": PASSWORD, "confirm_password": PASSWORD, "first_name": "Ada"},
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['data']['token']}"}

    def running(self):
        return time.monotonic() < self.ends

    def note(self, kind, response):
        if not self.running() and kind != "shopper":
            return  # what was still in flight at the end (the server is then stopped) is not counted
        with self.lock:
            if isinstance(response, Exception):
                self.answers[kind][type(response).__name__] += 1
            else:
                code = (
                    (response.json().get("error") or {}).get("code", "")
                    if response.status_code >= 400
                    else ""
                )
                self.answers[kind][f"{response.status_code} {code}".strip()] += 1

    def call(self, kind, http, method, path, **kwargs):
        try:
            response = http.request(method, f"{self.server.url}{path}", timeout=150, **kwargs)
        except requests.RequestException as exc:
            self.note(kind, exc)
            return None
        self.note(kind, response)
        if response.status_code == 429 and kind != "shopper":
            time.sleep(0.1)
        return response

    # --- hostile clients --------------------------------------------------------------------------------
    def slow_header_shop(self, http):
        self.call(
            "slow-header shop",
            http,
            "POST",
            "/api/garments/scrape",
            json={"url": self.shop.url("/trickle?headers=120"), "refresh": True},
        )

    def hostile_html(self, http, turn):
        if turn % 3 == 2:
            self.tryon("hostile HTML", http, "https://shop.test/products/linen-shirt", self.hostile_pages[0])
            return
        self.call(
            "hostile HTML",
            http,
            "POST",
            "/api/garments/scrape",
            json={
                "url": "https://shop.test/products/linen-shirt",
                "html": self.hostile_pages[turn % len(self.hostile_pages)],
            },
        )

    def huge_image(self, http, turn):
        image_url = self.shop.url("/images/huge-10000x10000.png")
        if turn % 3 < 2:
            url = image_url if turn % 3 == 0 else self.shop.url("/images/padded-15mb.png")
            self.call("huge image", http, "POST", "/api/garments/categorize", json={"image_url": url})
            return
        self.tryon("huge image", http, "https://shop.test/p/tank", product_page_with_image(image_url))

    def tryon(self, kind, http, url, html):
        """A try-on of the kind's own user from client html, polled to its end."""
        response = self.call(
            kind,
            http,
            "POST",
            "/api/tryon",
            headers=self.tokens[kind],
            files={"selfie": ("me.png", self.selfie, "image/png")},
            data={"item_urls": json.dumps([url]), "html": html},
        )
        if response is not None and response.status_code == 202:
            outcome = self.wait_for_job(http, self.tokens[kind], response.json()["data"]["job_id"])
            if self.running():
                with self.lock:
                    self.answers[kind][f"job {outcome}"] += 1

    def oversized_body(self, http, turn):
        path = "/api/garments/categorize" if turn % 2 == 0 else "/api/login"
        self.call(
            "oversized bodies",
            http,
            "POST",
            path,
            data=self.big_json,
            headers={"Content-Type": "application/json"},
        )

    def categorize_flood(self, http):
        self.call(
            "categorize flood",
            http,
            "POST",
            "/api/garments/categorize",
            json={
                "title": "Linen shirt " * 41,
                "product_type": "Shirts " * 28,
                "description": "A soft linen shirt. " * 1000,
                "breadcrumbs": ["Men > Clothing > Shirts " * 8] * 20,
            },
        )

    def stalling_tryon(self, http):
        self.call(
            "stalling try-ons",
            http,
            "POST",
            "/api/tryon",
            headers=self.tokens["stalling try-ons"],
            files={"selfie": ("me.png", self.selfie, "image/png")},
            data={"item_urls": json.dumps([self.shop.url("/trickle?headers=120")])},
        )

    # --- the ones who must not notice ------------------------------------------------------------------
    def probe_health(self, http):
        started = time.perf_counter()
        try:
            ok = http.get(f"{self.server.url}/health", timeout=60).status_code == 200
        except requests.RequestException:
            ok = False
        self.health.append((ok, time.perf_counter() - started))
        time.sleep(0.05)

    def shop_and_try_on(self, http):
        started = time.perf_counter()
        response = self.call(
            "shopper",
            http,
            "POST",
            "/api/garments/scrape",
            json={"url": self.shop.url("/pages/jsonld_graph"), "refresh": True},
        )
        self.scrapes.append(
            (response is not None and response.status_code == 200, time.perf_counter() - started)
        )
        started = time.perf_counter()
        response = self.call(
            "shopper",
            http,
            "POST",
            "/api/tryon",
            headers=self.tokens["shopper"],
            files={
                "selfie": ("me.png", self.selfie, "image/png"),
                "garment_image": ("shirt.png", self.garment, "image/png"),
            },
        )
        status = None
        if response is not None and response.status_code == 202:
            status = self.wait_for_job(http, self.tokens["shopper"], response.json()["data"]["job_id"])
        self.tryons.append((status == "done", time.perf_counter() - started))

    def wait_for_job(self, http, headers, job_id, limit=180):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                job = http.get(f"{self.server.url}/api/job/{job_id}", headers=headers, timeout=60).json()[
                    "data"
                ]
            except (requests.RequestException, ValueError, KeyError):
                time.sleep(0.5)
                continue
            if job["status"] == "done":
                return "done"
            if job["status"] == "failed":
                return f"failed {(job.get('error') or {}).get('code', '')}".strip()
            time.sleep(0.5)
        return "lost"

    def run(self, attack=True, skip=()):
        loops = (
            [
                ("slow-header shop", 6, lambda http, _: self.slow_header_shop(http)),
                ("hostile HTML", 2, self.hostile_html),
                ("huge image", 1, self.huge_image),
                ("categorize flood", 4, lambda http, _: self.categorize_flood(http)),
                ("stalling try-ons", 1, lambda http, _: self.stalling_tryon(http)),
                ("oversized bodies", 1, self.oversized_body),
            ]
            if attack
            else []
        )
        loops = [loop for loop in loops if loop[0] not in skip]
        loops.append(("health probe", 1, lambda http, _: self.probe_health(http)))
        threads = [
            threading.Thread(target=self._loop, args=(kind, step), daemon=True)
            for kind, count, step in loops
            for _ in range(count)
        ]
        shopper = threading.Thread(
            target=self._loop, args=("shopper", lambda http, _: self.shop_and_try_on(http))
        )
        for thread in [*threads, shopper]:
            thread.start()
        shopper.join()  # the shopper finishes its last round; hostile requests still in flight are abandoned

    def _loop(self, kind, step):
        http, turn = session(kind), 0
        while self.running():
            step(http, turn)
            turn += 1


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def _memory_mb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def report(bench, seconds, idle_mb, peak_mb):
    latencies = [latency * 1000 for _, latency in bench.health]
    failed_probes = sum(1 for ok, _ in bench.health if not ok)
    print(f"\n{seconds:.0f} s; Python {platform.python_version()}, {os.cpu_count()} cores\n")
    print("| /health probes | failed | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    print(
        f"| {len(latencies)} | {failed_probes} | {statistics.median(latencies):.1f} "
        f"| {_percentile(latencies, 0.99):.1f} | {max(latencies):.1f} |"
    )
    print("\n| shopper | count | ok | median s | max s |")
    print("|---|---|---|---|---|")
    for label, rows in (
        ("scrape of a normal page", bench.scrapes),
        ("try-on (upload, polled to its end)", bench.tryons),
    ):
        if rows:
            print(
                f"| {label} | {len(rows)} | {sum(ok for ok, _ in rows)} | "
                f"{statistics.median(s for _, s in rows):.2f} | {max(s for _, s in rows):.2f} |"
            )
    print("\n| client | answers |")
    print("|---|---|")
    for kind, answers in bench.answers.items():
        if answers:
            print(f"| {kind} | {', '.join(f'{answer}: {n}' for answer, n in answers.most_common())} |")
    print(f"\nserver memory: {idle_mb:.0f} MB when idle (VmRSS), {peak_mb:.0f} MB at its peak (VmHWM)")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--repo", type=Path, default=ROOT, help="the checkout whose app.py is served")
    parser.add_argument(
        "--no-attack", action="store_true", help="only the probe and the shopper (the baseline)"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=HOSTILE_KINDS,
        help="leave this hostile client out (repeatable), to see what each one costs",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, FakeGemini() as gemini, ShopServer() as shop:
        gemini.delay = 1.0
        env = server_environment(
            directory,
            AI_PROVIDER="gemini",
            GEMINI_API_KEY="bench-key",
            GEMINI_BASE_URL=gemini.base_url,
            SCRAPER_ALLOW_PRIVATE_NETWORKS="true",
            RATELIMIT_ENABLED="true",
        )
        server = AppProcess(env, Path(directory) / "app.log", root=args.repo).start()
        try:
            bench = Bench(server, shop, args.duration)
            idle_mb = _memory_mb(server.process.pid, "VmRSS")
            started = time.monotonic()
            bench.run(attack=not args.no_attack, skip=args.skip)
            seconds = time.monotonic() - started
            peak_mb = _memory_mb(server.process.pid, "VmHWM")
        finally:
            gemini.release()
            server.kill()
        report(bench, seconds, idle_mb, peak_mb)


if __name__ == "__main__":
    main()
