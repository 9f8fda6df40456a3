"""A product page parsed once: the HTML tree, its scripts, meta tags and embedded JSON/JS objects."""

import bisect
import html
import itertools
import json
from collections import namedtuple
from functools import cached_property

import chompjs
import lxml.html
from lxml import etree

from features.garments.extractors.schema_org import title_likeness, title_overlap
from features.garments.extractors.selection import read_selection
from features.garments.extractors.values import absolute_url, clean_text
from shared.text_patterns import DOTALL, IGNORECASE, compile_pattern

_COMMENT_WRAPPERS = compile_pattern(
    r"^\s*(?:/\*\s*)?(?:<!\[CDATA\[|<!--)\s*(?:\*/)?|(?:/\*\s*)?(?:\]\]>|-->)\s*(?:\*/)?\s*$"
)
# A JS string literal (_js_tokens reads them the same way without a pattern).
# Elements whose `data-…-src` is no image of theirs (a media source, a script or frame loaded later).
_NOT_IMAGES = frozenset({"source", "script", "iframe", "video", "audio", "link", "track", "embed"})
_JS_STRING = compile_pattern(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`""", DOTALL)
_JS_ESCAPE = compile_pattern(r'\\(x[0-9a-fA-F]{2}|.)|"', DOTALL)
_TERNARY_CONDITION = compile_pattern(r"[!\w$.()]+\s*\?\s*$")
# `var productArticleDetails = {`, `window.zara.viewPayload = {`, `window.__STATE__ = JSON.parse('…')`;
# the match ends with the literal's first character.
_ASSIGNMENT = compile_pattern(
    r"(?:\b(?:var|let|const)\s+|\b(?:window|self|globalThis)\.)([\w$.]+)\s*=\s*"
    r"(?:[{\[]|JSON\.parse\(\s*['\"`])"
)
MAX_STATE_SCRIPT_CHARS = 3_000_000
_JSON = json.JSONDecoder(strict=False)
_COUNTED_RUN = (
    16  # characters of a run of JS code from which its brackets are counted rather than read one by one
)
_HEADER_TITLE_LIKENESS = (
    0.5  # share of the heading's words the page title must have when it sits in the header
)
# Elements whose class or id may name the title, reached through those attributes (a predicate on every element
# costs an XPath evaluation per element).
_TITLE_NAMED = (
    "/descendant::*/@class[contains(., 'itle') or contains(., 'ame')]/.."
    " | /descendant::*/@id[contains(., 'itle') or contains(., 'ame')]/.."
)
_PRODUCT_TITLE_MARK = compile_pattern(r"(?:product|pdp|item|article)[-_]?(?:title|name)(?![a-z])", IGNORECASE)
_TITLE_LIMIT = 200
# Blocks of what shoppers write (reviews, questions): their headings are no product's name.
_SHOPPERS_WORDS = compile_pattern(r"review|rating|comment|testimonial|question", IGNORECASE)
_LOWER_HEADING_WORDS = 2
_NAMED_IN_TITLE = 2  # title_likeness of a name the title holds in full
# `window.__NUXT__=(function(a,b,c){return {` (Nuxt 2 minifies repeated values into parameters).
_NUXT_FUNCTION = compile_pattern(r"__NUXT__\s*=\s*\(?\s*function\s*\(([\w$,\s]*)\)\s*\{\s*return\s*(?=\{)")
_NUXT_PARAMETER = compile_pattern(r"(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$])")
_KEY_COLON = compile_pattern(r"\s*:")
# `}(true, "EUR")`: the end of the Nuxt 2 function and the start of its arguments.
_NUXT_CALL = compile_pattern(r"\s*;?\s*\}\s*\)?\s*(?=\()")
_FLIGHT_PUSH = compile_pattern(r"self\.__next_f\.push\(\s*(?=\[)")
# What a page tells its analytics about the product: `dataLayer.push({…})` (Google Tag Manager, any name ending in
# "dataLayer") and `gtag("event", "view_item", {…})`; the match ends before the object's "{".
_ANALYTICS_CALL = compile_pattern(
    r"""(?:\b\w*[dD]ata[lL]ayer\.push\(|\bgtag\(\s*['"]event['"]\s*,\s*['"](\w+)['"]\s*,)\s*(?=\{)"""
)
_JAVASCRIPT_TYPES = (
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
)
# Containers of other products: recommendations, carousels, recently viewed, "shop the look"…
_OTHER_PRODUCTS = compile_pattern(
    r"recommend|related|similar|upsell|cross-?sell|recently|also-?like|complete-?the|"
    r"shop-?the-?look|style-?with|outfit|product-?tile|tile-image|(?<![a-z])recos?(?![a-z])|"
    r"you-?may|mega-?menu|cookie|newsletter|mini-?cart",
    IGNORECASE,
)
_HIDDEN_CLASS = compile_pattern(
    r"(?:^|\s)(?:(?:[a-z]{1,3}-)?(?:hidden|hide)|d-none|invisible|display-none)"
    r"(?:\s|$)",
    IGNORECASE,
)
# A dialog's own block (Bootstrap's `modal`, `c-modal`, `modal-window`), and the classes that show one.
_MODAL_CLASS = compile_pattern(r"(?:^|\s)(?:[a-z]{1,3}-)?modal(?:-window|-dialog)?(?:\s|$)", IGNORECASE)
_SHOWN_CLASS = compile_pattern(
    r"(?:^|\s)(?:is-)?(?:show|shown|open|opened|active|visible|in)(?:\s|$)", IGNORECASE
)
_NO_TEXT_TAGS = ("script", "style", "template", "noscript")
# What a heading holds besides the product's name: its brand, its price (a classified ad's "- £1,899"), text for screen
# readers only (`sr-only`, `visually-hidden`, `offleft`, eBay's `g-hdn` "Details about") and its controls (a wishlist
# button with its "Saved!" pop-up, in an `aria-hidden` block or a <button>).
_SCREEN_READERS = r"(?:^|\s)(?:[a-z]{1,3}-)?(?:sr-only|visually-?hidden|screen-?reader[\w-]*|off-?screen|off-?left|hdn)(?:\s|$)"
_SCREEN_READERS_ONLY = compile_pattern(_SCREEN_READERS, IGNORECASE)
_NOT_THE_NAME = compile_pattern(rf"brand|price|{_SCREEN_READERS}", IGNORECASE)
# Children of a heading shown on lines of their own ("VADHOLMA" over "Rack for kitchen island"): words apart.
_BLOCK_TAGS = frozenset({"div", "p", "br", "li", "ul", "h2", "h3", "h4", "h5", "h6"})
# A link to a brand's own page on the shop: `/brand/acme`, `/brands/acme.html`, `/marque/acme`, `/marken/acme`,
# `/designers/acme`, `/manufacturer/12-acme`, Shopify's `/collections/vendors?q=Acme` (never the index of brands).
_BRAND_PAGE = compile_pattern(
    r"/(?:brands?|marques?|marcas?|marken?|merken?|marchi|designers?|manufacturers?|hersteller)/+[^/?#\s]"
    r"|[?&](?:q|vendor|brand)=[^&]|refinementlist%5bvendor%5d|refinementlist\[vendor\]",
    IGNORECASE,
)
# Words one of which the address of such a link holds in lower case (checked before the pattern runs).
_BRAND_PAGE_WORDS = (
    "/brand",
    "/marque",
    "/marca",
    "/marke",
    "/merk",
    "/marchi",
    "/designer",
    "/manufacturer",
    "/hersteller",
    "vendor",
)
_LINK_TEXT_LIMIT = 40
_IMAGE_FILE = compile_pattern(r"\.(?:jpe?g|png|webp|avif)(?:\?|$)", IGNORECASE)
_VOID_0 = compile_pattern(r"\bvoid 0\b")
# data-* attributes whose value opens a JSON object or array, in document order (selected by libxml2: pages carry
# thousands of data-* attributes, few of them JSON).
_JSON_DATA_ATTRIBUTES = "//@*[starts-with(name(), 'data-') and (starts-with(., '{') or starts-with(., '['))]"
# What names an element (its class, id, aria-label, data-brand and the test hook pages with generated class names
# name their parts by: data-testid, data-auto, data-qa), for the searches by name (other products' blocks,
# breadcrumbs, brand, fabric, description, the buy box's price).
Naming = namedtuple("Naming", ("class_", "id", "aria_label", "data_brand", "test_id"))


# lxml.html's own lookup picks each element's class in a Python call (forms, inputs, labels get classes of their own,
# whose extras no layer uses); every element an HtmlElement is the same tree for the layers, made without that call.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _parse_html(text):
    """The HTML tree of `text`, its elements HtmlElements (see _ELEMENT_CLASSES). The text goes to libxml2 as UTF-8
    bytes with the encoding stated (what lxml tells libxml2 for a str too, so a <meta charset> changes nothing):
    libxml2 reads UTF-8 faster than the UTF-16/UCS-4 buffer lxml hands it for a str holding any non-Latin
    character. As bytes, an XHTML page's XML declaration is read past (lxml refuses a str that declares an encoding:
    such a page was read as an empty one), its encoding label ignored: the text is decoded already. A text with lone
    surrogates (no UTF-8 form) stays a str. libxml2 keeps no table of the elements' ids (`collect_ids`): only XPath's
    id() reads it, which no layer calls, and filling it costs ~6 % of the parse."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = None
    parser = lxml.html.HTMLParser(encoding=None if data is None else "utf-8", collect_ids=False)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return lxml.html.document_fromstring(text if data is None else data, parser=parser)


class ProductPage:
    """The page at `url` as given by `html`; every view of it is computed on first use."""

    def __init__(self, url, html_text):
        self.url = url
        self.html = html_text
        self._searched = {}

    def marked(self, pattern, marker):
        """Whether `pattern` finds anything in `marker` (an element's class, id, label…), remembered for this page:
        a page repeats a few hundred class names over thousands of elements, and each layer asks about them."""
        key = (pattern, marker)
        found = self._searched.get(key)
        if found is None:
            found = self._searched[key] = pattern.search(marker) is not None
        return found

    def mark_all(self, pattern, markers):
        """Settles `marked(pattern, marker)` for many markers with one search through them all, a line each: a few
        hundred calls of a pattern on short texts cost more than one call on their lines. The pattern must read a
        line break as the start or end of a marker ((?<![a-z]) does; ^, $ and \\s would not); a match across two
        lines sends every marker to a search of its own. After a match the search goes on from the next line (a
        marker made of the pattern's matches, `size-size-size-…`, is one search, not one per match)."""
        searched = self._searched
        pending = [marker for marker in dict.fromkeys(markers) if (pattern, marker) not in searched]
        lines = [marker for marker in pending if "\n" not in marker]
        alone = [marker for marker in pending if "\n" in marker]
        starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
        text = "\n".join(lines)
        found = set()
        position = 0 if lines else len(text) + 1
        while position <= len(text):
            match = pattern.search(text, position)
            if match is None:
                break
            start, end = match.span()
            line = bisect.bisect_right(starts, start) - 1
            if end >= starts[line + 1]:
                alone = pending
                break
            found.add(line)
            position = starts[line + 1]
        if alone is not pending:
            searched.update(((pattern, line), index in found) for index, line in enumerate(lines))
        for marker in alone:
            self.marked(pattern, marker)

    @property
    def tree(self):
        return self._parsed[0]

    @property
    def nodes(self):
        """Every node of the tree (elements, comments…) in document order."""
        return self._parsed[1]

    @cached_property
    def _parsed(self):
        try:
            tree = _parse_html(self.html or "<html></html>")
        except (etree.ParserError, ValueError):
            tree = lxml.html.document_fromstring("<html></html>")
        # Every layer walks the tree again. lxml makes a Python object for a node each time one is reached
        # (and lxml.html picks its class in Python), unless the node already has one: holding them all for
        # the page's life makes each later walk only a lookup.
        return tree, list(tree.iter())

    @cached_property
    def images(self):
        """The page's images in page order: its `<img>` elements, and the elements a script turns into images (a
        `<div>` carrying the image's address in `data-src` or `data-…-src`, its text in `data-alt`), which a page read
        without running its scripts would show as no image at all."""
        drawn_later = "-src=" in (
            self.html or ""
        )  # most pages have none: then their images are their `<img>`s
        return [
            node
            for node in self.nodes
            if node.tag == "img"
            or (
                drawn_later
                and node.tag not in _NOT_IMAGES
                and "-src" in " ".join(names := node.keys())
                and any(name.startswith("data-") and name.endswith("-src") for name in names)
            )
        ]

    @cached_property
    def _namings(self):
        """Positions in `nodes` of the page's elements, grouped by their Naming: a search by name tests each
        distinct naming once, not each element (a page has thousands of elements and a few hundred namings)."""
        groups = {}
        for position, node in enumerate(self.nodes):
            if isinstance(node.tag, str):
                get = node.get
                naming = (
                    get("class"),
                    get("id"),
                    get("aria-label"),
                    get("data-brand"),
                    get("data-testid") or get("data-auto") or get("data-qa"),
                )
                positions = groups.get(naming)
                if positions is None:
                    groups[naming] = [position]
                else:
                    positions.append(position)
        return {Naming._make(naming): positions for naming, positions in groups.items()}

    def by_naming(self, read):
        """`read(naming)` for each node of `nodes` (None for the nodes that are no elements: comments…), read once per
        distinct Naming and set beside each of its elements by position (a lookup by the Naming would hash it again
        for every element)."""
        values = [None] * len(self.nodes)
        for naming, positions in self._namings.items():
            value = read(naming)
            for position in positions:
                values[position] = value
        return values

    def named_by(self, pattern, marker):
        """The elements whose `marker(naming)` (a text made of its Naming) `pattern` finds something in, in document
        order; every distinct marker is searched in one go (see mark_all)."""
        markers = {naming: marker(naming) for naming in self._namings}
        self.mark_all(pattern, markers.values())
        searched = self._searched
        return self.named_elements(lambda naming: searched[(pattern, markers[naming])])

    def named_elements(self, test):
        """The elements whose Naming (class, id, aria-label, data-brand, test hook; None when absent) passes `test`,
        in document order."""
        nodes = self.nodes
        return [
            nodes[position]
            for position in sorted(
                position
                for naming, positions in self._namings.items()
                if test(naming)
                for position in positions
            )
        ]

    @cached_property
    def base_url(self):
        base = self.tree.find(".//base[@href]")
        return absolute_url(base.get("href"), self.url) if base is not None else self.url

    @cached_property
    def visible_texts(self):
        """The page's visible text nodes (not its scripts, styles or attributes) in document order, read once: each
        code a layer gives is looked for among them. The texts of `//body//text()` outside script, style, noscript
        and template, read in one walk of the body (that XPath tested four ancestor axes for every text node:
        several ms a page)."""
        texts = []
        for body in self.tree.iter("body"):
            if any(
                ancestor.tag == "body" or ancestor.tag in _NO_TEXT_TAGS for ancestor in body.iterancestors()
            ):
                continue  # inside another body (walked with it) or inside a script-like element
            hidden = 0  # depth inside a script-like element
            for event, node in etree.iterwalk(body, events=("start", "end", "comment", "pi")):
                if event == "start":
                    if hidden or node.tag in _NO_TEXT_TAGS:
                        hidden += 1
                    elif node.text:
                        texts.append(node.text)
                    continue
                if event == "end" and hidden:
                    hidden -= 1  # the tail of the outermost hidden element is its parent's text again
                if not hidden and node is not body and node.tail:
                    texts.append(node.tail)
        return texts

    @cached_property
    def scripts(self):
        """(attributes, text) of every script element, in document order."""
        return [(dict(script.attrib), script.text or "") for script in self.tree.iter("script")]

    @cached_property
    def meta(self):
        """meta tags by lower-cased property/name/itemprop → list of contents, in page order."""
        found = {}
        for element in self.tree.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if key and content is not None and not _is_inside_item_scope(element):
                found.setdefault(key.strip().lower(), []).append(content)
        return found

    def meta_value(self, *keys):
        for key in keys:
            for value in self.meta.get(key, []):
                if clean_text(value):
                    return value
        return None

    @cached_property
    def json_ld(self):
        """Every parsed ld+json document (dicts or lists), wrappers and entities handled."""
        documents = []
        for attributes, text in self.scripts:
            if "ld+json" in attributes.get("type", "").lower():
                document = parse_json_text(text)
                if document is not None:
                    documents.append(document)
        return documents

    @cached_property
    def json_scripts(self):
        """(id, parsed) for every data script: `application/json` (Next.js, Zalando props, Shopify…) and
        other non-JavaScript types holding JSON (Magento's `text/x-magento-init`)."""
        found = []
        for script in self.tree.iter("script"):
            kind, text = script.get("type", "").lower(), script.text or ""
            carries_data = kind.endswith("json") or (
                kind not in _JAVASCRIPT_TYPES and text.lstrip()[:1] in ("{", "[")
            )
            if (
                carries_data
                and "ld+json" not in kind
                and len(text) < MAX_STATE_SCRIPT_CHARS
                and not self.in_other_product(script)
            ):
                document = parse_json_text(text)
                if isinstance(document, list) and script.get("id") == "__NUXT_DATA__":
                    document = devalue_unflatten(document)
                if isinstance(document, (dict, list)):
                    found.append((script.get("id", ""), document))
        return found

    @cached_property
    def script_assignments(self):
        """name → parsed object for `var x = {…}` / `window.x = {…}` in inline scripts."""
        found = {}
        for attributes, text in self.scripts:
            if (
                attributes.get("src")
                or "json" in attributes.get("type", "").lower()
                or len(text) > MAX_STATE_SCRIPT_CHARS
            ):
                continue
            budget = _ScanBudget(text)
            for match in _ASSIGNMENT.finditer(text):
                name, start = match.group(1), match.end() - 1
                if name in found:
                    continue
                if not budget.left:
                    break
                if text[start] in "{[":
                    value = parse_js_object(text, start, budget)
                else:
                    value = parse_json_text(_js_string(text, start, budget))
                if isinstance(value, (dict, list)) and value:
                    found[name] = value
            nuxt = _NUXT_FUNCTION.search(text) if "__NUXT__" in text else None
            if nuxt and "__NUXT__" not in found:
                found["__NUXT__"] = _nuxt_state(text, nuxt)
        return found

    @cached_property
    def analytics_events(self):
        """(event name or None, parsed object) of each `dataLayer.push({…})` and `gtag("event", name, {…})` in inline
        scripts, in page order."""
        found = []
        for attributes, text in self.scripts:
            reports = "ayer.push" in text or "gtag" in text
            if attributes.get("src") or len(text) > MAX_STATE_SCRIPT_CHARS or not reports:
                continue
            budget = _ScanBudget(text)
            for match in _ANALYTICS_CALL.finditer(text):
                if not budget.left:
                    break
                value = parse_js_object(text, match.end(), budget)
                if isinstance(value, dict):
                    found.append((match.group(1), value))
        return found

    @cached_property
    def flight_rows(self):
        """Parsed JSON rows of the React Server Components payload a Next.js app-router page streams in
        `self.__next_f.push([1, "…"])` chunks (the product props sit in these rows)."""
        chunks = []
        for _attributes, text in self.scripts:
            if "__next_f" not in text:  # the pattern's own words: no script of most pages is searched at all
                continue
            budget = _ScanBudget(text)
            for match in _FLIGHT_PUSH.finditer(text):
                pushed, _ = _json_at(text, match.end(), budget)
                if (
                    isinstance(pushed, list)
                    and len(pushed) > 1
                    and pushed[0] == 1
                    and isinstance(pushed[1], str)
                ):
                    chunks.append(pushed[1])
        rows = []
        for line in "".join(chunks)[:MAX_STATE_SCRIPT_CHARS].splitlines():
            payload = line.partition(":")[2]
            if payload[:1] in ("[", "{"):
                try:
                    rows.append(json.loads(payload))
                except ValueError:
                    continue
        return rows

    @cached_property
    def json_attributes(self):
        """(element id, parsed) for JSON objects carried in data-* attributes (often entity-encoded)."""
        found = []
        for value in self.tree.xpath(_JSON_DATA_ATTRIBUTES):
            element = value.getparent()
            if len(value) > 20 and not self.in_other_product(element):
                document = parse_json_text(str(value))
                if isinstance(document, (dict, list)):
                    found.append((element.get("id") or value.attrname, document))
        return found

    def in_other_product(self, element):
        """Whether the element sits in another product's block or in the page chrome (header, nav, footer)."""
        return element in self._other_product_elements

    @cached_property
    def _other_product_elements(self):
        """Every element inside the page chrome or a block named like other products (the blocks themselves too).
        A price block named after the shop's product tiles ("product-tile-price") with no image or heading in it is the
        shop's price component reused beside the main heading, not another product: a tile shows its product's photo
        and name (and the price inside a real tile is still marked by the tile around it)."""
        blocks = self.named_by(_OTHER_PRODUCTS, lambda naming: f"{naming.class_ or ''} {naming.id or ''}")
        marked = set()
        for node in itertools.chain(self.tree.iter("header", "footer", "nav"), blocks):
            if node not in marked and node.tag not in ("html", "body", "main") and not _price_component(node):
                marked.update(node.iter())
        return marked

    @cached_property
    def main_heading(self):
        """The h1 naming the product: among the h1s outside other products' blocks, the page chrome (a <header> of the
        main content is none) and links to other pages (a tile's name: shops link each tile's heading to its
        product), and among several outside reviews and questions, the one sharing most words with the page's title
        (pages also use h1s for messages, banners and a review's title), the first among equals; else an h1 in the
        page's header that is like the title (some pages put the product's name there); else the element the page
        names as the product's title ("product-title", "pdp-name"); else an h2 or h3 the title names in full; None
        without."""
        texts = {h1: text for h1 in self.tree.iter("h1") if (text := heading_text(h1))}
        titled = list(texts)
        title = clean_text(self.tree.findtext(".//title")) or self.meta_value("og:title")

        def likeness(heading):
            text = texts.get(heading)
            return title_likeness(heading_text(heading) if text is None else text, title)

        headings = [
            h1
            for h1 in titled
            if (not self.in_other_product(h1) or self._in_section_header(h1)) and not self.links_elsewhere(h1)
        ]
        if len(headings) > 1:
            headings = [h1 for h1 in headings if not in_shoppers_words(h1)] or headings
            return max(headings, key=lambda h1: title_overlap(texts[h1], title))
        if headings:
            return headings[0]
        in_header = [
            h1 for h1 in titled if page_header(h1) is not None and likeness(h1) >= _HEADER_TITLE_LIKENESS
        ]
        if in_header:
            return max(in_header, key=likeness)
        named = [
            element
            for element in self.tree.xpath(_TITLE_NAMED)
            if not self.in_other_product(element)
            and _PRODUCT_TITLE_MARK.search(f"{element.get('class', '')} {element.get('id', '')}")
            and 0 < len(clean_text(element.text_content()) or "") <= _TITLE_LIMIT
        ]
        if named:
            return max(named, key=likeness)
        # No h1 and nothing named as the title: a lower heading the page's title names in full ("Linen dress" under
        # "Linen dress | Shop"), of two words or more (one word is a section: "Description", "Reviews").
        titled = [
            heading
            for heading in self.tree.iter("h2", "h3")
            if not self.in_other_product(heading)
            and len((clean_text(heading.text_content()) or "").split()) >= _LOWER_HEADING_WORDS
            and likeness(heading) >= _NAMED_IN_TITLE
        ]
        return max(titled, key=likeness, default=None)

    def _in_section_header(self, element):
        """Whether the element sits in the <header> of a part of the page's main content (`<main>…<header
        class="product-header"><h1>`), which is that part's heading, not the page chrome."""
        header = page_header(element)
        parent = header.getparent() if header is not None else None
        return (
            parent is not None
            and not self.in_other_product(parent)
            and any(block.tag in ("main", "article") for block in header.iterancestors())
        )

    def links_elsewhere(self, element):
        """Whether the element sits in a link to another page than this one (a product tile's name or photo); a
        link to an image file is a photo's zoom."""
        link = next(element.iterancestors("a"), None)
        href = absolute_url(link.get("href"), self.url) if link is not None else None
        return bool(href) and not _IMAGE_FILE.search(href) and _without_query(href) not in self._own_addresses

    @cached_property
    def _own_addresses(self):
        return {_without_query(self.url), _without_query(self.canonical_link or self.url)}

    @cached_property
    def brand_links(self):
        """(link, text) of each link to a brand's page on the shop (`/brands/acme`, `/collections/vendors?q=Acme`)
        with a short text or a logo's alt text, in page order."""
        links = []
        for link in self.tree.iter("a"):
            href = link.get("href")
            if not href:
                continue
            href = href.lower()
            if not any(word in href for word in _BRAND_PAGE_WORDS) or not _BRAND_PAGE.search(href):
                continue
            text = clean_text(link.text_content()) or next(
                (alt for img in link.iter("img") if (alt := clean_text(img.get("alt")))), None
            )
            if text and len(text) <= _LINK_TEXT_LIMIT:
                links.append((link, text))
        return links

    @cached_property
    def selection(self):
        """The variant the page shows selected, as its URL, buy form and buy box state it (see selection.py)."""
        return read_selection(self)

    @cached_property
    def canonical_link(self):
        for link in self.tree.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split():
                return absolute_url(link.get("href"), self.url)
        return None


def in_shoppers_words(element):
    """Whether the element sits in a block of reviews, ratings or questions (`jl-reviews`, `review-title`)."""
    return any(
        _SHOPPERS_WORDS.search(f"{block.get('class') or ''} {block.get('id') or ''}")
        for block in itertools.chain([element], element.iterancestors())
    )


def hides_itself(block):
    """Whether the page hides this element itself (`hidden`, an inline display:none or visibility:hidden, a hiding
    class, a <template>, a dialog not open: a `<dialog>` without `open`, a `modal` or `role="dialog"` block not marked
    shown; a shopper sees it only after a click, as a "notify me" form of a variant)."""
    style = (block.get("style") or "").replace(" ", "").lower()
    class_ = block.get("class") or ""
    return (
        block.get("hidden") is not None
        or block.tag == "template"
        or "display:none" in style
        or "visibility:hidden" in style
        or _HIDDEN_CLASS.search(class_) is not None
        or (block.tag == "dialog" and block.get("open") is None)
        or (
            (
                ("odal" in class_ and _MODAL_CLASS.search(class_) is not None)
                or block.get("role") in ("dialog", "alertdialog")
            )
            and _SHOWN_CLASS.search(class_) is None
            and "display:block" not in style
        )
    )


def heading_text(heading):
    """The text a heading shows as the product's name: without its scripts and templates, what the page hides in it,
    the brand and the price it names in elements of their own (`<h1><a class="brand">adidas</a> YUNG 96</h1>`), text
    for screen readers only and its controls (a button, an `aria-hidden` block); children on lines of their own are
    words apart."""
    return _text_without(heading, _not_the_name)


def shown_text(element):
    """The text an element shows: without its scripts and templates, what the page hides and text for screen readers
    only (`visually-hidden`); children on lines of their own are words apart."""
    return _text_without(element, _not_shown)


def _not_shown(child):
    return (
        child.tag in _NO_TEXT_TAGS
        or hides_itself(child)
        or _SCREEN_READERS_ONLY.search(child.get("class") or "")
    )


def _not_the_name(child):
    return (
        child.tag in _NO_TEXT_TAGS
        or child.tag == "button"
        or child.get("aria-hidden") == "true"
        or hides_itself(child)
        or _NOT_THE_NAME.search(child.get("class") or "") is not None
    )


def _text_without(element, left_out):
    if not any(True for _ in element.iterdescendants()):
        return clean_text(element.text)
    chunks = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment
            pass
        elif left_out(child):
            chunks.append(" ")
        else:
            apart = " " if child.tag in _BLOCK_TAGS else ""
            chunks += [
                apart,
                child.text_content() if not len(child) else _text_without(child, left_out) or "",
                apart,
            ]
        chunks.append(child.tail or "")
    return clean_text("".join(chunks))


def _without_query(url):
    return url.split("#")[0].split("?")[0].rstrip("/")


def page_header(element):
    """The header element around an element, or None."""
    return next(element.iterancestors("header"), None)


def next_element(element):
    """The element's next sibling element (comments and processing instructions are skipped), or None."""
    return next(element.itersiblings(etree.Element), None)


def following_text(element):
    """Text right after a label: its children, else the text after it, else the next sibling element."""
    inner = clean_text("".join(child.text_content() for child in element if isinstance(child.tag, str)))
    if inner or clean_text(element.tail):
        return inner or clean_text(element.tail)
    sibling = next_element(element)
    return clean_text(sibling.text_content()) if sibling is not None else None


def _is_inside_item_scope(element):
    return any(ancestor.get("itemscope") is not None for ancestor in element.iterancestors())


def parse_json_text(text):
    """JSON from a script or attribute: comment/CDATA wrappers stripped, lenient about control chars,
    falling back to a tolerant JS-object parser; string values HTML-unescaped. None when unreadable."""
    text = _COMMENT_WRAPPERS.sub("", (text or "").strip()).strip()
    if not text:
        return None
    if text.startswith("&") or "&quot;" in text[:200]:
        text = html.unescape(text)
    try:
        try:
            document = _read_strings(json.loads(text, strict=False), text)
        except ValueError:
            document = unescape_strings(chompjs.parse_js_object(text))
        return document
    except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly deep nesting
        return None


def parse_js_object(text, start, budget=None):
    """The JavaScript object/array literal starting at `start`, read tolerantly; None when unreadable.

    Shops write JS, not JSON: single quotes, trailing commas, `isDesktop ? 'a' : 'b'`, even
    `'a'/ 'b'` where a comma was meant. Those are rewritten to plain literals before parsing; a literal
    that is JSON already is read as it stands (where it ends is then JSON's to say, at C speed).
    """
    document, end = _json_at(text, start, budget)
    if document is not None:
        return _read_strings(document, text, start, end)
    end, tokens = _literal_tokens(text, start, budget)
    if end is None:
        return None
    try:
        return unescape_strings(chompjs.parse_js_object(_plain_literals(tokens)))
    except (ValueError, TypeError, RecursionError):
        return None


def _json_at(text, start, budget=None):
    """(document, end) of the JSON value at `start`, (None, None) when it is not JSON; what was read is
    spent from the budget either way."""
    try:
        document, end = _JSON.raw_decode(text, start)
    except json.JSONDecodeError as error:
        document, end = None, error.pos
    except RecursionError:
        document, end = None, start
    if budget is not None:
        budget.spend(end - start)
    return (document, end) if document is not None else (None, None)


def _js_string(text, start, budget):
    """The value of the JS string literal at `start` (for `JSON.parse('…')`), or None."""
    token = _JS_STRING.match(text, start)
    # An unterminated string was looked for up to the end of the text.
    if not budget.spend(len(token.group()) if token and _is_string(token.group()) else len(text) - start):
        return None
    if token is None or not _is_string(token.group()):
        return None
    try:
        return json.loads('"' + _JS_ESCAPE.sub(_json_escape, token.group()[1:-1]) + '"')
    except ValueError:
        return None


def _json_escape(match):
    """One JS escape (or bare double quote) as JSON writes it."""
    if match.group(0) == '"':
        return '\\"'
    escaped = match.group(1)
    if escaped[0] == "x":
        return "\\u00" + escaped[1:]
    if escaped in '"\\/bfnrtu':
        return match.group(0)
    return "" if escaped == "\n" else escaped


class _ScanBudget:
    """How many characters of one script literal scans may still read: a few times the script's
    length. Each `var a = {` reads on to its closing bracket, so thousands of unclosed or nested ones
    would read the script thousands of times; past the budget, no more literals are read from it."""

    def __init__(self, text):
        self.left = 4 * len(text) + 100_000

    def spend(self, chars):
        self.left = max(0, self.left - chars)
        return self.left > 0


def _js_tokens(text, start=0):
    """(offset, token) of the JS from `start`: whole string literals, runs of other code, and a quote
    that opens no string as a token of its own (as _JS_STRING reads strings).

    Found with str.find rather than a pattern per token, and in linear time: each kind of quote's next
    position is looked up once, and looking for the end of a string that never ends reads to the end
    of its line (of the text, for a backtick) once; every quote of the same kind before that point is
    inside that unended string's reach, so it cannot end either and is not looked at again (a line of
    `"\\"\\"\\"…` would otherwise be read once per quote)."""
    single = double = backtick = -1  # where the next quote of each kind is
    unended_until = {}
    position, length = start, len(text)
    while position < length:
        if single < position:
            single = text.find("'", position) % (length + 1)  # not found (-1) becomes length
        if double < position:
            double = text.find('"', position) % (length + 1)
        if backtick < position:
            backtick = text.find("`", position) % (length + 1)
        upcoming = min(single, double, backtick)
        if upcoming > position:
            token = text[position:upcoming]
        else:
            char = text[position]
            end = None if unended_until.get(char, -1) > position else _string_end(text, position)
            token = text[position:end] if end else char
            if end is None and unended_until.get(char, -1) <= position:
                line_end = text.find("\n", position)
                unended_until[char] = length if char == "`" or line_end < 0 else line_end
        yield position, token
        position += len(token)


def _string_end(text, start):
    """The index after the JS string literal whose quote is at `start`, None when it does not end: its
    quote ends it, and so does a line break for ' and " strings, unless an odd run of backslashes
    precedes it."""
    quote, position = text[start], start + 1
    while True:
        close = text.find(quote, position)
        if quote != "`":
            line = text.find("\n", position, length := (len(text) if close < 0 else close))
            while line >= 0 and _escaped(text, start, line):
                line = text.find("\n", line + 1, length)
            if line >= 0:
                return None
        if close < 0:
            return None
        if not _escaped(text, start, close):
            return close + 1
        position = close + 1


def _escaped(text, start, index):
    """Whether an odd run of backslashes after the quote at `start` comes right before `index`."""
    run = index
    while run > start + 1 and text[run - 1] == "\\":
        run -= 1
    return (index - run) % 2 == 1


def _literal_end(text, start, budget=None):
    """The index just after the bracket (or parenthesis) that closes the one at `start`, or None."""
    return _literal_tokens(text, start, budget)[0]


def _literal_tokens(text, start, budget=None):
    """(end, tokens): the index just after the bracket (or parenthesis) that closes the one at `start` and the
    literal's JS tokens (as _js_tokens reads them; the literal is tokenised once), or (None, None). A run of code
    whose closing brackets cannot bring the depth to 0 is counted whole rather than a character at a time."""
    depth, tokens = 0, []
    for position, token in _js_tokens(text, start):
        if budget is not None and not budget.spend(len(token)):
            return None, None
        if len(token) > 1 and token[0] in "'\"`":
            tokens.append(token)
            continue
        if len(token) > _COUNTED_RUN:
            closing = token.count("}") + token.count("]") + token.count(")")
            if depth > closing:
                depth += token.count("{") + token.count("[") + token.count("(") - closing
                tokens.append(token)
                continue
        for offset, char in enumerate(token):
            if char in "{[(":
                depth += 1
            elif char in "}])":
                depth -= 1
                if depth == 0:
                    tokens.append(token[: offset + 1])
                    return position + offset + 1, tokens
        tokens.append(token)
    return None, None


def _nuxt_state(text, match):
    """Nuxt 2's `__NUXT__ = (function(a, b){return {…}}(true, "EUR"))`: the returned object with each
    parameter replaced by its argument; None when unreadable."""
    end = _literal_end(text, match.end())
    call = _NUXT_CALL.match(text, end or 0)
    args_end = _literal_end(text, call.end()) if end and call else None
    if args_end is None:
        return None
    arguments = parse_js_object("[" + _VOID_0.sub("null", text[call.end() + 1 : args_end - 1]) + "]", 0)
    names = [name.strip() for name in match.group(1).split(",") if name.strip()]
    if not isinstance(arguments, list):
        return None
    values = {name: json.dumps(value) for name, value in zip(names, arguments)}

    def argument(used):
        after = used.string[used.end() : used.end() + 1]
        if after == ":" or (after.isspace() and _KEY_COLON.match(used.string, used.end())):  # `a:` is a key
            return used.group()
        return values.get(used.group(), "null" if used.group() in names else used.group())

    tokens = [
        token if _is_string(token) else _NUXT_PARAMETER.sub(argument, token)
        for _, token in _js_tokens(text[match.end() : end])
    ]
    return parse_js_object("".join(tokens), 0)


def devalue_unflatten(values):
    """Nuxt 3's `__NUXT_DATA__` (devalue's flat array: objects and arrays hold indexes into it) as
    plain nested data; wrappers such as ["Reactive", i] and ["ShallowRef", i] are unwrapped."""
    revived = {}

    def revive(index, depth):
        if (
            not isinstance(index, int)
            or isinstance(index, bool)
            or not 0 <= index < len(values)
            or depth > 40
        ):
            return None
        if index in revived:
            return revived[index]
        value = values[index]
        if isinstance(value, dict):
            result = {key: revive(item, depth + 1) for key, item in value.items()}
        elif isinstance(value, list) and value and isinstance(value[0], str):
            items = [revive(item, depth + 1) for item in value[1:]]
            result = items if value[0] == "Set" else items[0] if len(items) == 1 else None
        elif isinstance(value, list):
            result = [revive(item, depth + 1) for item in value]
        else:
            result = value
        revived[index] = result
        return result

    return revive(0, 0) if values else None


def _plain_literals(tokens):
    """A JS literal's tokens as one text chompjs reads: `cond ? 'a' : 'b'` becomes 'a', `'a'/ 'b'` becomes 'a','b'
    (most literals have neither, and are joined as they are)."""
    code = "".join([token for token in tokens if not _is_string(token)])
    if "?" not in code and "/" not in code:
        return "".join(tokens)
    output = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            not _is_string(token)
            and index + 3 < len(tokens)
            and _is_string(tokens[index + 1])
            and tokens[index + 2].strip() == ":"
            and _is_string(tokens[index + 3])
            and _TERNARY_CONDITION.search(token)
        ):
            output += [_TERNARY_CONDITION.sub("", token), tokens[index + 1]]
            index += 4
            continue
        if (
            token.strip() == "/"
            and output
            and _is_string(output[-1])
            and index + 1 < len(tokens)
            and _is_string(tokens[index + 1])
        ):
            output.append(",")
        else:
            output.append(token)
        index += 1
    return "".join(output)


def _is_string(token):
    return len(token) > 1 and token[0] in "'\"`" and token[-1] == token[0]


def _read_strings(document, text, start=0, end=None):
    """unescape_strings(document) of a document JSON read from text[start:end]; the document as it is when that
    text holds no "&" (nor JSON's escape of it), so that none of its strings can hold an entity: most documents,
    and walking every string of a large one costs."""
    if text.find("&", start, end) < 0 and text.find("\\u0026", start, end) < 0:
        return document
    return unescape_strings(document)


def unescape_strings(value):
    """HTML entities decoded in every string of a parsed document ("H&amp;M" → "H&M")."""
    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, list):
        return [unescape_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: unescape_strings(item) for key, item in value.items()}
    return value


def _price_component(block):
    """Whether a block is named as a price and holds no image or heading (see ProductPage._other_product_elements)."""
    return (
        "price" in f"{block.get('class') or ''} {block.get('id') or ''}".lower()
        and next(block.iter("img", "picture", "h1", "h2", "h3", "h4", "h5", "h6"), None) is None
    )
