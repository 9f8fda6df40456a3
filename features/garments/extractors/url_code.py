"""The product code a product page's URL carries, the last resort for the SKU.

Shops put the product's id in its URL: a query parameter named for it (`?pid=260591`), a path segment
that is nothing but the code (`/dp/B01GOH7PKA`, `/itm/143863282131`, `/Prod/144432/`), or a slug that
ends or starts with it (`/leather-look-shirt-15213589.html`, `/item/93133869_pillows-pair`).
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from features.garments.extractors.values import parse_identifier
from shared.text_patterns import IGNORECASE, compile_pattern

# Query parameters that name the product (normalised: lower case, no _ or -).
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
)
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
    """The product code in a URL's id parameter, its last path segment, or the end or start of its slug."""
    named = _named_code(url)
    if named:
        return named
    parts = urlsplit(url or "")
    segments = [_EXTENSION.sub("", unquote(segment)) for segment in parts.path.split("/") if segment]
    if not segments:
        return None
    last = segments[-1]
    if _is_code(last):
        return last
    words = _SLUG_SEPARATOR.split(last)
    return next((word for word in (words[-1], words[0]) if len(words) > 1 and _is_code(word)), None)


def _named_code(url):
    """The code a query parameter names as the product's (`?pid=260591`, `?sku=AB-1234`), or None."""
    for key, value in parse_qsl(urlsplit(url or "").query):
        if key.replace("_", "").replace("-", "").lower() in _ID_PARAMETERS and _is_code(value.strip()):
            return value.strip()
    return None


def _is_code(word):
    """Letters and digits enough to be a code, and no database's key (see parse_identifier)."""
    return (
        bool(_CODE.fullmatch(word))
        and sum(character.isdigit() for character in word) >= _CODE_DIGITS
        and parse_identifier(word) is not None
    )
