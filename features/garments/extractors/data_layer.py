"""The product a page reports to its analytics on a product view: Google Analytics 4's `view_item` event
(`ecommerce.items`, or gtag's `items`) and Universal Analytics' product detail (`ecommerce.detail.products`), as
Google Tag Manager's data layer and gtag receive them.

Shops fill the item's `item_id`/`id` with their SKU as often as with a row of their database, so the code is one
vote among the layers' and stands alone only where the page prints it (see base._merge_sku).
"""

from collections.abc import Iterable
from typing import Any

from features.garments.extractors.page import ProductPage
from features.garments.extractors.schema_org import title_likeness
from features.garments.extractors.values import clean_text, in_url, parse_identifier

# Events of a product's page being viewed (lower case, no _ or -); lists, clicks and carts are others' products.
_VIEW_EVENTS = {"viewitem", "productdetail", "productdetailview", "detail", "productview", "viewproduct"}
_NAMED = 2  # title_likeness of a name the page's title holds in full


def read_data_layer(page: ProductPage, names: Iterable[str | None]) -> dict[str, str]:
    """{"sku": the viewed item's id} when the page reports one viewed item named as its product (one of `names`,
    the product's names other layers read) or whose id the URL carries; {} otherwise."""
    url_text: str = page.url.lower()
    titles = [title for title in names if title]
    for event, data in page.analytics_events:
        item = _viewed_item(event, data)
        if item is None:
            continue
        code: str | None = parse_identifier(item.get("item_id", item.get("id")))
        name = clean_text(item.get("item_name", item.get("name")))
        if code and (
            in_url(code, url_text) or any(title_likeness(name, title) >= _NAMED for title in titles)
        ):
            return {"sku": code}
    return {}


def _viewed_item(event: str | None, data: dict[str, Any]) -> dict[str, Any] | None:
    """The one item a product-view report names, or None (a list of several is a listing's)."""
    name = str(event or data.get("event") or "").replace("_", "").replace("-", "").lower()
    ecommerce: dict[str, Any] = data["ecommerce"] if isinstance(data.get("ecommerce"), dict) else data
    detail = ecommerce.get("detail")
    if isinstance(detail, dict):
        items = detail.get("products")
    elif name in _VIEW_EVENTS:
        items = ecommerce.get("items")
    else:
        return None
    items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    return items[0] if len(items) == 1 else None
