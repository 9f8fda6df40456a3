"""Hostile product pages: extraction time as the hostile part of a page grows.

    .venv/bin/python bench/bench_hostile_pages.py [--sizes 1000,2000,4000,8000] [--runs 3]

Each shape is a small product page whose one hostile part (a JSON-LD value made of a short repeated
pattern, long runs of `window.` or `var a={` in a script, a long unterminated quoted string, a
heading of repeated symbols, deeply nested price blocks, …) is about `size` characters long. The
table gives the median extraction time in milliseconds (parse + every layer + merge) per size, in
CPU time of the extracting thread (a busy machine's waits are not counted), and the growth from
the smallest to the largest size: about the size ratio when extraction is linear, its square when
quadratic.
"""

import argparse
import json
import platform
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import cpu_ms  # noqa: E402
from features.garments.extractors import BrandExtractorFactory, ProductPage  # noqa: E402

URL = "https://shop.test/products/hostile"


def _page(head="", body="", ld=None):
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Linen shirt",
        "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"},
    }
    product.update(ld or {})
    return (
        f"<html><head><title>Linen shirt</title>{head}"
        f'<script type="application/ld+json">{json.dumps(product)}</script></head>'
        f"<body><h1>Linen shirt</h1>{body}</body></html>"
    )


def _repeat(unit, size):
    return unit * max(1, size // len(unit))


SHAPES = {
    "JSON-LD material 'a-'": lambda n: _page(ld={"material": _repeat("a-", n)}),
    "JSON-LD material '10% '": lambda n: _page(ld={"material": _repeat("10% ", n)}),
    "JSON-LD material 'cottonx'": lambda n: _page(ld={"material": _repeat("cottonx", n)}),
    "JSON-LD description 'a '": lambda n: _page(ld={"description": _repeat("a ", n)}),
    "script 'window.'": lambda n: _page(head=f"<script>{_repeat('window.', n)}</script>"),
    "script 'var a={'": lambda n: _page(head=f"<script>{_repeat('var a={', n)}</script>"),
    "script unterminated quote": lambda n: _page(head=f'<script>var s = "{_repeat("a", n)}</script>'),
    "script '\"\\\\'": lambda n: _page(head=f"<script>{_repeat(chr(34) + chr(92), n)}</script>"),
    "script 'var a={' then '\"\\\\'": lambda n: _page(
        head=f"<script>var a={{{_repeat(chr(34) + chr(92), n)}</script>"
    ),
    "script Nuxt function": lambda n: _page(
        head=f"<script>window.__NUXT__=(function(a){{return {{x:[{_repeat('a,', n)}a]}}}}(1))</script>"
    ),
    "heading of '!'": lambda n: _page(body=f"<h1>{_repeat('!', n)}</h1>"),
    "heading of '-_'": lambda n: _page(body=f"<h1>{_repeat('-_', n)}</h1>"),
    "nested price blocks": lambda n: _page(
        body=_repeat('<div class="price">', n) + "€ 12,00" + _repeat("</div>", n)
    ),
    "class of 'size-'": lambda n: _page(body=f'<ul class="{_repeat("size-", n)}"><li>S</li><li>M</li></ul>'),
    "size label 'x'": lambda n: _page(
        body=f'<select name="size"><option>{_repeat("x", n)}</option></select>'
    ),
    "composition text '1% '": lambda n: _page(body=f"<p>Composition: {_repeat('1% ', n)}</p>"),
}


def extract(html):
    page = ProductPage(URL, html)
    return BrandExtractorFactory.for_page(page).extract(page)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the shapes whose name contains this")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"Python {platform.python_version()} on {platform.machine()}, median of {args.runs} runs, CPU ms")
    print(
        "| shape | "
        + " | ".join(f"{size} chars" for size in sizes)
        + f" | growth ×{sizes[-1] // sizes[0]} size |"
    )
    print("|---|" + "---|" * (len(sizes) + 1))
    for name, build in SHAPES.items():
        if args.only not in name:
            continue
        medians = [cpu_ms(partial(extract, build(size)), args.runs) for size in sizes]
        print(
            f"| {name} | "
            + " | ".join(f"{median:.1f}" for median in medians)
            + f" | ×{medians[-1] / max(medians[0], 0.01):.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
