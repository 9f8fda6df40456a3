"""schema.org Product data, from JSON-LD and from microdata (converted to the same node shape).

Handles the shapes real pages use: @graph, top-level arrays, one Product per size or colour,
ProductGroup/hasVariant, offers as object/array/AggregateOffer (even malformed, with objects where
numbers belong), brand as text/Brand/Thing, image as string/list/ImageObject, lower-case types and
`id`/`type` without the @.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, unquote, urlsplit

from features.garments.extractors.fabric import parse_composition
from features.garments.extractors.values import (
    absolute_url,
    clean_multiline,
    clean_text,
    in_url,
    large_image_url,
    parse_availability,
    parse_currency,
    parse_gtin,
    parse_identifier,
    parse_price,
    plausible_price,
    unique,
)
from shared.text_patterns import IGNORECASE, compile_pattern

PRODUCT_TYPES = {"product", "productgroup", "individualproduct", "productmodel", "someproducts"}
# Products nested under these keys are other products (recommendations, accessories), not variants.
_OTHER_PRODUCT_KEYS = {
    "issimilarto",
    "isrelatedto",
    "isaccessoryorsparepartfor",
    "isconsumablefor",
    "itemlistelement",
    "mentions",
    "subjectof",
}
# Keys under which an object wraps the price to pay, best first (never was/list/compare-at prices).
_PRICE_KEYS = (
    "saleprice",
    "currentprice",
    "finalprice",
    "price",
    "lowprice",
    "value",
    "amount",
    "sales",
    "now",
    "current",
    "min",
    "from",
    "highprice",
)
# Keys that say their number is in minor units (commercetools' centAmount, "priceInCents"…).
MINOR_UNIT_KEYS = ("centamount", "priceincents", "amountincents", "valueincents", "pricecents", "amountcents")
_CURRENCY_KEYS = (
    "pricecurrency",
    "currency",
    "currencycode",
    "currencyiso",
    "isocode",
    "code",
    "sales",
    "lowprice",
    "value",
)
_VARIANT_ID_KEYS = ("sku", "productID", "gtin", "gtin8", "gtin12", "gtin13", "gtin14", "mpn", "identifier")
# The shop's own code for the product, best first; `mpn` is the maker's part number, a weaker stand-in.
_SKU_KEYS = ("sku", "productID", "productGroupID")
_GTIN_KEYS = ("gtin13", "gtin", "gtin14", "gtin12", "gtin8", "isbn", "identifier", "productID")
_NOT_PAID_PRICE = compile_pattern(
    r"listprice|strikethrough|msrp|srp|wasprice|regular|original|invoice", IGNORECASE
)
_MAX_DEPTH = 12
# Keys whose value may be a reference to another node of the page's data.
_REFERENCE_KEYS = ("offers", "brand", "manufacturer", "image", "hasVariant", "model", "isVariantOf")
_SIZE_LABEL = compile_pattern(
    r"(?:x{0,4}s|m|x{0,4}l|\dx[sl]|one ?size|os|tu|\d{1,3}(?:[.,]5)?(?:/\d{1,3})?|"
    r"w\d{2}(?: ?l\d{2})?|\d{1,2}-\d{1,2} ?(?:y|yrs|years|m|months)?)",
    IGNORECASE,
)
_WORD = compile_pattern(r"\w+")
_DIGITS = compile_pattern(r"\d+")
_DATE = compile_pattern(r"\s*(\d{4})-(\d{2})-(\d{2})")
_SKU_SEPARATOR = compile_pattern(r"[-_/.\s]")
# Scripts written without spaces between words (Chinese, Japanese, Thai): a run of them is compared by its pairs of
# characters, as a word split cannot compare it.
_UNSPACED = compile_pattern("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# The share of a product's name a page's own name must hold: more than a brand and one word of three.
_SAME_NAME = 0.6


def node_types(node):
    """Lower-cased schema.org type names of a node ("http://schema.org/Product" → "product")."""
    raw = node.get("@type", node.get("type"))
    names = raw if isinstance(raw, list) else [raw]
    return {name.rstrip("/").rsplit("/", 1)[-1].lower() for name in names if isinstance(name, str)}


def iter_nodes(document):
    """Every dict in the document with the key it sits under, skipping other products' subtrees."""
    stack = [(document, "", 0)]
    while stack:
        value, key, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(value, list):
            stack.extend((item, key, depth + 1) for item in reversed(value))
        elif isinstance(value, dict):
            yield value, key
            stack.extend(
                (child, child_key.lower(), depth + 1)
                for child_key, child in reversed(value.items())
                if child_key.lower() not in _OTHER_PRODUCT_KEYS and isinstance(child, (dict, list))
            )


@dataclass(frozen=True)
class PageIdentity:
    """What a page says it is about, to tell its own product from another one its data describes: its names (its
    title, og:title and main heading), its addresses (its URL, canonical URL, og:url) and its own photos (og:image)."""

    names: tuple = ()
    addresses: tuple = ()
    images: tuple = ()

    def owns(self, node, page_url):
        """Whether a schema.org product is the page's own rather than another one it describes (a recommended item, a
        bundle, an accessory): its URL or an offer's is the page's, the page URL names one of its codes, one of its
        photos is the page's, or most of its name is in one of the page's names. A product without a name, or a page
        without one, says nothing against it."""
        name = clean_text(node.get("name"))
        if not name or not self.names:
            return True
        addresses = {_url_key(address) for address in self.addresses}
        links = [
            link
            for item in [node, *_offers(node)]
            for key in ("url", "@id")
            if isinstance(link := item.get(key), str) and not link.startswith("#")
        ]
        if any(_page_key(link, page_url) in addresses for link in links):
            return True
        own_photos = {_file_name(url) for url in self.images} - {""}
        if _url_names(node, page_url) or own_photos & _photo_names(node, page_url):
            return True
        return any(name_share(name, page_name) >= _SAME_NAME for page_name in self.names)


def read_products(documents, base_url, page_url=None, page_title=None, selection=None, identity=None):
    """Normalised fields of the page's product from schema.org documents ({} when there is none).

    `page_title` (the page's og:title or h1) tells the product apart when several are described and
    none is named by the URL; a variant the URL selects (`?variant=…`, its SKU), else the one the page's
    `selection` (see selection.py) points to, gives price, code, stock, colour and image first; with one offer
    per variant and no variant described, the offer it points to does. A product the page's `identity` does not own
    (see PageIdentity.owns) is another product's data: the page's product is chosen among those it owns, and with none
    nothing is read.
    """
    index = _node_index(documents)
    products = [
        _resolved(node, index)
        for document in documents
        for node, key in iter_nodes(document)
        if node_types(node) & PRODUCT_TYPES
        and key not in ("hasvariant", "isvariantof", "model", "itemoffered")
    ]
    # Variants a group lists by reference ({"hasVariant": [{"@id": "#v1"}]}) sit beside it in the graph.
    listed = {
        item.get("@id")
        for node in products
        for key in ("hasVariant", "model")
        for item in _as_list(node.get(key))
        if isinstance(item, dict) and isinstance(item.get("@id"), str)
    }
    products = [node for node in products if node.get("@id") not in listed] or products
    if not products:
        return {"breadcrumbs": read_breadcrumbs(documents)}
    if identity is not None:
        products = [node for node in products if identity.owns(node, page_url or base_url)]
        if not products:
            return {"breadcrumbs": read_breadcrumbs(documents)}
    main = main_product(products, page_url or base_url, page_title)
    name = clean_text(main.get("name"))
    siblings = [
        node for node in products if node is not main and clean_text(node.get("name")) in (name, None)
    ]
    variants = siblings + _as_list(main.get("hasVariant")) + _as_list(main.get("model"))
    variants = [_resolved(node, index) for node in variants if isinstance(node, dict)]
    selected = selected_variant(variants, page_url or base_url) or (
        selection.choose(variants, _variant_description) if selection and variants else None
    )
    main_offers = _offers(main)
    chosen_offer = (
        selection.choose(main_offers, _offer_description)
        if selection and not variants and len(main_offers) > 1
        else None
    )
    if chosen_offer is not None:
        selected = {key: value for key, value in chosen_offer.items() if key in _VARIANT_ID_KEYS}
        selected["offers"] = chosen_offer
    nodes = (
        [selected, main, *(node for node in variants if node is not selected)]
        if selected
        else [main, *variants]
    )
    offers = [offer for node in nodes for offer in _offers(node)]
    price, currency, list_price, stale = _price_and_currency(offers)
    # The product's own codes (the selected variant's first); an offer's only when it is the product's one offer.
    # One Product per size or colour and the URL names none of them: the first one's codes are a variant's, so none
    # are read.
    named = (
        [selected, main]
        if selected
        else [main]
        if not _codes_differ(main, siblings) or _url_names(main, page_url or base_url)
        else []
    )
    own_offers = offers if len(offers) == 1 else []
    sku, mpn = product_codes(named, own_offers, page_url or base_url, selected)
    return {
        "title": name,
        "brand": brand_name(main.get("brand")) or brand_name(main.get("manufacturer")),
        "description": clean_multiline(main.get("description")),
        "price": price,
        "currency": currency,
        "list_price": list_price,
        "price_expired": stale,
        "sku": sku,
        "variant_sku": variant_code(selected),
        "mpn": mpn,
        "gtin": next(
            (
                gtin
                for node in [*named, *own_offers]
                for key in _GTIN_KEYS
                if (gtin := parse_gtin(node.get(key)))
            ),
            None,
        ),
        "availability": _availability(nodes, selected),
        "variant_availability": _availability([selected]) if selected else None,
        "images": unique(url for node in nodes for url in image_urls(node.get("image"), base_url)),
        "sizes": _variant_sizes(variants) or _offer_sizes(_offers(main), name),
        "colors": unique(clean_text(color) for node in nodes for color in _as_list(node.get("color"))),
        "fabric": _fabric(main),
        "product_type": _category_name(main.get("category")),
        "canonical_url": absolute_url(main.get("url"), base_url),
        "breadcrumbs": read_breadcrumbs(documents),
    }


def _node_index(documents):
    """The page's schema.org nodes by their @id (nodes that say more than their id)."""
    return {
        node["@id"]: node
        for document in documents
        for node, _ in iter_nodes(document)
        if isinstance(node.get("@id"), str) and len(node) > 1
    }


def _resolved(node, index):
    """The node with the references under the keys read ({"offers": {"@id": "#offer"}}, an @graph's way of linking
    its nodes) replaced by the nodes they name."""
    if not index or not any(key in node for key in _REFERENCE_KEYS):
        return node
    resolved = dict(node)
    for key in _REFERENCE_KEYS:
        value = node.get(key)
        if value is not None:
            resolved[key] = (
                [_referenced(item, index) for item in value]
                if isinstance(value, list)
                else _referenced(value, index)
            )
    return resolved


def _referenced(value, index):
    """The node a reference-only object names ({"@id": "#brand"}), else the value itself."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return index.get(value["@id"], value)
    return value


def main_product(products, page_url, page_title=None):
    """The product the page is about: the one whose URL is the page's or whose id the page URL names
    (pages also describe recommended products, sometimes first); else the one named like the page's
    title; the first one otherwise."""
    page_key = _url_key(page_url)

    def evidence(node):
        url = next(
            (
                absolute_url(node.get(key), page_url)
                for key in ("url", "@id")
                if isinstance(node.get(key), str)
            ),
            None,
        )
        return 2 * bool(url and _url_key(url) == page_key) + _url_names(node, page_url)

    return max(
        products, key=lambda node: (evidence(node), title_likeness(clean_text(node.get("name")), page_title))
    )


def product_codes(nodes, offers, page_url, selected=None):
    """(sku, mpn) of the product: the selected variant's own code (the URL may name the product beside the variant:
    `/MB-10.html?dwvar_MB-10_color=grey`), else the code the page URL names if one of its codes is there
    (`/p/ab-1234`), else its own `sku`/`productID`, and the maker's part number apart."""
    url_text = unquote(page_url or "").lower()
    codes = [
        (key, code)
        for node in [*nodes, *offers]
        for key in (*_SKU_KEYS, "mpn")
        if (code := parse_identifier(node.get(key)))
    ]
    chosen = variant_code(selected)
    named = next((code for _, code in codes if in_url(code, url_text)), None)
    sku = chosen or named or next((code for key, code in codes if key != "mpn"), None)
    return sku, next((code for key, code in codes if key == "mpn" and code != sku), None)


def variant_code(selected):
    """The selected variant's own code (its `sku`/`productID`, else its offer's), or None."""
    return next(
        (
            code
            for node in ([selected, *_offers(selected)] if selected else [])
            for key in _SKU_KEYS
            if (code := parse_identifier(node.get(key)))
        ),
        None,
    )


def _url_names(node, page_url):
    """Whether one of the product's codes (4 characters or more) is in the page URL."""
    ids = [clean_text(node.get(key)) for key in ("sku", "productID", "mpn", "productGroupID")]
    url_text = unquote(page_url or "").lower()
    return any(identifier and in_url(identifier, url_text) for identifier in ids)


def _codes_differ(main, siblings):
    """Whether products described beside the main one under its name carry other codes (one Product per size)."""
    own = {parse_identifier(main.get(key)) for key in (*_SKU_KEYS, "mpn")} - {None}
    return any(
        parse_identifier(node.get(key)) not in (None, *own)
        for node in siblings
        for key in (*_SKU_KEYS, "mpn")
    )


def title_likeness(name, title):
    """How well a product name matches the page's title: 3 equal, 2 one contains the other, else the share
    of the name's words the title has (0 when either is missing)."""
    name_words, title_words = _words(name), _words(title)
    if not name_words or not title_words:
        return 0
    if name_words == title_words:
        return 3
    if name_words <= title_words or title_words <= name_words:
        return 2
    return len(name_words & title_words) / len(name_words)


def title_overlap(name, title):
    """How much a heading and the page's title share: twice the words they have in common over the words of both (1
    when equal), so that a short heading the title holds ("Faux Throw", a review's) loses to the one naming more of
    it ("John Lewis & Partners Faux Fur Throw, Platinum")."""
    name_words, title_words = _words(name), _words(title)
    if not name_words or not title_words:
        return 0
    return 2 * len(name_words & title_words) / (len(name_words) + len(title_words))


def name_share(name, page_name):
    """The share of a product name's words a page's name holds (1 when it holds them all); a run of a script written
    without spaces counts by its pairs of characters."""
    name_words, page_words = _name_words(name), _name_words(page_name)
    if not name_words or not page_words:
        return 0
    return len(name_words & page_words) / len(name_words)


def _name_words(text):
    words = set()
    for word in _words(text):
        if _UNSPACED.search(word) and len(word) > 1:
            words.update(word[index : index + 2] for index in range(len(word) - 1))
        else:
            words.add(word)
    return words


def _photo_names(node, page_url):
    """The file names of a product's photos (none when one of its image URLs does not parse)."""
    try:
        return {_file_name(url) for url in image_urls(node.get("image"), page_url)}
    except ValueError:
        return set()


def _page_key(link, page_url):
    """_url_key of a link read against the page's URL; None for a link that does not parse (`http://[bad`)."""
    try:
        return _url_key(absolute_url(link, page_url))
    except ValueError:
        return None


def _file_name(url):
    """The file name a URL ends in, without its extension ("…/260591_1.jpg?w=500" → "260591_1"); "" for a URL that
    does not parse."""
    try:
        path = urlsplit(url or "").path
    except ValueError:
        return ""
    return path.rstrip("/").rpartition("/")[2].partition(".")[0].lower()


def selected_variant(variants, page_url):
    """The variant the page URL selects: its SKU, id or GTIN as a query value (`?variant=4471`), its own or
    its offer's URL whose query the page URL has (`?color=green&size=s`), or failing those the longest of
    its identifiers the URL contains; None when the URL selects none."""
    parts = urlsplit(page_url or "")
    page_query = {(key, value.lower()) for key, value in parse_qsl(parts.query)}
    url_text = unquote(f"{parts.path}?{parts.query}").lower()

    def evidence(node):
        links = [
            link
            for item in [node, *_offers(node)]
            for key in ("@id", "url")
            if isinstance(link := item.get(key), str)
        ]
        # The query read as text: a link whose host does not parse (`http://[bad`) still has one.
        queries = [
            {(key, value.lower()) for key, value in parse_qsl(link.partition("?")[2].partition("#")[0])}
            for link in links
        ]
        ids = [identifier.lower() for key in _VARIANT_ID_KEYS if (identifier := clean_text(node.get(key)))]
        if {value for _, value in page_query} & set(ids) or any(
            query and query <= page_query for query in queries
        ):
            return 1000
        return max((len(identifier) for identifier in ids if in_url(identifier, url_text)), default=0)

    best = max(variants, key=evidence, default=None)
    return best if best is not None and evidence(best) else None


def _variant_description(node):
    """(ids, links, option values) of a variant node, for Selection.choose."""
    ids = [node.get(key) for key in _VARIANT_ID_KEYS]
    links = [item.get(key) for item in [node, *_offers(node)] for key in ("@id", "url")]
    ids += [offer.get(key) for offer in _offers(node) for key in _VARIANT_ID_KEYS]
    return _scalars(ids), _strings(links), _scalars(_option_values(node))


def _offer_description(offer):
    """(ids, links, option values) of one offer among several of a product (one per variant)."""
    item = offer.get("itemOffered") if isinstance(offer.get("itemOffered"), dict) else {}
    ids = [source.get(key) for source in (offer, item) for key in _VARIANT_ID_KEYS]
    links = [source.get(key) for source in (offer, item) for key in ("@id", "url")]
    return _scalars(ids), _strings(links), _scalars([offer.get("name"), *_option_values(item)])


def _option_values(node):
    """The option values a variant node states: colour, size, material, pattern and its additional properties."""
    values = []
    for key in ("color", "size", "material", "pattern"):
        for value in _as_list(node.get(key)):
            values.append(value.get("name") if isinstance(value, dict) else value)
    values += [
        item.get("value") for item in _as_list(node.get("additionalProperty")) if isinstance(item, dict)
    ]
    return values


def _scalars(values):
    return [value for value in values if isinstance(value, (str, int)) and not isinstance(value, bool)]


def _strings(values):
    return [value for value in values if isinstance(value, str)]


def _words(text):
    return set(_WORD.findall(text.lower())) if text else set()


def _url_key(url):
    """A URL's host and path, for telling whether two URLs name the same page."""
    parts = urlsplit(url or "")
    return (parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/").lower()


def read_breadcrumbs(documents):
    """Names in the page's BreadcrumbList, in position order."""
    for document in documents:
        for node, _ in iter_nodes(document):
            if "breadcrumblist" in node_types(node):
                items = [item for item in _as_list(node.get("itemListElement")) if isinstance(item, dict)]
                items.sort(key=lambda item: parse_price(item.get("position")) or 0)
                names = [clean_text(item.get("name")) or _item_name(item.get("item")) for item in items]
                return [name for name in names if name]
    return []


def brand_name(value):
    """Brand text from a string, a Brand/Thing/Organization object or a list of them."""
    if isinstance(value, list):
        return next((name for name in map(brand_name, value) if name), None)
    if isinstance(value, dict):
        return clean_text(value.get("name"))
    return clean_text(value)


def image_urls(value, base_url):
    """Absolute large-rendition URLs from an image property (string, list, ImageObject, nulls)."""
    urls = []
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("contentUrl") or item.get("url") or item.get("@id")
        url = large_image_url(item, base_url) if isinstance(item, str) else None
        if url:
            urls.append(url)
    return urls


def price_value(value, depth=0):
    """A price from a number/string or an object that wraps one ({"sales": {"value": 3499}}), including
    money objects in minor units ({"centAmount": 12995, "fractionDigits": 2})."""
    if isinstance(value, dict):
        if depth >= 3:
            return None
        return minor_units_price(value) or next(
            (price for key in _PRICE_KEYS if (price := price_value(_key(value, key), depth + 1))), None
        )
    return parse_price(value) if not isinstance(value, list) else None


def minor_units_price(node):
    """The price of an object that states it in cents under a key saying so, else None."""
    cents = next(
        (_key(node, key) for key in MINOR_UNIT_KEYS if isinstance(_key(node, key), (int, float, str))), None
    )
    digits = _key(node, "fractiondigits")
    price = parse_price(cents) if cents is not None and _DIGITS.fullmatch(str(cents).strip()) else None
    return (
        plausible_price(price / 10 ** (digits if isinstance(digits, int) and 0 <= digits <= 4 else 2))
        if price
        else None
    )


def currency_value(value, depth=0):
    """A currency code from a string or an object carrying one ({"currency": {"code": "PLN"}})."""
    if isinstance(value, dict):
        return (
            next(
                (code for key in _CURRENCY_KEYS if (code := currency_value(_key(value, key), depth + 1))),
                None,
            )
            if depth < 3
            else None
        )
    return parse_currency(value) if isinstance(value, str) else None


def _key(node, wanted):
    """node[key] where key, lower-cased without _ or -, is `wanted`."""
    return next(
        (value for key, value in node.items() if key.replace("_", "").replace("-", "").lower() == wanted),
        None,
    )


def _offers(node):
    offers = []
    for offer in _as_list(node.get("offers")):
        if isinstance(offer, dict):
            offers.append(offer)
            offers += [inner for inner in _as_list(offer.get("offers")) if isinstance(inner, dict)]
    return offers


def _price_and_currency(offers):
    """(price, currency, list price, expired?) of the first offer still valid (an expired `priceValidUntil` goes
    last), the price read from its price, its price specification that is not a list or strike-through price, or
    a wrapped value; the list price from the specification that says it is one."""
    for offer in sorted(offers, key=_expired):
        specifications = [
            item for item in _as_list(offer.get("priceSpecification")) if isinstance(item, dict)
        ]
        specification = _current_specification(specifications)
        price = price_value(offer.get("price")) or price_value(specification) or price_value(offer)
        if price:
            currency = (
                currency_value(offer)
                or currency_value(specification)
                or currency_value(offer.get("lowprice") or offer.get("lowPrice"))
                or currency_value(offer.get("price"))
            )
            listed = next(
                (
                    value
                    for item in specifications
                    if _NOT_PAID_PRICE.search(str(item.get("priceType", ""))) and (value := price_value(item))
                ),
                None,
            )
            return price, currency, listed, _expired(offer)
    return None, None, None, False


def _current_specification(specifications):
    """The specification of the price to pay among several (Google's sale price beside a StrikethroughPrice)."""
    return next(
        (item for item in specifications if not _NOT_PAID_PRICE.search(str(item.get("priceType", "")))),
        specifications[0] if specifications else None,
    )


def _availability(nodes, selected=None):
    """Whether the selected variant is in stock, else the product: True when one of its offers is in stock,
    False when they all say it is not, None when none says."""
    for group in ([selected] if selected else [], nodes):
        stated = [
            available
            for node in group
            for item in [node, *_offers(node)]
            if (available := parse_availability(item.get("availability"))) is not None
        ]
        if stated:
            return any(stated)
    return None


def _expired(offer):
    """Whether the offer's `priceValidUntil` date ("2025-12-31", or a date-time) has passed."""
    match = _DATE.match(str(offer.get("priceValidUntil") or ""))
    try:
        return bool(match) and date(*map(int, match.groups())) < date.today()
    except ValueError:
        return False


def _variant_sizes(variants):
    sizes = {}
    for node in variants:
        size = node.get("size")
        label = clean_text(size.get("name") if isinstance(size, dict) else size)
        if not label:
            continue
        available = any(parse_availability(offer.get("availability")) for offer in _offers(node))
        sizes[label] = sizes.get(label, False) or available
    return [{"name": name, "available": available} for name, available in sizes.items()]


def _offer_sizes(offers, product_name):
    """Sizes of offers made one per size: their `size`, their item's `size`, a size after the product's
    name in theirs ("Wide leg trousers - 34"), or a size-like last part of their SKU ("RT-XS")."""
    sizes = {}
    for offer in offers:
        label = _offer_size(offer, product_name)
        if label:
            sizes[label] = sizes.get(label, False) or bool(parse_availability(offer.get("availability")))
    return [{"name": name, "available": available} for name, available in sizes.items()]


def _offer_size(offer, product_name):
    item = offer.get("itemOffered") if isinstance(offer.get("itemOffered"), dict) else {}
    for size in (offer.get("size"), item.get("size")):
        label = clean_text(size.get("name") if isinstance(size, dict) else size)
        if label:
            return label
    name = clean_text(offer.get("name")) or ""
    if product_name and name.lower().startswith(product_name.lower()):
        name = name[len(product_name) :].strip(" -–|/,:")
    sku_tail = _SKU_SEPARATOR.split(clean_text(offer.get("sku")) or "")[-1]
    return next(
        (
            label
            for label in (name, sku_tail)
            if looks_like_size(label)
            and not (label is sku_tail and _DIGITS.fullmatch(label) and len(label) == 1)
        ),
        None,
    )


def looks_like_size(text):
    """Whether a short text is a garment size ("M", "XXL", "38", "40.5", "42/44", "W32 L34", "one size")."""
    return bool(text) and bool(_SIZE_LABEL.fullmatch(text.strip()))


def _fabric(node):
    for value in _as_list(node.get("material")):
        fabric = parse_composition(value if isinstance(value, str) else brand_name(value))
        if fabric:
            return fabric
    for prop in _as_list(node.get("additionalProperty")):
        if isinstance(prop, dict) and "material" in str(prop.get("name", "")).lower():
            fabric = parse_composition(prop.get("value"))
            if fabric:
                return fabric
    return []


def _category_name(value):
    if isinstance(value, list):
        value = " > ".join(filter(None, (_category_name(item) for item in value)))
    return brand_name(value)


def _item_name(item):
    return clean_text(item.get("name")) if isinstance(item, dict) else None


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
