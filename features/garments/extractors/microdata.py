"""Microdata (itemscope/itemprop) and RDFa (typeof/property) read with their scopes, as JSON-LD-shaped nodes.

A property belongs to its nearest enclosing itemscope (RDFa: typeof), so an `h1 itemprop="name"` inside a
breadcrumb ListItem never becomes the product's name. RDFa names may carry a prefix or the vocabulary's URL
("schema:price", "http://schema.org/price"): the name after it is the property.
"""

from lxml import etree

from features.garments.extractors.values import clean_text

_URL_ATTRIBUTE = {
    "a": "href",
    "link": "href",
    "area": "href",
    "img": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "iframe": "src",
    "embed": "src",
    "object": "data",
}


_MICRODATA = ("itemscope", "itemprop", "itemtype")
_STRAY_CODE_FIELDS = {"sku": "sku", "productID": "sku", "mpn": "mpn"}
_STRAY_CODE_NAMES = tuple(_STRAY_CODE_FIELDS)
# The elements whose itemprop names a code (reached through the attribute, see _SCOPES).
_STRAY_CODES = "/descendant::*/@itemprop[. = 'sku' or . = 'productID' or . = 'mpn']/.."
_RDFA = ("typeof", "property", "typeof")
# The elements that open an item of either syntax, in document order (`/descendant::*` is `//*`, without the child
# step from every node libxml2 takes for `//`). Each is reached through its attribute, `/descendant::*/@itemscope/..`:
# libxml2 then only compares the names of each element's attributes, where a predicate on every element
# (`/descendant::*[@itemscope or @typeof]`) costs an XPath evaluation per element (1.5-2 x the time on the dev pages).
_SCOPES = etree.XPath(f"/descendant::*/@{_MICRODATA[0]}/.. | /descendant::*/@{_RDFA[0]}/..")


def read_items(tree):
    """Top-level microdata and RDFa items as dicts shaped like JSON-LD nodes ({"@type": …, prop: value|[values]}):
    each syntax's items that are no item's property and sit in no other item of that syntax, microdata's first."""
    scopes = _SCOPES(tree)
    items = []
    for syntax in (_MICRODATA, _RDFA):
        scope_attribute, property_attribute, _ = syntax
        opened = [element for element in scopes if element.get(scope_attribute) is not None]
        inside = set(opened)
        items += [
            _item(element, syntax)
            for element in opened
            if element.get(property_attribute) is None
            and not any(ancestor in inside for ancestor in element.iterancestors())
        ]
    return items


def stray_codes(page):
    """{"sku": …, "mpn": …} printed as microdata properties outside any item (a shop's template that lost its
    itemscope, `<span itemprop="sku">AB-1234</span>`), which no item above reads; meta tags are the meta layer's,
    and a code in another product's tile (a carousel of recommendations) is that product's.
    The page's text is looked through first: few pages have such a property, and a search of the tree costs."""
    found = {}
    if not _mentions_code_property(page.html or ""):
        return found
    for element in page.tree.xpath(_STRAY_CODES):
        name = _STRAY_CODE_FIELDS.get(element.get("itemprop").strip())
        if (
            name
            and name not in found
            and element.tag != "meta"
            and not any(ancestor.get("itemscope") is not None for ancestor in element.iterancestors())
            and not page.in_other_product(element)
        ):
            found[name] = property_value(element)
    return found


def _mentions_code_property(html):
    """Whether the page's HTML has an itemprop naming a code (string search: it runs on every page)."""
    start = html.find("itemprop")
    while start >= 0:
        if html[start + 8 : start + 24].lstrip(" =\"'").startswith(_STRAY_CODE_NAMES):
            return True
        start = html.find("itemprop", start + 8)
    return False


def property_value(element):
    """The value of one itemprop element per the microdata rules (content, URL attributes, text)."""
    if element.get("content") is not None:
        return element.get("content")
    if element.get("resource") is not None:  # RDFa's link to a thing ("http://schema.org/InStock")
        return element.get("resource")
    attribute = _URL_ATTRIBUTE.get(element.tag)
    if attribute:
        return element.get(attribute) or element.get("data-src")
    if element.tag in ("data", "meter"):
        return element.get("value")
    if element.tag == "time":
        return element.get("datetime") or element.text_content()
    return clean_text(element.text_content())


def _item(scope, syntax):
    scope_attribute, property_attribute, type_attribute = syntax
    node = {"@type": [_name(name) for name in scope.get(type_attribute, "").split()]}
    for element, is_scope in _scoped_properties(scope, scope_attribute, property_attribute):
        value = _item(element, syntax) if is_scope else property_value(element)
        for name in map(_name, element.get(property_attribute).split()):
            if name in node and value is not None:
                existing = node[name]
                node[name] = (existing if isinstance(existing, list) else [existing]) + [value]
            elif value is not None:
                node[name] = value
    return node


def _name(name):
    """A type or property name without its vocabulary ("schema:Product", "http://schema.org/Product" → "Product")."""
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _scoped_properties(scope, scope_attribute, property_attribute):
    """(element, has_own_scope) for properties whose nearest scope is `scope`."""
    stack = list(reversed(scope))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        has_prop = element.get(property_attribute) is not None
        has_scope = element.get(scope_attribute) is not None
        if has_prop:
            yield element, has_scope
        if not has_scope:
            stack.extend(reversed(element))
