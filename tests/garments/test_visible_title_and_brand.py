"""The product's name and brand on a page without structured data, in the ways shop templates state them: the
heading beside the buy box (not a review's, not text for screen readers or a wishlist pop-up inside it), the brand
printed beside it (Shopify's vendor, a link to the brand's page, a manufacturer's logo, "by …", a retailer's brand
line above the name), else the shop's own name (its title's site part, its logo) when it sells no other brands.
Each page is our own; what is asserted is what a client of POST /api/garments/scrape sees.
"""

import pytest

from tests.envelope import error
from tests.garments.conftest import scrape
from tests.garments.test_platform_shapes import page
from tests.garments.test_product_facts import scraped

URL = "https://shop.example.com/p/linen-shirt"
CART = """<form action="/cart/add" method="post"><input type="number" name="quantity" value="1">
    <button type="submit" class="add-to-cart">Add to cart</button></form>"""
PRICE = '<span class="price">€39.00</span>'


def product(inside, *, title="Linen shirt | Shop", before="", after="", url=URL):
    html = page(
        head=f"<title>{title}</title>",
        body=f'{before}<main><div class="product">{inside}{PRICE}{CART}</div>{after}</main>',
    )
    return scraped_at(url, html)


def scraped_at(url, html):
    return lambda client: scraped(client, url, html)


@pytest.mark.parametrize(
    "heading, title",
    [
        # Text for screen readers only (Zara's "offleft", eBay's "g-hdn" prefix, Bootstrap's "sr-only").
        ('<h1 class="product-name">Linen shirt<span class="offleft"> Details</span></h1>', "Linen shirt"),
        ('<h1><span class="g-hdn">Details about </span>Linen shirt</h1>', "Linen shirt"),
        ('<h1>Linen shirt <span class="sr-only">(opens a new window)</span></h1>', "Linen shirt"),
        # A wishlist control and its pop-up inside the heading.
        (
            '<h1>Linen shirt <div class="add-to-list" aria-hidden="true"><a class="fav">♥</a><div class="popup">'
            "<span>Successfully Saved!</span><span>Add to another list</span></div></div></h1>",
            "Linen shirt",
        ),
        ('<h1>Linen shirt <button class="wishlist">Save</button></h1>', "Linen shirt"),
        # A classified ad's price beside its name.
        (
            '<h1><span id="titletext">Linen shirt</span> - <span class="price">£1,899</span></h1>',
            "Linen shirt -",
        ),
        # Lines of their own are words apart; inline words stay joined.
        (
            '<h1><div class="title--big">LUMO</div><div class="description"><span>Linen shirt, white</span></div></h1>',
            "LUMO Linen shirt, white",
        ),
        ("<h1>Linen <em>shirt</em>s</h1>", "Linen shirts"),
    ],
)
def test_the_name_a_heading_shows_a_shopper(client, heading, title):
    assert product(heading)(client)["title"] == title


def test_a_review_titled_like_the_product_is_not_its_heading(client):
    """Review titles are h1s too, and a short one the page title holds ("Faux Throw") must not win over the product's
    own heading, which sits in the <header> of the main content (no page chrome)."""
    html = page(
        head="<title>Lumo Faux Fur Throw at Lumo</title>",
        body=f"""<main><div class="product"><header class="product-header"><h1>Lumo Faux Fur Throw, Platinum</h1>
        </header>{PRICE}{CART}</div><section class="jl-reviews"><h1>Faux Throw</h1><h1>Lovely</h1></section></main>""",
    )
    assert scraped(client, URL, html)["title"] == "Lumo Faux Fur Throw, Platinum"


def test_an_h1_in_the_page_header_is_still_the_sites_not_the_products(client):
    """The negative: a <header> of the page (outside <main>) holding the shop's h1 is chrome."""
    html = page(
        head="<title>Linen shirt | Lumo</title>",
        body=f"""<header><h1 class="logo">Lumo</h1></header><main><div class="product"><h1>Linen shirt</h1>{PRICE}
        {CART}</div></main>""",
    )
    assert scraped(client, URL, html)["title"] == "Linen shirt"


@pytest.mark.parametrize(
    "inside, brand",
    [
        # Shopify themes: the vendor above the title, linking to the vendor's collection or a search for it.
        (
            '<p class="product__vendor"><a href="/collections/vendors?q=Lumo">Lumo</a></p><h1>Linen shirt</h1>',
            "Lumo",
        ),
        (
            '<div class="bls__product-vendors"><a href="/search?refinementList%5Bvendor%5D%5B0%5D=Lumo">Lumo</a></div>'
            "<h1>Linen shirt</h1>",
            "Lumo",
        ),
        # WooCommerce (a brand taxonomy) and Magento: a link to the brand's page under the title.
        ('<h1>Linen shirt</h1><div class="product_meta"><a href="/brand/lumo/">Lumo</a></div>', "Lumo"),
        (
            '<h1>Linen shirt</h1><div class="info"><a href="https://shop.example.com/marken/lumo">Lumo</a></div>',
            "Lumo",
        ),
        # PrestaShop / Shopware: the manufacturer's logo, linking to its page.
        (
            '<h1>Linen shirt</h1><div class="product-manufacturer"><a href="/brand/3-lumo">'
            '<img class="manufacturer-logo" src="/img/m/3.jpg" alt="Lumo"></a></div>',
            "Lumo",
        ),
        (
            '<h1>Linen shirt</h1><a class="product-detail-manufacturer-link" href="https://lumo.example.org">'
            '<img class="product-detail-manufacturer-logo" src="/m/lumo.png" alt="Lumo"></a>',
            "Lumo",
        ),
        # A labelled manufacturer ("Výrobca: Viking").
        ('<h1>Linen shirt</h1><p class="manufacturer">Výrobca: Lumo</p>', "Lumo"),
        # "by …" under the name.
        ("<h1>Linen shirt</h1><p>by Lumo</p>", "Lumo"),
        ('<h1>Linen shirt</h1><span>von <a href="/lumo">Lumo</a></span>', "Lumo"),
    ],
)
def test_the_brand_printed_beside_the_heading(client, inside, brand):
    assert product(inside)(client)["brand"] == brand


def test_a_retailers_brand_line_above_the_name(client):
    """A link just before the heading whose text the page title puts before the product's name."""
    inside = (
        '<div><a href="https://shop.example.com/lumo/"><span><h3>Lumo</h3></span></a></div><h1>Chinos</h1>'
    )
    answer = product(inside, title="Lumo Chinos - camel - Shop.example")(client)
    assert (answer["title"], answer["brand"]) == ("Chinos", "Lumo")


def test_the_shops_home_link_before_the_main_content_is_no_brand_line(client):
    """The negative of the brand line: a breadcrumb before <main> whose home link the title names first."""
    before = '<div class="crumbs"><a href="/">Harbour</a> / <a href="/knitwear">Knitwear</a></div>'
    answer = product("<h1>Rib Knit Jumper</h1>", title="Harbour Rib Knit Jumper", before=before)(client)
    assert (answer["title"], answer["brand"]) == ("Rib Knit Jumper", None)


@pytest.mark.parametrize(
    "inside, title, after",
    [
        # A link before the heading the title does not name first is the shop's breadcrumb, not a brand.
        ('<div><a href="/men/">Men</a></div><h1>Chinos</h1>', "Chinos - camel", ""),
        # "de …" / "di …" begin names as often as they name makers.
        ("<h1>De vez en cuando la vida</h1><strong>De vez en cuando la vida</strong>", "Entradas", ""),
        # A brand's page linked far from the heading, and a list of brand links beside it.
        (
            "<h1>Linen shirt</h1>",
            "Linen shirt",
            '<aside><div><div><div><div><div><a href="/brands/lumo">Lumo</a></div></div></div></div></div></aside>',
        ),
        (
            '<h1>Linen shirt</h1><ul class="brands">'
            + "".join(
                f'<li><a href="/brands/{name}">{name}</a></li>' for name in ("Aa", "Bb", "Cc", "Dd", "Ee")
            )
            + "</ul>",
            "Linen shirt",
            "",
        ),
        # A review's syndication logo.
        (
            '<h1>Linen shirt</h1><div class="review"><div class="bv-brand-logo"><img alt="othershop.com"></div></div>',
            "Linen shirt",
            "",
        ),
    ],
)
def test_what_names_no_brand(client, inside, title, after):
    assert product(inside, title=title, after=after)(client)["brand"] is None


@pytest.mark.parametrize(
    "title, before, url, brand",
    [
        # The title's site part, as far as the host spells it.
        (
            "Wool coat - Red - Coats - & Other Lumo",
            "",
            "https://www.lumo.example/p/wool-coat",
            "& Other Lumo",
        ),
        ("Wool coat | LUMO Ireland", "", "https://www.lumo.example/ie/p/wool-coat", "LUMO"),
        ("Wool coat - Red - Lumo DE", "", "https://www.lumo.example/de/p/wool-coat", "Lumo"),
        ("Wool coat | L&M GB", "", "https://www2.lm.example/p/wool-coat", "L&M"),
        # The logo linking home, as far as the title names it too.
        (
            "Wool coat online bestellen bei Lumo 378452",
            '<div class="l-header"><a href="/"><span class="l-logo">Lumo Online-Shop</span></a></div>',
            "https://www.eduscho-like.example/p/wool-coat",
            "Lumo",
        ),
        (
            "Wool coat at Lumo & Partners",
            '<header><a href="/"><img src="/logo.svg" alt="Lumo &amp; Partners Home"></a></header>',
            "https://www.lp.example/p/wool-coat",
            "Lumo & Partners",
        ),
    ],
)
def test_the_shops_own_name_for_its_house_brand(client, title, before, url, brand):
    answer = product("<h1>Wool coat</h1>", title=title, before=before, url=url)(client)
    assert (answer["title"], answer["brand"]) == ("Wool coat", brand)


def test_a_shop_of_many_brands_gives_its_own_name_to_none(client):
    """The negative: the same house-brand page, but the shop links to brands' pages (a retailer of other makers)."""
    before = '<header><nav><a href="/brands/">All brands</a><a href="/brands/acme">Acme</a></nav></header>'
    answer = product(
        "<h1>Wool coat</h1>",
        title="Wool coat | LUMO Ireland",
        before=before,
        url="https://www.lumo.example/ie/p/wool-coat",
    )(client)
    assert answer["brand"] is None


def sizes(*named):
    return [{"name": name, "available": available} for name, available in named]


@pytest.mark.parametrize(
    "picker, expected",
    [
        # H&M-like: radio inputs in a list, the sold-out one disabled on the input, not on its label.
        (
            '<div class="product-sizes"><ul><li><input type="radio" name="size" id="s1" value="S"><label for="s1">S'
            '</label></li><li><input type="radio" name="size" id="s2" value="M" disabled><label for="s2">M</label>'
            "</li></ul></div>",
            sizes(("S", True), ("M", False)),
        ),
        # Shopify (Dawn): the sold-out note only for screen readers names no size, but says the size is sold out.
        (
            '<fieldset class="product-form__input"><legend class="form__label">Size</legend><input type="radio" '
            'id="o-1" name="Size" value="S" checked><label for="o-1">S</label><input type="radio" id="o-2" name="Size"'
            ' value="M"><label for="o-2">M<span class="visually-hidden">Variant sold out or unavailable</span></label>'
            "</fieldset>",
            sizes(("S", True), ("M", False)),
        ),
        # WooCommerce variation swatches: the list names the attribute it picks in its data.
        (
            '<ul class="variable-items-wrapper" data-attribute_name="attribute_pa_size"><li class="variable-item" '
            'data-value="s" title="S"><span>S</span></li><li class="variable-item disabled" data-value="m" title="M">'
            "<span>M</span></li></ul>",
            sizes(("S", True), ("M", False)),
        ),
        # Buttons in a size list, a sold-out one marked on its list item.
        (
            '<div class="product-sizes"><ul class="picker-list"><li class="item"><button class="option"><span>XS'
            '</span></button></li><li class="item soldOut"><button class="option"><span>S</span></button></li></ul>'
            "</div>",
            sizes(("XS", True), ("S", False)),
        ),
    ],
)
def test_size_pickers_of_shop_templates(client, picker, expected):
    assert product(f"<h1>Linen shirt</h1>{picker}")(client)["sizes"] == expected


@pytest.mark.parametrize(
    "elsewhere",
    [
        # A WooCommerce-like list naming another attribute in its data.
        '<ul class="variable-items-wrapper" data-attribute_name="attribute_pa_fit"><li class="variable-item" '
        'data-value="slim">Slim</li><li class="variable-item" data-value="regular">Regular</li></ul>',
        # A size guide's table.
        '<div class="size-guide"><table><tr><th>Size</th><th>Chest</th></tr><tr><td>S</td><td>96</td></tr></table>'
        "</div>",
    ],
)
def test_what_is_no_size_picker(client, elsewhere):
    assert product(f"<h1>Linen shirt</h1>{elsewhere}")(client)["sizes"] == []


NAMELESS_OFFER = """<div itemscope itemtype="https://schema.org/Product"><img src="/img/coat.jpg" alt="">
    <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price" content="89.00">€89</span>
    <meta itemprop="priceCurrency" content="EUR"></div></div>"""


@pytest.mark.parametrize(
    "title, url, name",
    [
        ("Wool coat – Lumo", "https://www.lumo.example/p/wool-coat", "Wool coat"),
        ("Lumo | Wool coat", "https://www.lumo.example/p/wool-coat", "Wool coat"),
        (
            "Amazon.example : Wool coat : Clothing",
            "https://www.amazon.example/dp/B0001",
            "Wool coat: Clothing",
        ),
        ("Wool coat - camel", "https://shop.example.com/p/wool-coat", "Wool coat - camel"),
    ],
)
def test_the_page_title_without_the_shops_name_when_no_heading_names_the_product(client, title, url, name):
    """No heading, a price from data without a name: the <title> is the name, the part naming the shop left out."""
    html = page(head=f"<title>{title}</title>", body=f"<main>{NAMELESS_OFFER}</main>")
    answer = scraped(client, url, html)
    assert (answer["title"], answer["price"]) == (name, 89.0)


def test_a_title_of_only_the_shops_name_names_no_product(client):
    html = page(head="<title>Lumo</title>", body=f"<main>{NAMELESS_OFFER}</main>")
    error(scrape(client, "https://www.lumo.example/p/wool-coat", html=html), 422, "NO_PRODUCT_FOUND")
