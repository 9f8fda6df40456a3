"""garment_metadata rows: the cache of extracted product pages, keyed by canonical URL."""

import json
from collections.abc import Iterable
from typing import Any

from shared import clock
from shared.database import Database


def get_fresh(db: Database, url: str, not_before: str) -> dict[str, Any] | None:
    """The cached product for `url` stored at or after `not_before` (ISO timestamp), or None."""
    row = db.execute_query(
        "SELECT metadata FROM garment_metadata WHERE url = ? AND updated_at >= ?",
        (url, not_before),
        fetch_one=True,
    )
    product: dict[str, Any] | None = json.loads(row["metadata"]) if row else None
    return product


def upsert(db: Database, urls: Iterable[str], product: dict[str, Any]) -> None:
    """Store the product under each cache key (the requested URL and the page's canonical URL)."""
    now = clock.timestamp()
    columns = (
        product.get("title"),
        json.dumps(product.get("images") or []),
        product.get("price"),
        product.get("currency"),
        json.dumps([size["name"] for size in product.get("sizes") or []]),
        json.dumps(product.get("colors") or []),
        product.get("brand"),
        json.dumps(product),
    )
    with db.transaction():
        for url in sorted(
            set(urls)
        ):  # rows locked in one order, so two stores of the same keys never deadlock
            db.execute_query(
                "INSERT INTO garment_metadata (url, title, images, price, currency, sizes, colors, brand, metadata, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET title = excluded.title, images = excluded.images, "
                "price = excluded.price, currency = excluded.currency, sizes = excluded.sizes, "
                "colors = excluded.colors, brand = excluded.brand, metadata = excluded.metadata, "
                "updated_at = excluded.updated_at",
                (url, *columns, now, now),
            )
