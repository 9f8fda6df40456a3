"""ZaraExtractor: Zara's JSON-LD plus the product state its page script embeds.

`window.zara.viewPayload` (older pages: `window.zara.dataLayer`, then `viewPayload = dataLayer`)
holds per-colour sizes with availability, images as `xmedia` path fragments or URLs with a
`{width}` placeholder, prices in minor units and the detailed composition.
"""

from urllib.parse import parse_qs, urlsplit

from features.garments.extractors.base import Findings, isolated
from features.garments.extractors.default import DefaultExtractor
from features.garments.extractors.fabric import from_components
from features.garments.extractors.values import (
    MAX_PRICE,
    absolute_url,
    clean_multiline,
    clean_text,
    parse_currency,
    plausible_price,
    unique,
)

IMAGE_WIDTH = 1920
_AVAILABLE = {"in_stock", "low_on_stock"}
_STATE_NAMES = ("zara.viewPayload", "zara.dataLayer")


class ZaraExtractor(DefaultExtractor):
    name = "zara"
    domains = ("zara.com", "zara.net")

    @classmethod
    def matches_page(cls, page):
        return any(name in page.script_assignments for name in _STATE_NAMES)

    def read_layers(self, page, fetch_json=None):
        return [
            Findings("shop", "zara-state", isolated(page, "zara", lambda: read_zara_page(page))),
            *super().read_layers(page, fetch_json),
        ]


def read_zara_page(page):
    """Fields of the product in the page's Zara state; {} without one."""
    state = next(
        (page.script_assignments[name] for name in _STATE_NAMES if name in page.script_assignments), {}
    )
    product = state.get("product") if isinstance(state, dict) else None
    return read_zara_product(product, page.url) if isinstance(product, dict) else {}


def read_zara_product(product, page_url):
    """Fields of a Zara product state object, for the colour the URL selects (`v1`) or the first."""
    detail = product.get("detail") if isinstance(product.get("detail"), dict) else {}
    colors = [color for color in detail.get("colors") or [] if isinstance(color, dict)]
    selected = _selected_color(colors, page_url)
    price, currency = _price(product, detail, selected)
    return {
        "title": clean_text(product.get("name")),
        "brand": _brand(product),
        "price": price,
        "currency": currency,
        "description": clean_multiline(
            selected.get("description") or detail.get("description") or product.get("description")
        ),
        "images": unique(
            url for media in selected.get("xmedia") or [] if (url := _image_url(media, page_url))
        ),
        "sizes": [
            {"name": size["name"], "available": size.get("availability") in _AVAILABLE}
            for size in selected.get("sizes") or []
            if isinstance(size, dict) and clean_text(size.get("name"))
        ],
        "colors": unique(clean_text(color.get("name")) for color in [selected, *colors]),
        "fabric": _composition(selected.get("detailedComposition") or detail.get("detailedComposition")),
        "product_type": clean_text(product.get("familyName") or product.get("subfamilyName")),
    }


def _brand(product):
    brand = product.get("brand")
    code = clean_text(brand.get("brandGroupCode")) if isinstance(brand, dict) else None
    return code.upper() if code else None


def _selected_color(colors, page_url):
    wanted = parse_qs(urlsplit(page_url).query).get("v1", [None])[0]
    return next(
        (color for color in colors if str(color.get("productId")) == wanted), colors[0] if colors else {}
    )


def _price(product, detail, color):
    """Prices are in minor units: `pricing.price` carries its exponent, plain `price` means cents."""
    pricing = (detail.get("pricing") or color.get("pricing") or {}).get("price")
    if isinstance(pricing, dict) and isinstance(pricing.get("value"), (int, float)):
        currency = pricing.get("currency") if isinstance(pricing.get("currency"), dict) else {}
        exponent = currency.get("exponent")
        exponent = exponent if isinstance(exponent, int) and -4 <= exponent <= 0 else -2
        return _minor_units(pricing["value"], exponent), parse_currency(currency.get("code"))
    minor = color.get("price") or product.get("price")
    return _minor_units(minor, -2), None


def _minor_units(amount, exponent):
    """amount × 10^exponent when that is a price (never a float overflow on an absurd amount), else None."""
    if (
        isinstance(amount, bool)
        or not isinstance(amount, (int, float))
        or not 0 < amount <= MAX_PRICE * 10**4
    ):
        return None
    return plausible_price(amount * 10**exponent)


def _image_url(media, page_url):
    if (
        not isinstance(media, dict)
        or media.get("type", "image") != "image"
        or media.get("kind") == "colorcut"
    ):
        return None
    if isinstance(media.get("url"), str):
        return absolute_url(media["url"].replace("{width}", str(IMAGE_WIDTH)), page_url)
    if media.get("path") and media.get("name"):
        url = f"https://static.zara.net/photos//{media['path']}/w/{IMAGE_WIDTH}/{media['name']}.jpg"
        return f"{url}?ts={media['timestamp']}" if media.get("timestamp") else url
    return None


def _composition(detailed):
    parts = (detailed or {}).get("parts") if isinstance(detailed, dict) else None
    components = [
        component
        for part in parts or []
        if isinstance(part, dict)
        for component in part.get("components") or []
        if isinstance(component, dict)
    ]
    return from_components(components)
