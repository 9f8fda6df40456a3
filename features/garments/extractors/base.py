"""BrandExtractor: reads a product page in layers and merges them into one normalised product.

Each layer (JSON-LD, microdata, embedded app state, meta tags, plain HTML, shop-specific state)
returns the fields it can see. The merge takes each field from the most trustworthy layer that has
it and records that layer in `field_sources`, so a wrong value can be traced to where it came from.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from features.garments.categorizer import UNKNOWN_CATEGORY, categorize
from features.garments.extractors.html_heuristics import (
    description_block,
    fabric_from_text,
    gallery_images,
    images_beside_heading,
)
from features.garments.extractors.values import in_url, is_color_name
from shared.logger import get_logger
from shared.text_patterns import compile_pattern

log = get_logger("garments.extractors")

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
    "sku": ("shop", "json-ld", "microdata", "app-state", "meta", "html", "analytics", "url"),
    "mpn": ("shop", "json-ld", "microdata", "app-state", "meta", "html"),
    "gtin": ("shop", "json-ld", "microdata", "app-state", "meta", "html"),
    "availability": ("shop", "json-ld", "microdata", "app-state", "meta", "html"),
}
# The fields of every product answer (a cached answer without one of them was written by an older version).
PRODUCT_FIELDS = frozenset(
    {
        "title",
        "brand",
        "price",
        "list_price",
        "currency",
        "sku",
        "gtin",
        "availability",
        "images",
        "sizes",
        "colors",
        "fabric",
        "description",
        "category",
        "wardrobe_category",
        "category_section",
        "garment_type",
        "size_chart",
        "source_url",
        "canonical_url",
        "extractor",
        "field_sources",
    }
)
STRUCTURED_LAYERS = ("shop", "app-state", "json-ld", "microdata")
_AVAILABILITY_NAMES = {True: "InStock", False: "OutOfStock"}
_LIST_PRICE_LIMIT = 10  # a crossed-out price more than ten times the price is another amount (often in cents)
_BRAND_WORD = compile_pattern(r"[^\W_]+")
_BRAND_WORDS = 8  # longer "brands" are sentences; their first words are enough to find them
IMAGE_LIMIT = 24
_URL_CODE_REST = 5  # characters of a URL's code left after a shop's prefix letter: fewer make no code
_PRINTED_WORDS = 3  # "992 775 08": a code printed in groups spans a few words
_WORD_PUNCTUATION = ":;,.()[]{}\"'«»#/-"
_FEED_ID_DIGITS = 6  # a number this long inside a catalogue key is a database's id
_NO_SEPARATORS = str.maketrans("", "", " .-/_\u00a0")
_FILE_NAME_PART = compile_pattern(r"[-_~+,.]")
# What stands around a number the page names as a value ("…", '…', >…<, : …,) rather than inside a URL or a word.
_VALUE_BEFORE = frozenset("\"'>: \t\n([,")
_VALUE_AFTER = frozenset("\"'<, \t\n)];}")


def isolated(page, layer, read, fallback=None):
    """`read()`, or `fallback` when it raises: the failure is logged with the page's URL and the layer's
    name, and the page is still read by every other layer (one layer's bug never costs the answer)."""
    try:
        return read()
    except Exception:  # whatever the bug, it is this layer's alone
        log.warning("product layer failed", extra={"url": page.url, "layer": layer}, exc_info=True)
        return {} if fallback is None else fallback


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
        fields, sources = merge(findings, page)
        if not _is_product(fields, sources, page, findings):
            return None
        _fill_from_page(fields, sources, page, findings)
        category = isolated(page, "category", lambda: _categorize(fields, page), UNKNOWN_CATEGORY)
        return {
            "title": fields.get("title"),
            "brand": fields.get("brand"),
            "price": round(fields["price"], 2) if fields.get("price") else None,
            "list_price": round(fields["list_price"], 2) if fields.get("list_price") else None,
            "currency": fields.get("currency") if fields.get("price") else None,
            "sku": fields.get("sku"),
            "gtin": fields.get("gtin"),
            "availability": _AVAILABILITY_NAMES.get(fields.get("availability")),
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
    last) and a gallery found by the final title, else the images beside the main heading."""
    if not fields.get("description"):
        block = isolated(page, "description-block", lambda: description_block(page), "")
        if block:
            fields["description"], sources["description"] = block, "html"
    if not fields.get("fabric"):
        fabric = isolated(
            page,
            "description-fabric",
            lambda: next(
                (found for text in _descriptions(findings, page) if (found := fabric_from_text(text))), []
            ),
            [],
        )
        if fabric:
            fields["fabric"], sources["fabric"] = fabric, "description"
    if not fields.get("images"):
        images = isolated(
            page, "gallery", lambda: gallery_images(page, fields["title"]) or images_beside_heading(page), []
        )
        if images:
            fields["images"], sources["images"] = images, "html"


def _descriptions(findings, page):
    """Each layer's description, best first, then the page's description block (read only if reached)."""
    for finding in _ordered(findings, FIELD_PRIORITY["description"]):
        yield finding.fields.get("description")
    yield description_block(page)


def _categorize(fields, page):
    brand = fields.get("brand")
    return categorize(
        title=_without_brand(fields.get("title"), brand),
        description=fields.get("description"),
        breadcrumbs=[_without_brand(crumb, brand) for crumb in fields.get("breadcrumbs") or []],
        product_type=fields.get("product_type"),
        url=_without_brand(fields.get("canonical_url") or page.url, brand),
    )


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
            pieces += [text[last : spans[index][0]], " "]
            last, index = spans[index + len(words) - 1][1], index + len(words)
        else:
            index += 1
    return "".join(pieces) + text[last:]


def merge(findings, page=None):
    """(fields, field_sources): each field from the highest-priority layer that has a value; the SKU by the layers'
    agreement (see _merge_sku), with the page telling which code it prints when they disagree."""
    fields, sources = {}, {}
    for field, order in FIELD_PRIORITY.items():
        for finding in _ordered(findings, order):
            value = finding.fields.get(field)
            if field == "colors" and isinstance(value, list):
                value = [color for color in value if is_color_name(color)]
            if value not in (None, "", [], {}):
                fields[field], sources[field] = value, finding.source
                break
    _merge_price(findings, fields, sources)
    _merge_images(findings, fields, sources)
    _merge_sku(findings, fields, sources, page)
    _selected_variant_availability(findings, fields, sources)
    _unpriced_offer_stock(findings, fields, sources)
    _infer_availability(fields, sources)
    return fields, sources


def _ordered(findings, order):
    rank = {kind: index for index, kind in enumerate(order)}
    return sorted((f for f in findings if f.kind in rank), key=lambda f: rank[f.kind])


def _merge_price(findings, fields, sources):
    """The currency and the list price come with the price they belong to; another layer's currency only as a
    fallback, and its list price only when it is above the price (a crossed-out price is the higher one), up to
    ten times it."""
    ordered = _ordered(findings, FIELD_PRIORITY["price"])
    priced = next((f for f in ordered if f.fields.get("price")), None)
    if priced is None:
        return
    priced = _shown_price(ordered, priced)
    price = fields["price"] = priced.fields["price"]
    sources["price"] = priced.source
    currency_from = (
        priced
        if priced.fields.get("currency")
        else next((f for f in ordered if f.fields.get("currency")), None)
    )
    if currency_from is not None:
        fields["currency"], sources["currency"] = currency_from.fields["currency"], currency_from.source
    listed = next(
        (
            f
            for f in [priced, *ordered]
            if price < (f.fields.get("list_price") or 0) <= _LIST_PRICE_LIMIT * price
        ),
        None,
    )
    if listed is not None:
        fields["list_price"], sources["list_price"] = listed.fields["list_price"], listed.source


def _shown_price(ordered, priced):
    """The layer whose price to believe when the page's buy box shows another one than the data states: the data
    lags behind when the page crosses out the data's price beside a lower one, or when the data's offer has expired
    (`priceValidUntil` passed) and another layer states the price the buy box shows (a date alone proves little:
    shops leave old dates in place, and archived pages carry them all)."""
    visible = next(
        (f for f in ordered if f.kind == "html" and f.fields.get("price") and f.fields.get("for_sale")), None
    )
    if visible is None or priced is visible:
        return priced
    stated, shown = priced.fields["price"], visible.fields["price"]
    if abs((visible.fields.get("list_price") or 0) - stated) < 0.01 and shown < stated:
        return visible
    if priced.fields.get("price_expired") and abs(shown - stated) >= 0.01:
        return next(
            (f for f in ordered if f is not visible and abs((f.fields.get("price") or 0) - shown) < 0.01),
            priced,
        )
    return priced


def _selected_variant_availability(findings, fields, sources):
    """The stock of the variant the page shows selected, when the layers that read it agree, over the stock another
    layer states for the product as a whole (in stock when any variant is)."""
    stated = {}
    for finding in _ordered(findings, FIELD_PRIORITY["availability"]):
        if finding.fields.get("variant_availability") is not None:
            stated.setdefault(finding.fields["variant_availability"], finding)
    if len(stated) == 1:
        ((available, finding),) = stated.items()
        fields["availability"], sources["availability"] = available, finding.source


def _unpriced_offer_stock(findings, fields, sources):
    """The stock the visible buy box states over the stock of a schema.org offer without a price (`"price": "0"` or
    none: a placeholder the page's template fills, not an offer a shopper can take): the buy box shows whether the
    product can be bought (a usable add-to-cart control, a sold-out message)."""
    chosen = next((f for f in findings if f.source == sources.get("availability")), None)
    if (
        chosen is None
        or chosen.kind not in ("json-ld", "microdata")
        or chosen.fields.get("price")
        or chosen.fields.get("variant_availability") is not None
    ):
        return
    visible = next(
        (
            f
            for f in findings
            if f.kind == "html" and f.fields.get("for_sale") and f.fields.get("availability") is not None
        ),
        None,
    )
    if visible is not None:
        fields["availability"], sources["availability"] = visible.fields["availability"], visible.source


def _infer_availability(fields, sources):
    """Stock no layer states, as a shopper reads it: in stock when a size is, sold out when every size is, and
    otherwise in stock when the page offers the product at a price with nothing saying it is sold out."""
    if fields.get("availability") is not None:
        return
    flags = [size.get("available") for size in fields.get("sizes") or [] if isinstance(size, dict)]
    if flags and all(flag is not None for flag in flags):
        fields["availability"], sources["availability"] = any(flags), "sizes"
    elif fields.get("price"):
        fields["availability"], sources["availability"] = True, "price"


def _merge_sku(findings, fields, sources, page):
    """The product's own code, or none rather than a wrong one. Each layer that states a code votes for it (each
    kind of layer once; codes compared without case or separators, so "603.471.02" is "60347102"), and the page URL
    seconds the vote for a code it carries: its own code read from it (shops put a letter or two before it there:
    "/p/s99277508"), or a voted code of 5 characters or more standing in it as a part of its own
    ("/adilette-pool-slides-ad542b1o1-q11.html").
    A code that stands on nothing a shopper sees (see _unfounded) votes only where the page prints it or the URL
    names it. A code the buy box prints under a label wins unless structured data states another (see
    _labelled_code), then the code of the variant the page shows selected (see _selected_variant_code); otherwise
    the code with the most votes wins; on a tie the one the page prints for the shopper
    wins, and when the page prints none of them, or more than one, there is no SKU. With no code stated, the URL's
    code as the page prints it ("992.775.08" for "s99277508"), as the URL gives it when a query parameter names it as
    the product's (`?pid=260591`), a number the page names as a value of its own (see _mentions_number) or the code
    the product's photos are named by (see _names_photos): a code
    inside a path or slug is as often a word or a shop's internal id the page never uses. The maker's part number
    (mpn) stands in last: it is the maker's code, and the seller's own comes first."""
    mpn, mpn_source = fields.pop("mpn", None), sources.pop("mpn", None)
    fields.pop("sku", None), sources.pop("sku", None)
    votes, url_finding = {}, None
    for finding in _ordered(findings, FIELD_PRIORITY["sku"]):
        code = finding.fields.get("sku")
        key = _code_key(code)
        if not key:
            continue
        if finding.kind == "url":
            url_finding = url_finding or finding
            continue
        kinds, first = votes.setdefault(key, (set(), (code, finding.source)))
        kinds.add(finding.kind)
    url_code = url_finding.fields["sku"] if url_finding else None
    url_keys = {_code_key(code) for code in _url_code_forms(url_code)} if url_code else set()
    url_text = unquote(page.url if page is not None else "").lower()
    records = {
        _code_key(record)
        for finding in findings
        if finding.kind == "html"
        for record in finding.fields.get("record_ids") or ()
    }
    for key, (kinds, (code, _)) in list(votes.items()):
        named = key in url_keys or in_url(code, url_text, _URL_CODE_REST)
        if not named and _unfounded(key, kinds, code, records, page):
            del votes[key]
    if not votes:
        printed = _printed_url_code(page, url_code)
        if printed or (
            url_code
            and (
                url_finding.fields.get("named")
                or _mentions_number(page, url_code)
                or _names_photos(fields.get("images"), url_code)
            )
        ):
            fields["sku"], sources["sku"] = printed or url_code, url_finding.source
        elif mpn:
            fields["sku"], sources["sku"] = mpn, mpn_source
        return
    chosen = _labelled_code(findings, votes) or _selected_variant_code(findings, votes)
    if chosen is None:
        support = {
            key: len(kinds) + (key in url_keys or in_url(code, url_text, _URL_CODE_REST))
            for key, (kinds, (code, _)) in votes.items()
        }
        most = max(support.values())
        leaders = [key for key in votes if support[key] == most]
        if len(leaders) > 1:
            leaders = [key for key in leaders if _prints_code(page, votes[key][1][0])]
        chosen = leaders[0] if len(leaders) == 1 else None
    if chosen is None:
        return
    fields["sku"], sources["sku"] = votes[chosen][1]
    # A code only the visible page gives, where the page also prints the code its URL names, is a part's, a set's
    # or another product's ("Article no.: 903.294.89" of a module on the page of "s99277508", printed "992.775.08").
    if (
        votes[chosen][0] == {"html"}
        and chosen not in url_keys
        and (printed := _printed_url_code(page, url_code))
    ):
        fields["sku"], sources["sku"] = printed, url_finding.source


def _printed_url_code(page, url_code):
    """The URL's code as the page prints it for the shopper ("992.775.08" for "s99277508"), None when it does not."""
    if page is None or not url_code:
        return None
    texts = _visible_texts(page)
    return next((found for code in _url_code_forms(url_code) if (found := _printed_code(texts, code))), None)


def _labelled_code(findings, votes):
    """The key of the code the buy box prints under a label ("Ref.", "Art.-Nr.", "SKU:"), when no other code has the
    page's structured data (JSON-LD, microdata) behind it: a code a shopper reads beats an internal one that only app
    state, analytics or meta tags carry, however many of them repeat it. None otherwise."""
    key = next(
        (
            _code_key(finding.fields["labelled_sku"])
            for finding in findings
            if finding.kind == "html" and finding.fields.get("labelled_sku")
        ),
        None,
    )
    if key not in votes:
        return None
    structured = any(kinds & {"json-ld", "microdata"} for other, (kinds, _) in votes.items() if other != key)
    return None if structured else key


def _selected_variant_code(findings, votes):
    """The key of the code of the variant the page shows selected, when the layers listing variants agree on it (a
    layer that lists none states the product's code, the group's or the master's, which the variant's beats). None
    otherwise."""
    keys = {
        key
        for finding in findings
        if (key := _code_key(finding.fields.get("variant_sku"))) is not None and key in votes
    }
    return keys.pop() if len(keys) == 1 else None


def _mentions_number(page, code):
    """Whether the page's HTML names a number of 5 digits or more as a value of its own (`data-product-id="1234567"`,
    `"id": 1234567`, a text), not only as a part of a URL or another word ("/shirt-1234567.html", "?id=1234567")."""
    if page is None or not code.isdigit() or len(code) < _URL_CODE_REST:
        return False
    html = page.html or ""
    start = html.find(code)
    while start >= 0:
        before, after = html[start - 1 : start], html[start + len(code) : start + len(code) + 1]
        if before in _VALUE_BEFORE and after in _VALUE_AFTER:
            return True
        start = html.find(code, start + 1)
    return False


def _names_photos(images, code):
    """Whether the code is a part of the file name of one of the product's photos (`…/93133869_1_x.jpg` on the page of
    `/item/93133869_pillows-pair`): shops name a product's photos by its code."""
    code = code.lower()
    return any(
        code in _FILE_NAME_PART.split(urlsplit(url).path.rpartition("/")[2].partition(".")[0].lower())
        for url in images or ()
    )


def _unfounded(key, kinds, code, records, page):
    """Whether a code stands on nothing the shopper sees and the page does not print it: the id the page's analytics
    alone report (a SKU as often as a database row), a database row as the catalogue meta tag alone gives it (a
    number, or a feed's key such as "shopify_US_7012345_4011"), or the number the page keys the product's row by (a
    platform's stand-in for an empty SKU) when the buy box does not state it."""
    if (
        kinds == {"analytics"}
        or (kinds == {"meta"} and _is_feed_key(code))
        or (key in records and key.isdigit() and "html" not in kinds)
    ):
        return not _prints_code(page, code)
    return False


def _is_feed_key(code):
    """A number, or parts joined by "_" one of which is a long number (a platform's ids in a catalogue feed's key)."""
    text = str(code)
    return text.isdigit() or any(
        len(part) >= _FEED_ID_DIGITS and part.isdigit() for part in text.split("_")[1:]
    )


def _code_key(code):
    """A code compared without case or separators (None for no code)."""
    key = "".join(character for character in str(code).casefold() if character.isalnum()) if code else ""
    return key or None


def _url_code_forms(code):
    """The URL's code, and the code without the letter or two a shop puts before it in its URLs ("s99277508",
    "p400138908", "ppd1gaiamg9r"), when enough of a code is left."""
    forms = [code]
    for cut in (1, 2):
        rest = code[cut:]
        if (
            code[:cut].isalpha()
            and len(rest) >= _URL_CODE_REST
            and any(character.isdigit() for character in rest)
        ):
            forms.append(rest)
    return forms


def _visible_texts(page):
    """The page's visible text nodes (not its scripts, styles or attributes)."""
    return isolated(page, "printed-code", lambda: page.visible_texts, [])


def _prints_code(page, code):
    """Whether the page's visible text shows the code as a word of its own, in any case: "Item no. ab-1234" prints
    "AB-1234", "AB-1234-5" does not."""
    if page is None or not code:
        return False
    wanted = str(code).casefold()
    return any(
        _has_word(text.casefold(), wanted) for text in _visible_texts(page) if len(text) >= len(wanted)
    )


def _printed_code(texts, code):
    """The code as the page's visible text prints it, whatever separators it puts between its letters and digits
    ("992.775.08", "AB-1234", "992 775 08" for "99277508"; the code as given when only its case differs), or None:
    a word, or up to three words in a row, of the page's visible `texts` whose letters and digits are the code's."""
    wanted = _code_key(code)
    if not wanted:
        return None
    for text in texts:
        if wanted[:2] not in text.casefold().translate(_NO_SEPARATORS):
            continue
        words = [stripped for word in text.split() if (stripped := word.strip(_WORD_PUNCTUATION))]
        for start in range(len(words)):
            for end in range(start + 1, min(start + _PRINTED_WORDS, len(words)) + 1):
                key = _code_key("".join(words[start:end])) or ""
                if key == wanted:
                    printed = " ".join(words[start:end])
                    return code if printed.casefold() == str(code).casefold() else printed
                if not wanted.startswith(key):
                    break
    return None


def _has_word(text, word):
    """Whether `word` occurs in `text` with no letter or digit right beside it, nor a separator joining one on."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end : end + 2]
        joined = after[:1] in "-_./" and after[1:2].isalnum() if after else False
        if not before.isalnum() and not (after[:1].isalnum() or joined):
            return True
        start = text.find(word, start + 1)
    return False


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


def _is_product(fields, sources, page, findings):
    """A title from structured data; or a titled page that states a price as a product page, or whose main
    heading has a buy box beside it (a price, an add-to-cart control or a word about stock)."""
    if not fields.get("title"):
        return False
    if sources["title"] not in ("meta", "html"):
        return True
    declared_product = "product" in (page.meta_value("og:type") or "").lower()
    if fields.get("price") and (declared_product or sources.get("price") != "html"):
        return True
    return any(finding.kind == "html" and finding.fields.get("for_sale") for finding in findings)
