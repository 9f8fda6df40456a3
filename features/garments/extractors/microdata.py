"""Microdata (itemscope/itemprop) read with its scopes, as JSON-LD-shaped nodes.

A property belongs to its nearest enclosing itemscope, so an `h1 itemprop="name"` inside a
breadcrumb ListItem never becomes the product's name.
"""
from features.garments.extractors.values import clean_text

_URL_ATTRIBUTE = {"a": "href", "link": "href", "area": "href", "img": "src", "source": "src", "video": "src",
                  "audio": "src", "iframe": "src", "embed": "src", "object": "data"}


def read_items(tree):
    """Top-level microdata items as dicts shaped like JSON-LD nodes ({"@type": …, prop: value|[values]})."""
    return [_item(element) for element in tree.xpath("//*[@itemscope][not(@itemprop)]")
            if not any(ancestor.get("itemscope") is not None for ancestor in element.iterancestors())]


def property_value(element):
    """The value of one itemprop element per the microdata rules (content, URL attributes, text)."""
    if element.get("content") is not None:
        return element.get("content")
    attribute = _URL_ATTRIBUTE.get(element.tag)
    if attribute:
        return element.get(attribute) or element.get("data-src")
    if element.tag in ("data", "meter"):
        return element.get("value")
    if element.tag == "time":
        return element.get("datetime") or element.text_content()
    return clean_text(element.text_content())


def _item(scope):
    node = {"@type": scope.get("itemtype", "").split()}
    for element, is_scope in _scoped_properties(scope):
        value = _item(element) if is_scope else property_value(element)
        for name in element.get("itemprop").split():
            if name in node and value is not None:
                existing = node[name]
                node[name] = (existing if isinstance(existing, list) else [existing]) + [value]
            elif value is not None:
                node[name] = value
    return node


def _scoped_properties(scope):
    """(element, has_own_scope) for itemprops whose nearest scope is `scope`."""
    stack = list(reversed(scope))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        has_prop = element.get("itemprop") is not None
        has_scope = element.get("itemscope") is not None
        if has_prop:
            yield element, has_scope
        if not has_scope:
            stack.extend(reversed(element))
