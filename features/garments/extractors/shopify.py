"""ShopifyExtractor: Shopify shops, recognised by their page, read from Shopify's product JSON.

The theme embeds the product as JSON (`<script type="application/json" data-product-json>` or a
`product` object in another script); when the page lacks it and fetching is allowed, the shop's
own `<product url>.js` serves the same object. Prices there are in cents; sizes and colours are
the variants' option values; pages also carry *other* products' JSON (recommendations), so the
product is chosen by its handle, the last part of the /products/ URL.
"""

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from features.garments.extractors.base import Findings, isolated
from features.garments.extractors.default import DefaultExtractor
from features.garments.extractors.schema_org import looks_like_size
from features.garments.extractors.values import (
    MAX_PRICE,
    clean_multiline,
    clean_text,
    large_image_url,
    parse_gtin,
    parse_identifier,
    plausible_price,
    unique,
)
from shared.garment_catalog import SIZE_WORD
from shared.text_patterns import IGNORECASE, compile_pattern

_SIZE_OPTION = compile_pattern(SIZE_WORD, IGNORECASE)
_COLOR_OPTION = compile_pattern(r"colou?r|farbe|couleur|colore|kleur|\bcor\b", IGNORECASE)
_SHOPIFY_MARKERS = compile_pattern(
    r"cdn\.shopify\.com|Shopify\.shop\s*=|/cdn/shop/|shopify-features|ShopifyAnalytics"
)
_ACTIVE_CURRENCY = compile_pattern(r"Shopify\.currency\s*=\s*\{[^}]*\"active\"\s*:\s*\"([A-Z]{3})\"")
_PRODUCT_HANDLE = compile_pattern(r"/products/([^/?#]+)")
_JSON_SUFFIX = compile_pattern(r"\.(?:js|json)$")
_DIGITS = compile_pattern(r"\d+")
_CENTS_DIGITS = 15  # more digits in cents than any price has


class ShopifyExtractor(DefaultExtractor):
    name = "shopify"
    domains = ("myshopify.com",)

    @classmethod
    def matches_page(cls, page):
        text = page.html or ""
        # Every marker but one names Shopify: a page that does not is read through only for that one.
        return ("hopify" in text or "/cdn/shop/" in text) and bool(_SHOPIFY_MARKERS.search(text))

    def read_layers(self, page, fetch_json=None):
        source, fields = isolated(
            page, "shopify", lambda: read_shopify_page(page, fetch_json), ("shopify-json", {})
        )
        return [Findings("shop", source, fields), *super().read_layers(page, fetch_json)]


def read_shopify_page(page, fetch_json=None):
    """(source, fields) of the page's Shopify product: its product JSON (embedded, else fetched), else the
    analytics summary."""
    product = embedded_product(page) or _fetched_product(page.url, fetch_json)
    analytics = _analytics_product(page)
    fields = (
        read_shopify_product(product, page.base_url, page.url, page.selection)
        if product
        else read_analytics_product(analytics)
        if analytics
        else {}
    )
    source = "shopify-json" if product or not analytics else "shopify-analytics"
    if fields and not fields.get("currency"):
        active = _ACTIVE_CURRENCY.search(page.html or "")
        fields["currency"] = active.group(1) if active else None
    return source, fields


def embedded_product(page):
    """The page's own product object (matched by handle) from its JSON scripts or script objects."""
    handle = product_handle(page.url)
    documents = [document for _, document in page.json_scripts] + list(page.script_assignments.values())
    candidates = [candidate for document in documents for candidate in _product_objects(document)]
    return next((c for c in candidates if handle and c.get("handle") == handle), None) or next(
        (c for c in candidates if not handle and c.get("options")), None
    )


def product_handle(url):
    match = _PRODUCT_HANDLE.search(urlsplit(url).path)
    return match.group(1) if match else None


def product_json_url(url):
    """`https://shop/products/x` → `https://shop/products/x.js` (query and fragment dropped)."""
    parts = urlsplit(url)
    path = _JSON_SUFFIX.sub("", parts.path.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, path + ".js", "", ""))


def read_shopify_product(product, base_url, page_url=None, selection=None):
    """Normalised fields from a Shopify product object (.js shape: cents, options, option1..3); the variant
    the page URL selects (`?variant=<id>`), else the one the page's `selection` points to (the variant id its
    product form posts, the options its buy box marks chosen), gives the price, the first colour and the first
    image, and its code, barcode and stock. With none selected, the code and barcode are the only variant's (a
    product of several has no code of its own), the stock is any variant's and the compare-at price the one of the
    variant the page shows first."""
    options = [
        option.get("name") if isinstance(option, dict) else option for option in product.get("options") or []
    ]
    variants = [variant for variant in product.get("variants") or [] if isinstance(variant, dict)]
    size_key = _option_key(options, _SIZE_OPTION)
    color_key = _option_key(options, _COLOR_OPTION)
    selected = _selected_variant(variants, page_url) or (
        selection.choose(variants, _variant_description) if selection else None
    )
    coded = selected or (variants[0] if len(variants) == 1 else {})
    shown = selected or next(
        (variant for variant in variants if variant.get("available") is not False),
        variants[0] if variants else {},
    )
    featured = (
        selected.get("featured_image")
        if selected and isinstance(selected.get("featured_image"), dict)
        else {}
    )
    images = [featured.get("src")] + [
        image.get("src") if isinstance(image, dict) else image for image in product.get("images") or []
    ]
    return {
        "title": clean_text(product.get("title")),
        "brand": clean_text(product.get("vendor")),
        "description": clean_multiline(product.get("description") or product.get("body_html")),
        "price": _price(
            selected.get("price")
            if selected
            else product.get("price")
            if product.get("price") is not None
            else (variants[0].get("price") if variants else None)
        ),
        "currency": None,
        "list_price": _price(shown.get("compare_at_price") or product.get("compare_at_price")),
        "sku": parse_identifier(coded.get("sku")),
        "variant_sku": parse_identifier(selected.get("sku")) if selected else None,
        "gtin": parse_gtin(coded.get("barcode")),
        "variant_availability": _available(selected) if selected else None,
        "availability": _available(selected)
        if selected
        else _available(product)
        if "available" in product
        else any(_available(variant) for variant in variants)
        if variants
        else None,
        "images": unique(large_image_url(image, base_url) for image in images),
        "sizes": _option_values(variants, size_key, with_availability=True) if size_key else [],
        "colors": _option_values([selected, *variants] if selected else variants, color_key)
        if color_key
        else [],
        "product_type": clean_text(product.get("type") or product.get("product_type")),
    }


def read_analytics_product(product):
    """Fields from the analytics summary every Shopify theme embeds (`var meta = {"product": …}`): vendor,
    type, and variants whose `public_title` joins the option values ("Cream / S") and whose `name` is
    the product's title followed by them. Prices are in cents."""
    variants = [variant for variant in product.get("variants") or [] if isinstance(variant, dict)]
    first = variants[0] if variants else {}
    options = [
        [clean_text(value) for value in (clean_text(variant.get("public_title")) or "").split(" / ")]
        for variant in variants
    ]
    name, public_title = clean_text(first.get("name")) or "", clean_text(first.get("public_title"))
    return {
        "title": name[: -len(public_title)].rstrip(" -–")
        if public_title and name.endswith(public_title)
        else name,
        "brand": clean_text(product.get("vendor")),
        "price": _price(first.get("price")),
        "currency": None,
        "sizes": [
            {"name": size, "available": None}  # the summary does not say which are sold out
            for size in unique(value for values in options for value in values if looks_like_size(value))
        ],
        "colors": unique(
            value for values in options if len(values) > 1 for value in values if not looks_like_size(value)
        ),
        "product_type": clean_text(product.get("type")),
    }


def _available(item):
    return item.get("available") is not False


def _selected_variant(variants, page_url):
    """The variant whose id is the URL's `variant` parameter, or None."""
    chosen = dict(parse_qsl(urlsplit(page_url or "").query)).get("variant")
    return next((variant for variant in variants if chosen and str(variant.get("id")) == chosen), None)


def _variant_description(variant):
    """(ids, links, option values) of a Shopify variant, for Selection.choose."""
    options = [variant.get(key) for key in ("option1", "option2", "option3")]
    return [variant.get("id"), variant.get("sku")], [], [value for value in options if isinstance(value, str)]


def _analytics_product(page):
    meta = page.script_assignments.get("meta") or page.script_assignments.get("ShopifyAnalytics.meta")
    product = meta.get("product") if isinstance(meta, dict) else None
    return product if isinstance(product, dict) and isinstance(product.get("variants"), list) else None


def _product_objects(document, depth=0):
    if depth > 4:
        return []
    if isinstance(document, dict):
        if isinstance(document.get("variants"), list) and "handle" in document:
            return [document]
        return [
            found
            for value in document.values()
            if isinstance(value, (dict, list))
            for found in _product_objects(value, depth + 1)
        ]
    if isinstance(document, list):
        return [found for value in document[:50] for found in _product_objects(value, depth + 1)]
    return []


def _fetched_product(url, fetch_json):
    if fetch_json is None or not product_handle(url):
        return None
    document = fetch_json(product_json_url(url))
    return document if isinstance(document, dict) and isinstance(document.get("variants"), list) else None


def _option_key(options, pattern):
    index = next(
        (i for i, name in enumerate(options) if isinstance(name, str) and pattern.search(name)), None
    )
    return f"option{index + 1}" if index is not None and index < 3 else None


def _option_values(variants, key, with_availability=False):
    values = {}
    for variant in variants:
        value = clean_text(variant.get(key))
        if value:
            values[value] = values.get(value, False) or variant.get("available", True) is not False
    if with_availability:
        return [{"name": name, "available": available} for name, available in values.items()]
    return list(values)


def _price(value):
    """Shopify's .js JSON gives integer cents (11700); the .json flavour gives "117.00"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return plausible_price(value / 100) if 0 < value <= MAX_PRICE * 100 else None
    text = str(value).strip()
    if _DIGITS.fullmatch(text):
        return _price(int(text)) if len(text) <= _CENTS_DIGITS else None
    try:
        return plausible_price(float(text))
    except ValueError:
        return None
