"""Every real shop page of the handout corpora, sent as client HTML: a product or a typed 4xx, never a 5xx.

The pages live beside the repository in `../shared/fixtures/` (the Zyte product-extraction benchmark's
gzipped pages with their URLs in ground-truth.json, and the fashion pages listed in expected.json).
They are read where they are, never copied into the repository; without the folder the test skips.
"""

import gzip
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
BENCHMARK = FIXTURES / "zyte-benchmark"
FASHION = FIXTURES / "product-pages"


def benchmark_pages():
    truth = BENCHMARK / "ground-truth.json"
    if not truth.is_file():
        return []
    return [
        (
            page["url"],
            lambda key=key: gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes()).decode(
                "utf-8", "replace"
            ),
        )
        for key, page in json.loads(truth.read_text(encoding="utf-8")).items()
    ]


def fashion_pages():
    expected = FASHION / "expected.json"
    if not expected.is_file():
        return []
    return [
        (
            page["url"],
            lambda file=page["file"]: (FASHION / file).read_text(encoding="utf-8", errors="replace"),
        )
        for page in json.loads(expected.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("pages", [benchmark_pages, fashion_pages], ids=["zyte-benchmark", "product-pages"])
def test_every_real_page_gets_a_product_or_a_typed_client_error(client, pages):
    found = pages()
    if not found:
        pytest.skip(f"the handout pages are not in {FIXTURES}")
    failures = []
    for url, read in found:
        response = client.post("/api/garments/scrape", json={"url": url, "html": read()})
        body = response.get_json()
        if response.status_code == 200:
            product = body["data"]["product"]
            if not product["title"] or product["availability"] not in (None, "InStock", "OutOfStock"):
                failures.append(
                    f"{url}: answered a product without a title or with availability "
                    f"{product['availability']!r}"
                )
        elif not (
            400 <= response.status_code < 500
            and body["success"] is False
            and body["error"]["code"]
            and body["error"]["message"]
        ):
            failures.append(f"{url}: {response.status_code} {body}")
    assert not failures, "\n".join(failures)
