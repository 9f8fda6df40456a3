"""Magento 2's configurable products: the swatch renderer's `jsonConfig` (or the dropdowns' `spConfig`) in a
`text/x-magento-init` script lists each attribute's options with the child products for sale that have them, and
some themes add each child's code (`"sku": {"<child id>": "MJ01-M-BLU"}`). The options the page marks chosen (a
swatch with `aria-checked`, a `selected` option; see selection.py) pick the child whose code and stock the page shows.
"""

from features.garments.extractors.values import parse_identifier

_CONFIG_KEYS = ("jsonConfig", "spConfig")
_DEPTH = 4  # {selector: {component: {"jsonConfig": …}}}


def read_magento(page):
    """The chosen child's code and stock (out of stock when no child has every chosen option), or with not every
    attribute chosen, whether any option has a child for sale; {} on other pages."""
    config = next((found for _, document in page.json_scripts if (found := _configuration(document))), None)
    if config is None:
        return {}
    attributes = [
        [option for option in attribute["options"] if isinstance(option, dict)]
        for attribute in config["attributes"].values()
        if isinstance(attribute, dict) and isinstance(attribute.get("options"), list)
    ]
    if not attributes:
        return {}
    chosen = [_chosen_option(options, page.selection.options) for options in attributes]
    if all(option is not None for option in chosen):
        children = set.intersection(*(_children(option) for option in chosen))
        codes = config.get("sku") if isinstance(config.get("sku"), dict) else {}
        child = next(iter(children)) if len(children) == 1 else None
        code = parse_identifier(codes.get(child)) if child else None
        return {
            "sku": code,
            "variant_sku": code,
            "availability": bool(children),
            "variant_availability": bool(children),
        }
    return {"availability": any(_children(option) for options in attributes for option in options)}


def _configuration(document, depth=0):
    """The configurable product's configuration in a Magento init script, or None."""
    if not isinstance(document, dict) or depth > _DEPTH:
        return None
    for key in _CONFIG_KEYS:
        config = document.get(key)
        if isinstance(config, dict) and isinstance(config.get("attributes"), dict):
            return config
    return next(
        (found for value in document.values() if (found := _configuration(value, depth + 1))),
        None,
    )


def _chosen_option(options, chosen):
    """The one option whose id or label the page marks chosen, or None."""
    picked = [
        option
        for option in options
        if {str(option.get("id", "")).strip().lower(), str(option.get("label", "")).strip().lower()} & chosen
    ]
    return picked[0] if len(picked) == 1 else None


def _children(option):
    products = option.get("products")
    return {str(product) for product in products} if isinstance(products, list) else set()
