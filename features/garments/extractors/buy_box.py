"""The product's buy box as a shopper sees it: what the page shows next to its main heading.

Pages without structured data (or with data that lags behind the page) still show the product's name
as the main heading and, beside it, the price to pay (often next to a crossed-out one), the
add-to-cart control, a word about stock and a product code under a label ("Product code: 287807",
"Bestellnummer 106606"). Each of those is found where the page marks it (a class, id or itemprop
naming a price, stock, a cart) and, among several, the one closest to the heading wins: the one
sharing the deepest block with it. So the recommendation tiles, headers and footers that come first
in the document lose to the buy box.
"""

import itertools
from dataclasses import dataclass, field

from features.garments.extractors.page import following_text, hides_itself, next_element, page_header
from features.garments.extractors.values import (
    OUT_OF_STOCK_WORDS,
    clean_text,
    money_amounts,
    parse_currency,
    parse_gtin,
    parse_identifier,
    parse_price,
    stock_in_words,
)
from shared.text_patterns import IGNORECASE, compile_pattern

# Prices that are not the one to pay now: crossed out (list, was, original…) or of something else.
LIST_PRICE_MARK = compile_pattern(
    r"(?<![a-z])old|was|regular|original|compare|strike|before|(?<![a-z])list|rrp|uvp|msrp|crossed|deprecated|retail|"
    r"line-?through",
    IGNORECASE,
)
# "unit" alone often names a price's own parts (`number_unit`, `text_unit` for the currency): a unit price is named
# as one ("unit-price", "per-unit", "base-price", "Grundpreis").
_OTHER_PRICE_MARK = compile_pattern(
    r"(?<![a-z])(?:from|per)(?![a-z])|unit[-_]?price|per[-_]?unit|base[-_]?price|grundpreis|"
    r"installment|instalment|klarna|afterpay|shipping|delivery|saving|"
    r"(?<![a-z])save|discount|reduction|(?<![a-z])off(?![a-z])|percent|badge|label|tax|vat|deposit|monthly|credit|"
    r"finance|member|loyalty|(?<![a-z])club|(?<![a-z])conv|converted|approx",
    IGNORECASE,
)
STRUCK_THROUGH = frozenset({"del", "s", "strike"})
_BODY_DEPTH = 1  # closeness of elements that share nothing with the heading but the page's body
_PRICE_TEXT_LIMIT = 40
_PRICE_BLOCK_LIMIT = 40  # elements: a block holding more is a section of the page, not a price
# Where a price or stock no class names is looked for: texts in the blocks holding the heading, up to this many
# levels up.
_BESIDE_HEADING_LEVELS = 3
_PRICE_TAGS = ("span", "p", "div", "strong", "b", "bdi", "ins", "dd", "td", "label", "output")
_NOT_MONEY = compile_pattern(r"[\W\d_]+")
# A price shown as the lowest of its variants' ("From €70.50", "ab 70,50 €", "desde 70,50 €").
_FROM_PRICE = compile_pattern(
    r"^(?:from|starting at|ab|à partir de|dès|desde|a partir de|da|vanaf|od|от|fra|från|alkaen)\s+",
    IGNORECASE,
)
# The label a price is printed under in its own text ("Price: €39.00", "Preis: 39,00 €", "Our price €39"); never a
# list or unit price's ("Retail price", "Unit price" do not begin with these).
_PRICE_LABEL = compile_pattern(
    r"^(?:price|our price|sale price|special price|your price|now|preis|unser preis|prix|precio|prezzo|prijs|cena|"
    r"pris|hinta|hind|kaina|cijena|цена|ціна|fiyat|preço|giá|ราคา|価格|价格|가격|מחיר|السعر)\s*[:：]?\s+",
    IGNORECASE,
)
# A number alone in an element named as a price, the currency left to the page (a symbol a style draws): with two
# decimals, so that a count or a rating is none ("39.00", "1.299,00", "1 299,00").
_NUMBER_PRICE = compile_pattern(r"\d{1,3}(?:[.,\s\u00a0\u202f'’]\d{3})*[.,]\d{2}")
_NUMBER_PRICE_LIMIT = 16
_PER_UNIT = compile_pattern(r"/|(?<![^\W\d_])(?:per|pro|je|par)(?![^\W\d_])", IGNORECASE)
# A price a shop names as a price but that is not the one to pay: a price per unit of measure or time right after its
# amount ("€12.50/kg", "12,50 € pro kg", "€4.99 per 100 g", "from €9/month"), an instalment ("4 × €10", "€10 x 4") or
# a monthly rate ("€19 al mes"). A count of items after the slash is what is sold ("£3 / 3 pack").
_MEASURE_UNITS = (
    r"kg|kilo|g|gr|mg|ml|cl|dl|lt|liter|litre|l|m²|m2|m³|m3|mm|cm|km|qm|sqm|sq\s*ft|ft|yd|lbs?|oz|fl\s*oz|gal|"
    r"m|meter|metre|unit|unité|unidad|stück|stk|"
    r"month|mo|mth|monat|mois|mes|mese|mês|maand|week|wk|woche|semaine|year|yr|jahr|day|tag|jour|día|月"
)
_UNIT_OR_INSTALMENT = compile_pattern(
    r"\d\s*[^\d\s/]{0,3}\s*(?:/|\s(?:per|pro|je|par)\s)\s*(?:\d+\s*)?(?:" + _MEASURE_UNITS + r")(?![^\W\d_])|"
    r"\d\s*[x×]\s*[^\d\s]{0,3}\s*\d|"
    r"(?<![^\W\d_])(?:month|monat|mois|mes|mese|mês|maand|miesiąc|månad|kuukausi|měsíc|hónap)(?![^\W\d_])",
    IGNORECASE,
)
_RANGE = compile_pattern(r"\d\s*[-–—]\s*\D{0,4}\d")
_RANGE_TEXT_LIMIT = 80
_DECIMALS_END = compile_pattern(r"[.,]\d{1,2}$")
_TRAILING_NUMBER = compile_pattern(r"\d[\d.,\s\u00a0\u202f'’]*$")
_CURRENCY_LETTERS = 3  # "kr", "zł", "EUR", "лв": the letters a price's text may hold beside its number
_NO_STATEMENT_TAGS = ("body", "html", "script", "style", "select", "option")
_STOCK_TEXT_LIMIT = 100
_NOT_THE_PRODUCTS_STOCK = compile_pattern(
    r"size|colou?r|variant|grö(?:ß|ss)e|taille|talla|store|shop|pick-?up|collect|deliver|shipping|ship to|"
    r"abhol|liefer|versand|filiale|retrait|magasin|livraison|tienda|recogida|env[íi]o|negozio|consegna|winkel|bezorg",
    IGNORECASE,
)
_STOCK_TEXT_TAGS = (
    "p",
    "span",
    "div",
    "strong",
    "b",
    "em",
    "small",
    "button",
    "a",
    "dd",
    "td",
    "h2",
    "h3",
    "h4",
)
_PICKER = compile_pattern(
    r"size|variant|swatch|option|picker|selector|dropdown|colou?r|grö(?:ß|ss)e|taille|talla", IGNORECASE
)
_SENTENCE_END = compile_pattern(r"[.!。！]\s")
_CONTROL_TAGS = frozenset({"button", "input"})
# Links styled or named as a control ("cart", "buy", "basket", "btn", "button", "bag"): a page has thousands of plain
# links, and reading each costs.
_CONTROL_LINK_MARKERS = ("cart", "buy", "basket", "btn", "button", "bag")
# What an add-to-cart control says or is named, in the languages shops use.
_CART_TEXT = compile_pattern(
    r"add to (?:cart|bag|basket|trolley)|buy now|buy it now|pre-?order|in den (?:warenkorb|einkaufswagen)|warenkorb|"
    r"vorbestellen|précommander|"
    r"ajouter au panier|añadir al carrito|agregar al carrito|añadir a la cesta|comprar ahora|aggiungi al carrello|"
    r"in winkel(?:wagen|mand)|toevoegen aan|adicionar ao carrinho|в корзину|купить|do koszyka|dodaj do|"
    r"sepete ekle|do košíku|kosárba|i kurven|lägg i varukorgen|legg i handlekurven|ostoskoriin|"
    r"加入购物车|カートに入れる|장바구니|أضف إلى|הוסף ל",
    IGNORECASE,
)
_CART_NAME = compile_pattern(
    r"add[-_]?to[-_]?(?:cart|bag|basket)|buy[-_]?now|btn[-_]?cart|cart[-_]?(?:button|btn|submit)|"
    r"(?:^|[-_\s])(?:atc|add[-_]?cart)(?:$|[-_\s])",
    IGNORECASE,
)
_ADD_TO_CART_NAME = compile_pattern(r"add[-_]?to[-_]?(?:cart|bag|basket)|buy[-_]?now", IGNORECASE)
_CART_TEXT_LIMIT = 60
_LISTING_PRICES = 3  # different prices as close to the heading as the nearest: a list of products
_LISTING_CONTROLS = 3  # add-to-cart controls as close to the heading as the nearest: a list of products
# A link to the cart page shows the cart; it adds nothing to it.
_CART_PAGE = compile_pattern(
    r"/(?:cart|basket|bag|trolley|warenkorb|panier|carrito|carrello|winkelwagen|cesta|kosik|koszyk|korzina|checkout)"
    r"/?(?:[?#]|$)",
    IGNORECASE,
)
# Where an add-to-cart form posts to.
_CART_ACTION = compile_pattern(
    r"/(?:cart|basket|bag|trolley|warenkorb|panier|carrito|carrello|winkelwagen|cesta|kosik|koszyk|korzina)"
    r"(?:/add\w*|/items?)?/?(?:[?#]|$)|add[-_]?to[-_]?(?:cart|basket|bag)|(?:cart|basket)[-_/]add",
    IGNORECASE,
)
DISABLED_CLASS = compile_pattern(
    r"disabled|unavailable|unselectable|sold-?out|out-?of-?stock|(?<![a-z])oos(?![a-z])|inactive|not-?available|"
    r"is-?empty",
    IGNORECASE,
)
_CODE_TAGS = frozenset(
    {
        "span",
        "div",
        "p",
        "li",
        "dt",
        "th",
        "td",
        "strong",
        "b",
        "small",
        "label",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "i",
    }
)
# Labels under which pages print the product's own code, in the languages shops use; a label ends where a colon, a
# space, a number sign or the element does ("Ref." is no label of "Referência: 12").
_CODE_LABEL = compile_pattern(
    r"^(?:sku\s*(?:no\.?|number|code|id|#)?|asin|item\s*(?:number|no\.?|#|code|id|ref|:)|article\s*:|"
    r"product\s*(?:code|number|no\.?|#|id|ref(?:erence)?)|(?:catalog(?:ue)?|cat\.?)\s*(?:number|no\.?|#)|"
    r"stock\s*(?:code|number|no\.?)|article\s*(?:number|no\.?|code)|art(?:ikel)?\.?\s*-?\s*n(?:r|o)\.?|art\.|"
    r"art[íi]culo|articolo|n[°º]\.?\s*(?:de\s+)?art[íi]culo|"
    r"artikel\s*-?\s*(?:nummer|code)|artikkel\s*-?\s*(?:nummer|nr\.?)|produkt\s*-?\s*(?:nummer|nr\.?|code|kode)|"
    r"product(?:nummer|code)|varekode|referentie|"
    r"best(?:ell)?\.?\s*-?\s*(?:nummer|nr\.?)|style\s*(?:number|no\.?|#|code|:)|"
    r"(?:réf(?:érence)?|ref(?:erence)?|referência|riferimento|referencia)\.?"
    r"(?:\s+(?:produit|article|du\s+produit|do\s+produto|del\s+producto|prodotto))?|code\s+(?:produit|article)|"
    r"c[óo]digo(?:\s+(?:de|do|del)\s+(?:producto|art[íi]culo|produto|referencia))?|cód\.?|code\s*[:#]|"
    r"[šs]ifra(?:\s+(?:proizvoda|artikla|artikl[ae]?))?|"
    r"codice(?:\s+(?:articolo|prodotto))?|cod\.?\s*(?:art(?:icolo)?|prodotto)\.?|cod\s+produs|cod\s*[:#]|rif\.?|"
    r"num[ée]ro\s+(?:d['’]\s*)?(?:article|référence|produit)|n[°º]\s*(?:de\s+)?(?:référence|article|produit)|"
    r"web\s*id|prod\.?\s*(?:no\.?|nr\.?|#)|item\s*-?\s*nummer|"
    r"id\s+(?:(?:do|del|du)\s+)?(?:produto|producto|prodotto|produit|artigo|art[íi]culo)|"
    r"(?:код|номер)(?:\s+товара)?|артикул(?:\s+товара)?|kod\s+produktu|(?:nr|numer)\s+(?:katalogowy|produktu)|indeks|symbol|"
    r"kodi\s+i\s+produktit|kód(?:\s+(?:produktu|tovaru|zboží))?|katalogové\s+číslo|cikkszám|katalógusszám|termékkód|"
    r"κωδικός(?:\s+προϊόντος)?|"
    r"ürün\s+kodu|stok\s+kodu|varenummer|varenr\.?|varunummer|tuotenumero|tuotekoodi|"
    r"(?:produkta|preces)\s+kods|(?:prekės|prekes|produkto)\s+kodas|toote\s*kood|artikli\s*(?:kood|number)|"
    r"mã\s+(?:sản\s+phẩm|sp|hàng)|kod[e]?\s+produk|รหัสสินค้า|商品番号|商品コード|品番|货号|商品编号|商品编码|상품\s*(?:코드|번호)|"
    r'(?:رقم|رمز)\s+(?:المنتج|الصنف)|מק"?ט|קוד\s+מוצר)(?:\s*[:#.：]\s*|\s+|$)'
    # A number sign ends a label with the code right after it ("Item #4711-02").
    r"|^(?:sku|item|product|style|cat(?:alog(?:ue)?)?\.?|prod\.?)\s*#\s*",
    IGNORECASE,
)
# Invisible format marks pages put around a label's colon (right-to-left and left-to-right marks, zero-width spaces).
_INVISIBLE = compile_pattern("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CODE_VALUE = compile_pattern(r"[\w./-]*\d[\w./-]*")
# Where a labelled value ends when the line goes on ("4711-02, Farbe: blau", "4711-02 | Category: …", "4711-02 · …").
_VALUE_END = compile_pattern(r"[,;]\s|\s[|·•–—-]\s")
# Classes and ids of an element printing the product's code without a label (`sku`, `product-sku`, `product-code`,
# `item-number`, `style-number`, SFCC's `product-id`), lower-cased.
_CODE_MARK = compile_pattern(
    r"(?:^|[\s_-])(?:sku|(?:product|item|article|style|variant)[-_]?(?:sku|code|number|no|id|ref|reference))"
    r"(?:$|[\s_-]?(?:value|text)?(?:$|\s))"
)
# A word every match of _CODE_MARK holds: a naming without any is not searched (most of a page's namings).
_CODE_MARK_WORDS = ("sku", "product", "item", "article", "style", "variant")
_CODE_TEXT_LIMIT = 40
# Labels whose words are also a garment's ("Style: 2-piece", "Model: 185 cm"): their code must look like one (two
# digits or more, no measurement).
_LOOSE_CODE_LABEL = compile_pattern(r"^style\s*[:#]\s*", IGNORECASE)
# Labels under which pages print the product's stock, and how they begin.
_STOCK_LABEL = compile_pattern(
    r"^(?:availability|stock|stock status|disponibilit[éeàa]|verfügbarkeit|lieferbarkeit|disponibilidad|"
    r"disponibilidade|beschikbaarheid|dostępność|dostupnost|наличие|в наличии)\s*[:：]\s*",
    IGNORECASE,
)
_STOCK_LABEL_PREFIXES = {"ava", "sto", "dis", "ver", "lie", "bes", "dos", "нал", "в н"}
# Labels under which pages print the maker's part or model number (the SKU's stand-in, never above it).
_PART_LABEL = compile_pattern(
    r"^(?:mpn|(?:manufacturer|mfr\.?|mfg\.?)\s*(?:part\s*)?(?:number|no\.?|#)|part\s*(?:number|no\.?|#)|"
    r"modelo|modello|modell(?:nummer)?|modèle|(?:item\s+)?model\s*(?:number|no\.?|#|nr\.?)?|"
    r"hersteller\s*-?\s*(?:nummer|nr\.?|artikelnummer)|référence\s+fabricant|num[ée]ro\s+de\s+mod[èe]le|型番)"
    r"\s*[:#.：]?\s*",
    IGNORECASE,
)
# Labels under which pages print the product's barcode (EAN, UPC, GTIN, ISBN, JAN): a code with a right check digit
# is the product's GTIN.
_GTIN_LABEL = compile_pattern(
    r"^(?:ean|upc|gtin|isbn|jan|barcode|bar\s+code)(?:[\s-]*(?:8|12|13|14|10))?\s*(?:code|number|no\.?|#|nr\.?)?"
    r"\s*[:#.：]?\s*",
    IGNORECASE,
)
_MEASUREMENT = compile_pattern(r"^\d+(?:[.,]\d+)?\s*(?:cm|mm|m|in|inch|ft|kg|g|lbs?)$", IGNORECASE)
_STRICT_CODE_DIGITS = 2
_CODE_LABEL_LIMIT = 60
_LABEL_CELL_LEVELS = 3
# How the labels above begin (their first three letters, or two for scripts without spaces), so that only the texts
# that can be one are matched against them.
_CODE_LABEL_PREFIXES = {
    "sku",
    "id ",
    "ite",
    "ном",
    "pro",
    "art",
    "bes",
    "sty",
    "réf",
    "ref",
    "cód",
    "cod",
    "код",
    "арт",
    "kod",
    "num",
    "kód",
    "ürü",
    "sto",
    "var",
    "tuo",
    "pre",
    "too",
    "mpn",
    "man",
    "mfr",
    "mfg",
    "par",
    "mod",
    "her",
    "cat",
    "ind",
    "sym",
    "kat",
    "cik",
    "ter",
    "rif",
    "šif",
    "web",
    "n° ",
    "nº ",
    "ean",
    "upc",
    "gti",
    "isb",
    "jan",
    "bar",
    "sif",
    "nr ",
    "asi",
    "κωδ",
    "mã ",
    "รหั",
}
_CODE_LABEL_SHORT_PREFIXES = {"商品", "品番", "型番", "货号", "상품", "رق", "رم", "מק", "קו"}
# Labels under which pages print the product's brand, and how they begin.
_BRAND_LABEL = compile_pattern(
    r"^(?:brand|brand name|marke|marque|marca|merk|marchio|märke|brändi|бренд|торговая марка|производитель|"
    r"manufacturer|hersteller|fabricant|fabricante|producent|výrobce|gyártó|üretici|ブランド|品牌|브랜드|"
    r"العلامة التجارية|מותג)\s*(?:[:：]\s*|$)",
    IGNORECASE,
)
_BRAND_LABEL_PREFIXES = {
    "bra",
    "mar",
    "mer",
    "mär",
    "brä",
    "бре",
    "тор",
    "про",
    "man",
    "her",
    "fab",
    "výr",
    "gyá",
    "üre",
}
_BRAND_LABEL_SHORT_PREFIXES = {"ブラ", "品牌", "브랜", "ال", "מו"}
_BRAND_LIMIT = 40
# Hidden fields of the add-to-cart form, and data-* attributes of the control, the form or the product's block,
# that carry the product's code (lower case, no _ or -); never its `id` or `product-id`, a row number of the shop's
# database unless it reads as a code (letters and digits).
_FORM_CODE_NAMES = {
    "sku",
    "asin",
    "productsku",
    "itemsku",
    "productcode",
    "articlecode",
    "itemcode",
    "articlenumber",
    "skuid",
    "variantsku",
    "stylecode",
    "stylenumber",
    "itemnumber",
    "skucode",
    "productreference",
    "productnumber",
    "productno",
    "itemno",
    "articleno",
    "artikelnummer",
}
_DATA_CODE_NAMES = {f"data{name}" for name in _FORM_CODE_NAMES}
_DATA_ID_NAMES = {"dataproductid", "dataitemid", "datapid", "dataarticleid", "datastyleid"}
# Fields of the add-to-cart form that post the product's row in the shop's database (WooCommerce's `add-to-cart`,
# Magento's `product`, PrestaShop's `id_product`, Shopify's variant `id`), not a code a shopper sees.
_FORM_RECORD_NAMES = {"product", "productid", "idproduct", "addtocart", "variantid", "id", "itemid", "pid"}
# WordPress names the post a page shows in its body's class ("single-product postid-1234").
_POST_ID = compile_pattern(r"(?:^|\s)postid-(\d+)(?:\s|$)")
_ID_CODE = compile_pattern(r"[A-Za-z0-9][A-Za-z0-9._-]{2,23}")
_FORM_PRICE_NAMES = {"price", "productprice", "itemprice"}


def read_buy_box(page):
    """What the page shows beside its main heading: price (with the list price crossed out beside it) and
    currency, stock, the product code and brand printed under labels, and `for_sale` when the heading has a buy
    box at all."""
    heading = page.main_heading
    if heading is None:
        return {}
    closeness = closeness_to(heading)
    header = page_header(heading) if page.in_other_product(heading) else None

    def shown(element):
        """Outside other products and the page chrome, or in the page header with the heading."""
        return not page.in_other_product(element) or (
            header is not None and header in element.iterancestors()
        )

    hidden = {}  # block → whether the page hides it, shared by the elements under it

    def stated(element):
        """Shown, and not hidden by the page: shops ship every state's message and control (sold out, back
        soon, add to cart) and hide all but the one that applies."""
        return shown(element) and not _is_hidden(element, hidden)

    marked = _marked_elements(page, shown, stated)
    marked_prices = _closest(_ranked(marked.prices, closeness), _price_of, every_nearest=True)
    prices = (
        marked_prices
        or _unmarked_price(heading, shown)
        or _closest([c for c in _ranked(marked.prices, closeness) if c[0] > _BODY_DEPTH], _number_price)
    )
    # Several different prices as close to the heading as the nearest one: a list of products, unless a control
    # or a stock message says one is for sale.
    listing = len({price for price, _ in prices}) >= _LISTING_PRICES
    if marked_prices or not prices:
        price, price_element = prices[0] if prices else (None, None)
        bare_list_price = None
    else:
        price, price_element, bare_list_price = _sale_and_list_price(prices)
    near = [candidate for candidate in _ranked(marked.controls, closeness) if candidate[0] > _BODY_DEPTH]
    # A control that names itself as adding to the cart, else the submit button of a form posting to the cart.
    controls = _closest(near, _is_cart_control, every_nearest=True) or _closest(
        near, _submits_to_cart, every_nearest=True
    )
    control = controls[0][1] if 0 < len(controls) < _LISTING_CONTROLS else None
    form = next(control.iterancestors("form"), None) if control is not None else None
    labels = _ranked(marked.labels, closeness)
    # Stock where the page marks it, else where it prints it under a label ("Availability: Out of stock").
    stocked = (
        _closest(_ranked(marked.stock, closeness), _stock_of)
        or _closest(labels, lambda element: _labelled_stock(element) if stated(element) else None)
        or _unmarked_sold_out(heading, stated)
    )
    stock, stock_element = stocked[0] if stocked else (None, None)
    # A row of a table of offers (each row its own seller, price and stock) states its offer's stock: the product's
    # only in the row whose price is the one read.
    if stock is not None and _another_rows_offer(stock_element, price_element):
        stock = None
    # A usable add-to-cart control as close to the heading as a sold-out message outweighs it: the message is a
    # size's, another offer's or a "notify me" prompt, since a sold-out product cannot be added to the cart.
    if (
        stock is False
        and control is not None
        and _control_availability(control)
        and closeness(control) >= closeness(stock_element)
    ):
        stock = None
    # No add-to-cart control at all: the control in its place that says the product is sold out ("Notify me when
    # available", "Sold out") is the product's stock.
    if stock is None and control is None:
        sold_out = _closest(near, _sold_out_control, every_nearest=True)
        stock = False if 0 < len(sold_out) < _LISTING_CONTROLS else None
    if price is None and form is not None:
        price = next(
            (parse_price(field.get("value")) for field in _hidden_fields(form, _FORM_PRICE_NAMES)), None
        )
    text = clean_text(_price_text(price_element)) if price_element is not None else ""
    labelled = next((code for code, _ in _closest(labels, _labelled_code)), None) or next(
        (code for code, _ in _closest(_ranked(marked.codes, closeness), _named_code)), None
    )
    code = labelled or next(
        (
            code
            for field in _hidden_fields(form, _FORM_CODE_NAMES)
            if (code := parse_identifier(field.get("value")))
        ),
        None,
    )
    return {
        "price": price,
        "currency": parse_currency(text) if price else None,
        "list_price": (
            _list_price(marked.listed, price_element, price) if price_element is not None else None
        )
        or bare_list_price,
        "availability": stock if stock is not None else _control_availability(control),
        "sku": code or _data_code(control, heading),
        "labelled_sku": labelled,
        "record_ids": _record_ids(page, form, control, heading),
        "mpn": next((part for part, _ in _closest(labels, _labelled_part)), None),
        "gtin": next((gtin for gtin, _ in _closest(labels, _labelled_gtin)), None),
        "brand": next((brand for brand, _ in _closest(labels, _labelled_brand)), None),
        "for_sale": control is not None
        or stock is not None
        or (price_element is not None and closeness(price_element) > _BODY_DEPTH and not listing),
    }


@dataclass
class _Marked:
    """The elements a page marks as prices, crossed-out prices, stock messages, controls and labels, in page order."""

    prices: list = field(default_factory=list)
    listed: list = field(default_factory=list)
    stock: list = field(default_factory=list)
    controls: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    codes: list = field(default_factory=list)


def _marked_elements(page, shown, stated):
    """One pass over the page sorting out the elements each part of the buy box is looked for among; what they
    say is read later, only for those closest to the heading. Stock messages and controls count only where the
    page does not hide them (`stated`). What an element's class and id say is worked out once per distinct
    naming (a page has thousands of elements and a few hundred namings)."""
    marked = _Marked()
    for element, kind in zip(page.nodes, page.by_naming(_marker_kind)):
        if kind is None:
            continue
        price, list_price, other_price, stock, names_control, names_code = kind
        tag = element.tag
        control = tag in _CONTROL_TAGS or element.get("role") == "button" or (tag == "a" and names_control)
        labelled = tag in _CODE_TAGS and _may_be_label(element.text)
        struck = tag in STRUCK_THROUGH
        if not (struck or price or stock or control or labelled or names_code) or not shown(element):
            continue
        if names_code and tag in _CODE_TAGS and stated(element):
            marked.codes.append(element)
        if struck or list_price:
            marked.listed.append(element)
        elif price and not other_price and not _is_struck(element):
            marked.prices.append(element)
        if stock and tag not in _NO_STATEMENT_TAGS and stated(element):
            marked.stock.append(element)
        if (
            control
            and (tag != "input" or (element.get("type") or "").lower() in ("submit", "button", "image"))
            and stated(element)
        ):
            marked.controls.append(element)
        if labelled:
            marked.labels.append(element)
    return marked


def _marker_kind(naming):
    """(price, crossed-out price, another amount such as a unit price or an instalment, stock message, a link's
    name for a control such as "cart", "buy" or "btn", the product's code) as an element's class, id and test hook
    (data-testid, data-auto: pages with generated class names) say."""
    marker = f"{naming.class_ or ''} {naming.id or ''} {naming.test_id or ''}"
    price = "rice" in marker
    lowered = marker.lower()
    return (
        price,
        price and LIST_PRICE_MARK.search(marker) is not None,
        price and _OTHER_PRICE_MARK.search(marker) is not None,
        "tock" in marker or "vailab" in marker,
        any(word in lowered for word in _CONTROL_LINK_MARKERS),
        any(word in lowered for word in _CODE_MARK_WORDS) and _CODE_MARK.search(lowered) is not None,
    )


def _is_hidden(element, memo):
    """Whether the page hides the element or a block around it (the `hidden` attribute, an inline display:none or
    visibility:hidden, a class such as `hidden`, `d-none`, `is-hidden`, a <template>); `memo` remembers the answer
    for each block on the way up. Text for screen readers only (`sr-only`, `visually-hidden`) is still stated."""
    path, found = [], False
    for block in itertools.chain([element], element.iterancestors()):
        if block in memo:
            found = memo[block]
            break
        path.append(block)
        if hides_itself(block):
            found = True
            break
    memo.update(dict.fromkeys(path, found))
    return found


def _may_be_label(text):
    """Whether a text begins like a label of a product code, brand or stock (checked before any pattern runs) and is
    short, once a run of white space between a label and its value is one space ("Sku:      480464")."""
    if not text:
        return False
    head = text.lstrip()[:3].lower()
    return (
        head in _CODE_LABEL_PREFIXES
        or head[:2] in _CODE_LABEL_SHORT_PREFIXES
        or head in _BRAND_LABEL_PREFIXES
        or head[:2] in _BRAND_LABEL_SHORT_PREFIXES
        or head in _STOCK_LABEL_PREFIXES
    ) and (len(text) <= _CODE_LABEL_LIMIT or len(" ".join(text.split())) <= _CODE_LABEL_LIMIT)


def _ranked(elements, closeness):
    """[(closeness, -order, element)], closest to the anchor first, then in page order."""
    return sorted(
        ((closeness(element), -order, element) for order, element in enumerate(elements)),
        key=lambda candidate: candidate[:2],
        reverse=True,
    )


def _closest(ranked, read, every_nearest=False):
    """[(value, element)] of the first ranked element `read` finds a value in (not None), or of every element as
    close as that one: elements are read closest first, and no further than needed."""
    found, nearest = [], None
    for depth, _, element in ranked:
        if nearest is not None and depth < nearest:
            break
        value = read(element)
        if value is not None:
            found.append((value, element))
            nearest = depth
            if not every_nearest:
                break
    return found


def closeness_to(anchor):
    """A function giving an element's closeness to `anchor`: the depth of the deepest block holding both."""
    depths = {element: depth for depth, element in enumerate(reversed([anchor, *anchor.iterancestors()]))}

    def closeness(element):
        return next(
            (
                depths[block]
                for block in itertools.chain([element], element.iterancestors())
                if block in depths
            ),
            0,
        )

    return closeness


def _list_price(listed, price_element, price):
    """The crossed-out price closest to the price to pay, when it is higher (what it cost before a reduction)."""
    higher = _closest(
        _ranked([element for element in listed if element is not price_element], closeness_to(price_element)),
        lambda element: value if (value := _price_of(element, keep_struck=True)) and value > price else None,
    )
    return higher[0][0] if higher else None


def _price_of(element, keep_struck=False):
    """The one amount a short price text states with a currency, or None (also for a price per unit or an
    instalment: see _UNIT_OR_INSTALMENT)."""
    if sum(1 for _ in itertools.islice(element.iter(), _PRICE_BLOCK_LIMIT)) >= _PRICE_BLOCK_LIMIT:
        return None
    text = clean_text(_price_text(element, every_part=keep_struck))
    if not text or len(text) > _PRICE_TEXT_LIMIT or (not keep_struck and _UNIT_OR_INSTALMENT.search(text)):
        return None
    amounts = set(money_amounts(text))
    return amounts.pop() if len(amounts) == 1 and None not in amounts else None


def _unmarked_price(heading, shown):
    """[(price, element)] of the texts beside the heading that are nothing but an amount of money ("39,00 €",
    "EUR 39.00", "$49", "From €70.50", "$229<sup>99</sup>"), in page order, from the nearest block holding the heading
    that has any, when no element is named as a price ([] when there is none; several different ones are a list of
    products). Texts with words beside the amount ("Save €20", "Shipping €4.90") are other amounts."""
    return _nearest_to_heading(
        heading,
        _PRICE_TAGS,
        lambda element, block: (
            price
            if not any(len(child) for child in element)
            and (price := _bare_price(element))
            and shown(element)
            and not _is_struck(element)
            else None
        ),
    )


def _another_rows_offer(stock_element, price_element):
    """Whether a stock element sits in a table row holding a price of its own other than the price read (the row of
    another offer in a comparison of sellers or variants)."""
    row = next(
        (
            block
            for block in itertools.islice(itertools.chain([stock_element], stock_element.iterancestors()), 6)
            if block.tag == "tr"
        ),
        None,
    )
    if row is None or (price_element is not None and row in price_element.iterancestors()):
        return False
    return any(money_amounts(clean_text(cell.text_content()) or "") for cell in row.iterchildren("td", "th"))


def _unmarked_sold_out(heading, stated):
    """[(False, element)] for a short text beside the heading, in no element named for stock, that says the product
    is sold out ("Leider ausverkauft", "Agotado", "Notify me when available"), from the nearest block holding the
    heading that has one; [] without. A size's or a colour's word in a picker (a list, a select, a block named for
    sizes, variants or options) is not the product's, nor a control's (see _control_availability), nor one about
    some sizes or a way to get it ("Size S is sold out", "Not available in stores", "Delivery unavailable")."""
    found = _nearest_to_heading(
        heading,
        _STOCK_TEXT_TAGS,
        lambda element, block: (
            False
            if element.text
            and len(text := element.text.strip()) <= _STOCK_TEXT_LIMIT
            and OUT_OF_STOCK_WORDS.search(text)
            and not _NOT_THE_PRODUCTS_STOCK.search(text)
            and not _value_of_another_field(element, text)
            and stated(element)
            and not _in_picker_or_form(element, block)
            else None
        ),
    )
    return found[:1]


def _value_of_another_field(element, text):
    """Whether a text is the value of a field some label other than stock names: a cell after its label's cell in a
    table row or a description list ("Non-stick coating | not available"), or "Gift wrap: unavailable". Under a
    stock label ("Availability | Sold out", "Stock: sold out") it is the product's stock."""
    label, colon, _ = text.partition(":")
    if colon and label.strip() and not OUT_OF_STOCK_WORDS.search(label) and not _is_stock_label(label):
        return True
    for cell in itertools.islice(itertools.chain([element], element.iterancestors()), _LABEL_CELL_LEVELS + 1):
        if cell.tag in ("tr", "dl", "table", "tbody"):
            return False
        if cell.tag in ("td", "dd"):
            label_cell = cell.getprevious()
            if label_cell is None or label_cell.tag not in ("th", "td", "dt"):
                return False
            label = clean_text(label_cell.text_content()) or ""
            return bool(label) and not _is_stock_label(label)
    return False


def _is_stock_label(label):
    """Whether a label's text names the product's stock ("Availability", "Stock status:")."""
    return bool(_STOCK_LABEL.match(label.strip().rstrip(":：") + ":"))


def _nearest_to_heading(heading, tags, read):
    """[(value, element)] of the elements with these tags that `read(element, block)` finds a value in (not None),
    in page order, from the nearest block holding the heading that has any, a few levels up at most."""
    for level, block in enumerate(heading.iterancestors()):
        if level >= _BESIDE_HEADING_LEVELS or block.tag in ("body", "html"):
            break
        found = [
            (value, element) for element in block.iter(*tags) if (value := read(element, block)) is not None
        ]
        if found:
            return found
    return []


def _in_picker_or_form(element, block):
    """Whether the element sits in a list, a select or a block named for sizes, variants or options, or in a form or
    a button (what a control says is read as the control's state), below `block`."""
    for ancestor in itertools.chain([element], element.iterancestors()):
        if ancestor is block:
            return False
        if ancestor.tag in ("li", "option", "select", "form", "button") or _PICKER.search(
            f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        ):
            return True
    return False


def _sale_and_list_price(prices):
    """(price, element, list price) of two different bare amounts beside the heading: the lower one is paid now, the
    higher one is what it cost before (shops cross it out by a style no class names), unless a dash joins them into
    a range of the variants' prices ("$3.499 - $4.059": the lower one, no list price); else the first amount."""
    amounts = sorted({price for price, _ in prices})
    if len(amounts) != 2:
        price, element = prices[0]
        return price, element, None
    low = next(element for price, element in prices if price == amounts[0])
    high = next(element for price, element in prices if price == amounts[1])
    block = next(block for block in low.iterancestors() if high in block.iterdescendants())
    text = clean_text(block.text_content()) or ""
    return amounts[0], low, None if len(text) <= _RANGE_TEXT_LIMIT and _RANGE.search(text) else amounts[1]


def _number_price(element):
    """The price an element named as a price prints as a number alone, without a currency (see _NUMBER_PRICE), or
    None."""
    text = clean_text(_price_text(element)) or ""
    return parse_price(text) if len(text) <= _NUMBER_PRICE_LIMIT and _NUMBER_PRICE.fullmatch(text) else None


def _bare_price(element):
    """The amount of money an element's text is, with no more words than a currency's and a "from" or a price label
    ("Price:", "Preis:") before it, or None (also for a price per unit: "€14.95/kg")."""
    text = clean_text(_price_text(element)) or ""
    words = _FROM_PRICE.sub("", _PRICE_LABEL.sub("", text))
    if (
        not text
        or len(text) > _PRICE_TEXT_LIMIT
        or len(_NOT_MONEY.sub("", words)) > _CURRENCY_LETTERS
        or _PER_UNIT.search(text)
    ):
        return None
    return _price_of(element)


def _price_text(element, every_part=False):
    """The element's text as a price reads: without what it holds crossed out, marked as another price or hidden
    (shops keep the bare number for their scripts in a hidden span beside the one shown: "1,679" + hidden "1679"),
    unless `every_part`, and without a price per unit in an element of its own; cents printed in their own element
    ("$229<sup>99</sup>") joined to the whole units by a decimal separator, and a footnote's superscript number left
    out ("€39.99<sup>1</sup>")."""
    chunks = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and (
            every_part
            or (
                child.tag not in STRUCK_THROUGH
                and child.tag not in ("script", "style")
                and not hides_itself(child)
                and not LIST_PRICE_MARK.search(child.get("class") or "")
                and not _OTHER_PRICE_MARK.search(child.get("class") or "")
            )
        ):
            text = _price_text(child, every_part)
            digits = text.strip()
            if _PER_UNIT.search(text) and money_amounts(text):
                pass  # a price per unit beside the price ("€2.99 <span>(€14.95 / kg)</span>")
            elif not (digits.isdigit() and (child.tag == "sup" or len(digits) == 2)):
                chunks.append(text)
            elif len(digits) == 2 and _are_whole_units(units := "".join(chunks).rstrip()):
                whole = _TRAILING_NUMBER.search(units).group()
                chunks = [f"{units}{',' if '.' in whole else '.'}{digits}"]
            elif child.tag != "sup":  # a superscript number that is not the cents marks a footnote
                chunks.append(text)
        chunks.append(child.tail or "")
    return "".join(chunks)


def _are_whole_units(text):
    """Whether a text ends with a number without decimals (what cents printed in their own element follow)."""
    return text[-1:].isdigit() and not _DECIMALS_END.search(text)


def _is_struck(element):
    return element.tag in STRUCK_THROUGH or any(
        ancestor.tag in STRUCK_THROUGH for ancestor in element.iterancestors()
    )


def _is_cart_control(element):
    """True for a control that adds to the cart by its name or its words (not a link to the cart page), else None."""
    named = " ".join(
        filter(
            None,
            (
                element.get("id"),
                element.get("class"),
                element.get("name"),
                element.get("data-type"),
                element.get("aria-label"),
                element.get("title"),
            ),
        )
    )
    # A link to the cart page shows the cart, unless it is named as what adds to it (its href is the fallback of a
    # control the page's script drives).
    if _CART_PAGE.search(element.get("href") or "") and not _ADD_TO_CART_NAME.search(named):
        return None
    if _CART_NAME.search(named):
        return True
    text = clean_text(element.get("value") or element.text_content()) or ""
    return True if len(text) <= _CART_TEXT_LIMIT and _CART_TEXT.search(text) else None


def _submits_to_cart(element):
    """True for the submit button of a form that posts to the cart (`/cart/add`, Magento's `checkout/cart/add`),
    the add-to-cart control whatever it says ("Sold out" included), else None."""
    if element.tag not in _CONTROL_TAGS or (element.get("type") or "submit").lower() != "submit":
        return None
    form = next(element.iterancestors("form"), None)
    return True if form is not None and _CART_ACTION.search(form.get("action") or "") else None


def _sold_out_control(element):
    """False for a control whose own short text says the product is sold out or offers to tell when it is back, outside
    a picker of sizes or variants (a size's "notify me") and a form posting elsewhere than the cart (a newsletter's),
    else None."""
    text = clean_text(element.get("value") or element.text_content()) or ""
    if (
        len(text) > _CART_TEXT_LIMIT
        or not OUT_OF_STOCK_WORDS.search(text)
        or _NOT_THE_PRODUCTS_STOCK.search(text)
    ):
        return None
    elsewhere = any(
        block.tag in ("li", "option", "select")
        or _PICKER.search(f"{block.get('class') or ''} {block.get('id') or ''}")
        or (block.tag == "form" and block.get("action") and not _CART_ACTION.search(block.get("action")))
        for block in itertools.chain([element], element.iterancestors())
    )
    return None if elsewhere else False


def _control_availability(control):
    """False when the add-to-cart control says the product is sold out, True when it can be used, None when it
    is disabled (shops disable it until a size is chosen, too) or there is none."""
    if control is None:
        return None
    if OUT_OF_STOCK_WORDS.search(clean_text(control.get("value") or control.text_content()) or ""):
        return False
    disabled = (
        control.get("disabled") is not None
        or control.get("aria-disabled") == "true"
        or DISABLED_CLASS.search(control.get("class") or "")
    )
    return None if disabled else True


def _stock_of(element):
    """False when a stock message says sold out, True when it says in stock, None when it says neither; a longer
    message by its first sentence ("Currently unavailable. We don't know when or if this item will be back…")."""
    text = clean_text(element.text_content()) or ""
    if len(text) > _STOCK_TEXT_LIMIT:
        text = _SENTENCE_END.split(text, maxsplit=1)[0]
    return stock_in_words(text) if len(text) <= _STOCK_TEXT_LIMIT else None


def _labelled_code(element):
    """The product code an element prints under its label ("Product code: 287807", "Art.-Nr. 4711"), also where the
    line goes on after a separator ("SKU: 4711-02 | Category: Shirts"), or None."""
    value = _after_label(element, _CODE_LABEL)
    if value and not _CODE_VALUE.fullmatch(value):
        value = _VALUE_END.split(value, maxsplit=1)[0]
    if value and _LOOSE_CODE_LABEL.match(element.text.strip()) and not _looks_like_code(value):
        return None
    return parse_identifier(value) if value and _CODE_VALUE.fullmatch(value) else None


def _named_code(element):
    """The code an element named as the product's code prints as its whole text (`<span class="sku">AB-1234</span>`),
    when it reads as a code (one token, two digits or more), or None."""
    text = clean_text(element.text_content()) or ""
    return parse_identifier(text) if len(text) <= _CODE_TEXT_LIMIT and _looks_like_code(text) else None


def _labelled_stock(element):
    """The stock an element prints under its label ("Availability: In stock", "Disponibilité : épuisé", "Stock: 0"),
    or None."""
    value = _after_label(element, _STOCK_LABEL)
    if value and value.isdigit():
        return int(value) > 0  # a stock counter ("Availability: 0")
    return stock_in_words(value) if value and len(value) <= _STOCK_TEXT_LIMIT else None


def _labelled_part(element):
    """The maker's part or model number an element prints under its label ("Model: WH-1000XM4", "MPN 378452")."""
    value = _after_label(element, _PART_LABEL)
    return parse_identifier(value) if value and _looks_like_code(value) else None


def _labelled_gtin(element):
    """The barcode an element prints under its label ("EAN: 4006381333931", "UPC 012345678905"), when its check digit
    is right, or None."""
    value = _after_label(element, _GTIN_LABEL)
    return parse_gtin(value) if value else None


def _looks_like_code(value):
    """A code rather than a word with a number in it: one token, two digits or more, no measurement."""
    return (
        bool(_CODE_VALUE.fullmatch(value))
        and sum(character.isdigit() for character in value) >= _STRICT_CODE_DIGITS
        and not _MEASUREMENT.match(value)
    )


def _data_code(control, heading):
    """The code a data-* attribute of the add-to-cart control, its form or a block around it or the heading names
    (`data-sku`, `data-product-sku`; `data-product-id` only when it reads as a code), closest first."""
    blocks = [
        *([control, *control.iterancestors()] if control is not None else []),
        heading,
        *heading.iterancestors(),
    ]
    for block in blocks:
        for name, value in block.attrib.items():
            if not name.startswith("data-"):
                continue
            name = name.replace("-", "").replace("_", "").lower()
            if name in _DATA_CODE_NAMES or (name in _DATA_ID_NAMES and _is_letters_and_digits(value)):
                code = parse_identifier(value)
                if code:
                    return code
    return None


def _record_ids(page, form, control, heading):
    """The numbers the page keys the product's row in its database by: what the add-to-cart form posts as the
    product (its fields and control named for it), the `data-product-id` of the control, its form or a block
    around the heading, and the post id WordPress names in the body's class. Platforms fill an empty SKU with
    this number (WooCommerce's structured data does), which no shopper sees."""
    fields = [
        element.get("value")
        for element in (form.iter("input", "button") if form is not None else ())
        if (element.get("name") or "").replace("_", "").replace("-", "").lower() in _FORM_RECORD_NAMES
    ]
    blocks = [
        *([control, *control.iterancestors()] if control is not None else []),
        heading,
        *heading.iterancestors(),
    ]
    attributes = [
        value
        for block in blocks
        for name, value in block.attrib.items()
        if name.startswith("data-") and name.replace("-", "").replace("_", "").lower() in _DATA_ID_NAMES
    ]
    body = page.tree.find("body")
    posts = _POST_ID.findall(body.get("class") or "") if body is not None else []
    return sorted(
        {value.strip() for value in [*fields, *attributes, *posts] if value and value.strip().isdigit()}
    )


def _is_letters_and_digits(value):
    """A short code of letters and digits ("WT450", "AB-12.3"), not a number, a URI or a UUID."""
    return (
        bool(_ID_CODE.fullmatch(value))
        and any(character.isdigit() for character in value)
        and any(character.isalpha() for character in value)
    )


def _labelled_brand(element):
    """The brand an element prints under its label ("Brand: Gothamite", "Marke: Weleda"), or None."""
    value = _after_label(element, _BRAND_LABEL)
    return value if value and len(value) <= _BRAND_LIMIT and not money_amounts(value) else None


def _after_label(element, label_pattern):
    """The text after the label an element's own text starts with (in the element or the text that follows it);
    the marks that set the direction of text or join it, which pages put around a label's colon, are no text."""
    own = _INVISIBLE.sub("", element.text).strip()
    label = label_pattern.match(own)
    if not label:
        return None
    return (
        clean_text(own[label.end() :])
        or clean_text(_INVISIBLE.sub("", following_text(element) or ""))
        or _next_cell_text(element)
    )


def _next_cell_text(label):
    """The text of the cell or box after the one a label fills alone (`<td><span>Item #</span></td><td>…</td>`,
    `<div class="label"><span>Ref.</span></div><div class="value">…</div>`), a few levels up at most."""
    block = label
    for parent in itertools.islice(label.iterancestors(), _LABEL_CELL_LEVELS):
        if len(parent) != 1 or clean_text(parent.text) or clean_text(block.tail):
            return None
        sibling = next_element(parent)
        value = clean_text(parent.tail) or (
            clean_text(sibling.text_content()) if sibling is not None else None
        )
        if value:
            return clean_text(_INVISIBLE.sub("", value))
        block = parent
    return None


def _hidden_fields(form, names):
    """The add-to-cart form's hidden inputs with one of these names (lower case, no _ or -); [] without a form."""
    return (
        [
            field
            for field in form.iter("input")
            if (field.get("type") or "").lower() == "hidden"
            and (field.get("name") or "").replace("_", "").replace("-", "").lower() in names
        ]
        if form is not None
        else []
    )
