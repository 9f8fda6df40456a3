"""Turning the raw values shops publish into clean ones: text, prices, currencies, availability, URLs."""

import html
import math
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from shared.text_patterns import IGNORECASE, compile_pattern, escape

_TAG = compile_pattern(r"<[^>]+>")
_CLOSING_PUNCTUATION = ".,;:!?)"
# Unrendered template placeholders shops sometimes ship ($metabrand, {{ product.title }}, ${name}).
_PLACEHOLDER_WORDS = {"undefined", "null", "none", "n/a", "false", "true"}
_PLACEHOLDER = compile_pattern(
    r"^\$[A-Za-z_]\w*$|\{\{.*\}\}|\$\{.*\}|<%.*%>|^(?:undefined|null|none|n/a|false|true)$", IGNORECASE
)

CURRENCY_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₺": "TRY",
    "₽": "RUB",
    "₪": "ILS",
    "zł": "PLN",
    "kč": "CZK",
    "ft": "HUF",
    "lei": "RON",
    "r$": "BRL",
    "a$": "AUD",
    "c$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "us$": "USD",
    "chf": "CHF",
    "ر.س": "SAR",
    "د.إ": "AED",
    "د.ك": "KWD",
    "ر.ق": "QAR",
    "₸": "KZT",
    "тг": "KZT",
    "₴": "UAH",
    "грн": "UAH",
    "руб": "RUB",
    "лв": "BGN",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "원": "KRW",
    "円": "JPY",
    "元": "CNY",
    "₦": "NGN",
    "rp": "IDR",
    "kd": "KWD",
    "tl": "TRY",
    "rm": "MYR",
    "₡": "CRC",
}
# Symbols several currencies share: the page's country tells which one is meant.
AMBIGUOUS_CURRENCY = compile_pattern(r"\$|(?<![^\W\d_])(?:kr|rs|dkk|nok|sek)\.?(?![^\W\d_])|₨", IGNORECASE)
_ISO_CURRENCIES = {
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "BGN",
    "TRY",
    "RUB",
    "JPY",
    "CNY",
    "KRW",
    "INR",
    "AUD",
    "NZD",
    "CAD",
    "MXN",
    "BRL",
    "ARS",
    "CLP",
    "COP",
    "PEN",
    "UYU",
    "ZAR",
    "SAR",
    "AED",
    "KWD",
    "QAR",
    "IQD",
    "JOD",
    "LYD",
    "TND",
    "BHD",
    "OMR",
    "EGP",
    "ILS",
    "HKD",
    "SGD",
    "MYR",
    "THB",
    "IDR",
    "PHP",
    "VND",
    "TWD",
    "ISK",
    "UAH",
    "MAD",
    "NGN",
    "KES",
}
# A symbol made of letters counts only as a word of its own ("ft" in "gift" is no forint).
_CURRENCY_SYMBOL = compile_pattern(
    "|".join(
        rf"(?<![^\W\d_]){escape(symbol)}(?![^\W\d_])" if symbol[-1].isalpha() else escape(symbol)
        for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
    )
)
# schema.org's ItemAvailability values and the words platforms use for them, as parse_availability normalises them
# (last part of a URL or prefixed name, case folded, no spaces, "_" or "-"). What a shopper can order now is in stock:
# limited, online or in-store only, pre-order, pre-sale, back-order and made to order; sold out, discontinued and
# reserved are not.
_AVAILABLE = {
    "instock",
    "limitedavailability",
    "onlineonly",
    "instoreonly",
    "presale",
    "preorder",
    "backorder",
    "backordered",
    "madetoorder",
    "available",
    "availablefororder",
    "true",
    "1",
    "yes",
    "lowstock",
    "lowonstock",
    "limitedstock",
    "instockonline",
    "orderable",
    "purchasable",
    "buyable",
}
_UNAVAILABLE = {
    "outofstock",
    "soldout",
    "discontinued",
    "reserved",
    "unavailable",
    "notavailable",
    "notinstock",
    "temporarilyoutofstock",
    "temporarilyunavailable",
    "outofstockonline",
    "notorderable",
    "notpurchasable",
    "comingsoon",
    "oos",
    "false",
    "0",
    "no",
}
_URL_PART = compile_pattern(r"[/#]")
# Currencies whose minor unit is a thousandth (ISO 4217).
_THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})
_AFTER_AVAILABILITY = "/#.,;:?! \t\n"
# A sold-out message written as a negation of an in-stock word ("Produit non disponible", "Não está disponível",
# "Non è disponibile", "Nu este disponibil", "המוצר אינו במלאי", "Not currently available"): the negation, at most one
# copula or "currently" between, then the word; the in-stock pattern alone would read each as in stock.
_NEGATION = (
    r"(?:not|non|no|não|nao|nu|pas|nicht|niet|ikke|inte|ej|nie|не|ні|לא|אינו|אינה|אינם|אין|غير|μη|δεν|nem)"
)
_BETWEEN_NEGATION = (
    r"(?:\s+(?:is|are|currently|yet|est|è|é|e|está|esta|este|ist|momentan|derzeit|actuellement|attualmente|"
    r"actualmente|atualmente|temporairement|temporalmente))?"
)
_NEGATED_IN_STOCK = (
    r"(?:in stock|available|disponib|disponív|disponiv|verfügbar|lieferbar|en stock|em estoque|in magazzino|"
    r"op voorraad|på lager|i lager|в наличии|в наявності|ב?מלאי|זמינ|متوفر|διαθέσιμ)"
)
# What shops write about stock, in the languages they write in (sold out first: "unavailable" holds "available").
OUT_OF_STOCK_WORDS = compile_pattern(
    r"(?:^|[\s(\[«»\"“„:;,.!?/|])" + _NEGATION + _BETWEEN_NEGATION + r"\s+" + _NEGATED_IN_STOCK + "|"
    r"sold[ -]?out|out[ -]of[ -]stock|not (?:in stock|available)|unavailable|no longer available|discontinued|"
    r"ausverkauft|vergriffen|"
    r"nicht (?:mehr )?(?:verfügbar|lieferbar|vorrätig|auf lager)|épuisé|indisponible|rupture de stock|"
    r"plus disponible|agotad[oa]|sin stock|sin existencias|fuera de stock|no disponible|esaurit[oaie]|non disponibile|"
    r"uitverkocht|fora de (?:estoque|stock)|sem stock|brak towaru|tillfälligt slut|slut i lager|(?:ej|inte) i lager|"
    r"ikke på lager|売り切れ|品切れ|在庫なし|"
    r"niet (?:beschikbaar|leverbaar|op voorraad)|esgotado|indisponível|sem estoque|нет в наличии|"
    r"отсутствует|brak w magazynie|niedostępny|wyprzedan|vyprodáno|není skladem|nie je (?:na )?sklade|"
    r"elfogyott|nincs raktáron|tükendi|stokta yok|slutsåld|utsolgt|udsolgt|loppuunmyyty|품절|在庫切れ|"
    r"售罄|缺货|缺貨|售完|غير متوفر|غير متاح|غير موجود|نفذ|نفد|אזל|ناموجود|"
    r"stoc epuizat|indisponibil|nu (?:este|e) [îi]n stoc|loppu varastosta|ei varastossa|εξαντλήθηκε|μη διαθέσιμ|"
    r"εκτός αποθέματος|nincs készleten|nem elérhető|stok habis|habis terjual|tidak tersedia|stok kosong|"
    r"hết hàng|ngừng kinh doanh|немає в наявності|закінчився|немає на складі|изчерпан|няма наличност|"
    r"не е налич|nema na (?:zalihi|stanju)|nije dostupn|rasprodan|ni na zalogi|razprodan|vypredané|nedostupn|"
    r"išparduota|nėra sandėlyje|izpārdots|nav noliktavā|läbi müüdud|สินค้าหมด|หมดสต็อก|"
    # What a page offers in place of the add-to-cart control when the product cannot be bought: to be told when it is.
    r"notify me|email me when|let me know when|tell me when|benachrichtig|prévenez-moi|me prévenir|m'avertir|"
    r"m’avertir|avísame|avisarme|avise-me|avvisami|powiadom mnie|сообщить о поступлении|houd me op de hoogte|"
    r"bevaka|giv mig besked|haber ver|upozornit|értesítést kérek|أبلغني|أعلمني|הודיעו לי|入荷通知|再入荷|재입고 알림|"
    r"到货通知|"
    r"coming soon|back soon|bientôt disponible|próximamente|demnächst",
    IGNORECASE,
)
IN_STOCK_WORDS = compile_pattern(
    r"in stock|available|auf lager|vorrätig|lieferbar|verfügbar|en stock|en existencia|in magazzino|in voorraad|"
    r"disponible|disponibil|op voorraad|leverbaar|"
    r"em estoque|disponível|в наличии|na skladě|skladem|skladom|na stanie|dostępny|raktáron|stokta|på lager|"
    r"i lager|varastossa|ready to ship|ships (?:today|in)|only \d+ left|nur noch \d+|在庫あり|有货|재고 있음|"
    r"pre-?order|back-?order|vorbestell|précommande|pré-commande|preventa|reserva ya|"
    r"متوفر|במלאי|موجود|[îi]n stoc|διαθέσιμο|σε απόθεμα|készleten|tersedia|còn hàng|в наявності|в наличност|"
    r"наличен|na zalihi|na stanju|na zalogi|dostupno|yra sandėlyje|ir noliktavā|มีสินค้า|有現貨|有库存",
    IGNORECASE,
)
# A stock counter: a count before the words for stock ("0 in stock", "3 available", "2 Stück auf Lager") or after
# a stock label ("Stock: 0", "Bestand: 12").
_STOCK_COUNT = compile_pattern(
    r"(?:^|[^0-9.,])(\d{1,6})\s*(?:items?|pcs\.?|pieces?|units?|stück|stk\.?|st\.|uds\.?|unidades|pezzi|шт\.?)?\s*"
    r"(?:in stock|available|left|auf lager|vorrätig|verfügbar|en stock|disponibles?|en existencia|disponibili|"
    r"in magazzino|op voorraad|em estoque|в наличии|na stanie|på lager|i lager|skladem)|"
    r"^(?:stock|in stock|bestand|lagerbestand|existencias|disponibilidad|на складе|остаток)\s*[:：]?\s*"
    r"(\d{1,6})(?:\s|$)",
    IGNORECASE,
)
# Query parameters image CDNs use to serve a smaller rendition; without them they serve the original.
_RESIZE_PARAMS = {"imwidth", "imheight", "sw", "sh", "sm", "width", "height", "w", "h", "wid", "hei"}
_SHOPIFY_SIZE_SUFFIX = compile_pattern(
    r"_(?:\d+x\d*|\d*x\d+|pico|icon|thumb|small|compact|medium|large|grande|master)(?:_crop_\w+)?(?:@\dx)?"
    r"(\.(?:jpe?g|png|webp|gif))$",
    IGNORECASE,
)
_NOT_PRODUCT_IMAGE = compile_pattern(
    r"swatch|sprite|placeholder|spinner|(?<![a-z])(?:logos?|icons?|flags?|badges?|pixel|"
    r"blank|loader|avatar|payment|stars?)(?![a-z])|\.svg\b|\.gif\b",
    IGNORECASE,
)
_NUMBER = compile_pattern(r"\d[\d.,\s\u00a0\u202f'’]*")
_LINE_BREAK_TAG = compile_pattern(r"(?i)<\s*(br|/p|/li|/div|/h\d)\s*/?>")
_DIGIT_GROUPING = compile_pattern(r"[\s\u00a0\u202f'’]")
_CURRENCY_CODE = compile_pattern(r"(?<![A-Z])[A-Z]{3}(?![A-Z])")
_DIGITS = compile_pattern(r"\d+")
# Characters a URL as written in a page never holds: a value with one is script or markup (`base + "/a.jpg"`).
_NOT_IN_A_URL = compile_pattern(r"[\"<>`]")
_WHITESPACE = compile_pattern(r"\s+")
# A minus sign right before the number or its currency symbol ("-5", "-€5"): a refund or a discount, no price.
_NEGATIVE = compile_pattern(r"[-−][^\w\s]{0,3}$")
_WORD_CHARACTER = compile_pattern(r"\w")
_LETTER = compile_pattern(r"[^\W\d_]")
_GTIN_SEPARATORS = compile_pattern(r"[\s-]")
# The kind of code written before it ("isbn:9780552173742", "SKU: AB-12").
_CODE_KIND = compile_pattern(r"^(?:sku|isbn|ean|upc|gtin|mpn|asin)\s*[:#]\s*", IGNORECASE)
# No shop asks more than this; a longer number is an id, a phone number or garbage, not a price. Less than a cent
# is no price either (it would round to 0).
MAX_PRICE = 1e12
_STOCK_WORDS_LIMIT = 100
_COLOR_NAME_LIMIT = 60
MIN_PRICE = 0.01
_IDENTIFIER_LIMIT = 64
# A code has at least this many letters and digits: "0", "1", "12" or "XL" is a counter, a quantity, a variant's
# position or a size, which templates and app state put where a code would go.
_IDENTIFIER_MIN_CHARACTERS = 3
# Keys a database makes, never what a shop prints as its code: a UUID, a hash or an object id (24, 32 or 40 hex
# characters mixing letters and digits).
_DATABASE_KEY = compile_pattern(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24}|[0-9a-f]{32}|[0-9a-f]{40}",
    IGNORECASE,
)
# What a template leaves where the code was to go: the field's own name ("SKU", "mpn", "Item no"), a word for none
# ("TBD", "default") or a marker of the templating language ("%SKU%", "[sku]").
_CODE_PLACEHOLDER = compile_pattern(
    r"(?:sku|mpn|ean|upc|gtin|isbn|asin|code|id|ref|item\W*no|tbd|tba|default|unknown|na|nn|x+)\W*|"
    r"%\w+%|\[\w+\]",
    IGNORECASE,
)
_GTIN_LENGTHS = (8, 12, 13, 14)


def clean_text(value):
    """Plain, single-spaced text with entities decoded and tags removed; None for empty or placeholder."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = html.unescape(str(value))
    if "<" in text:
        text = _TAG.sub(" ", text)
        text = html.unescape(text)
    text = _single_spaced(text)
    if not text or (_may_be_placeholder(text) and _PLACEHOLDER.search(text)):
        return None
    return text


def _single_spaced(text):
    """The text with each run of white space one space, none at the ends or before closing punctuation
    (str methods: this runs on every string of a page)."""
    text = " ".join(text.split())
    for mark in _CLOSING_PUNCTUATION:
        if " " + mark in text:
            text = text.replace(" " + mark, mark)
    return text


def _may_be_placeholder(text):
    return "$" in text or "{{" in text or "<%" in text or text.lower() in _PLACEHOLDER_WORDS


def clean_multiline(value):
    """Like clean_text but keeps paragraph and list breaks as newlines (for descriptions)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = html.unescape(str(value))
    text = _LINE_BREAK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    lines = [_single_spaced(line) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text or _PLACEHOLDER.search(text):
        return None
    return text


def parse_price(value):
    """A price as float from a number or a real-world string ("1.299,95 €", "$49", "49,99 EUR", "$3.499");
    None for anything that cannot be a price: negative, zero, NaN, infinite or absurdly large."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return float(value) if 0 < value <= MAX_PRICE else None  # whole units: 1 is a price
    if isinstance(value, float):
        return plausible_price(value)
    text = str(value)
    match = _NUMBER.search(text)
    if not match or _NEGATIVE.search(text[: match.start()]):
        return None
    return plausible_price(_to_float(_DIGIT_GROUPING.sub("", match.group()).strip(".,")))


def plausible_price(number):
    """The number when it can be a price (finite, from MIN_PRICE to MAX_PRICE), else None."""
    return (
        float(number)
        if isinstance(number, (int, float))
        and not isinstance(number, bool)
        and math.isfinite(number)
        and MIN_PRICE <= number <= MAX_PRICE
        else None
    )


def _to_float(digits):
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits or "." in digits:
        separator = "," if "," in digits else "."
        parts = digits.split(separator)
        # One separator followed by exactly three digits is a thousands separator ("3.499", "1,299").
        if len(parts) > 2 or len(parts[-1]) == 3:
            digits = "".join(parts)
        else:
            digits = ".".join(parts)
    try:
        return float(digits)
    except ValueError:
        return None


def parse_currency(value):
    """ISO 4217 code from a code or a price string with a symbol; None when unknown or ambiguous."""
    text = clean_text(value)
    if not text:
        return None
    code = next((code for code in _CURRENCY_CODE.findall(text.upper()) if code in _ISO_CURRENCIES), None)
    if code:
        return code
    symbol = _CURRENCY_SYMBOL.search(text.lower())
    return CURRENCY_SYMBOLS[symbol.group()] if symbol else None


def money_amounts(text):
    """The amounts a text states as money: each number with a currency code or symbol right before or after it
    ("44 890 тг. + 448 bonus points" → [44890.0])."""
    amounts = []
    claimed = 0  # where the text a number may take its currency from begins: after the last one's own symbol
    for number in _NUMBER.finditer(text or ""):
        before, after = (
            text[max(claimed, number.start() - 5) : number.start()],
            text[number.end() : number.end() + 5],
        )
        prefixed, suffixed = has_currency(before), has_currency(after)
        touching = _currency_end(after[:4].rstrip()) if suffixed and not prefixed else 0
        if touching:
            # A symbol written right after an amount is that amount's ("30,000원~ 29개 구매": 29 items, not 29 won).
            claimed = number.end() + touching
        if prefixed or suffixed:
            amounts.append(
                None
                if _NEGATIVE.search(text[: number.start()])
                else _amount_in(number.group(), before if prefixed else after)
            )
    return amounts


def _amount_in(number, currency_text):
    """The amount a number states in the currency beside it: one separator before three digits is the decimal point
    of a currency with three decimals ("KD 12.500" is 12.5 dinars), else a thousands separator ("€1.299")."""
    digits = number.strip().rstrip(".,")
    if (
        len(digits) > 4
        and digits[-4] in ".,"
        and digits[:-4].isdigit()
        and digits[-3:].isdigit()
        and parse_currency(currency_text) in _THREE_DECIMAL_CURRENCIES
    ):
        return plausible_price(float(f"{digits[:-4]}.{digits[-3:]}"))
    return parse_price(number)


def _currency_end(text):
    """Where a currency code or symbol that opens a short text ends (0 when the text opens with none)."""
    code = _CURRENCY_CODE.match(text.upper())
    found = [
        match.end()
        for match in (
            _CURRENCY_SYMBOL.match(text.lower()),
            AMBIGUOUS_CURRENCY.match(text),
            code if code and code.group() in _ISO_CURRENCIES else None,
        )
        if match
    ]
    return max(found) if found else 0


def has_currency(text):
    """Whether a text names a currency, by code or symbol, even one several currencies share ("$", "kr")."""
    return bool(parse_currency(text) or AMBIGUOUS_CURRENCY.search(text or ""))


def parse_availability(value):
    """True/False for in/out of stock from schema.org URLs, words, booleans or stock counts; None if unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    if not isinstance(value, str):
        return None
    word = _availability_word(value)
    if word in _AVAILABLE:
        return True
    if word in _UNAVAILABLE:
        return False
    return stock_in_words(value) if len(value) <= _STOCK_WORDS_LIMIT else None


def _availability_word(value):
    """A stated availability as one normalised word: the name after a URL's last "/" or "#" or a prefix's ":"
    ("https://schema.org/InStock", "schema:SoldOut", "http://schema.org/OutOfStock/"), else the whole value, case
    folded without spaces, "_" or "-" ("In Stock", "out_of_stock", "Pre-Order"); punctuation a template leaves after
    it is no part of it ("https://schema.org/InStock;", "InStock.")."""
    text = _URL_PART.split(value.strip().rstrip(_AFTER_AVAILABILITY))[-1].strip()
    prefix, colon, name = text.partition(":")
    if colon and name and " " not in text:
        text = name
    return text.casefold().replace(" ", "").replace("_", "").replace("-", "")


def stock_in_words(text):
    """False when a text says sold out, True when it says in stock ("Auf Lager", "Only 3 left"), else None; a stock
    counter by its count ("0 in stock", "Stock: 0", "12 available")."""
    counted = _STOCK_COUNT.search(text)
    if counted:
        return int(counted.group(1) or counted.group(2)) > 0
    return False if OUT_OF_STOCK_WORDS.search(text) else True if IN_STOCK_WORDS.search(text) else None


def is_color_name(value):
    """Whether a colour a layer read can be one: a short text with a letter, not a price ("$29.95") or a link."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= _COLOR_NAME_LIMIT
        and bool(_LETTER.search(value))
        and not money_amounts(value)
        and not value.lower().startswith(("http:", "https:", "//"))
    )


def parse_identifier(value):
    """A product code (SKU, article number, part number) as text: a short token of three letters or digits or
    more; None for empty values, placeholders (a template's "%SKU%", "TBD"), a database's keys (UUIDs, hashes),
    counters such as "1", prose and nested objects."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = _CODE_KIND.sub("", clean_text(value) or "")
    if (
        not text
        or len(text) > _IDENTIFIER_LIMIT
        or len(text.split()) > 3
        or sum(character.isalnum() for character in text) < _IDENTIFIER_MIN_CHARACTERS
        or (_DATABASE_KEY.fullmatch(text) and not text.isdigit())
        or _CODE_PLACEHOLDER.fullmatch(text)
    ):
        return None
    return text


def in_url(code, url_text, min_length=4):
    """Whether a code of `min_length` characters or more is in a lower-cased URL as a part of its own, not run into
    other letters or digits: "/p/shirt-ab1234.html" names "ab1234", "/p/123456" does not name "2345" (a variant's
    id inside the product's would select that variant)."""
    code = str(code).lower()
    if len(code) < min_length:
        return False
    start = url_text.find(code)
    while start >= 0:
        end = start + len(code)
        if (start == 0 or not url_text[start - 1].isalnum()) and (
            end == len(url_text) or not url_text[end].isalnum()
        ):
            return True
        start = url_text.find(code, start + 1)
    return False


def parse_gtin(value):
    """A GTIN-8/12/13/14 (EAN, UPC, ISBN-13) as its digits when its check digit is right, else None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    digits = _GTIN_SEPARATORS.sub("", str(value).strip())
    if len(digits) not in _GTIN_LENGTHS or not digits.isdigit() or not digits.strip("0"):
        return None
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return digits if (10 - total % 10) % 10 == check else None


def absolute_url(value, base_url):
    """An absolute http(s) URL resolved against the page, or None for anything else."""
    if not isinstance(value, str):
        return None
    value = html.unescape(value.strip())
    if not value or value.startswith(("data:", "javascript:", "#", "blob:")) or _NOT_IN_A_URL.search(value):
        return None
    resolved = urljoin(base_url, _WHITESPACE.sub("%20", value))  # as a browser sends `/img/summer dress.jpg`
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def large_image_url(value, base_url):
    """Absolute image URL asking the CDN for its largest rendition; None for broken or non-product images."""
    url = absolute_url(value, base_url)
    if url is None:
        return None
    parts = urlsplit(url)
    filename = parts.path.rsplit("/", 1)[-1]
    if filename.startswith(".") or _NOT_PRODUCT_IMAGE.search(f"{parts.path}?{parts.query}"):
        return None
    path = _SHOPIFY_SIZE_SUFFIX.sub(r"\1", parts.path)
    params = parse_qsl(parts.query, keep_blank_values=True)
    kept = [
        (key, val) for key, val in params if not (key.lower() in _RESIZE_PARAMS and _DIGITS.fullmatch(val))
    ]
    query = parts.query if len(kept) == len(params) else urlencode(kept, safe="[]/:,@$")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def unique(values, key=lambda value: value):
    """Values in order without duplicates (by key), dropping empties."""
    seen = set()
    result = []
    for value in values:
        marker = key(value) if value else None
        if marker is None or marker in seen:
            continue
        seen.add(marker)
        result.append(value)
    return result
