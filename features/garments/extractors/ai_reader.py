"""The last extraction layer: a cheap Gemini text model reads what the other layers left empty.

Only when GEMINI_API_KEY is set and PRODUCT_AI_READER is not "off", and only for a page where the
heuristics found a product but left some fields empty. One call per page: the model gets a reduced
page (the visible text around the main heading, the JSON-LD and app-state snippets, the page's
image URLs; at most PRODUCT_AI_READER_MAX_INPUT_TOKENS) and answers through a response schema
listing just the empty fields. Its answer is validated like any other layer's (a price must parse,
an image URL must be absolute and on the page, a colour, brand, SKU or GTIN must be written on the
page, availability is InStock or OutOfStock), and what survives is marked "ai" in field_sources.
A timeout, an exhausted quota, a refusal or an answer that is not the schema's JSON is logged and
the page is answered from the heuristics alone: the reader never makes a page fail.
"""

import json
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from google.genai import types

from features.garments.extractors.fabric import parse_composition
from features.garments.extractors.values import (
    absolute_url,
    clean_text,
    large_image_url,
    parse_currency,
    parse_price,
)
from shared.ai_models.errors import ImageModelError
from shared.ai_models.gemini_client import ModelChoice, answer_text, process_client
from shared.logger import get_logger

SOURCE = "ai"
CHARS_PER_TOKEN = 4  # a rough average for page text; the budget is a bound, not a bill
MAX_OUTPUT_TOKENS = 1024
_IMAGE_CANDIDATES = 30
_TEXT_BEFORE_HEADING = 0.2  # share of the visible-text window taken from before the main heading
_AVAILABILITY = ("InStock", "OutOfStock")
_MIN_TIMEOUT_SECONDS = 1.0
_MAX_TEXT = {"title": 300, "brand": 80, "description": 5000, "sku": 64, "color": 40}
_STRING = {"type": "STRING", "nullable": True}
# What may be asked, with what the model is told about it.
FIELDS = {
    "title": (_STRING, "the product's name as the page states it"),
    "brand": (_STRING, "the brand or maker of the product"),
    "price": (
        _STRING,
        "the price a shopper pays now, as written on the page with its currency symbol or code",
    ),
    "list_price": (_STRING, "the original price only when the page shows it crossed out beside a lower one"),
    "currency": (_STRING, "the ISO 4217 code of the price's currency"),
    "sku": (_STRING, "the product's own article number or SKU as written on the page"),
    "gtin": (_STRING, "the GTIN/EAN/UPC barcode number when the page gives one"),
    "availability": (
        {"type": "STRING", "nullable": True, "enum": list(_AVAILABILITY)},
        "InStock or OutOfStock for the product the page shows",
    ),
    "colors": ({"type": "ARRAY", "items": {"type": "STRING"}}, "the colour names offered, as written"),
    "fabric": (_STRING, "the material composition as written (e.g. '95% cotton, 5% elastane')"),
    "description": (_STRING, "the product's description text"),
    "images": (
        {"type": "ARRAY", "items": {"type": "STRING"}},
        "URLs of the product's own photos, taken from the image list below",
    ),
}
PROMPT = (
    "You read one product page of an online shop for a shopping app. From the page excerpt below, give "
    "the fields of the JSON schema for the main product of the page, exactly as the page states them. "
    "Use null (or an empty list) for anything the page does not state; never guess or invent a value.\n"
    "Fields:\n{fields}\n\nPage URL: {url}\n\n{page}"
)

_log = get_logger("garments.ai_reader")


@dataclass(frozen=True)
class PageReading:
    """What the reader needs of a page, made where the page was parsed (an extraction worker): the fields
    to ask for, the reduced page the model reads, and the page's visible text and image URLs to check
    the answer against."""

    url: str
    base_url: str
    wanted: tuple
    excerpt: str
    visible: str
    images: tuple


def wanted_fields(product):
    """The fields the reader may fill that the layers left empty."""
    return [name for name in FIELDS if name in product and product[name] in (None, "", [], {})]


def page_reading(page, wanted, max_chars):
    """The page reduced for the model: visible text around the main heading (half of max_chars), the
    JSON-LD and app-state snippets (a quarter each, cut to length) and the page's image URLs."""
    visible = _visible_text(page)
    images = _image_candidates(page)
    sections = [
        ("Visible text around the main heading", _text_near_heading(page, visible, max_chars // 2)),
        ("JSON-LD", _snippets(page.json_ld, max_chars // 4)),
        (
            "App state",
            _snippets(
                [document for _, document in page.json_scripts] + list(page.script_assignments.values()),
                max_chars // 4,
            ),
        ),
        ("Images on the page", "\n".join(images)),
    ]
    excerpt = "\n\n".join(f"== {title} ==\n{body}" for title, body in sections if body)
    return PageReading(
        url=page.url,
        base_url=page.base_url,
        wanted=tuple(wanted),
        excerpt=excerpt,
        visible=visible.casefold(),
        images=tuple(images),
    )


class ProductAIReader:
    """On the process's GeminiClient (shared/ai_models/gemini_client.py: retries, typed errors, model discovery
    over PRODUCT_AI_READER_MODEL, an ordered list like every Gemini model setting)."""

    def __init__(self, *, client, model_names, timeout_seconds=15.0, max_input_tokens=3000):
        self.timeout_seconds = timeout_seconds
        self.max_chars = max_input_tokens * CHARS_PER_TOKEN
        self._client = client
        self._models = ModelChoice(client, model_names, draws_images=False)
        self._models.check()

    def complete(self, reading, product, *, html, deadline=None):
        """The product with the empty fields the model could read from the page filled in; the call ends
        by PRODUCT_AI_READER_TIMEOUT_SECONDS and by `deadline` (time.monotonic()), whichever comes first."""
        timeout = min(self.timeout_seconds, (deadline or math.inf) - time.monotonic())
        if timeout < _MIN_TIMEOUT_SECONDS:
            _log.warning("AI reader: skipped for %s, no time left before the deadline", reading.url)
            return product
        answer = self._ask(reading, timeout)
        try:
            found = validated(answer, reading, (html or "").casefold()) if answer else {}
            if "price" in found and "currency" not in found and not product.get("currency"):
                found["currency"] = parse_currency(answer.get("price"))
        except Exception:  # noqa: BLE001 - the model's answer is outside input: whatever it holds, the page is answered
            _log.exception("AI reader: its answer for %s could not be checked", reading.url)
            return product
        found = {name: value for name, value in found.items() if value}
        if not found:
            return product
        return {
            **product,
            **found,
            "field_sources": {**product.get("field_sources", {}), **{name: SOURCE for name in found}},
        }

    def _ask(self, reading, timeout):
        """The model's answer as a dict, or None (logged) when there is no usable answer."""
        prompt = PROMPT.format(
            fields="\n".join(f"- {name}: {FIELDS[name][1]}" for name in reading.wanted),
            url=reading.url,
            page=reading.excerpt,
        )
        schema = {"type": "OBJECT", "properties": {name: FIELDS[name][0] for name in reading.wanted}}
        config = types.GenerateContentConfig(
            response_mime_type="application/json",
            response_schema=schema,
            max_output_tokens=MAX_OUTPUT_TOKENS,
            temperature=0,
        )
        try:
            answer = json.loads(
                answer_text(
                    self._client.generate(
                        models=self._models, contents=prompt, config=config, timeout_seconds=timeout
                    )
                )
            )
        except ImageModelError as error:
            _log.warning(
                "AI reader: no answer for %s (%s)",
                reading.url,
                error.code,
                extra={"upstream": error.details.get("upstream")},
            )
            return None
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            _log.warning("AI reader: no JSON object answered for %s", reading.url)
            return None
        return answer


@lru_cache(maxsize=4)
def _reader(client, model_names, timeout_seconds, max_input_tokens):
    return ProductAIReader(
        client=client,
        model_names=model_names.split(","),
        timeout_seconds=timeout_seconds,
        max_input_tokens=max_input_tokens,
    )


def reader_for(settings):
    """The reader for these settings (one per configuration, kept for the process), or None when off."""
    if not settings.GEMINI_API_KEY or settings.PRODUCT_AI_READER.strip().lower() == "off":
        return None
    return _reader(
        process_client(settings),
        settings.PRODUCT_AI_READER_MODEL,
        settings.PRODUCT_AI_READER_TIMEOUT_SECONDS,
        settings.PRODUCT_AI_READER_MAX_INPUT_TOKENS,
    )


def _visible_text(page):
    nodes = page.tree.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) "
        "and not(ancestor::noscript) and not(ancestor::template)]"
    )
    return " ".join(" ".join(nodes).split())


def _text_near_heading(page, visible, chars):
    heading = next(
        (clean_text(h1.text_content()) for h1 in page.tree.iter("h1") if clean_text(h1.text_content())), None
    )
    at = visible.find(heading) if heading else -1
    start = max(0, at - int(chars * _TEXT_BEFORE_HEADING)) if at >= 0 else 0
    return visible[start : start + chars]


def _snippets(documents, chars):
    pieces, left = [], chars
    for document in documents:
        if left <= 0:
            break
        piece = json.dumps(document, ensure_ascii=False, separators=(",", ":"))[:left]
        pieces.append(piece)
        left -= len(piece)
    return "\n".join(pieces)


def _image_candidates(page):
    found = []
    for element in page.tree.iter("img"):
        for attribute in ("src", "data-src", "data-zoom-image", "data-large_image"):
            url = large_image_url(element.get(attribute), page.base_url)
            if url and url not in found:
                found.append(url)
        if len(found) >= _IMAGE_CANDIDATES:
            break
    og_image = large_image_url(page.meta_value("og:image"), page.base_url)
    return ([og_image] if og_image and og_image not in found else []) + found[:_IMAGE_CANDIDATES]


def validated(answer, reading, raw):
    """The answer's values that pass the same checks as any layer's, by product field (`raw`: the page's
    HTML, case-folded)."""
    found = {}
    for name in reading.wanted:
        value = _VALIDATORS[name](answer.get(name), reading=reading, raw=raw)
        if value not in (None, "", []):
            found[name] = value
    if "list_price" in found and "price" in found and found["list_price"] <= found["price"]:
        del found["list_price"]
    return found


def _text(limit, on_page=False):
    def check(value, *, reading, raw):
        text = clean_text(value) if isinstance(value, str) else None
        if (
            not text
            or len(text) > limit
            or (on_page and text.casefold() not in raw and text.casefold() not in reading.visible)
        ):
            return None
        return text

    return check


def _price(value, **_):
    price = parse_price(value) if isinstance(value, str) else None
    return round(price, 2) if price is not None and math.isfinite(price) and 0 < price < 1_000_000 else None


def _currency(value, **_):
    return parse_currency(value) if isinstance(value, str) and len(value.strip()) == 3 else None


def _gtin(value, *, raw, **_):
    digits = value.strip() if isinstance(value, str) else ""
    return digits if digits.isdigit() and len(digits) in (8, 12, 13, 14) and digits in raw else None


def _availability(value, **_):
    return value if value in _AVAILABILITY else None


def _colors(value, *, reading, raw):
    if not isinstance(value, list):
        return None
    check = _text(_MAX_TEXT["color"], on_page=True)
    colors = [color for color in (check(item, reading=reading, raw=raw) for item in value) if color]
    return list(dict.fromkeys(colors))


def _fabric(value, *, reading, **_):
    text = clean_text(value) if isinstance(value, str) else None
    return parse_composition(text) if text and text.casefold() in reading.visible else None


def _images(value, *, reading, raw):
    if not isinstance(value, list):
        return None
    urls = [absolute_url(item, reading.base_url) for item in value if isinstance(item, str) and item.strip()]
    return list(
        dict.fromkeys(
            url
            for url in urls
            if url
            and url.startswith(("http://", "https://"))
            and (url in reading.images or url.casefold() in raw)
        )
    )


_VALIDATORS = {
    "title": _text(_MAX_TEXT["title"]),
    "brand": _text(_MAX_TEXT["brand"], on_page=True),
    "price": _price,
    "list_price": _price,
    "currency": _currency,
    "sku": _text(_MAX_TEXT["sku"], on_page=True),
    "gtin": _gtin,
    "availability": _availability,
    "colors": _colors,
    "fabric": _fabric,
    "description": _text(_MAX_TEXT["description"]),
    "images": _images,
}
