"""Plain-HTML heuristics, the last layer: what a shopper sees on the page when no data says it.

Gallery images (named after the product in their alt text), size selectors, "Colour: …" labels,
composition texts, breadcrumbs and the h1. Recommendation blocks ("you may also like", carousels of
other products) are skipped everywhere.
"""

import itertools
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from features.garments.extractors.buy_box import DISABLED_CLASS, closeness_to, read_buy_box
from features.garments.extractors.fabric import (
    MATERIAL_WORDS,
    has_material,
    parse_composition,
    parse_percentages,
    unique_materials,
)
from features.garments.extractors.meta_tags import regional_currency, title_without_site
from features.garments.extractors.page import (
    following_text,
    heading_text,
    in_shoppers_words,
    next_element,
    shown_text,
)
from features.garments.extractors.values import (
    OUT_OF_STOCK_WORDS,
    absolute_url,
    clean_multiline,
    clean_text,
    large_image_url,
    money_amounts,
    parse_currency,
    unique,
)
from shared.garment_catalog import COLOR_WORDS, SIZE_WORDS
from shared.text_patterns import IGNORECASE, any_word, compile_pattern, escape

# Class names run words together: "size" counts where a word ends ("emphasizeTitles" is no size list), "maat"
# where one starts ("formaat"); the other size words anywhere.
_SIZE_CONTAINER = compile_pattern(
    r"sizes?(?![a-z])|size-|size_|dimension|(?<![a-z])maat|"
    + any_word(word for word in SIZE_WORDS if not word.startswith(("size", "maat"))),
    IGNORECASE,
)
_NOT_SIZE_CONTAINER = compile_pattern(
    r"guide|chart|finder|advisor|calculator|filter|facet|sort|font|table|tabelle|"
    r"image|img|swatch-?color|colou?r|quantity|qty",
    IGNORECASE,
)
_SIZE_PREFIX = compile_pattern(r"^[^\d:]{2,25}:\s*")
_SIZE_SUFFIX = compile_pattern(r"\s+[-–—|(]\s*[^\d]*$")
_NOT_A_SIZE = compile_pattern(
    r"select|choose|choisi|wähle|waehle|elige|selecciona|seleziona|kies|escolh|guide|"
    r"tabelle|chart|tabla|find your|größe wählen|taille unique\?|"
    # The picker's own controls.
    r"^(?:cancel|close|done|reset|clear|abbrechen|schließen|annuler|fermer|cancelar|cerrar|annulla|chiudi)$",
    IGNORECASE,
)
_COMBINABLE = compile_pattern(r"(?<![a-z-])is-combinable(?![a-z-])")
# "Colour:" in the shops' languages (en, de, fr, it, nl, pt/es, pl, sv, da, no, fi, cs, hu, tr, ru, ar, he, ja, zh, ko).
_COLOR_LABEL = compile_pattern(
    r"^(?:colou?r|farbe|couleur|colore|kleur|cor|colou?r name|selected colou?r|kolor|färg|farve|farge|väri|"
    r"barva|szín|renk|цвет|اللون|لون|צבע|カラー|颜色|顏色|색상)\s*(?:[:：]\s*|$)",
    IGNORECASE,
)
# How those labels begin (their first three letters, the whole of a shorter one with its colon), so that only the
# texts that can be one are matched.
_COLOR_LABEL_PREFIXES = {
    "col",
    "far",
    "cou",
    "kle",
    "cor",
    "sel",
    "kol",
    "fär",
    "vär",
    "bar",
    "szí",
    "ren",
    "цве",
    "الل",
    "لون",
    "צבע",
    "カラー",
    "颜色",
    "颜色:",
    "颜色：",
    "顏色",
    "顏色:",
    "顏色：",
    "색상",
    "색상:",
    "색상：",
}
_COLOR_CONTAINER = compile_pattern(
    r"swatch|colou?r-?(?:picker|selector|select|options?|list|variants?|chooser|attribute)|"
    r"(?<![a-z])colou?rs?(?![a-z-])|farben?|couleurs?|colori|kleuren",
    IGNORECASE,
)
_FILTERS = compile_pattern(r"filter|facet|refine", IGNORECASE)
_NOT_COLOR_CONTAINER = compile_pattern(r"filter|facet|refine|image|img|gallery|media|photo", IGNORECASE)
# What a form writes after an option's label while the chosen value is still empty ("Color: Required").
_FORM_HINT = compile_pattern(
    r"\(?\*?\s*(?:required|optional|pflichtfeld|obligatoire|obligatorio|obbligatorio|verplicht)"
    r"\s*\*?\)?",
    IGNORECASE,
)
_SWATCH_PREFIX = compile_pattern(
    r"^(?:select(?:ed)?\s+|choose\s+)?(?:colou?r|farbe|couleur|colore|kleur|cor)?\s*[:\-]?\s*", IGNORECASE
)
# A swatch's name after a colour label and a colon ("Select Colour: Sea Turtle", "Farbe: Blau").
_LABELLED_SWATCH = compile_pattern(
    r"^(?:select(?:ed)?\s+|choose\s+)?(?:colou?r|farbe|couleur|colore|kleur|cor)\s*:", IGNORECASE
)
# The parts of an image's alt text after the product's name ("…, Sea Turtle, large", "… - Navy | front").
_ALT_PARTS = compile_pattern(r"\s*[,;|(]\s*|\s+[-–]\s+")
# The word joining a product's name to its colour ("Wool coat in red", "Robe en noir", "Mantel in Rot").
_COLOR_CONNECTOR = compile_pattern(r"^(?:in|en|em|im|di|i|w|colou?r|farbe|couleur|cor)\s*:?\s+", IGNORECASE)
_COLOR_WORD_SPLIT = compile_pattern(r"[\s/]+")
_SELECTED_CLASS = compile_pattern(r"selected|(?<![a-z])(?:is-)?active|current|checked", IGNORECASE)
_FABRIC_LABEL = compile_pattern(
    r"^(?:materials?|material composition|composition|composição|composicion|composición|"
    r"composizione|zusammensetzung|samenstelling|matière|matières|fabric|tissu|stoff|"
    r"obermaterial|outer fabric(?: material)?|shell|materiale|materiaal|material exterior|"
    r"main fabric|fabric composition|materialzusammensetzung)\s*(?::\s*|$)",
    IGNORECASE,
)
# How those labels begin (their first three letters), so that only the texts that can be one are matched.
_FABRIC_LABEL_PREFIXES = {"mat", "com", "zus", "sam", "tis", "sto", "obe", "out", "she", "mai", "fab"}
# Where a line of composition starts its next labelled part: "… polyamide. Doublure : …". The label is
# a lookahead of up to 32 characters, which RE2 lacks: split only a line's first 5000 characters.
_LABELLED_PART = compile_pattern(r"[.;|·]\s+(?=[^\W\d][^:.;]{0,30}:)", max_input=5000)
_FABRIC_CLASS = compile_pattern(r"fabric|composition|material", IGNORECASE)
_FILLER_WORDS = r"and|und|et|y|e|en|or|oder|ou|o|with|mit|avec|con|com|met"
_MATERIALS_ONLY = compile_pattern(
    rf"^(?:\s*(?:\d{{1,3}}(?:[.,]\d+)?\s*%|{'|'.join(escape(word) for word in MATERIAL_WORDS)}|{_FILLER_WORDS}"
    rf"|[,;/&+.()-]))+\s*$",
    IGNORECASE,
)
_BREADCRUMB = compile_pattern(r"breadcrumb", IGNORECASE)
_BRAND_LIMIT = 40
_BRAND_LIST_LEVELS = 4  # how far up a list of brands is looked for around a brand's element
_BRAND_LIST_SIZE = 5  # different brands a block names to be a list of brands
# A block named (by its id or one of its classes) as the site's navigation or a menu: "nav", "main-menu", "mega_menu".
_MENU = compile_pattern(r"(?:main|mega|top|site|header)?[-_]?(?:nav|navigation|navbar|menu)", IGNORECASE)
_BRAND_CLASS = compile_pattern(r"brand", IGNORECASE)
# What else names an element printing the brand: Shopify's vendor (`product__vendor`), PrestaShop's and Shopware's
# manufacturer (`product-manufacturer`, `product-detail-manufacturer-link`), a designer's name.
_MAKER_CLASS = ("vendor", "manufacturer", "designer")
# "by Gothamite", "von Tchibo", "par Kiabi": a brand line under a product's name, in the shops' languages.
# (Not "de", "di", "od": words of a name as often as a maker's: "De vez en cuando la vida".)
_BY_BRAND = compile_pattern(r"^(?:by|von|par|door|av|af)\s*:?\s+(\S.{0,39})$", IGNORECASE)
_BY_BRAND_PREFIXES = ("by", "von", "par", "door", "av", "af")
_BY_BRAND_STARTS = frozenset(prefix[:2] for prefix in _BY_BRAND_PREFIXES)
_BRAND_LINE_LEVELS = 4  # how far up from the heading a brand line, link or logo counts as the product's
_BRAND_WORDS = 5  # a brand line of more words is a sentence
_BRAND_LINE_TAGS = ("p", "span", "div", "li", "small", "strong", "em", "h2", "h3", "h4", "h5", "h6")
_BRAND_CASE = str.maketrans(
    "BRAND", "brand"
)  # what XPath's translate() lowered before the class is looked at
# Product galleries as platforms mark them: WooCommerce, Shopify's product__media, Shopware's gallery-slider,
# BigCommerce's productView-images, PrestaShop's images-container / product-cover…
_GALLERY_CONTAINER = compile_pattern(
    r"(?:product|pdp)(?:view)?[-_]*(?:gallery|media|images|photos|cover)(?![a-z-])|"
    r"gallery-slider(?![a-z-])|images-container",
    IGNORECASE,
)
# A picker's caption element by its class ("product-detail-configurator-group-title", "option-label").
_CAPTION_CLASS = compile_pattern(r"(?:^|[-_\s])(?:title|label|legend|heading|name)(?:$|\s)", IGNORECASE)
# The product's own description block (WooCommerce's short description and tab, "product-description"…).
_DESCRIPTION_MARKER = compile_pattern(
    r"(?:product|item|short|pdp|long)[-_]*(?:details?[-_]*)*(?:_{2}|[-_])?description|"
    r"tab-description|^description$",
    IGNORECASE,
)
_DESCRIPTION_LIMIT = 5000
_PICKER_TAGS = frozenset({"select", "ul", "ol", "div", "fieldset"})
# (WooCommerce's variation swatches name the attribute a list picks: `data-attribute_name="attribute_pa_size"`.)
_PICKER_NAMES = (
    "class",
    "id",
    "name",
    "data-attr-id",
    "data-attr",
    "data-attribute_name",
    "aria-label",
    "data-testid",
)
_CAPTION_TAGS = ("legend", "label")
_MARKED_AHEAD = 64  # picker blocks named and searched together (see _Pickers.named)
_HEADING_BLOCK_LEVELS = 3  # a block further up than this around the heading is a section of the page
_OPTION_ATTRIBUTES = ("data-attr-value", "data-value", "data-size", "data-size-name", "data-sizename")
_LONG_WORD = compile_pattern(r"\w{3,}")
_IMAGE_URL = compile_pattern(r"\.(?:jpe?g|png|webp|avif)|/image|/is/|[?&](?:w|sw|imwidth)=", IGNORECASE)
_NON_DIGITS = compile_pattern(r"\D")
_DIGIT = compile_pattern(r"\d")
_WORD_CHARACTER = compile_pattern(r"\w")
_NOT_A_SIZE_NAME = compile_pattern(r"[/#,]|\d{3}")
_LETTER = compile_pattern(r"[^\W\d_]")
_SWATCH_NAMES = ("data-color-name", "data-colour-name", "data-color", "title", "aria-label", "alt")
_SWATCH_VALUES = ("data-title", "data-value")
# The name of a radio input choosing the colour ("colors", "attribute_pa_colour", "farbe").
_COLOR_INPUT = compile_pattern(r"colou?r|farbe|couleur|colore|kleur|kolor|färg|farve", IGNORECASE)
# Letter sizes, which a swatch's value may be in a picker also holding sizes.
_SIZE_CODE = compile_pattern(r"(?:[0-9]?x{0,3}[sl]|m|xxs|one size|os|onesize)", IGNORECASE)
_PERCENTAGE = compile_pattern(r"\d\s*%")
_OWN_CONTROLS = etree.XPath(
    "./input | ./button | ./*/input | ./*/button"
)  # an option's radio input or button


def read_html(page, title_hint=None):
    """Fields visible in the page's HTML; `title_hint` (the product name from data) finds the gallery."""
    title = h1_title(page) or (title_without_site(page) if page.main_heading is None else None)
    buy_box = read_buy_box(page)
    pickers = _Pickers(page)
    return {
        **buy_box,
        # A price stated without a currency ("$49", "kr 499,-") is in the one currency the page's elements name in
        # their data (a payment button's `data-currency="USD"`), else in its country's.
        "currency": buy_box.get("currency")
        or (_data_currency(page) if buy_box.get("price") else None)
        or regional_currency(page),
        "title": title,
        "brand": buy_box.get("brand") or _brand(page),
        "images": gallery_images(page, title_hint or title),
        "sizes": _sizes(page, pickers),
        "colors": _colors(page, title_hint or title, pickers),
        "fabric": _fabric(page),
        "breadcrumbs": _breadcrumbs(page),
    }


def _data_currency(page):
    """The currency code the page's elements state in `data-currency`/`data-currency-code` attributes, when they
    all state one (a currency switcher offering several says none)."""
    codes = {
        code
        for element in page.tree.xpath(
            "/descendant::*/@data-currency/.. | /descendant::*/@data-currency-code/.."
        )
        if (value := element.get("data-currency") or element.get("data-currency-code"))
        and len(value.strip()) == 3
        and (code := parse_currency(value.strip()))
    }
    return codes.pop() if len(codes) == 1 else None


def fabric_from_text(text):
    """Composition a description states: "label: materials" lines ("Obermaterial: Textil, Leder",
    "Laufsohle: Gummi"), else percentages in prose ("made of cotton (100%)")."""
    found = [entry for line in (text or "").splitlines() for entry in _fabric_from_line(line)]
    if found:
        return unique_materials(found)
    return parse_percentages(text)


def gallery_images(page, title):
    """Images whose alt/title text names the product, then those of the product's gallery block (whose alt
    is often empty); largest rendition each, outside other products' tiles."""
    return unique(_named_images(page, title) + product_gallery(page))


def images_beside_heading(page):
    """The images of the smallest block around the main heading that holds any, a few levels up at most (a
    gallery the page does not name, beside the product's name); the last resort for a product's images."""
    heading = page.main_heading
    for block in (
        itertools.islice(heading.iterancestors(), _HEADING_BLOCK_LEVELS) if heading is not None else ()
    ):
        if block.tag in ("body", "html"):
            return []
        images = [
            img
            for img in block.iter("img")
            if not page.in_other_product(img) and not page.links_elsewhere(img)
        ]
        if images:
            return unique(_largest_rendition(img, page.base_url) for img in images)
    return []


def product_gallery(page):
    """Largest renditions of the images inside the blocks a page marks as the product's gallery
    (WooCommerce's `woocommerce-product-gallery__image`, `product-gallery`, `pdp-media`…)."""
    inside = {}  # block → whether it is in a gallery, shared by the images under it
    return unique(
        _largest_rendition(img, page.base_url)
        for img in page.images
        if _in_gallery(page, img, inside) and not page.in_other_product(img) and not page.links_elsewhere(img)
    )


def _in_gallery(page, img, inside):
    """Whether a block around the image is marked as a gallery; `inside` remembers the answer for each
    block on the way up, so images in the same block are settled by their first common ancestor."""
    path, found = [], False
    for block in img.iterancestors():
        if block in inside:
            found = inside[block]
            break
        path.append(block)
        if page.marked(_GALLERY_CONTAINER, f"{block.get('class', '')} {block.get('id', '')}"):
            found = True
            break
    inside.update(dict.fromkeys(path, found))
    return found


def _named_images(page, title):
    words = _significant_words(title)
    if not words:
        return []
    urls = []
    for img in page.images:
        label = " ".join(filter(None, (img.get("alt"), img.get("title"), img.get("data-alt")))).lower()
        if not label or sum(word in label for word in words) < max(1, (len(words) + 1) // 2):
            continue
        if page.in_other_product(img) or page.links_elsewhere(img):
            continue
        urls.append(_largest_rendition(img, page.base_url))
    return unique(urls)


def _significant_words(title):
    return [word for word in _LONG_WORD.findall((title or "").lower())][:8]


def _largest_rendition(img, base_url):
    link = next((a for a in img.iterancestors("a")), None)
    candidates = [
        img.get(name)
        for name in (
            "data-large_image",
            "data-full-image",
            "data-image-large-src",
            "data-zoom-image",
            "data-zoom",
            "data-large",
            "data-full",
            "data-original",
            "data-hires",
        )
    ]
    if link is not None:
        candidates += [
            link.get("rel") if link.get("rel", "").startswith(("http", "/")) else None,
            link.get("href"),
        ]
    candidates += [
        _largest_srcset(img.get("srcset") or img.get("data-srcset")),
        img.get("data-src"),
        img.get("src"),
        # An image to be drawn by a script names its renditions `data-desktop-src`, `data-mobile-retina-src`…
        *(value for name, value in img.items() if name.startswith("data-") and name.endswith("-src")),
    ]
    for candidate in candidates:
        if candidate and _IMAGE_URL.search(candidate):
            url = large_image_url(candidate, base_url)
            if url:
                return url
    # The image's own source is an image whatever its address looks like (an image server's query:
    # "//images.example.com/render?set=source[01_0196680]"), when written out in full (a relative "null" or a
    # placeholder is none).
    src = (img.get("src") or "").strip()
    return large_image_url(src, base_url) if src.startswith(("http://", "https://", "//")) else None


def _largest_srcset(srcset):
    best, best_width = None, -1
    for part in (srcset or "").split(","):
        pieces = part.strip().split()
        if not pieces:
            continue
        width = int(_NON_DIGITS.sub("", pieces[1]) or 0) if len(pieces) > 1 else 0
        if width > best_width:
            best, best_width = pieces[0], width
    return best


def h1_title(page):
    """The text of the page's main heading (its first h1 outside other products' blocks)."""
    heading = page.main_heading
    return heading_text(heading) if heading is not None else None


def _brand(page):
    """The text (or data-brand) of an element named for the brand, the one closest to the main heading (a brand
    line above the product's name rather than a wishlist button's or a menu's), the first among equals; else, beside
    the heading, a link to the brand's page (`/brands/acme`, `/collections/vendors?q=Acme`) or its logo there, a
    line "by Acme", or a link just before the heading naming what the page's title puts before the product's name
    (`<a href="/esprit/">Esprit</a><h1>Chinos</h1>` under "Esprit Chinos - camel")."""
    named = [
        (element, text)
        for element in page.named_elements(
            lambda naming: (
                naming.data_brand is not None
                or "brand" in (naming.class_ or "").translate(_BRAND_CASE)
                or any(word in (naming.class_ or "").lower() for word in _MAKER_CLASS)
            )
        )
        if not page.in_other_product(element)
        and element.tag not in ("img", "script", "meta", "link")
        and (text := clean_text(element.get("data-brand")) or _brand_text(element))
        and len(text) <= _BRAND_LIMIT
        and not in_shoppers_words(element)
        and sum(1 for _ in itertools.islice(element.iter("a", "li", "option"), 2)) < 2  # a list of brands
    ]
    named = _outside_lists_of_brands(named)
    heading = page.main_heading
    if heading is None:
        return named[0][1] if named else None
    closeness = closeness_to(heading)
    if named:
        return max(named, key=lambda candidate: closeness(candidate[0]))[1]
    # The blocks holding the heading a few levels up, short of the page's main content.
    around = set()
    for block in itertools.islice(heading.iterancestors(), _BRAND_LINE_LEVELS):
        if block.tag in ("main", "body", "html"):
            break
        around.add(block)
    beside = [
        (element, text)
        for element, text in _outside_lists_of_brands(page.brand_links)
        if not page.in_other_product(element) and any(block in around for block in element.iterancestors())
    ]
    if beside:
        return max(beside, key=lambda candidate: closeness(candidate[0]))[1]
    return _by_brand_line(page, heading) or _brand_before_heading(page, heading)


def _brand_text(element):
    """What an element shows as a brand: its text after a label ("Výrobca: Viking", "See more of the brand: Acme"),
    else, for a link, its logo's alt text (`<a class="manufacturer-link"><img alt="Acme"></a>`)."""
    text = clean_text(element.text_content())
    if text and ":" in text:
        text = clean_text(text.rpartition(":")[2])
    if text or element.tag != "a":
        return text
    return next((alt for img in element.iter("img") if (alt := clean_text(img.get("alt")))), None)


def _by_brand_line(page, heading):
    """The brand of a line "by Acme" ("von Tchibo", "par Kiabi") in the blocks holding the heading, a few levels up:
    an element whose own text is the whole line, or "by" followed by a link."""
    for block in itertools.islice(heading.iterancestors(), _HEADING_BLOCK_LEVELS):
        for element in block.iter(*_BRAND_LINE_TAGS):
            text = element.text
            # Checked before any cleaning: a block of the page holds thousands of elements, few with a text at all.
            if not text or text.lstrip()[:2].lower() not in _BY_BRAND_STARTS:
                continue
            own = clean_text(text)
            if not own or own.split()[0].lower().rstrip(":") not in _BY_BRAND_PREFIXES:
                continue
            if page.in_other_product(element) or element is heading:
                continue
            line = clean_text(element.text_content()) or ""
            found = _BY_BRAND.match(line)
            if found and len(found.group(1).split()) <= _BRAND_WORDS and not money_amounts(found.group(1)):
                return found.group(1)
    return None


def _brand_before_heading(page, heading):
    """The short text of a link standing just before the heading (or before the block holding it, two levels up)
    that the page's title names before the product's name: a retailer's brand line (`<a href="/esprit/"><h3>Esprit
    </h3></a>` over `<h1>Chinos</h1>`, titled "Esprit Chinos - camel")."""
    title = (clean_text(page.tree.findtext(".//title")) or "").casefold()
    name = (heading_text(heading) or "").casefold()
    at = title.find(name) if name else -1
    if at <= 0:
        return None
    for element in itertools.islice(itertools.chain([heading], heading.iterancestors()), 3):
        if element.tag in ("main", "article", "body"):
            break  # what stands before the main content is the page's chrome (a breadcrumb, the shop's name)
        before = element.getprevious()
        while before is not None and not isinstance(before.tag, str):
            before = before.getprevious()
        if before is None:
            continue
        link = before if before.tag == "a" else next(before.iter("a"), None)
        if link is None or page.in_other_product(link) or _is_home_link(link, page.url):
            continue
        text = clean_text(link.text_content())
        if text and len(text.split()) <= _BRAND_WORDS and 0 <= title.find(text.casefold()) < at:
            return text
    return None


def _is_home_link(link, url):
    """Whether a link goes to the shop's home page ("/", "https://shop.example/")."""
    href = absolute_url(link.get("href"), url) or ""
    return urlsplit(href).path.strip("/") == ""


def _outside_lists_of_brands(named):
    """The (element, text) candidates for the brand outside a list of brands and the site's menus: a block a few
    levels around one that holds elements named for the brand with many different texts is a menu or an index of the
    shop's brands (a "Top 100" heading over "adidas", "BOTD", "Betty London" …), and a block named as the navigation
    or a menu (`id="nav"`, `menuBrand`) holds the shop's links, not the product's brand line."""
    texts = {}  # block → the texts of the elements named for the brand under it, within a few levels
    for element, text in named:
        for block in itertools.islice(element.iterancestors(), _BRAND_LIST_LEVELS):
            texts.setdefault(block, set()).add(text.casefold())
    return [
        (element, text)
        for element, text in named
        if not any(
            len(texts[block]) >= _BRAND_LIST_SIZE
            for block in itertools.islice(element.iterancestors(), _BRAND_LIST_LEVELS)
        )
        and not any(
            _MENU.fullmatch(token)
            for block in element.iterancestors()
            if block.tag not in ("body", "html")
            for token in f"{block.get('id') or ''} {block.get('class') or ''}".split()
        )
    ]


class _Pickers:
    """The blocks of a page that may be pickers, each with what names it, named on first use (the size and the colour
    searches walk the same blocks)."""

    def __init__(self, page):
        self.page = page
        nodes = page.nodes
        self.containers = [node for node in nodes if node.tag in _PICKER_TAGS]
        # The blocks holding a legend or a label: the others have no caption of that kind to read.
        self.captioned = {node.getparent() for node in nodes if node.tag in _CAPTION_TAGS}
        self.markers = {}

    def named(self, pattern):
        """(block, what names it) in page order; the markers are named a few dozen blocks ahead, and `pattern` (the one
        the caller asks of each first: page.marked) is searched through each such run of markers in one go
        (ProductPage.mark_all) rather than in a call per marker."""
        containers = self.containers
        for start in range(0, len(containers), _MARKED_AHEAD):
            run = containers[start : start + _MARKED_AHEAD]
            markers = [self._named(container) for container in run]
            self.page.mark_all(pattern, markers)
            yield from zip(run, markers)

    def _named(self, container):
        marker = self.markers.get(container)
        if marker is None:
            marker = self.markers[container] = self._marker(container)
        return marker

    def _marker(self, container):
        """What names a picker: its class, id, name, data and ARIA labels, and the text of its own legend, label or
        leading title element (Shopware's `product-detail-configurator-group-title`)."""
        attributes = container.items()
        if attributes:
            values = dict(attributes)
            named = [values.get(name) for name in _PICKER_NAMES]
        else:
            named = []
        first = container[0] if len(container) and isinstance(container[0].tag, str) else None
        titled = (
            [first]
            if first is not None and self.page.marked(_CAPTION_CLASS, first.get("class") or "")
            else []
        )
        captioned = [*container.iterchildren(*_CAPTION_TAGS)] if container in self.captioned else []
        captions = [clean_text(caption.text_content()) for caption in captioned + titled]
        return " ".join(
            filter(None, named + [caption for caption in captions if caption and len(caption) <= 30])
        )


def _sizes(page, pickers):
    """The options of the first size picker, else every element the page marks with a `data-size`."""
    for container, marker in pickers.named(_SIZE_CONTAINER):
        if (
            not page.marked(_SIZE_CONTAINER, marker)
            or page.marked(_NOT_SIZE_CONTAINER, marker)
            or page.in_other_product(container)
        ):
            continue
        sizes = _size_options(container)
        if sizes:
            return sizes
    return _labelled_sizes(
        [
            item
            for item in page.tree.xpath("/descendant::*/@data-size/.. | /descendant::*/@data-size-name/..")
            if not page.in_other_product(item)
        ]
    )


def _size_options(container):
    items = []
    for attribute in _OPTION_ATTRIBUTES:
        items = items or container.xpath(f".//*[@{attribute}]")
    items = (
        items
        or container.xpath(".//option")
        or container.xpath(".//li")
        or container.xpath(".//button")
        or container.xpath(".//input[@type='radio']")
        or [e for e in container.iter(etree.Element) if len(e) == 0 and e is not container]
    )
    return _labelled_sizes(items)


def _labelled_sizes(items):
    sizes = {}
    # Shopware marks the options that can be bought with the current selection, not those that cannot.
    marks_combinable = any(_COMBINABLE.search(item.get("class", "")) for item in items)
    for item in items:
        caption = _radio_label(item)
        shown_by = caption if caption is not None else item
        # A size is named by what the option shows; a note for screen readers may say it is sold out (Shopify's
        # "M <span class="visually-hidden">Variant sold out or unavailable</span>").
        shown = shown_text(shown_by)
        every_word = clean_text(shown_by.text_content())
        stated = next(
            (
                item.get(name)
                for name in _OPTION_ATTRIBUTES + ("value", "aria-label", "title")
                if item.get(name)
            ),
            None,
        )
        label, sold_out = _size_label(shown or stated)
        sold_out = sold_out or (every_word != shown and _size_label(every_word)[1])
        # An option shown with its tooltip or a note ("12 b 12 b", "M Notify me") is the size its data names.
        value = clean_text(next((item.get(name) for name in _OPTION_ATTRIBUTES if item.get(name)), None))
        if label and value and label != value and value in label:
            label = _size_label(value)[0] or label
        if not label:
            continue
        available = not (
            sold_out
            or _is_disabled(item)
            or (caption is not None and _is_disabled(caption))
            or (marks_combinable and not _COMBINABLE.search(item.get("class", "")))
        )
        sizes[label] = sizes.get(label, False) or available
    return [{"name": name, "available": available} for name, available in sizes.items()]


def _radio_label(item):
    """The label a radio input is shown by (`label[for=id]`, or the label right after it); None otherwise.
    Its value is often an id ("201") and a sold-out size is often marked on the label."""
    if item.tag != "input" or item.get("type") != "radio":
        return None
    identifier = item.get("id")
    # Through the labels' `for` (`//label[@for=$id]` took a step from every node and a predicate on every label).
    labels = (
        item.getroottree().xpath("/descendant::label/@for[. = $id]/..", id=identifier) if identifier else []
    )
    following = next_element(item)
    return labels[0] if labels else following if following is not None and following.tag == "label" else None


def _size_label(raw):
    text = clean_text(raw)
    if not text or _NOT_A_SIZE.search(text):
        return None, False
    text = _SIZE_PREFIX.sub("", text)
    suffix = _SIZE_SUFFIX.search(text)
    sold_out = bool(OUT_OF_STOCK_WORDS.search(text))
    if suffix and not _DIGIT.search(suffix.group()):
        text = text[: suffix.start()]
    text = OUT_OF_STOCK_WORDS.sub("", text).strip(" -–|")
    if not text or len(text) > 24 or not _WORD_CHARACTER.search(text):
        return None, False
    return text, sold_out


def _is_disabled(item):
    """Whether the option, the block around it or the one control it holds (a list item's radio input or button)
    is disabled or marked unavailable."""
    controls = _OWN_CONTROLS(item) if item.tag not in ("input", "button") else []
    for element in (item, item.getparent(), *(controls if len(controls) == 1 else ())):
        if element is None:
            continue
        if (
            element.get("disabled") is not None
            or element.get("aria-disabled") == "true"
            or DISABLED_CLASS.search(element.get("class", ""))
            or (element.get("data-availability") or "").lower() in ("unavailable", "notavailable", "soldout")
        ):
            return True
    return False


def _colors(page, title, pickers):
    return _labelled_color(page) or _swatch_colors(page, title, pickers) or _gallery_color(page, title)


def _gallery_color(page, title):
    """The colour the product's own photos name after its name in their alt text ("Tommy Jeans OFLEKI Marinho",
    "SHIRT, Navy, large", "Wool coat in red"): the first part after the name that most photos outside other products'
    blocks say, two at least, when it holds a colour word; photos naming no colour (or a name no colour word makes
    one: "Sea Turtle") say nothing, and neither do the fewer photos of other colours. The last resort for a colour:
    pickers and labels come first."""
    name = (clean_text(title) or "").lower()
    if len(name) < 3:
        return []
    said = {}  # the first part after the name, lower-cased → (as written, how many photos say it)
    for img in page.images:
        alt = clean_text(img.get("alt") or img.get("data-alt")) or ""
        start = alt.lower().find(name)
        if start < 0 or len(alt.lower()) != len(alt) or page.in_other_product(img):
            continue
        first = _ALT_PARTS.split(alt[start + len(name) :].strip(" -–:,;|("))[0]
        part = _COLOR_CONNECTOR.sub("", first.strip(" -–:"))
        if part:
            written, count = said.get(part.lower(), (part, 0))
            said[part.lower()] = (written, count + 1)
    if not said:
        return []
    written, count = max(said.values(), key=lambda entry: entry[1])
    words = [word for word in _COLOR_WORD_SPLIT.split(written.lower()) if word]
    return [written] if count >= 2 and len(words) <= 3 and any(word in COLOR_WORDS for word in words) else []


def _labelled_color(page):
    for element in page.tree.iter(
        "span", "label", "h2", "h3", "h4", "dt", "th", "td", "p", "div", "strong", "b", "li"
    ):
        own = _own_text(element, _COLOR_LABEL_PREFIXES)
        match = _COLOR_LABEL.match(own) if own[:3].lower() in _COLOR_LABEL_PREFIXES else None
        if not match or page.in_other_product(element) or _in_filters(element):
            continue
        value = clean_text(own[match.end() :]) or following_text(element)
        if (
            value
            and len(value) <= 60
            and not _COLOR_LABEL.fullmatch(value)
            and not _FORM_HINT.fullmatch(value)
        ):
            return [value]
    return []


def _in_filters(element):
    """Whether an element sits in the filters of a list of products (a category sidebar's "Colour" facet)."""
    return any(
        _FILTERS.search(" ".join(filter(None, (block.get("class"), block.get("id")))))
        for block in element.iterancestors()
        if block.tag not in ("body", "html")
    )


def _swatch_colors(page, title, pickers):
    """Names of the first colour picker's swatches (title, ARIA label, data attribute or alt text), the
    selected one first; a swatch named after the product ("Shirt, Black, large", or every word of a one-word name)
    names no colour."""
    title_words = set(_significant_words(title))
    for container, marker in pickers.named(_COLOR_CONTAINER):
        if (
            not page.marked(_COLOR_CONTAINER, marker)
            or page.marked(_NOT_COLOR_CONTAINER, marker)
            or page.in_other_product(container)
        ):
            continue
        swatches = [
            (name, _is_selected(element))
            for element in container.iter(
                "a", "button", "li", "span", "input", "img", "label", "div", "option"
            )
            if (name := _swatch_name(element)) and not _names_product(title_words, name)
        ]
        named = {}  # a swatch named twice ("Red" shown, "red " its value) is one colour
        for name, _selected in sorted(swatches, key=lambda swatch: not swatch[1]):
            named.setdefault(name.casefold(), name)
        names = list(named.values())
        if names:
            return names
    return []


def _names_product(title_words, name):
    shared = title_words & set(_significant_words(name))
    return len(shared) >= 2 or (bool(shared) and shared == title_words)


def _swatch_name(element):
    """A swatch's name: an option's text, else the first of its naming attributes; else the value it carries
    (`data-title`, `data-value`, a radio input's value where the input's name is a colour's) when that reads as a
    word, not a number or a size's code. A colour's name has a letter."""
    if element.tag == "option":
        raw = element.text_content()
    else:
        raw = next((value for name in _SWATCH_NAMES if clean_text(value := element.get(name))), None)
        if raw is None:
            value = next((value for name in _SWATCH_VALUES if clean_text(value := element.get(name))), None)
            if (
                element.tag == "input"
                and element.get("type") == "radio"
                and _COLOR_INPUT.search(element.get("name") or "")
            ):
                value = value or element.get("value")
            raw = (
                value
                if value and not _DIGIT.search(value) and not _SIZE_CODE.fullmatch(value.strip())
                else None
            )
    raw = clean_text(raw) or ""
    name = _SWATCH_PREFIX.sub("", raw).strip(" :-")
    # A prompt ("Select a colour") names none; a labelled value does ("Select Colour: Sea Turtle"), so the prompt's
    # words are looked for in what follows its label.
    prompt = name if _LABELLED_SWATCH.match(raw) else raw
    return (
        name
        if 0 < len(name) <= 40
        and _LETTER.search(name)
        and not _NOT_A_SIZE_NAME.search(name)
        and not _NOT_A_SIZE.search(prompt)
        else None
    )


def _is_selected(element):
    return (
        any(
            element.get(name) == "true"
            for name in ("aria-checked", "aria-pressed", "aria-selected", "aria-current")
        )
        or element.get("checked") is not None
        or bool(_SELECTED_CLASS.search(element.get("class", "")))
    )


def _own_text(element, prefixes=None):
    """The element's own text (before its first child) cleaned, "" without; most elements have only white space
    there, which is told without cleaning it. With `prefixes` (lower-case first three letters), "" as well for a
    text that cannot begin with one of them once cleaned, told without cleaning it: cleaning changes a text's
    beginning only through an entity or a tag, or in its white space, which no prefix holds."""
    text = element.text
    if not text or text.isspace():
        return ""
    if (
        prefixes is not None
        and "&" not in text
        and "<" not in text
        and text.lstrip()[:3].lower() not in prefixes
    ):
        return ""
    return clean_text(text) or ""


def _fabric(page):
    return _labelled_fabric(page) or _fabric_by_class(page)


def _labelled_fabric(page):
    """Every "Material: …", "Composition: …" or "Sole: rubber" on the page (shoes list parts apart)."""
    found = []
    for element in page.tree.iter(
        "span", "label", "h2", "h3", "h4", "h5", "dt", "th", "td", "p", "div", "strong", "b", "li"
    ):
        own = _own_text(element, None if element.tag in ("dt", "th") else _FABRIC_LABEL_PREFIXES)
        match = _FABRIC_LABEL.match(own) if own[:3].lower() in _FABRIC_LABEL_PREFIXES else None
        if match and not page.in_other_product(element):
            value = clean_text(own[match.end() :]) or following_text(element)
            found += parse_composition(value) if value and has_material(value) else []
        elif (
            element.tag in ("dt", "th")
            and (value := next_element(element)) is not None
            and not page.in_other_product(element)
        ):
            found += _fabric_from_line(f"{own}: {clean_text(value.text_content()) or ''}")
        elif (element.tag in ("li", "p", "td", "dd") or len(element) == 0) and not page.in_other_product(
            element
        ):
            text = element.text_content() if len(element) else element.text or ""  # a leaf's text is its own
            if _may_state_fabric(text):
                # A composition line before the care notes in an element of their own ("Cotton 71% / Viscose 27% /
                # <span>40 degrees / …</span>") is the element's own text.
                found += _fabric_from_line(clean_text(text) or "") or (
                    _fabric_from_line((clean_text(element.text) or "").rstrip(" /|,;"))
                    if len(element) and "%" in (element.text or "")
                    else []
                )
    return unique_materials(found)


def _may_state_fabric(text):
    """Whether a text can hold a line _fabric_from_line reads (a ':' or a '%', or an entity that cleaning turns into
    one): most texts of a page cannot, and need no cleaning."""
    return ":" in text or "%" in text or "&" in text


def _fabric_by_class(page):
    for element in page.named_by(_FABRIC_CLASS, lambda naming: naming.class_ or ""):
        if not page.in_other_product(element):
            text = clean_text(element.text_content())
            if text and len(text) <= 200 and _PERCENTAGE.search(text):
                fabric = parse_composition(text)
                if fabric:
                    return fabric
    return []


def _fabric_from_line(line):
    """Materials of "label: materials" parts ("Tissu principal : 70% laine. Doublure : 100% viscose"), or of
    a line that is nothing but materials with percentages ("Cotton 95%, Elastane 5%")."""
    line = line.strip()
    if not line or len(line) > 200:
        return []
    if ":" not in line:
        return (
            parse_composition(line)
            if "%" in line and _PERCENTAGE.search(line) and _MATERIALS_ONLY.match(line)
            else []
        )
    found = []
    for part in _LABELLED_PART.split(line):
        label, separator, value = part.partition(":")
        if separator and _MATERIALS_ONLY.match(value) and has_material(value) and len(label) <= 40:
            found += parse_composition(value)
    return found


def description_block(page):
    """Text of the first block the page marks as the product's description (class or id), outside other products."""
    # "escription" without its first letter finds "product-description" and "productDescription" alike.
    for element in page.named_elements(
        lambda naming: "escription" in (naming.class_ or "") or "escription" in (naming.id or "")
    ):
        if element.tag in (
            "meta",
            "script",
            "style",
            "body",
            "html",
            "main",
            "form",
        ) or page.in_other_product(element):
            continue
        if any(
            _DESCRIPTION_MARKER.search(name)
            for name in (element.get("class", "") + " " + element.get("id", "")).split()
        ):
            text = clean_multiline(lxml.html.tostring(element, encoding="unicode"))
            if text and len(text.split()) >= 4:  # fewer words are a tab's caption ("Product details")
                return text[:_DESCRIPTION_LIMIT]
    return None


def _breadcrumbs(page):
    for container in page.named_by(
        _BREADCRUMB, lambda naming: " ".join(filter(None, (naming.class_, naming.id, naming.aria_label)))
    ):
        if container.tag in ("li", "a", "span"):
            continue
        items = container.xpath(".//li") or container.xpath(".//a")
        names = unique(clean_text(item.text_content()) for item in items)
        names = [name for name in names if name and len(name) <= 60]
        if names:
            return names
    return []
