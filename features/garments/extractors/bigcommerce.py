"""BigCommerce (Stencil themes): `var BCData = {"product_attributes": …}` holds the selected variant's price
with its currency, its code (`sku`, `mpn`, `gtin`/`upc`) and its stock (`instock`), and the product view element names the product in data-* attributes
(`data-name`, `data-product-brand`, `data-product-category`, `data-product-price`).
"""

from features.garments.extractors.schema_org import currency_value, price_value
from features.garments.extractors.values import (
    clean_text,
    parse_availability,
    parse_gtin,
    parse_identifier,
    parse_price,
)

# Reached through its data-entity-id (a predicate on every element costs an XPath evaluation per element).
_PRODUCT_VIEW = (
    "/descendant::*/@data-entity-id/parent::*[@data-name][@data-product-price or @data-product-brand]"
)
# BCData states the price with tax, without it, or both, depending on what the store displays.
_PRICE_KEYS = ("with_tax", "without_tax")


def read_bigcommerce(page):
    """Title, brand, category, price, currency, codes and stock of a Stencil product page; {} on other pages."""
    state = page.script_assignments.get("BCData")
    attributes = state.get("product_attributes") if isinstance(state, dict) else None
    attributes = attributes if isinstance(attributes, dict) else {}
    view = next(
        (element for element in page.tree.xpath(_PRODUCT_VIEW) if not page.in_other_product(element)), None
    )
    if not attributes and view is None:
        return {}
    price, currency = _price(attributes.get("price"))
    data = view.attrib if view is not None else {}
    return {
        "title": clean_text(data.get("data-name")),
        "brand": clean_text(data.get("data-product-brand")),
        "price": price or parse_price(data.get("data-product-price")),
        "currency": currency,
        "product_type": clean_text(data.get("data-product-category")),
        "sku": parse_identifier(attributes.get("sku")),
        "mpn": parse_identifier(attributes.get("mpn")),
        "gtin": parse_gtin(attributes.get("gtin")) or parse_gtin(attributes.get("upc")),
        "availability": parse_availability(attributes.get("instock")),
    }


def _price(prices):
    """(price, currency) of BCData's `price` object ({"without_tax": {"value": 49, "currency": "USD"}})."""
    if not isinstance(prices, dict):
        return None, None
    shown = next((prices[key] for key in _PRICE_KEYS if isinstance(prices.get(key), dict)), None)
    return (price_value(shown), currency_value(shown)) if shown else (None, None)
