"""The variant a product page shows selected, read once per page and used by every layer that lists variants.

A page says which variant it shows in several ways: its URL (`?variant=4471`, `?color=blue&size=m`, SFCC's
`?dwvar_ab12_color=blue`) or its canonical URL, the variant id its add-to-cart form posts (Shopify's `id`,
`variant_id`), and the options its buy box marks chosen (a `selected` option, a `checked` radio, an
`aria-checked`/`aria-selected` swatch, an `is-active`/`selected` class). `choose` picks the one variant all that
evidence points to, or none: a layer then reads the product's own code and its stock over every variant.
"""

from functools import cached_property
from urllib.parse import parse_qsl, unquote, urlsplit

from shared.text_patterns import IGNORECASE, compile_pattern

# Names the add-to-cart form posts the chosen variant under (normalised: lower case, no _ or -).
_VARIANT_INPUTS = ("id", "variant", "variantid", "variationid", "selectedvariant", "skuid", "sku")
# Where a form posts to the cart, or what names it as the product's buy form.
_BUY_FORM = compile_pattern(r"cart|basket|bag|product[-_]?form|addto|add-to|buy", IGNORECASE)
# Selects that choose no variant (how many, where to ship, how to sort).
_NOT_AN_OPTION = compile_pattern(r"qty|quantity|country|currency|lang|sort|region|store", IGNORECASE)
_SELECTED_CLASS = compile_pattern(
    r"(?:^|[\s_-])(?:is-)?(?:selected|active|checked|current)(?:$|[\s_])", IGNORECASE
)
# Options marked chosen by their state (those marked by a class are found through the page's namings), each reached
# through the attribute that marks it: a predicate on every element costs an XPath evaluation per element.
_CHOSEN = (
    "/descendant::option/@selected/.."
    " | /descendant::input/@checked/parent::*[@type='radio' or @type='checkbox']"
    " | /descendant::*/@aria-checked[. = 'true']/.."
    " | /descendant::*/@aria-selected[. = 'true']/.."
    " | /descendant::*/@aria-pressed[. = 'true']/.."
)
_VALUE_ATTRIBUTES = (
    "value",
    "data-value",
    "data-option-value",
    "data-option-id",
    "data-option-label",
    "data-attr-value",
    "data-variant-value",
    "title",
    "aria-label",
)
_OPTION_TEXT_LIMIT = 30  # a swatch's or an option's label; longer texts are whole blocks of the page
_SHORT_VALUE = 40  # option values of a variant are short words ("Navy", "M", "42"); longer strings are texts


class Selection:
    """What the page says it shows: `ids` (values naming a variant: the URL's and canonical URL's query values and the
    id the buy form posts), `links` (the page's and canonical URL's host, path and query) and `options` (option values:
    the URLs' query values, `?color=navy`, and the values of the options its buy box marks chosen), all lower-cased.
    The buy box is read only when a layer has variants that neither ids nor links tell apart."""

    def __init__(self, page):
        self._page = page
        urls = [page.url, page.canonical_link]
        self._queried = {
            value.strip().lower() for url in urls if url for _, value in parse_qsl(urlsplit(url).query)
        } - {""}
        self.ids = frozenset(self._queried | {value.lower() for value in _posted_variants(page)})
        self.links = frozenset(link_key(url) for url in urls if url)

    @cached_property
    def options(self):
        return frozenset((self._queried | set(_chosen_options(self._page))) - {""})

    def choose(self, variants, describe):
        """The one variant the page selects, or None. `describe(variant)` gives its (ids, links, option values). A
        variant whose id the page names wins, else the one whose link is the page's, else the one variant having
        every chosen option that some variant has (options no variant has are the page's other controls)."""
        described = [(variant, *_lowered(describe(variant))) for variant in variants]
        for position, named in ((1, self.ids), (2, self.links)):
            found = [entry[0] for entry in described if entry[position] & named]
            if len(found) == 1:
                return found[0]
        known = set().union(*(entry[3] for entry in described)) if described else set()
        chosen = self.options & known if known else set()
        if not chosen:
            return None
        found = [entry[0] for entry in described if chosen <= entry[3]]
        return found[0] if len(found) == 1 else None


def read_selection(page):
    """The Selection of a parsed page (outside the page chrome and other products' blocks)."""
    return Selection(page)


def link_key(url):
    """A URL's host (without www.), path and query, for telling whether two URLs show the same variant (a URL that
    does not parse, such as `http://[bad`, stands for itself)."""
    text = unquote(url or "").lower()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return text
    query = "&".join(sorted(f"{key}={value}" for key, value in parse_qsl(parts.query)))
    return f"{host.removeprefix('www.')}{parts.path.rstrip('/')}?{query}"


def short_values(item):
    """The short strings and numbers an object holds at its top level (a variant's option values and ids)."""
    return [
        str(value)
        for value in item.values()
        if isinstance(value, (str, int)) and not isinstance(value, bool) and len(str(value)) <= _SHORT_VALUE
    ]


def _posted_variants(page):
    """The variant ids the page's buy forms post (`<input name="id" value="4471">`, a variant `<select name="id">`)."""
    for form in page.tree.iter("form"):
        naming = " ".join(form.get(name) or "" for name in ("action", "class", "id"))
        if not _BUY_FORM.search(naming) or page.in_other_product(form):
            continue
        for field in form.iter("input", "select"):
            name = (field.get("name") or "").replace("_", "").replace("-", "").lower()
            if name not in _VARIANT_INPUTS or (field.get("type") or "").lower() in ("checkbox", "radio"):
                continue
            if field.tag == "select":
                field = next(
                    (option for option in field.iter("option") if option.get("selected") is not None), None
                )
            value = (field.get("value") or "").strip() if field is not None else ""
            if value and value != "0":
                yield value


def _chosen_options(page):
    """The lower-cased values and labels of the options the page marks chosen: by their state (`selected`, `checked`,
    `aria-checked`…) or by a class (`is-active`, `selected`), outside the page chrome and other products' blocks."""
    by_class = page.named_elements(lambda naming: bool(_SELECTED_CLASS.search(naming.class_ or "")))
    for element in [*page.tree.xpath(_CHOSEN), *by_class]:
        if element.tag in ("body", "html") or page.in_other_product(element) or _chooses_no_variant(element):
            continue
        for name in _VALUE_ATTRIBUTES:
            value = (element.get(name) or "").strip()
            if value and len(value) <= _SHORT_VALUE:
                yield value.lower()
        text = " ".join(element.text_content().split())
        if text and len(text) <= _OPTION_TEXT_LIMIT:
            yield text.lower()


def _chooses_no_variant(element):
    """Whether a chosen option belongs to a select of how many, where to ship or how to sort."""
    if element.tag != "option":
        return False
    select = next(element.iterancestors("select"), None)
    return select is not None and bool(
        _NOT_AN_OPTION.search(f"{select.get('name') or ''} {select.get('id') or ''}")
    )


def _lowered(description):
    ids, links, options = description
    return (
        {str(value).strip().lower() for value in ids if value not in (None, "")},
        {link_key(link) for link in links if link},
        {str(value).strip().lower() for value in options if value not in (None, "")},
    )
