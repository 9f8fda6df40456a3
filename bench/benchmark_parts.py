"""Price, SKU and stock F1 of a saved benchmark run on all pages and on two parts split by shop.

    python3 ../shared/tools/extraction_benchmark.py http://127.0.0.1:PORT --save ours.json
    .venv/bin/python bench/benchmark_parts.py ours.json ../shared/fixtures/zyte-benchmark/ground-truth.json

Every third shop (by name, sorted: amazon.de and amazon.fr are one shop) is set aside: a rule is changed while
looking at the other shops' pages only, and kept only if the set-aside part does not get worse. F1 by the benchmark
tool's own rules (a wrong value is both a false positive and a miss).
"""

import json
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ATTRIBUTES = ("price", "sku", "availability")
_SECOND_LEVEL = ("co", "com", "net", "org")


def shop(url):
    """The shop's name in its host ("www.amazon.co.uk" → "amazon", "ar-sa.namshi.com" → "namshi")."""
    labels = (urlsplit(url).hostname or "").split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()
    return labels[-1] if labels else ""


def value(attribute, raw):
    if raw in (None, ""):
        return None
    return Decimal(str(raw)) if attribute == "price" else str(raw)


def f1(truth, ours, attribute):
    tp = fp = fn = 0
    for key, page in truth.items():
        accepted = {value(attribute, v) for v in page.get(attribute) or []}
        got = value(attribute, (ours.get(key) or {}).get(attribute))
        if got is None:
            fn += bool(accepted)
        elif got in accepted:
            tp += 1
        else:
            fp, fn = fp + 1, fn + bool(accepted)
    precision, recall = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0, precision, recall


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ours, truth = (json.loads(Path(path).read_text(encoding="utf-8")) for path in sys.argv[1:])
    shops = sorted({shop(page["url"]) for page in truth.values()})
    aside = {name for index, name in enumerate(shops) if index % 3 == 2}
    parts = {
        "all": truth,
        "worked on": {k: p for k, p in truth.items() if shop(p["url"]) not in aside},
        "set aside": {k: p for k, p in truth.items() if shop(p["url"]) in aside},
    }
    print(f"set aside: {', '.join(sorted(aside))}")
    print(f"{'part':10} {'pages':>5} " + " ".join(f"{a:>22}" for a in ATTRIBUTES))
    for name, part in parts.items():
        cells = [f"{f:.3f} ({p:.2f}/{r:.2f})" for f, p, r in (f1(part, ours, a) for a in ATTRIBUTES)]
        print(f"{name:10} {len(part):>5} " + " ".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
