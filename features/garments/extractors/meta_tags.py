"""OpenGraph, product:* and twitter:* meta tags, the canonical link, and the shop's own name."""

import itertools
from urllib.parse import urlsplit

from features.garments.extractors.schema_org import node_types
from features.garments.extractors.values import (
    absolute_url,
    clean_text,
    large_image_url,
    parse_availability,
    parse_currency,
    parse_gtin,
    parse_identifier,
    parse_price,
    unique,
)
from shared.text_patterns import IGNORECASE, compile_pattern

_EURO_COUNTRIES = (
    "AT",
    "BE",
    "CY",
    "DE",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PT",
    "SI",
    "SK",
)
REGION_CURRENCIES = {
    **dict.fromkeys(_EURO_COUNTRIES, "EUR"),
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "GB": "GBP",
    "UK": "GBP",
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "IS": "ISK",
    "CH": "CHF",
    "PL": "PLN",
    "CZ": "CZK",
    "HU": "HUF",
    "RO": "RON",
    "BG": "BGN",
    "TR": "TRY",
    "JP": "JPY",
    "CN": "CNY",
    "KR": "KRW",
    "IN": "INR",
    "MX": "MXN",
    "BR": "BRL",
    "AR": "ARS",
    "CL": "CLP",
    "CO": "COP",
    "UY": "UYU",
    "SG": "SGD",
    "HK": "HKD",
    "TW": "TWD",
    "ZA": "ZAR",
    "AE": "AED",
    "SA": "SAR",
}
_DOMAIN_NAME = compile_pattern(r"\.(com|net|shop|[a-z]{2})$", IGNORECASE)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " : ")
_SITE_NAME_WORDS = 4  # a shop's name is a few words
# Through the links' addresses (a predicate on every link costs an XPath evaluation per link).
_HOME_LINKS = "/descendant::a/@href[. = '/' or . = $root or . = $bare]/.."
_SITE_TYPES = {"website", "organization", "onlinestore", "store", "corporation"}
# Languages whose speakers pay in one currency (not English, Spanish, French, German, Arabic…).
LANGUAGE_CURRENCIES = {
    "ja": "JPY",
    "ko": "KRW",
    "pl": "PLN",
    "cs": "CZK",
    "hu": "HUF",
    "sv": "SEK",
    "da": "DKK",
    "nb": "NOK",
    "nn": "NOK",
    "tr": "TRY",
    "he": "ILS",
    "th": "THB",
    "vi": "VND",
    "uk": "UAH",
    "ro": "RON",
    "bg": "BGN",
    "is": "ISK",
    "fi": "EUR",
    "et": "EUR",
    "lv": "EUR",
    "lt": "EUR",
    "sk": "EUR",
    "sl": "EUR",
    "el": "EUR",
    "hr": "EUR",
}
_LOCALE_REGION = compile_pattern(r"[-_]([A-Za-z]{2})$")
_PRICE_LABEL = compile_pattern(r"price|preis|prix|precio|prezzo|prijs|preço", IGNORECASE)


def read_meta(page):
    """Fields the page's meta tags state about the product."""
    price_text = page.meta_value(
        "product:price:amount",
        "og:price:amount",
        "product:sale_price:amount",
        "og:price",
        "twitter:data1" if _twitter_label_is_price(page) else "",
    )
    price = parse_price(price_text)
    # A sale price beside the price makes the price the one crossed out (Facebook's catalogue tags).
    sale = parse_price(page.meta_value("product:sale_price:amount", "og:sale_price:amount"))
    listed = parse_price(page.meta_value("product:original_price:amount", "og:price:standard_amount"))
    if sale and price and sale < price:
        price, listed = sale, listed or price
    currency = parse_currency(page.meta_value("product:price:currency", "og:price:currency", "pricecurrency"))
    # The catalogue's id of the product, or a schema.org code given as a meta tag outside any item (`<meta
    # itemprop="sku" content="…">` in the head, which microdata leaves to no product).
    retailer_id = page.meta_value("product:retailer_item_id", "product:sku", "og:sku", "sku", "productid")
    return {
        "title": _title_without_shop(clean_text(page.meta_value("og:title", "twitter:title")), page),
        "brand": clean_text(page.meta_value("product:brand", "og:brand")),
        "price": price,
        "list_price": listed,
        "currency": currency or (parse_currency(price_text) if price_text else None),
        "availability": parse_availability(page.meta_value("product:availability", "og:availability")),
        # Some shops give their catalogue the product's barcode as its id: a valid GTIN is a GTIN, not a SKU.
        "sku": parse_identifier(retailer_id) if not parse_gtin(retailer_id) else None,
        "mpn": parse_identifier(page.meta_value("product:mfr_part_no", "mpn")),
        "gtin": parse_gtin(
            page.meta_value(
                "product:gtin",
                "product:ean",
                "product:upc",
                "og:upc",
                "og:ean",
                "books:isbn",
                "gtin13",
                "gtin",
                "gtin14",
                "gtin12",
                "gtin8",
                "isbn",
            )
        )
        or parse_gtin(retailer_id),
        "images": unique(
            large_image_url(value, page.base_url)
            for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image")
            for value in page.meta.get(key, [])
        ),
        "colors": unique(clean_text(value) for value in page.meta.get("product:color", [])),
        "description": clean_text(page.meta_value("og:description", "description", "twitter:description")),
        "canonical_url": page.canonical_link or absolute_url(page.meta_value("og:url"), page.url),
        "product_type": clean_text(page.meta_value("product:category", "product:type")),
    }


def read_site(page):
    """The shop's own name, a brand of last resort for house brands (& Other Stories, Weekday, Kiabi): as its
    meta tags, its schema.org WebSite/Organization, its page title or its logo name it (not a domain name); none
    for a shop linking to brands' pages (`/brands/acme`), which sells other makers' brands."""
    if page.brand_links:
        return {}
    name = next(
        (name for name in _site_names(page) if name and not _DOMAIN_NAME.search(name) and len(name) <= 40),
        None,
    )
    return {"brand": name} if name else {}


def _site_names(page):
    yield clean_text(page.meta_value("og:site_name", "application-name", "apple-mobile-web-app-title"))
    for document in page.json_ld:
        top = document.get("@graph", [document]) if isinstance(document, dict) else document
        for node in top if isinstance(top, list) else []:
            if isinstance(node, dict) and node_types(node) & _SITE_TYPES:
                yield clean_text(node.get("name"))
    yield _title_site_name(page)
    yield _logo_name(page)


def _title_site_name(page):
    """The first or last part of the page's <title> ("Kettle | Homeware") as far as its last word the site's host
    name spells ("ZARA Ireland" on zara.com is "ZARA", "Weekday DE" "Weekday", "& Other Stories" on stories.com
    whole)."""
    title = clean_text(page.tree.findtext(".//title")) or ""
    host = urlsplit(page.url).hostname or ""
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.partition(separator)
        for part in (title.rpartition(separator)[2], head) if found else ():
            name = _host_named_words(part, host)
            if name:
                return name
    return None


def title_without_site(page):
    """The page's <title> without the shop's name: the last part (after " | ", " - ", " – ", " :: "…) or else the first
    that the host name spells ("Linen shirt – Lumo" on lumo.example) or the logo names is left out; None when nothing
    but the shop's name is left. The product's name of last resort, for a page without a heading."""
    # White space made single, not the text cleaned: cleaning joins " : " to the word before it.
    title = " ".join((page.tree.findtext(".//title") or "").split())
    if not title:
        return None
    host = urlsplit(page.url).hostname or ""
    logo = (_logo_name(page) or "").casefold()

    def names_site(part):
        return bool(_host_named_words(part, host)) or (bool(logo) and part.strip().casefold() == logo)

    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and names_site(tail):
            return clean_text(head)
        first, found, rest = title.partition(separator)
        if found and names_site(first):
            return clean_text(rest)
    return None if names_site(title) else clean_text(title)


def _host_named_words(text, host):
    """The words of a short text up to the last one the host name spells (three letters or more, or a whole label
    of the host: "H&M" on hm.com), or None."""
    words = text.split()
    if len(words) > _SITE_NAME_WORDS:
        return None
    labels = set(host.lower().split("."))
    spelled = "".join(character for character in host.lower() if character.isalnum())
    last = None
    for index, word in enumerate(words):
        key = "".join(character for character in word.lower() if character.isalnum())
        if key and key in spelled and (len(key) >= 3 or key in labels):
            last = index
    return " ".join(words[: last + 1]) if last is not None else None


def _logo_name(page):
    """The shop's name as its logo says it: the alt text, label or text of the link to its home page ("/") in the page
    header or named as the logo, as far as the page's title or host name also has it ("Tchibo Online-Shop" titled
    "… bei Tchibo" is "Tchibo", "John Lewis & Partners Home" "John Lewis & Partners")."""
    title = (clean_text(page.tree.findtext(".//title")) or "").casefold()
    host = urlsplit(page.url).hostname or ""
    root = urlsplit(page.url)._replace(path="/", query="", fragment="").geturl()
    # The links to the home page, selected by libxml2 (a page has thousands of links).
    for link in page.tree.xpath(_HOME_LINKS, root=root, bare=root.rstrip("/")):
        named = f"{link.get('class') or ''} {link.get('id') or ''}".lower()
        if (
            "logo" not in named
            and next(link.iterancestors("header"), None) is None
            and not any(
                "logo" in f"{block.get('class') or ''} {block.get('id') or ''}".lower()
                for block in itertools.chain(link.iter(), itertools.islice(link.iterancestors(), 2))
            )
        ):
            continue
        text = clean_text(
            link.get("aria-label")
            or link.get("title")
            or next((img.get("alt") for img in link.iter("img") if img.get("alt")), None)
            or link.text_content()
            or next((clean_text(svg_title.text) for svg_title in link.iter("{*}title", "title")), None)
        )
        if not text:
            continue
        words = text.split()[:_SITE_NAME_WORDS]
        for end in range(len(words), 0, -1):
            name = " ".join(words[:end])
            if len(name) >= 3 and name.casefold() in title:
                return name
        return _host_named_words(" ".join(words), host)
    return None


def regional_currency(page):
    """The currency of the country the page is for (og:locale or html lang region, else the country domain, else
    a language spoken in one currency's countries only), for a price no data names the currency of ("$49",
    "kr 499,-"); None when the page names no country."""
    locale = (page.meta_value("og:locale") or page.tree.get("lang") or "").strip()
    region = _LOCALE_REGION.search(locale)
    country = region.group(1) if region else (urlsplit(page.url).hostname or "").rsplit(".", 1)[-1]
    return REGION_CURRENCIES.get(country.upper()) or LANGUAGE_CURRENCIES.get(locale[:2].lower())


def _twitter_label_is_price(page):
    label = clean_text(page.meta_value("twitter:label1")) or ""
    return bool(_PRICE_LABEL.search(label))


def _title_without_shop(title, page):
    """og:title minus a trailing " - Shop" / " | Shop" naming the site."""
    if not title:
        return None
    site = clean_text(page.meta_value("og:site_name"))
    for separator in _TITLE_SEPARATORS:
        head, _, tail = title.rpartition(separator)
        if head and site and site.lower().split()[0] in tail.lower():
            return head.strip()
    return title
