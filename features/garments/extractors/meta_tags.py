"""OpenGraph, product:* and twitter:* meta tags, the canonical link, and the shop's own name."""
from urllib.parse import urlsplit

from features.garments.extractors.values import (absolute_url, clean_text, large_image_url, parse_currency,
                                                 parse_price, unique)
from shared.text_patterns import IGNORECASE, compile_pattern


_EURO_COUNTRIES = ("AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MT", "NL",
                   "PT", "SI", "SK")
REGION_CURRENCIES = {
    **dict.fromkeys(_EURO_COUNTRIES, "EUR"), "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "GB": "GBP",
    "UK": "GBP", "SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK", "CH": "CHF", "PL": "PLN", "CZ": "CZK",
    "HU": "HUF", "RO": "RON", "BG": "BGN", "TR": "TRY", "JP": "JPY", "CN": "CNY", "KR": "KRW", "IN": "INR",
    "MX": "MXN", "BR": "BRL", "AR": "ARS", "CL": "CLP", "SG": "SGD", "HK": "HKD", "ZA": "ZAR",
    "AE": "AED", "SA": "SAR",
}
_DOMAIN_NAME = compile_pattern(r"\.(com|net|shop|[a-z]{2})$", IGNORECASE)
_LOCALE_REGION = compile_pattern(r"[-_]([A-Za-z]{2})$")
_PRICE_LABEL = compile_pattern(r"price|preis|prix|precio|prezzo|prijs|preço", IGNORECASE)


def read_meta(page):
    """Fields the page's meta tags state about the product."""
    price_text = page.meta_value("product:price:amount", "og:price:amount", "product:sale_price:amount",
                                 "twitter:data1" if _twitter_label_is_price(page) else "")
    currency = parse_currency(page.meta_value("product:price:currency", "og:price:currency", "pricecurrency"))
    return {
        "title": _title_without_shop(clean_text(page.meta_value("og:title", "twitter:title")), page),
        "brand": clean_text(page.meta_value("product:brand", "og:brand")),
        "price": parse_price(price_text),
        "currency": currency or (parse_currency(price_text) if price_text else None),
        "images": unique(large_image_url(value, page.base_url)
                         for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image")
                         for value in page.meta.get(key, [])),
        "colors": unique(clean_text(value) for value in page.meta.get("product:color", [])),
        "description": clean_text(page.meta_value("og:description", "description", "twitter:description")),
        "canonical_url": page.canonical_link or absolute_url(page.meta_value("og:url"), page.url),
        "product_type": clean_text(page.meta_value("product:category", "product:type")),
    }


def read_site(page):
    """The shop's own name, a brand of last resort for house brands (& Other Stories, Weekday, Kiabi)."""
    name = clean_text(page.meta_value("og:site_name", "application-name", "apple-mobile-web-app-title"))
    if name and not _DOMAIN_NAME.search(name) and len(name) <= 40:
        return {"brand": name}
    return {}


def regional_currency(page):
    """The currency of the country the page is for (og:locale or html lang region, else the country domain),
    for a price no data names the currency of ("$49", "kr 499,-"); None when the page names no country."""
    locale = page.meta_value("og:locale") or page.tree.get("lang") or ""
    region = _LOCALE_REGION.search(locale.strip())
    country = region.group(1) if region else (urlsplit(page.url).hostname or "").rsplit(".", 1)[-1]
    return REGION_CURRENCIES.get(country.upper())


def _twitter_label_is_price(page):
    label = clean_text(page.meta_value("twitter:label1")) or ""
    return bool(_PRICE_LABEL.search(label))


def _title_without_shop(title, page):
    """og:title minus a trailing " - Shop" / " | Shop" naming the site."""
    if not title:
        return None
    site = clean_text(page.meta_value("og:site_name"))
    for separator in (" | ", " - ", " – ", " — "):
        head, _, tail = title.rpartition(separator)
        if head and site and site.lower().split()[0] in tail.lower():
            return head.strip()
    return title
