"""The product code a product page's URL carries, the last resort for the SKU.

Shops put the product's id in its URL: a query parameter named for it (`?pid=260591`, `?goodsNo=…`), a path
segment that is nothing but the code (`/dp/B01GOH7PKA`, `/itm/143863282131`, `/Prod/144432/`, also before a
slug or a tracking tail: `/product/12345/red-shirt`, `/dp/B01GOH7PKA/ref=sr_1_1`), or a slug that ends or starts
with it (`/leather-look-shirt-15213589.html`, `/item/93133869_pillows-pair`). Only a parameter named for the
product says what its code is; any other code stands only where the page prints it (see base._merge_sku).
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from features.garments.extractors.values import parse_identifier
from shared.text_patterns import IGNORECASE, compile_pattern

# Query parameters that name the product (normalised: lower case, no _ or -): their value is its code.
_ID_PARAMETERS = (
    "sku",
    "skuid",
    "pid",
    "productid",
    "itemid",
    "articleid",
    "idproduct",
    "productcode",
    "articlenumber",
    "itemnumber",
    "itemno",
    "itemcode",
    "productno",
    "productnumber",
    "prodid",
    "prdno",
    "goodsno",
    "goodsid",
    "goodscode",
    "articlecode",
)
# Query parameters that name something, the product as often as not (`?id=4711`): a code the page must print.
_LOOSE_ID_PARAMETERS = ("id", "item", "product", "code", "no", "p")
_EXTENSION = compile_pattern(r"\.(?:html?|php|aspx?|jsp)$", IGNORECASE)
# A code: 5 to 24 letters and digits with at least two digits (not a word, not a year or a size).
_CODE = compile_pattern(r"[a-z\d]{5,24}", IGNORECASE)
_CODE_DIGITS = 2
_SLUG_SEPARATOR = compile_pattern(r"[-_~+,.]")


def read_url(page):
    """{"sku": the code the page URL carries, "named": whether a query parameter names it as the product's} or {}."""
    named = _named_code(page.url)
    code = named or url_product_code(page.url)
    return {"sku": code, "named": bool(named)} if code else {}


def url_product_code(url):
    """The product code in a URL's id parameter, its last path segment or the end or start of that segment's slug,
    else the last earlier segment that is nothing but a code (`/product/12345/red-shirt`, `/dp/B01GOH7PKA/ref=sr_1`),
    else a parameter that names something (`?id=48213`)."""
    named = _named_code(url)
    if named:
        return named
    parts = urlsplit(url or "")
    segments = [_EXTENSION.sub("", unquote(segment)) for segment in parts.path.split("/") if segment]
    words = _SLUG_SEPARATOR.split(segments[-1]) if segments else []
    slug_ends = (words[-1], words[0]) if len(words) > 1 else ()
    return (
        next((word for word in (*segments[-1:], *slug_ends) if _is_code(word)), None)
        or next((segment for segment in reversed(segments[:-1]) if _is_code(segment)), None)
        or _named_code(url, _LOOSE_ID_PARAMETERS)
    )


def _named_code(url, names=_ID_PARAMETERS):
    """The code a query parameter names as the product's (`?pid=260591`, `?sku=AB-1234`), or None."""
    for key, value in parse_qsl(urlsplit(url or "").query):
        if key.replace("_", "").replace("-", "").lower() in names and _is_code(value.strip()):
            return value.strip()
    return None


def _is_code(word):
    """Letters and digits enough to be a code, and no database's key (see parse_identifier)."""
    return (
        bool(_CODE.fullmatch(word))
        and sum(character.isdigit() for character in word) >= _CODE_DIGITS
        and parse_identifier(word) is not None
    )
