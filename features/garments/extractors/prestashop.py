"""PrestaShop 1.6 themes: `var combinations = {"<id>": {"attributes_values": {"<group id>": "S"}, "quantity": 3}}`
lists every combination with its stock, and `var attributesCombinations = [{"id_attribute_group": "1",
"group": "size", …}]` names the groups. (PrestaShop 1.7+ pages are read by the generic layers.)
"""

from features.garments.extractors.app_state import COLOR_OPTION, SIZE_OPTION
from features.garments.extractors.values import clean_text, parse_availability


def read_prestashop(page):
    """Sizes with stock and colours of the product's combinations; {} on other pages."""
    combinations = page.script_assignments.get("combinations")
    groups = page.script_assignments.get("attributesCombinations")
    if not isinstance(combinations, dict) or not isinstance(groups, list):
        return {}
    names = {
        str(group.get("id_attribute_group")): str(group.get("group") or "").replace("_", "").lower()
        for group in groups
        if isinstance(group, dict)
    }
    entries = [entry for entry in combinations.values() if isinstance(entry, dict)]
    return {
        "sizes": [
            {"name": label, "available": available}
            for label, available in _values(entries, _group(names, SIZE_OPTION)).items()
        ],
        "colors": list(_values(entries, _group(names, COLOR_OPTION))),
    }


def _group(names, pattern):
    """The id of the attribute group whose name the pattern matches ("size", "taille", "color"), or None."""
    return next((identifier for identifier, name in names.items() if pattern.match(name)), None)


def _values(entries, group):
    """{label: whether any combination with it is in stock} for one attribute group, in page order."""
    found = {}
    for entry in entries if group else []:
        values = entry.get("attributes_values")
        label = clean_text(values.get(group)) if isinstance(values, dict) else None
        if label:
            found[label] = found.get(label, False) or _in_stock(entry)
    return found


def _in_stock(entry):
    quantity = entry.get("quantity")
    if isinstance(quantity, str) and quantity.strip().lstrip("-").isdigit():
        quantity = int(quantity)
    return bool(parse_availability(quantity))
