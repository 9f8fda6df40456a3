"""The fashion fields of a page without structured data, as a shopper reads them: the colour and size pickers, the
composition line, the stock the buy box shows (a dialog the page has not opened says nothing) and the code the page
prints for the product its URL names. Each page is our own, in the shapes shops print them, with a negative beside
each rule; what is asserted is what a client of POST /api/garments/scrape sees.
"""

import pytest

from tests.garments.test_platform_shapes import page
from tests.garments.test_product_facts import scraped

URL = "https://shop.example.com/p/velvet-shirt"
CART = """<form action="/cart/add" method="post"><input type="number" name="quantity" value="1">
    <button type="submit" class="add-to-cart">Add to cart</button></form>"""


def product_page(inside, after="", url_heading="Velvet shirt"):
    return page(
        body=f"""<main><div class="product"><h1>{url_heading}</h1><span class="price">€49.00</span>{inside}</div>
        {after}</main>"""
    )


@pytest.mark.parametrize(
    "picker, colors",
    [
        # Radio inputs named for the colour, each swatch's name only in its value or its data-title.
        (
            '<div class="m-swatches"><div class="a-swatch is-selected" data-title="Red"><input type="radio" '
            'name="colors" value="Red"><button type="button"><img src="/s/red.jpg" alt="Fabric swatch image of the '
            'velvet shirt in red"></button></div><div class="a-swatch" data-title="Blue"><input type="radio" '
            'name="colors" value="Blue"><button type="button"></button></div></div>',
            ["Red", "Blue"],
        ),
        (
            '<fieldset><legend>Colour</legend><input type="radio" name="attribute_pa_colour" value="Forest green" '
            "checked>"
            '<input type="radio" name="attribute_pa_colour" value="Sand"></fieldset>',
            ["Forest green", "Sand"],
        ),
        # A dropdown of swatches whose option carries its name in data-value, shown again in other case.
        (
            '<div id="swatchDropdown" class="m-dropdown" data-value="Red "><button type="button">Red</button>'
            '<ul class="options"><li class="a-option" data-value="red ">Red</li></ul></div>',
            ["Red"],
        ),
        # "Colour" in the shop's language in the cell before its value.
        ("<table><tr><th>اللون</th><th>أسود</th></tr></table>", ["أسود"]),
        ("<dl><dt>Kolor:</dt><dd>Granatowy</dd></dl>", ["Granatowy"]),
        ("<table><tr><td>Färg</td><td>Svart</td></tr></table>", ["Svart"]),
        # Swatch links titled with the colour's label ("Select Colour: Sea Turtle"), their images' alt text naming
        # the product ("VELVET SHIRT, Sea Turtle, large").
        (
            '<ul class="swatch colorpattern"><li class="swatch__item--selected"><a href="#" title="Select Colour: Sea '
            'Turtle"><img data-src="/s/1.jpg" alt="VELVET SHIRT, Sea Turtle, large"></a></li><li><a href="#" '
            'title="Select Colour: Black"><img data-src="/s/2.jpg" alt="VELVET SHIRT, Black, large"></a></li></ul>',
            ["Sea Turtle", "Black"],
        ),
        # Negatives: a swatch's value that is an id or a size, a radio input of another option, a colour filter of
        # the category sidebar.
        (
            '<div class="swatches"><div class="swatch" data-value="0566155005"></div>'
            '<div class="swatch" data-value="XL"></div></div>',
            [],
        ),
        ('<div class="choices"><input type="radio" name="fit" value="Regular"></div>', []),
        # A swatch's prompt to choose is no colour, labelled or not.
        (
            '<ul class="swatch colorpattern"><li><a href="#" title="Select Colour: Select a colour"></a></li>'
            '<li><a href="#" title="Choose your colour"></a></li></ul>',
            [],
        ),
    ],
)
def test_colour_pickers_a_shopper_sees(client, picker, colors):
    answer = scraped(client, URL, product_page(picker + CART))
    assert answer["colors"] == colors


def test_a_colour_filter_of_the_category_sidebar_is_no_colour(client):
    sidebar = (
        '<aside class="filters"><div class="filter-colour"><input type="radio" name="color" value="Black">'
        '<input type="radio" name="color" value="White"></div></aside>'
    )
    answer = scraped(client, URL, product_page(CART, after=sidebar))
    assert answer["colors"] == []


@pytest.mark.parametrize(
    "picker, sizes",
    [
        # Each option shows its tooltip beside its name; its data names the size.
        (
            '<fieldset class="product-form__input"><legend>Size:</legend>'
            '<div class="option-swatch" data-value="7.5 b"><label><span>7.5 b</span><span class="tooltip">7.5 b'
            '</span></label></div><div class="option-swatch" data-value="9 d"><label><span>9 d</span>'
            '<span class="tooltip">9 d</span></label></div></fieldset>',
            [{"name": "7.5 b", "available": True}, {"name": "9 d", "available": True}],
        ),
        # A "notify me" note on a sold-out size, in Arabic and in Portuguese.
        (
            '<ul class="sizes"><li>S</li><li>M <span>أبلغني</span></li><li>L <span>Avise-me</span></li></ul>',
            [
                {"name": "S", "available": True},
                {"name": "M", "available": False},
                {"name": "L", "available": False},
            ],
        ),
        # Negative: the dropdown's own "Cancel" control, its sizes filled in by a script later.
        (
            '<div id="sizesDropdown" class="m-dropdown size-dropdown"><ul class="list-wrapper"><li id="sizes">'
            '<ul class="options"></ul><ul class="bottom-option"><li>Cancel</li></ul></li></ul></div>',
            [],
        ),
    ],
)
def test_size_pickers_a_shopper_sees(client, picker, sizes):
    answer = scraped(client, URL, product_page(picker + CART))
    assert answer["sizes"] == sizes


@pytest.mark.parametrize(
    "details, fabric",
    [
        # The composition line before the care notes, which sit in an element of their own.
        (
            '<p class="a-paragraph">Cotton 71% / Viscose 27% / Elastane 2% / <span id="care">40 degrees / Iron '
            "medium heat / Do not tumble dry</span></p>",
            [("Cotton", 71.0), ("Viscose", 27.0), ("Elastane", 2.0)],
        ),
        (
            "<p>Baumwolle 95 %, Elasthan 5 % <span>Maschinenwäsche 30 °C</span></p>",
            [("Baumwolle", 95.0), ("Elasthan", 5.0)],
        ),
        # Negative: a line with a percentage that is no composition, before a child element.
        ("<p>Save 20% on your first order / <span>Sign up</span></p>", []),
    ],
)
def test_the_composition_line_before_the_care_notes(client, details, fabric):
    answer = scraped(client, URL, product_page(CART + details))
    assert [(entry["name"], entry["percentage"]) for entry in answer["fabric"]] == fabric


@pytest.mark.parametrize(
    "dialog, availability",
    [
        # A "notify me" form in a dialog the page has not opened: the product can be bought.
        (
            '<div class="modal fade" id="notifyModal" role="dialog"><div class="modal-dialog"><p>Esgotado</p>'
            '<form><input type="email" name="email"><button type="button">Avise-me quando chegar</button>'
            "</form></div></div>",
            "InStock",
        ),
        ('<dialog><p>Out of stock</p><button type="button">Notify me</button></dialog>', "InStock"),
        # Negative: the same kind of dialog, shown.
        (
            '<div class="modal show" role="dialog"><p class="stock">Sold out</p>'
            '<button type="button">Notify me</button></div>',
            "OutOfStock",
        ),
    ],
)
def test_a_notify_me_dialog_the_page_has_not_opened(client, dialog, availability):
    answer = scraped(client, URL, product_page(dialog))
    assert answer["availability"] == availability


@pytest.mark.parametrize("words", ["Avise-me quando chegar", "أبلغني عند التوفر", "入荷通知を受け取る"])
def test_a_notify_me_offer_shown_beside_the_heading_is_out_of_stock(client, words):
    answer = scraped(client, URL, product_page(f"<p>{words}</p>"))
    assert answer["availability"] == "OutOfStock"


@pytest.mark.parametrize(
    "url, sku",
    [
        # The page prints the code of a part of the product under a label and the code its URL names.
        ("https://shop.example.com/p/sofa-bed-module-s99277508/", "992.775.08"),
        # Negative: the URL names no code the page prints; the labelled code stands.
        ("https://shop.example.com/p/sofa-bed-module/", "903.294.89"),
    ],
)
def test_the_printed_code_the_url_names_beats_a_parts_code(client, url, sku):
    html = page(
        body=f"""<main><div class="product"><h1>Sofa-bed module</h1><span class="price">£450</span>
        <div class="summary"><span class="product-identifier">992.775.08</span></div>{CART}
        <div class="details"><span>Sofa-bed module</span><span>Article no.:</span>
        <span class="identifier">903.294.89</span></div></div></main>"""
    )
    if "s99277508" not in url:
        html = html.replace("992.775.08", "")
    answer = scraped(client, url, html)
    assert answer["sku"] == sku


@pytest.mark.parametrize(
    "first_stock, availability",
    [
        # The row whose price is read says nothing; another seller's row is sold out: not the product's stock.
        ("<td>Ships in 4-6 days</td>", "InStock"),
        # Negative: the row whose price is read is sold out itself.
        ('<td class="stock">Out of Stock</td>', "OutOfStock"),
    ],
)
def test_the_stock_of_another_sellers_row_in_a_table_of_offers(client, first_stock, availability):
    html = page(
        body=f"""<main><h1>Tork T15 phone</h1><table class="offers">
        <tr class="offer"><td><a href="/go/1">Store one</a></td>{first_stock}<td class="price">₹949</td></tr>
        <tr class="offer stock_OUT_OF_STOCK"><td><a href="/go/2">Store two</a></td>
        <td><strong>Out of Stock</strong></td><td class="price">₹990</td></tr></table></main>"""
    )
    answer = scraped(client, "https://compare.example.com/mobiles/tork-t15", html)
    assert (answer["price"], answer["availability"]) == (949.0, availability)


@pytest.mark.parametrize(
    "elsewhere, currency",
    [
        # A price in dollars, and the page's payment button stating its one currency in its data.
        ('<div class="wallet-metadata" data-locale="en_US" data-currency="USD"></div>', "USD"),
        # Negative: a currency switcher naming several currencies says none.
        (
            '<ul class="currency-switcher"><li data-currency="USD">US $</li><li data-currency="CAD">CA $</li></ul>',
            None,
        ),
    ],
)
def test_the_currency_the_page_states_in_its_data_for_a_dollar_price(client, elsewhere, currency):
    html = page(body=f'<main><h1>Walking shoe</h1><span class="price">$129.99</span>{CART}</main>{elsewhere}')
    answer = scraped(client, "https://shoes.example.com/products/walking-shoe", html)
    assert (answer["price"], answer["currency"]) == (129.99, currency)


@pytest.mark.parametrize(
    "sidebar",
    [
        '<aside class="filters"><h3>Colour</h3><ul><li><a href="?c=black">Black</a></li></ul></aside>',
        '<div class="facet facet-color"><span>Renk:</span><a href="?renk=siyah">Siyah</a></div>',
    ],
)
def test_a_colour_label_of_the_category_filters_is_no_colour(client, sidebar):
    answer = scraped(client, URL, product_page(CART, after=sidebar))
    assert answer["colors"] == []


def test_swatches_and_sizes_of_other_products_and_the_size_guide_are_not_the_products(client):
    after = (
        '<section class="recommendations"><h2>You may also like</h2><div class="tile"><h3>Wool coat</h3>'
        '<div class="swatches"><div class="swatch" data-title="Camel"></div><input type="radio" name="color" '
        'value="Navy"></div><ul class="sizes"><li data-value="S">S</li></ul></div></section>'
        '<div class="size-guide"><table><tr><th>Size</th><th>Chest</th></tr><tr><th>S</th><td>88-92</td></tr>'
        "<tr><th>M</th><td>96-100</td></tr></table></div>"
    )
    answer = scraped(client, URL, product_page(CART, after=after))
    assert (answer["colors"], answer["sizes"]) == ([], [])


@pytest.mark.parametrize(
    "gallery, images",
    [
        # A gallery a script draws: elements carrying each photo's renditions in data attributes and the product's
        # name in `data-alt`, no <img> until the script runs.
        (
            '<div class="pdp-main-images"><div class="dynamic-image" data-default-src="https://cdn.example.com/i/'
            'shirt_1.jpg?sw=780" data-desktop-retina-src="https://cdn.example.com/i/shirt_1.jpg?sw=1560" '
            'data-alt="Velvet shirt"></div><div class="dynamic-image" data-default-src="https://cdn.example.com/i/'
            'shirt_2.jpg?sw=780" data-alt="Velvet shirt"></div></div>',
            ["https://cdn.example.com/i/shirt_1.jpg", "https://cdn.example.com/i/shirt_2.jpg"],
        ),
        # Negatives: another product's tile drawn the same way, a video's source loaded later.
        (
            '<section class="recommendations"><h2>You may also like</h2><div class="tile"><h3>Velvet shirt dress</h3>'
            '<div class="dynamic-image" data-default-src="https://cdn.example.com/i/dress.jpg" data-alt="Velvet shirt'
            ' dress"></div></div></section><video data-src="https://cdn.example.com/v/shirt.jpg" '
            'data-alt="Velvet shirt"></video>',
            [],
        ),
    ],
)
def test_a_gallery_a_script_draws_from_data_attributes(client, gallery, images):
    answer = scraped(client, URL, product_page(CART, after=gallery))
    assert [image if isinstance(image, str) else image["url"] for image in answer["images"]] == images


def photos(*alts):
    return "".join(f'<img src="https://cdn.example.com/i/{n}.jpg" alt="{alt}">' for n, alt in enumerate(alts))


@pytest.mark.parametrize(
    "gallery, colors",
    [
        # The colour only in the alt text of the product's photos, after its name: in the page's language, after a
        # comma before the photo's size, after "in".
        (photos(*["Homem T-Shirt Velvet shirt Marinho"] * 3), ["Marinho"]),
        (photos("VELVET SHIRT, Navy, large", "VELVET SHIRT, Navy, large"), ["Navy"]),
        (photos("Velvet shirt in red - front", "Velvet shirt in red - back"), ["red"]),
        # Negatives: a photo's view or a name no colour word makes a colour, a colour only one photo names, the
        # colour of fewer photos than another name's, photos of another product.
        (photos("Velvet shirt - front view", "Velvet shirt - front view"), []),
        (photos("Velvet shirt - Sea Turtle", "Velvet shirt - Sea Turtle", "Velvet shirt"), []),
        (photos("Velvet shirt in black", "Velvet shirt"), []),
        (photos(*["Velvet shirt - graphite"] * 3, "Velvet shirt - black", "Velvet shirt - black"), []),
        (
            '<section class="recommendations"><h2>You may also like</h2><div class="tile"><h3>Velvet shirt</h3>'
            + photos("Velvet shirt in black", "Velvet shirt in black")
            + "</div></section>",
            [],
        ),
    ],
)
def test_the_colour_the_products_photos_name_after_its_name(client, gallery, colors):
    answer = scraped(client, URL, product_page(gallery + CART))
    assert answer["colors"] == colors


BRANDS_MENU = (
    '<div id="menuBrand"><ul><li><p class="menuBrandDiv">Top 100</p><div id="topBrand"><div class="listBrand">'
    + "".join(
        f'<a class="bestBrand" href="/{name}">{name}</a>'
        for name in ("Lumo", "Arden", "Brisk", "Coldwater", "Dune")
    )
    + '</div></div></li></ul></div><div id="nav"><div class="headerMenu_logoBrand">up to -50%</div></div>'
)


@pytest.mark.parametrize(
    "brand_line, brand",
    [
        # The product's brand line beside its heading is read, whatever menus of brands the page carries.
        ('<a class="product-brand" href="/b/lumo">Lumo</a>', "Lumo"),
        # Negative: with no brand line, the menu's heading, an entry of the list of brands or a promotion of the
        # navigation named for brands is no brand of the product's.
        ("", None),
    ],
)
def test_a_menu_or_list_of_the_shops_brands_names_no_brand(client, brand_line, brand):
    html = page(
        body=f"""<header></header>{BRANDS_MENU}<main><div class="product">{brand_line}<h1>Velvet shirt</h1>
        <span class="price">€49.00</span>{CART}</div></main>"""
    )
    assert scraped(client, URL, html).get("brand") == brand
