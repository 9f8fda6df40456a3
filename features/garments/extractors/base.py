"""BrandExtractor: reads a product page in layers and merges them into one normalised product.

Each layer (JSON-LD, microdata, embedded app state, meta tags, plain HTML, shop-specific state)
returns the fields it can see. The merge takes each field from the most trustworthy layer that has
it and records that layer in `field_sources`, so a wrong value can be traced to where it came from.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlsplit

from features.garments.extractors.html_heuristics import description_block, fabric_from_text, gallery_images
from shared.garment_utils import categorize
from shared.text_patterns import compile_pattern

# Which layer to believe first, per field. "shop" is the shop-specific layer of a brand extractor.
FIELD_PRIORITY = {
    "title": ("json-ld", "microdata", "shop", "app-state", "meta", "html"),
    "brand": ("json-ld", "microdata", "shop", "meta", "app-state", "html", "site"),
    "price": ("shop", "json-ld", "microdata", "meta", "app-state", "html"),
    "sizes": ("shop", "app-state", "json-ld", "microdata", "html"),
    "colors": ("shop", "app-state", "json-ld", "microdata", "meta", "html"),
    "fabric": ("shop", "app-state", "json-ld", "microdata", "html"),
    "description": ("shop", "json-ld", "microdata", "app-state", "meta", "html"),
    "breadcrumbs": ("json-ld", "microdata", "shop", "app-state", "html"),
    "product_type": ("shop", "json-ld", "microdata", "app-state", "meta"),
    "canonical_url": ("meta", "shop", "json-ld"),
    "size_chart": ("shop", "html"),
}
STRUCTURED_LAYERS = ("shop", "app-state", "json-ld", "microdata")
_BRAND_WORD = compile_pattern(r"[^\W_]+")
_BRAND_WORDS = 8  # longer "brands" are sentences; their first words are enough to find them
IMAGE_LIMIT = 24


@dataclass(frozen=True)
class Findings:
    """What one layer saw: `kind` ranks it (see FIELD_PRIORITY), `source` names it in field_sources."""

    kind: str
    source: str
    fields: dict


class BrandExtractor(ABC):
    """Base of all extractors: subclasses say which pages they handle and which layers they read."""

    name = "base"
    domains = ()

    @classmethod
    def matches_url(cls, url):
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in cls.domains)

    @classmethod
    def matches_page(cls, page):
        return False

    @abstractmethod
    def read_layers(self, page, fetch_json=None):
        """Findings of every layer this extractor reads, in any order."""

    def extract(self, page, fetch_json=None):
        """The normalised product on the page, or None when the page shows no product."""
        findings = [finding for finding in self.read_layers(page, fetch_json) if finding.fields]
        fields, sources = merge(findings)
        if not _is_product(fields, sources, page):
            return None
        _fill_from_page(fields, sources, page, findings)
        category = _categorize(fields, page)
        return {
            "title": fields.get("title"),
            "brand": fields.get("brand"),
            "price": round(fields["price"], 2) if fields.get("price") else None,
            "currency": fields.get("currency") if fields.get("price") else None,
            "images": (fields.get("images") or [])[:IMAGE_LIMIT],
            "sizes": fields.get("sizes") or [],
            "colors": fields.get("colors") or [],
            "fabric": fields.get("fabric") or [],
            "description": fields.get("description"),
            "category": category["category"],
            "wardrobe_category": category["wardrobe_category"],
            "category_section": category["category_section"],
            "garment_type": category["garment_type"],
            "size_chart": fields.get("size_chart"),
            "source_url": page.url,
            "canonical_url": fields.get("canonical_url") or page.url,
            "extractor": self.name,
            "field_sources": sources,
        }


def _fill_from_page(fields, sources, page, findings):
    """What no layer had, read from the page only then (it costs a pass over the page): the page's own
    description block, fabric stated in a description (the first layer's that states one, that block
    last) and a gallery found by the final title."""
    if not fields.get("description"):
        block = description_block(page)
        if block:
            fields["description"], sources["description"] = block, "html"
    if not fields.get("fabric"):
        fabric = next((found for text in _descriptions(findings, page) if (found := fabric_from_text(text))), [])
        if fabric:
            fields["fabric"], sources["fabric"] = fabric, "description"
    if not fields.get("images"):
        images = gallery_images(page, fields["title"])
        if images:
            fields["images"], sources["images"] = images, "html"


def _descriptions(findings, page):
    """Each layer's description, best first, then the page's description block (read only if reached)."""
    for finding in _ordered(findings, FIELD_PRIORITY["description"]):
        yield finding.fields.get("description")
    yield description_block(page)


def _categorize(fields, page):
    brand = fields.get("brand")
    return categorize(title=_without_brand(fields.get("title"), brand), description=fields.get("description"),
                      breadcrumbs=[_without_brand(crumb, brand) for crumb in fields.get("breadcrumbs") or []],
                      product_type=fields.get("product_type"),
                      url=_without_brand(fields.get("canonical_url") or page.url, brand))


def _without_brand(text, brand):
    """The text without the brand's name, which can look like a garment ("Tommy Jeans", "Jack & Jones"):
    each run of the brand's words in order, whatever separates them, in any case. Words are compared one
    by one rather than through a pattern built from the page, so a long brand costs no more than its
    first few words."""
    words = [word.casefold() for word in _BRAND_WORD.findall(brand or "")][:_BRAND_WORDS]
    if not text or not words:
        return text
    spans = [match.span() for match in _BRAND_WORD.finditer(text)]
    pieces, last, index = [], 0, 0
    while index + len(words) <= len(spans):
        if all(text[start:end].casefold() == word for (start, end), word in zip(spans[index:], words)):
            pieces += [text[last:spans[index][0]], " "]
            last, index = spans[index + len(words) - 1][1], index + len(words)
        else:
            index += 1
    return "".join(pieces) + text[last:]


def merge(findings):
    """(fields, field_sources): each field from the highest-priority layer that has a value."""
    fields, sources = {}, {}
    for field, order in FIELD_PRIORITY.items():
        for finding in _ordered(findings, order):
            value = finding.fields.get(field)
            if value not in (None, "", [], {}):
                fields[field], sources[field] = value, finding.source
                break
    _merge_price(findings, fields, sources)
    _merge_images(findings, fields, sources)
    return fields, sources


def _ordered(findings, order):
    rank = {kind: index for index, kind in enumerate(order)}
    return sorted((f for f in findings if f.kind in rank), key=lambda f: rank[f.kind])


def _merge_price(findings, fields, sources):
    """The currency comes with the price it belongs to; another layer's currency only as a fallback."""
    priced = next((f for f in _ordered(findings, FIELD_PRIORITY["price"]) if f.fields.get("price")), None)
    if priced is None:
        return
    fields["price"], sources["price"] = priced.fields["price"], priced.source
    currency_from = priced if priced.fields.get("currency") else next(
        (f for f in _ordered(findings, FIELD_PRIORITY["price"]) if f.fields.get("currency")), None)
    if currency_from is not None:
        fields["currency"], sources["currency"] = currency_from.fields["currency"], currency_from.source


def _merge_images(findings, fields, sources):
    """The structured layer with the most images wins (a single og:image is a thumbnail, not a gallery);
    the page's gallery is used when structured data has fewer than two."""
    structured = [f for f in _ordered(findings, STRUCTURED_LAYERS) if f.fields.get("images")]
    best = max(structured, key=lambda f: len(f.fields["images"]), default=None)
    if best is None or len(best.fields["images"]) < 2:
        others = [f for f in _ordered(findings, ("html", "meta")) if f.fields.get("images")]
        best = max([f for f in [best, *others] if f], key=lambda f: len(f.fields["images"]), default=None)
    if best is not None:
        fields["images"], sources["images"] = best.fields["images"], best.source


def _is_product(fields, sources, page):
    """A title from structured data, or a titled page that states a price as a product page."""
    if not fields.get("title"):
        return False
    if sources["title"] not in ("meta", "html"):
        return True
    declared_product = "product" in (page.meta_value("og:type") or "").lower()
    return bool(fields.get("price")) and (declared_product or sources.get("price") != "html")
