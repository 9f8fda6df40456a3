"""Product data from the state a shop's JavaScript app embeds in the page.

Next.js `__NEXT_DATA__`, `<script type="application/json">` props (Zalando, Namshi), JS object
literals such as H&M's `productArticleDetails`, JSON in data-* attributes (Kiabi). Their shapes
differ per shop, so instead of one path per shop the state is searched for the node that looks
most like *this* product (a name plus sizes, prices, images…, preferring nodes whose id appears in
the page URL and skipping recommendation subtrees), and fields are read from it by the key names
shops actually use.
"""

from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from features.garments.extractors.fabric import from_components, has_material, parse_composition
from features.garments.extractors.schema_org import (
    MINOR_UNIT_KEYS,
    brand_name,
    currency_value,
    minor_units_price,
    price_value,
)
from features.garments.extractors.selection import short_values
from features.garments.extractors.values import (
    clean_multiline,
    clean_text,
    in_url,
    large_image_url,
    parse_availability,
    parse_currency,
    parse_gtin,
    parse_identifier,
    unique,
)
from shared.garment_catalog import SIZE_WORD
from shared.text_patterns import IGNORECASE, compile_pattern

TITLE_KEYS = ("productname", "producttitle", "title", "name", "displayname")
BRAND_KEYS = ("brand", "brandname", "vendor", "manufacturer", "manufacturername", "designer")
DESCRIPTION_KEYS = (
    "description",
    "longdescription",
    "descriptionhtml",
    "bodyhtml",
    "info",
    "shortdescription",
)
PRICE_KEYS = (
    "pricesalevalue",
    "saleprice",
    "currentprice",
    "finalprice",
    "displayprice",
    "price",
    "pricing",
    "prices",
    "pricerange",
    "whitepricevalue",
)
# The price before a reduction, shown crossed out (WooCommerce's regular_price, Shopify's compare_at_price…).
LIST_PRICE_KEYS = (
    "listprice",
    "originalprice",
    "regularprice",
    "wasprice",
    "compareatprice",
    "oldprice",
    "strikethroughprice",
    "crossedprice",
    "crossedoutprice",
    "rrp",
    "msrp",
    "recommendedretailprice",
    "previousprice",
    "pricebefore",
    "fullprice",
    "initialprice",
)
SKU_KEYS = (
    "sku",
    "skuid",
    "skucode",
    "productsku",
    "articlenumber",
    "articleno",
    "articlecode",
    "itemnumber",
    "itemno",
    "productcode",
    "productnumber",
    "stylenumber",
    "stylecode",
    "asin",
    "referencenumber",
    "reference",
)
MPN_KEYS = ("mpn", "manufacturerpartnumber", "partnumber", "manufacturersku", "modelnumber")
GTIN_KEYS = (
    "gtin",
    "gtin13",
    "gtin14",
    "gtin12",
    "gtin8",
    "ean",
    "ean13",
    "eancode",
    "upc",
    "barcode",
    "isbn",
    "isbn13",
)
VARIANT_KEYS = ("sizes", "variants", "skus", "units", "simples", "items", "sizeoptions", "availablesizes")
SIZE_ONLY_KEYS = ("sizes", "sizeoptions", "availablesizes")
SIZE_LABEL_KEYS = (
    "sizename",
    "sizelabel",
    "sizelibelle",
    "localsize",
    "localizedsize",
    "displaysize",
    "sizedescription",
    "sizevalue",
    "sizetitle",
)
GENERIC_LABEL_KEYS = ("name", "label", "value", "title", "displayname")
SIZE_CODE_KEYS = ("size", "codesize")
# Stock flags first; whether the item can be bought as it stands last (a product sold by its variants says it cannot:
# SAP Commerce's base product is not "purchasable" while its sizes are in stock).
AVAILABILITY_KEYS = (
    "available",
    "isavailable",
    "instock",
    "isonstock",
    "isinstock",
    "availability",
    "stockstatus",
    "stocklevelstatus",
    "stock",
    "quantity",
    "stocklevel",
    "availabletoorder",
    "orderable",
    "issalable",
    "ispurchasable",
    "purchasable",
)
# A product's own stock flag; its `quantity` is as often the quantity a shopper would add to the cart.
PRODUCT_AVAILABILITY_KEYS = tuple(key for key in AVAILABILITY_KEYS if key != "quantity")
COLOR_KEYS = (
    "colorname",
    "colourname",
    "colorloc",
    "colordescription",
    "colourdescription",
    "displaycolor",
    "color",
    "colour",
    "colorfamily",
)
COLOR_LIST_KEYS = ("colors", "colours", "colorways", "swatches")
IMAGE_RENDITION_KEYS = (
    "zoom",
    "fullscreen",
    "full",
    "original",
    "large",
    "hd",
    "big",
    "image",
    "img",
    "url",
    "src",
    "href",
    "main",
    "standard",
    "thumbnail",
    "thumb",
)
BREADCRUMB_KEYS = ("breadcrumbs", "breadcrumb", "crumbs", "breadcrumbscategories")
PRODUCT_TYPE_KEYS = (
    "producttype",
    "categoryname",
    "categorytag",
    "appareltype",
    "maincategorysummary",
    "defaultcategory",
    "category",
    "type",
)
# Option definitions ({"attributeId": "size", "values": [{"displayValue": "M", "selectable": true}]},
# Magento's {"code": "size", "options": [{"label": "M"}]}, WooCommerce's "attribute_pa_size"…).
SIZE_OPTION = compile_pattern(
    r"^(?:attribute)?(?:pa)?(?:waist|shoe|clothing|dress|bra|cup|kids?|product)?"
    rf"(?:{SIZE_WORD})(?:eu|uk|us|int)?$"
)
COLOR_OPTION = compile_pattern(
    r"^(?:attribute)?(?:pa)?(?:colou?rs?|farbe|couleur|colore|kleur|cor|colorpattern)$"
)
OPTION_NAME_KEYS = ("attributeid", "code", "name", "id", "label", "displayname", "title", "key")
OPTION_VALUE_KEYS = ("values", "options", "items", "choices")
OPTION_LABEL_KEYS = ("displayvalue", "label", "name", "value", "title", "displayname")
OPTION_AVAILABLE_KEYS = ("selectable", "available", "isavailable", "instock", "orderable", "isinstock")
SELECTED_CHILD = compile_pattern(
    r"^(current|selected|default|active|initial)(sku|variant|article|color|colour|item)$"
)
# The same, for a variant the page shows (a default one is only the state's first choice).
_SHOWN_CHILD = compile_pattern(r"^(current|selected|active|initial)(sku|variant|article|color|colour|item)$")
# Keys naming the selected variant by its id or code (`selectedVariantId: 4471`, `currentSku: "AB-1-M"`).
SELECTED_ID = compile_pattern(
    r"^(current|selected|active|initial)(sku|variant|article|item)(id|code|number|sku)?$"
)
# Keys of state that is not the product's. "cart" but not "addtocart": a lookbehind of several characters,
# which RE2 lacks, so it runs on Python's re over a key's first 200 characters (no real key is longer).
_SKIP_SUBTREE = compile_pattern(
    r"recommend|related|similar|stylewith|crosssell|upsell|recent|looks?$|bundle|carousel|"
    r"reco|suggest|complete|outfit|wishlist|(?<!to)(?<!to[-_])cart|basket|navigation|menu|header|footer|"
    r"customer|user|seo|translations|experiment|tracking|analytics",
    IGNORECASE,
    max_input=200,
)
_MATERIAL_KEY = compile_pattern(
    r"composi|material|fabric|fibre|fiber|zusammensetzung|samenstelling|matière", IGNORECASE
)
_GALLERY_KEY = compile_pattern(r"gallery", IGNORECASE)
_IMAGE_LIST_KEY = compile_pattern(r"images?$|media$|gallery$|pictures$|photos$|imageurls$|urls$", IGNORECASE)
_NOT_PRODUCT_IMAGE_KEY = compile_pattern(r"swatch|logo|icon|video|sizeguide", IGNORECASE)
_IMAGE_URL = compile_pattern(
    r"\.(?:jpe?g|png|webp|avif)(?:[?#]|$)|/is/image/|[?&]set=source|/image/|/images?/|/photos?/", IGNORECASE
)
_MAX_NODES = 60_000
_PRODUCT_ID_KEYS = ("productid", "styleid", *SKU_KEYS, *GTIN_KEYS)
_ID_KEYS = (*_PRODUCT_ID_KEYS, "id", "code")
_WORD = compile_pattern(r"\w+")


def read_app_state(page, title_hint=None):
    """Fields from the product node found in the page's embedded state ({} when none is found).

    `title_hint` (the name structured data gives) favours the node that describes that product.
    """
    blobs = _state_blobs(page)
    hint = _words(title_hint)
    best, best_score, names = None, 0, set()
    for blob in blobs:
        for node, score in _candidates(blob, page.url.lower(), hint):
            names.add(_first_text(node, TITLE_KEYS))
            if score > best_score:
                best, best_score = node, score
    fields = read_node(best, page.base_url, page.url, page.selection) if best is not None else {}
    if len(names) > 1 and not _tied_to_page(best, page, title_hint):
        # Several products in the state and nothing says this one is the page's: its codes may be another's.
        (
            fields.pop("sku", None),
            fields.pop("variant_sku", None),
            fields.pop("mpn", None),
            fields.pop("gtin", None),
        )
    if not fields.get("sizes"):
        fields["sizes"] = next(
            (
                sizes
                for blob in blobs
                if (
                    sizes := _sizes_anywhere(blob)
                    or _option_values(blob, SIZE_OPTION, with_availability=True)
                )
            ),
            [],
        )
    if not fields.get("colors"):
        fields["colors"] = next(
            (colors for blob in blobs if (colors := _option_values(blob, COLOR_OPTION))), []
        )
    if not fields.get("images"):
        fields["images"] = next(
            (images for blob in blobs if (images := _gallery_anywhere(blob, page.base_url))), []
        )
    return {field: value for field, value in fields.items() if value not in (None, "", [], {})}


def read_node(node, base_url, page_url="", selection=None):
    """Normalised fields from one product node of any shop's state; the variant the page URL names, the node marks
    as selected or the page's `selection` points to gives its code, stock and, when the node has none, its price.
    A variant the node only calls its default (`defaultVariant`) speaks for this layer, not over the others."""
    url_text = unquote(page_url).lower()
    shown = (
        _url_selected_variant(node, url_text)
        or _selected_child(node, _SHOWN_CHILD)
        or _stated_variant(node)
        or (_page_selected_variant(node, selection) if selection else None)
    )
    selected = shown or _selected_child(node, SELECTED_CHILD)
    price, currency = _price(node)
    if price is None and selected:
        price, currency = _price(selected)
    variants = _variant_list(node)
    named = [selected, node] if selected else [node]
    codes = [code for item in named for _, value in _get(item, SKU_KEYS) if (code := parse_identifier(value))]
    return {
        "title": _first_text(node, TITLE_KEYS),
        "brand": _brand(node),
        "description": _first(node, DESCRIPTION_KEYS, clean_multiline),
        "price": price,
        "currency": currency,
        "list_price": next(
            (listed for item in named if (listed := _first(item, LIST_PRICE_KEYS, price_value))), None
        ),
        "sku": next((code for code in codes if in_url(code, url_text)), None) or next(iter(codes), None),
        "variant_sku": _first(shown, SKU_KEYS, parse_identifier) if shown else None,
        "mpn": next((code for item in named if (code := _first(item, MPN_KEYS, parse_identifier))), None),
        "gtin": next((gtin for item in named if (gtin := _first(item, GTIN_KEYS, parse_gtin))), None),
        "availability": _product_availability(node, selected, variants),
        "variant_availability": _availability(shown, PRODUCT_AVAILABILITY_KEYS) if shown else None,
        "images": _images(node, base_url) or (_images(selected, base_url) if selected else []),
        "sizes": _sizes(variants),
        "colors": _colors(node, variants[1] if variants else []),
        "fabric": _fabric(node) or (_fabric(selected) if selected else []),
        "breadcrumbs": _breadcrumbs(node),
        "product_type": _product_type(node),
    }


def _state_blobs(page):
    blobs = [document for _, document in page.json_scripts]
    blobs += list(page.script_assignments.values())
    blobs += [document for _, document in page.json_attributes]
    blobs += page.flight_rows
    return blobs


def _walk(blob):
    """(node, key it sits under, parent dict, depth) for every dict and list in document order, skipping
    recommendation-like subtrees; bounded so a huge state cannot stall a request."""
    stack = [(blob, None, None, 0)]
    visited = 0
    while stack and visited < _MAX_NODES:
        value, key, parent, depth = stack.pop()
        visited += 1
        yield value, key, parent, depth
        if depth >= 12:
            continue
        if isinstance(value, list):
            stack.extend(
                (item, key, parent, depth + 1)
                for item in reversed(value[:200])
                if isinstance(item, (dict, list))
            )
        else:
            stack.extend(
                (child, child_key, value, depth + 1)
                for child_key, child in reversed(value.items())
                if isinstance(child, (dict, list)) and not _key_has(_SKIP_SUBTREE, str(child_key))
            )


def _candidates(blob, url_text, hint):
    """(node, score) for dicts in the blob that look like a product."""
    for value, key, parent, _ in _walk(blob):
        score = _product_score(value) if isinstance(value, dict) else 0
        if score >= 4:
            yield value, score + _selection_bonus(value, key, parent, url_text) + _title_bonus(value, hint)


def _product_score(node):
    keys = {_norm(key): value for key, value in node.items()}
    if not any(isinstance(keys.get(key), str) and keys[key].strip() for key in TITLE_KEYS):
        return 0
    if not any(
        key in keys for key in (*PRICE_KEYS, *MINOR_UNIT_KEYS, *VARIANT_KEYS, *BRAND_KEYS, *_PRODUCT_ID_KEYS)
    ):
        return 0  # a titled thing that is not sold (a banner, an article, a menu entry)
    score = 2
    score += any(key in keys for key in BRAND_KEYS)
    score += any(key in keys for key in PRICE_KEYS)
    score += 2 * any(isinstance(keys.get(key), (list, dict)) and keys[key] for key in VARIANT_KEYS)
    score += any(_key_has(_IMAGE_LIST_KEY, key) and keys[key] for key in keys)
    score += any(key in keys for key in DESCRIPTION_KEYS)
    score += any(key in keys for key in COLOR_KEYS + COLOR_LIST_KEYS)
    score += any(_key_has(_MATERIAL_KEY, key) for key in keys)
    score += any(key in keys for key in _ID_KEYS)
    return score


def _selection_bonus(node, key, parent, url_text):
    """Prefer the selected product: its id in the page URL, or its key named by the parent."""
    identifiers = [key] + [node.get(name) for name in ("id", "sku", "code", "articleCode", "productId")]
    bonus = 0
    if any(isinstance(value, (str, int)) and in_url(value, url_text, min_length=5) for value in identifiers):
        bonus += 3
    if (
        isinstance(key, str)
        and isinstance(parent, dict)
        and key in {str(v) for v in parent.values() if isinstance(v, str)}
    ):
        bonus += 2
    return bonus


def _tied_to_page(node, page, title_hint):
    """Whether the page says a state node is its product: one of its ids is in the page URL, or it is named as the
    page's product is (its structured data's name, else its main heading or og:title)."""
    heading = page.main_heading
    names = [title_hint, page.meta_value("og:title"), heading.text_content() if heading is not None else None]
    return _selection_bonus(node, None, None, page.url.lower()) > 0 or any(
        _title_bonus(node, _words(name)) for name in names
    )


def _title_bonus(node, hint):
    title = _words(_first_text(node, TITLE_KEYS))
    return 2 if hint and title and (hint <= title or title <= hint) else 0


def _words(text):
    return set(_WORD.findall(text.lower())) if text else set()


@lru_cache(maxsize=4096)  # the same keys come back thousands of times in one page's state
def _norm(key):
    """A key lower-cased without _, - or spaces (string operations: it runs for every key of the page's state)."""
    return "".join(str(key).replace("_", "").replace("-", "").split()).lower()


@lru_cache(maxsize=8192)  # the walks of a page's state ask the same few patterns about the same keys
def _key_has(pattern, key):
    """Whether one of the key patterns above finds anything in a key."""
    return pattern.search(key) is not None


def _get(node, keys):
    yield from _present({_norm(key): value for key, value in node.items()}, keys)


def _present(normalised, keys):
    """(key, value) of each of `keys` with a value in `normalised` (a dict keyed by _norm), in the order of `keys`."""
    for key in keys:
        if key in normalised and normalised[key] not in (None, "", [], {}):
            yield key, normalised[key]


def _first(node, keys, reader):
    return next((result for _, value in _get(node, keys) if (result := reader(value))), None)


def _first_text(node, keys):
    return _first(node, keys, lambda value: clean_text(value) if isinstance(value, str) else None)


def _brand(node):
    return _first(node, BRAND_KEYS, brand_name)


def _price(node):
    """The node's price and currency; the price of the first price key that has one, or one in cents."""
    for _, value in [*_get(node, PRICE_KEYS), (None, node)]:
        price = price_value(value) if value is not node else minor_units_price(node)
        if price:
            currency = (
                currency_value(value)
                or _first(node, ("currency", "currencycode", "pricecurrency"), parse_currency)
                or (parse_currency(value) if isinstance(value, str) else None)
            )
            return price, currency
    return None, None


def _url_selected_variant(node, url_text):
    """The element of the node's variant lists whose id, SKU or code the page URL names: a query value of any length
    (`?variant=47`), else a part of the URL of 4 characters or more (`/p/shirt-ab1234`)."""
    query_values = {value for _, value in parse_qsl(urlsplit(url_text).query)}
    return _variant_named(node, lambda identifier: identifier in query_values or in_url(identifier, url_text))


def _stated_variant(node):
    """The element of the node's variant lists the node names as selected by its id or code
    (`"selectedVariantId": 4471`), or None."""
    stated = {
        str(value).lower()
        for key, value in node.items()
        if isinstance(value, (str, int)) and not isinstance(value, bool) and SELECTED_ID.match(_norm(key))
    }
    return _variant_named(node, stated.__contains__) if stated else None


def _variant_named(node, names):
    """The first element of the node's variant lists one of whose ids or codes (lower-cased) `names` accepts."""
    for _, value in _get(node, VARIANT_KEYS):
        elements = list(value.values()) if isinstance(value, dict) else value
        for element in elements if isinstance(elements, list) else []:
            identifiers = (
                [
                    str(identifier).lower()
                    for _, identifier in _get(element, ("id", "variantid", *SKU_KEYS))
                    if isinstance(identifier, (str, int))
                ]
                if isinstance(element, dict)
                else []
            )
            if any(names(identifier) for identifier in identifiers):
                return element
    return None


def _page_selected_variant(node, selection):
    """The element of the node's variant lists the page's selection points to (see selection.py), or None."""
    for _, value in _get(node, VARIANT_KEYS):
        elements = list(value.values()) if isinstance(value, dict) else value
        elements = (
            [element for element in elements if isinstance(element, dict)]
            if isinstance(elements, list)
            else []
        )
        chosen = selection.choose(elements, _variant_description) if elements else None
        if chosen is not None:
            return chosen
    return None


def _variant_description(element):
    """(ids, links, option values) of a variant element: its ids and codes, its URL and its short values (option
    values such as "Navy" or "M", and the ids a chosen control may carry as its value)."""
    ids = [identifier for _, identifier in _get(element, ("id", "variantid", *SKU_KEYS))]
    links = [link for _, link in _get(element, ("url", "link", "href")) if isinstance(link, str)]
    return ids, links, short_values(element)


def _product_availability(node, selected, variants):
    """The selected variant's stock, else the product's own flag, else whether any of its variants is in stock."""
    for item in (selected, node):
        available = _availability(item, PRODUCT_AVAILABILITY_KEYS) if isinstance(item, dict) else None
        if available is not None:
            return available
    stated = [
        available
        for item in (variants[1] if variants else [])
        if isinstance(item, dict) and (available := _availability(item)) is not None
    ]
    return any(stated) if stated else None


def _selected_child(node, pattern):
    return next(
        (value for key, value in node.items() if isinstance(value, dict) and pattern.match(_norm(key))),
        None,
    )


def _variant_list(node, depth=0):
    """(key, elements) of the node's size/variant collection, looking one level into wrappers."""
    for key, value in _get(node, VARIANT_KEYS):
        elements = list(value.values()) if isinstance(value, dict) else value
        if isinstance(elements, list) and elements and any(_size_label(item, key) for item in elements):
            return key, elements
    if depth == 0:
        for key, value in node.items():
            if isinstance(value, dict) and "size" in _norm(key) and not _key_has(_SKIP_SUBTREE, key):
                found = _variant_list(value, depth + 1)
                if found:
                    return found
    return None


def _size_label(item, collection_key):
    if isinstance(item, (str, int, float)) and not isinstance(item, bool):
        return clean_text(item) if collection_key in SIZE_ONLY_KEYS else None
    if not isinstance(item, dict):
        return None
    keys = SIZE_LABEL_KEYS + (GENERIC_LABEL_KEYS if collection_key in SIZE_ONLY_KEYS else ()) + SIZE_CODE_KEYS
    for _, value in _get(item, keys):
        if isinstance(value, dict):
            value = next(
                (v for _, v in _get(value, ("local", "name", "label", "value", "manufacturer"))), None
            )
        label = (
            clean_text(value)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool)
            else None
        )
        if label and len(label) <= 24:
            return label
    return None


def _sizes(variants):
    if not variants:
        return []
    key, elements = variants
    sizes = {}
    for item in elements:
        label = _size_label(item, key)
        if not label:
            continue
        available = _availability(item) if isinstance(item, dict) else None
        previous = sizes.get(label)
        sizes[label] = available if previous is None else (previous or bool(available))
    return [{"name": name, "available": available} for name, available in sizes.items()]


def _availability(item, keys=AVAILABILITY_KEYS):
    for _, value in _get(item, keys):
        if isinstance(value, dict):
            value = next(
                (
                    v
                    for _, v in _get(
                        value,
                        (
                            "stocklevelstatus",
                            "status",
                            "stocklevel",
                            "available",
                            "quantity",
                            "availabletoorder",
                        ),
                    )
                ),
                None,
            )
        available = parse_availability(value)
        if available is not None:
            return available
    return None


def _sizes_anywhere(blob):
    """Sizes from any collection whose items carry a size-specific key (state split across blobs)."""
    for value, _, _, _ in _walk(blob):
        items = list(value.values()) if isinstance(value, dict) else value
        if len(items) >= 2 and all(isinstance(item, dict) and _size_label(item, "") for item in items):
            return _sizes(("", items))
    return []


def _gallery_anywhere(blob, base_url):
    """Images of a gallery widget's configuration outside any product node (Magento's `mage/gallery/gallery`)."""
    for value, key, _, _ in _walk(blob):
        if isinstance(key, str) and _key_has(_GALLERY_KEY, key) and isinstance(value, (dict, list)):
            urls = unique(_image_urls(value, base_url, 0))
            if urls:
                return urls
    return []


def _option_values(blob, name_pattern, with_availability=False):
    """Labels of the first option definition whose name matches (sizes with availability, or colours)."""
    for value, _, _, _ in _walk(blob):
        if not isinstance(value, dict):
            continue
        # Its keys normalised once for both questions; its name asked only when it lists options at all.
        normalised = {_norm(key): item for key, item in value.items()}
        options = next((v for _, v in _present(normalised, OPTION_VALUE_KEYS) if isinstance(v, list)), None)
        if not options:
            continue
        name = next((_norm(v) for _, v in _present(normalised, OPTION_NAME_KEYS) if isinstance(v, str)), "")
        labels = _option_labels(options) if name_pattern.match(name) else []
        if labels:
            if with_availability:
                return [{"name": label, "available": available is not False} for label, available in labels]
            return [label for label, _ in labels]
    return []


def _option_labels(options):
    labels = []
    for option in options:
        if isinstance(option, dict):
            label = _first(
                option,
                OPTION_LABEL_KEYS,
                lambda v: (
                    clean_text(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None
                ),
            )
            available = next((parse_availability(v) for _, v in _get(option, OPTION_AVAILABLE_KEYS)), None)
            if available is None and isinstance(option.get("products"), list):
                available = bool(option["products"])  # Magento lists the simple products that have the option
        else:
            label, available = clean_text(option) if isinstance(option, (str, int, float)) else None, None
        if label and len(label) <= 40 and label not in (known for known, _ in labels):
            labels.append((label, available))
    return labels


def _colors(node, variant_elements):
    colors = [_first_text(item, COLOR_KEYS) for item in variant_elements if isinstance(item, dict)]
    for _, value in _get(node, COLOR_LIST_KEYS):
        for item in value if isinstance(value, list) else []:
            colors.append(
                _first_text(item, COLOR_KEYS + ("name",)) if isinstance(item, dict) else clean_text(item)
            )
    colors.append(_first_text(node, COLOR_KEYS))
    return unique(colors)


def _images(node, base_url):
    urls = []
    for key, value in node.items():
        if _key_has(_IMAGE_LIST_KEY, str(key)) and not _key_has(_NOT_PRODUCT_IMAGE_KEY, str(key)):
            urls += _image_urls(value, base_url, 0)
    return unique(urls)


def _image_urls(value, base_url, depth):
    if depth > 4:
        return []
    if isinstance(value, str):
        url = large_image_url(value, base_url) if _IMAGE_URL.search(value) else None
        return [url] if url else []
    if isinstance(value, list):
        return [url for item in value[:40] for url in _image_urls(item, base_url, depth + 1)]
    if isinstance(value, dict):
        for key in IMAGE_RENDITION_KEYS:
            found = _image_urls(value.get(key), base_url, depth + 1)
            if found:
                return found
        nested = [
            item
            for key, item in value.items()
            if isinstance(item, (dict, list)) and not _key_has(_NOT_PRODUCT_IMAGE_KEY, str(key))
        ]
        return [url for item in nested for url in _image_urls(item, base_url, depth + 1)]
    return []


def _fabric(node, depth=0):
    """Composition from material-named keys, attribute lists, or {material, percentage} components."""
    if depth > 4:
        return []
    if isinstance(node, list):
        components = [
            item for item in node if isinstance(item, dict) and "material" in item and "percentage" in item
        ]
        if components:
            return from_components(components)
        return next((found for item in node[:30] if (found := _fabric(item, depth + 1))), [])
    if not isinstance(node, dict):
        return []
    label = _first_text(node, ("name", "label", "key", "title", "heading"))
    if label and _MATERIAL_KEY.search(label):
        found = _composition_from(next((v for _, v in _get(node, ("value", "values", "text", "data"))), None))
        if found:
            return found
    for key, value in node.items():
        if _key_has(_SKIP_SUBTREE, str(key)):
            continue
        if _key_has(_MATERIAL_KEY, str(key)):
            found = _composition_from(value) or _fabric(value, depth + 1)
        elif isinstance(value, (dict, list)):
            found = _fabric(value, depth + 1)
        else:
            found = []
        if found:
            return found
    return []


def _composition_from(value):
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value if isinstance(item, (str, int, float)))
    return parse_composition(value) if isinstance(value, str) and has_material(value) else []


def _breadcrumbs(node):
    for _, value in _get(node, BREADCRUMB_KEYS):
        if isinstance(value, list):
            names = [
                _first_text(item, ("name", "displayname", "text", "label", "title"))
                if isinstance(item, dict)
                else clean_text(item)
                for item in value
            ]
            names = [name for name in names if name]
            if names:
                return names
    return []


def _product_type(node):
    for _, value in _get(node, PRODUCT_TYPE_KEYS):
        text = brand_name(value) if isinstance(value, (dict, str)) else None
        if text and not text.isdigit():
            return text
    return None
