"""What reading a page in an extraction worker process costs over reading it in the server's own thread.

    .venv/bin/python bench/bench_extraction_pool.py [--runs 20] [--pages ../corpus/dev/shared/fixtures/product-pages]

Measures, in milliseconds (median of --runs):
  * extract_product in this process and the same call through the extraction pool (the page pickled
    to a worker process, the product pickled back), and the difference in wall time, for our fixture
    pages, the real shop pages of --pages when given (read at bench time, never copied) and our
    jsonld_graph page padded to 1 MB and 5 MB (the MAX_CLIENT_HTML_BYTES limit);
  * the CPU time the server process itself spends per pooled page (pickling, the pipe): what moving
    extraction out costs the server, whatever the load; the wall-time difference also holds the
    worker's wake-up, which grows with the machine's load (workers run at nice 10);
  * starting the pool (the first task: a worker process importing the extractors) and replacing a
    worker killed past its budget (the next task's wait).
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import timed  # noqa: E402
from features.garments import service  # noqa: E402
from shared.process_pool import ProcessPool, TaskStopped  # noqa: E402
from tests.fakes.shop_server import PAGES_DIR, padded_page  # noqa: E402
from tests.shared import pool_tasks  # noqa: E402

BASE = "https://shop.test"


def pages(folder):
    fixtures = [
        (
            file.stem,
            f"{BASE}/pages/{file.stem}",
            file.read_text(encoding="utf-8").replace("{{BASE}}", BASE).replace("{{HOST}}", "shop.test"),
        )
        for file in sorted(PAGES_DIR.glob("*.html"))
    ]
    yield "our fixture pages (1-4 KB)", fixtures
    if folder and (folder / "expected.json").is_file():
        yield (
            "real shop pages (150-920 KB)",
            [
                (
                    page["file"],
                    page["url"],
                    (folder / page["file"]).read_text(encoding="utf-8", errors="replace"),
                )
                for page in json.loads((folder / "expected.json").read_text())
            ],
        )
    graph = next(html for name, _, html in fixtures if name == "jsonld_graph")
    for kilobytes in (1000, 5000):
        yield (
            f"jsonld_graph padded to {kilobytes // 1000} MB",
            [("padded", f"{BASE}/p", padded_page(graph, kilobytes))],
        )


def read(pool, url, html):
    try:
        return pool.run(service.extract_product, budget=60, url=url, html=html)
    except Exception:  # noqa: BLE001 - a page without a product costs the same round trip
        return None


def inline(url, html):
    try:
        return service.extract_product(url=url, html=html)
    except Exception:  # noqa: BLE001
        return None


def cpu_ms(call, runs):
    """This process's CPU time per call (the worker's is not counted), in milliseconds."""
    started = time.process_time()
    for _ in range(runs):
        call()
    return (time.process_time() - started) * 1000 / runs


def median(values):
    return sorted(values)[len(values) // 2]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pages", type=Path, default=None)
    args = parser.parse_args()

    pool = ProcessPool(size=1, preload=("features.garments.service", "tests.shared.pool_tasks"))
    started = time.perf_counter()
    pool.run(pool_tasks.spin, budget=60, seconds=0)
    start_ms = (time.perf_counter() - started) * 1000
    print(f"Python {platform.python_version()}, {args.runs} runs per page\n")
    print(
        "| pages | count | in-process median ms | in a worker median ms | wall overhead per page ms "
        "| server CPU per pooled page ms |"
    )
    print("|---|---|---|---|---|---|")
    for label, group in pages(args.pages):
        own = [timed(lambda: inline(url, html), args.runs)[0] for _, url, html in group]
        pooled = [timed(lambda: read(pool, url, html), args.runs)[0] for _, url, html in group]
        overheads = sorted(p - o for p, o in zip(pooled, own))
        server_cpu = sorted(cpu_ms(lambda: read(pool, url, html), args.runs) for _, url, html in group)
        print(
            f"| {label} | {len(group)} | {median(own):.2f} | {median(pooled):.2f} "
            f"| {median(overheads):.2f} (max {overheads[-1]:.2f}) | {median(server_cpu):.2f} |"
        )
    replacements = []
    for _ in range(5):
        try:
            pool.run(pool_tasks.spin, budget=0.05, seconds=10)
        except TaskStopped:
            pass
        started = time.perf_counter()
        pool.run(pool_tasks.spin, budget=60, seconds=0)
        replacements.append((time.perf_counter() - started) * 1000)
    print(
        f"\nstarting the pool (first task): {start_ms:.0f} ms; a task after its worker was killed: "
        f"{sorted(replacements)[2]:.0f} ms median of 5 (a new worker starts)"
    )
    pool.close()


if __name__ == "__main__":
    main()
