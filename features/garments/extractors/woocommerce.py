"""WooCommerce's variation form: `form.variations_form` carries every variation of the product as JSON
in `data-product_variations` (attributes by slug such as `attribute_pa_size: "m"`, `is_in_stock`,
`display_price`, `image.full_src`); the form's selects give each slug the label the shopper sees.
"""

from features.garments.extractors.app_state import COLOR_OPTION, SIZE_OPTION
from features.garments.extractors.html_heuristics import product_gallery
from features.garments.extractors.page import parse_json_text
from features.garments.extractors.values import large_image_url, parse_identifier, parse_price, unique

# Reached through its data-product_variations (a predicate on every form costs an XPath evaluation per form).
_FORM = (
    "/descendant::form/@data-product_variations/parent::*"
    "[contains(concat(' ', normalize-space(@class), ' '), ' variations_form ')]"
)


def read_woocommerce(page):
    """Sizes with stock, colours (the preselected first), price and images from the variation form, and the code and
    stock of the variation the page selects (its preselected options, see selection.py) or, with none selected,
    whether any variation is in stock; {} without a form."""
    form = next((form for form in page.tree.xpath(_FORM) if not page.in_other_product(form)), None)
    variations = parse_json_text(form.get("data-product_variations")) if form is not None else None
    if not isinstance(variations, list):
        return {}  # no form, or "false": the shop loads variations on demand and only the selects are there
    variations = [variation for variation in variations if isinstance(variation, dict)]
    labels, preselected = _attribute_labels(form)
    size_attribute = _attribute(variations, labels, SIZE_OPTION)
    color_attribute = _attribute(variations, labels, COLOR_OPTION)
    colors = _values(variations, color_attribute, labels)
    chosen = labels.get(color_attribute, {}).get(preselected.get(color_attribute))
    selected = page.selection.choose(variations, _variation_description)
    return {
        "price": _price(variations, preselected),
        "sku": parse_identifier(selected.get("sku")) if selected else None,
        "variant_sku": parse_identifier(selected.get("sku")) if selected else None,
        "variant_availability": _in_stock(selected) if selected else None,
        "availability": _in_stock(selected)
        if selected
        else any(map(_in_stock, variations))
        if variations
        else None,
        "sizes": [
            {"name": name, "available": available}
            for name, available in _values(variations, size_attribute, labels).items()
        ],
        "colors": sorted(colors, key=lambda name: name != chosen),
        "images": unique(
            product_gallery(page) + [_image(variation, page.base_url) for variation in variations]
        ),
    }


def _attribute_labels(form):
    """({attribute: {slug: label}}, {attribute: preselected slug}) from the form's selects, in page order."""
    labels, preselected = {}, {}
    for select in form.iter("select"):
        name = select.get("data-attribute_name") or select.get("name") or ""
        options = [option for option in select.iter("option") if option.get("value")]
        labels[name] = {
            option.get("value"): " ".join(option.text_content().split()) or option.get("value")
            for option in options
        }
        chosen = next((option for option in options if option.get("selected") is not None), None)
        if chosen is not None:
            preselected[name] = chosen.get("value")
    return labels, preselected


def _attribute(variations, labels, pattern):
    """The attribute name (`attribute_pa_size`) whose normalised name the pattern matches, or None."""
    names = list(labels) + [name for variation in variations for name in _attributes(variation)]
    return next(
        (name for name in names if pattern.match(name.replace("_", "").replace("-", "").lower())), None
    )


def _values(variations, attribute, labels):
    """{label: in stock in any variation} of one attribute; an empty value means the variation fits every one."""
    if attribute is None:
        return {}
    known = labels.get(attribute, {})
    found = dict.fromkeys(known.values(), False)
    for variation in variations:
        slug = _attributes(variation).get(attribute)
        if slug is None:
            continue
        for label in [known.get(slug, slug)] if slug else known.values():
            found[label] = found.get(label, False) or _in_stock(variation)
    return found


def _attributes(variation):
    attributes = variation.get("attributes")
    return (
        {name: str(value) for name, value in attributes.items() if value is not None}
        if isinstance(attributes, dict)
        else {}
    )


def _variation_description(variation):
    """(ids, links, option values) of a variation, for Selection.choose: its id and SKU, its attributes' slugs."""
    return [variation.get("variation_id"), variation.get("sku")], [], list(_attributes(variation).values())


def _in_stock(variation):
    return all(
        variation.get(flag) is not False for flag in ("is_in_stock", "is_purchasable", "variation_is_active")
    )


def _price(variations, preselected):
    """The preselected variation's price, else the lowest price of a variation in stock."""

    def matches_preselection(variation):
        return bool(preselected) and all(
            _attributes(variation).get(name) in ("", None, slug) for name, slug in preselected.items()
        )

    chosen = [variation for variation in variations if matches_preselection(variation)]
    candidates = chosen or [variation for variation in variations if _in_stock(variation)] or variations
    prices = [price for variation in candidates if (price := parse_price(variation.get("display_price")))]
    return min(prices) if prices else None


def _image(variation, base_url):
    image = variation.get("image") if isinstance(variation.get("image"), dict) else {}
    return next(
        (url for key in ("full_src", "url", "src") if (url := large_image_url(image.get(key), base_url))),
        None,
    )
