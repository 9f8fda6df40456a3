"""Product-page benchmark: parse time per page for each extractor, and the garment cache.

    .venv/bin/python bench/bench_extractors.py [--runs 20] [--handout ../shared/fixtures/product-pages]
        [--benchmark ../shared/fixtures/zyte-benchmark] [--benchmark-runs 5] [--page-times-only] [--no-freeze]

Measures, in milliseconds:
  * extraction (parse + every layer + merge + categorisation) of each of our own fixture pages in
    tests/fakes/shop_pages, median of --runs, with the extractor the factory picked;
  * the same for the real shop pages of the handout, when that folder exists (read at bench time,
    never copied), with their original URLs so the factory sees the real domains;
  * per-page extraction time on the product-extraction benchmark pages (html/<key>.html.gz with the
    URLs of ground-truth.json) and on the handout pages, when those folders exist: median, p90 and
    the slowest page, each page's time being its median of --benchmark-runs, in CPU time of the
    extracting thread and in wall time (on a shared machine, wall time also measures the neighbours);
  * (the imports are frozen out of the garbage collector's reach first, as in an extraction worker; --no-freeze
    leaves them)
  * POST /api/garments/scrape served from garment_metadata (cache hit, no network) and the same page
    fetched from the loopback shop and extracted (cache miss), p50/p95 over --runs.
"""

import argparse
import gzip
import json
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app, shutdown_app  # noqa: E402
from bench.timing import cpu_and_wall_ms, timed  # noqa: E402
from features.garments.extractors import BrandExtractorFactory, ProductPage  # noqa: E402
from shared.process_pool_worker import freeze_imports  # noqa: E402
from tests.fakes.shop_server import PAGES_DIR, ShopServer  # noqa: E402
from tests.helpers import app_settings  # noqa: E402

FIXTURE_BASE = "https://shop.test"


def extract(url, html):
    """(extractor name, product); a page that makes extraction raise is timed too, as "error"."""
    try:
        page = ProductPage(url, html)
        extractor = BrandExtractorFactory.for_page(page)
        return extractor.name, extractor.extract(page)
    except Exception as exc:  # noqa: BLE001 - a real page may break a layer; the bench still times it
        return f"error: {type(exc).__name__}", None


def bench_pages(pages, runs):
    """[(name, extractor, median ms, found a product?)] for (name, url, html) pages."""
    rows = []
    for name, url, html in pages:
        extractor, product = extract(url, html)
        median, _ = timed(lambda: extract(url, html), runs)
        rows.append((name, extractor, median, product is not None))
    return rows


def fixture_pages():
    for file in sorted(PAGES_DIR.glob("*.html")):
        html = (
            file.read_text(encoding="utf-8")
            .replace("{{BASE}}", FIXTURE_BASE)
            .replace("{{HOST}}", "shop.test")
        )
        yield file.stem, f"{FIXTURE_BASE}/pages/{file.stem}", html


def handout_pages(folder):
    expected = folder / "expected.json"
    if not expected.is_file():
        return []
    return [
        (page["file"], page["url"], (folder / page["file"]).read_text(encoding="utf-8", errors="replace"))
        for page in json.loads(expected.read_text())
    ]


def benchmark_pages(folder):
    """(key, url, html) of the benchmark pages, [] when the folder is not there."""
    truth = folder / "ground-truth.json"
    if not truth.is_file():
        return []
    return [
        (key, page["url"], gzip.open(folder / "html" / f"{key}.html.gz").read().decode("utf-8", "replace"))
        for key, page in sorted(json.loads(truth.read_text()).items())
        if (folder / "html" / f"{key}.html.gz").is_file()
    ]


def print_page_times(title, pages, runs):
    """Median, p90 and slowest per-page extraction time in CPU ms, and the same in wall ms (each page's median of
    `runs`; on a busy machine wall time also counts the waits for a core)."""
    timings = {
        name: cpu_and_wall_ms(lambda url=url, html=html: extract(url, html), runs)
        for name, url, html in pages
    }
    print(
        f"\n{title} (median of {runs} runs per page)\n"
        "| time | pages | median ms | p90 ms | slowest ms | slowest page |\n|---|---|---|---|---|---|"
    )
    for index, kind in enumerate(("CPU", "wall")):
        rows = sorted((times[index], name) for name, times in timings.items())
        times = [time for time, _ in rows]
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(
            f"| {kind} | {len(rows)} | {statistics.median(times):.1f} | {p90:.1f} | {rows[-1][0]:.1f} "
            f"| {rows[-1][1][:24]} |"
        )


def bench_cache(runs):
    with tempfile.TemporaryDirectory() as tmp, ShopServer() as shop:
        app = create_app(
            app_settings(
                tmp,
                database="bench.db",
                LOG_TO_FILES=False,
                LOG_LEVEL="WARNING",
                SCRAPER_ALLOW_PRIVATE_NETWORKS=True,
            )
        )
        client = app.test_client()
        url = shop.url("/pages/jsonld_graph")
        client.post("/api/garments/scrape", json={"url": url})
        fetches = shop.count("/pages/jsonld_graph")
        hit = timed(lambda: client.post("/api/garments/scrape", json={"url": url}), runs)
        assert shop.count("/pages/jsonld_graph") == fetches, "a cache hit must not fetch"
        miss = timed(lambda: client.post("/api/garments/scrape", json={"url": url, "refresh": True}), runs)
        shutdown_app(app)
    return hit, miss


def print_table(title, rows):
    print(f"\n{title}\n| page | extractor | median ms | product found |\n|---|---|---|---|")
    for name, extractor, median, found in rows:
        print(f"| {name} | {extractor} | {median:.1f} | {'yes' if found else 'no'} |")
    by_extractor = {}
    for _, extractor, median, found in rows:
        if found:
            by_extractor.setdefault(extractor, []).append(median)
    for extractor, medians in sorted(by_extractor.items()):
        print(f"| **{extractor}: median over {len(medians)} pages** | | {statistics.median(medians):.1f} | |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--handout", type=Path, default=ROOT.parent / "shared" / "fixtures" / "product-pages")
    parser.add_argument(
        "--benchmark", type=Path, default=ROOT.parent / "shared" / "fixtures" / "zyte-benchmark"
    )
    parser.add_argument("--benchmark-runs", type=int, default=5)
    parser.add_argument(
        "--page-times-only",
        action="store_true",
        help="only the per-page times of the handout and benchmark pages (no tables, no cache)",
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the imports in the garbage collector's reach (the extraction workers freeze them)",
    )
    args = parser.parse_args()
    # As an extraction worker does after its imports (shared/process_pool_worker.py), so the garbage collector costs
    # extraction here what it costs there; --no-freeze measures without it.
    if not args.no_freeze:
        freeze_imports()
    print(f"Python {platform.python_version()} on {platform.machine()}, {args.runs} runs each")
    if not args.page_times_only:
        print_table("Our fixture pages (tests/fakes/shop_pages)", bench_pages(fixture_pages(), args.runs))
    handout = handout_pages(args.handout)
    if handout:
        if not args.page_times_only:
            print_table(f"Handout pages ({args.handout})", bench_pages(handout, args.runs))
        print_page_times(
            f"Per-page extraction time, handout pages ({args.handout})", handout, args.benchmark_runs
        )
    benchmark = benchmark_pages(args.benchmark)
    if benchmark:
        print_page_times(
            f"Per-page extraction time, benchmark pages ({args.benchmark})", benchmark, args.benchmark_runs
        )
    if args.page_times_only:
        return
    (hit_p50, hit_p95), (miss_p50, miss_p95) = bench_cache(args.runs * 5)
    print("\n| POST /api/garments/scrape | p50 ms | p95 ms |\n|---|---|---|")
    print(f"| cache hit (garment_metadata, no network) | {hit_p50:.2f} | {hit_p95:.2f} |")
    print(f"| cache miss (fetch from loopback shop + extract + store) | {miss_p50:.2f} | {miss_p95:.2f} |")


if __name__ == "__main__":
    main()
