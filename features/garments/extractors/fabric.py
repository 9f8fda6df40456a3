"""Fabric composition from the way shops write it, in several languages.

"95% Viskose, 5% Elasthan", "Baumwolle 60%; Polyester 40%", "Algodão : 100%",
"Upper: leather. Sole: synthetic", "Capellada: Sintético/ Suela: Goma" all become
[{"name", "percentage"}] (percentage None when the page gives none). A word counts as a material
only when it is a known fibre or material name, so prose around it is ignored.
"""

from features.garments.categorizer import fold_text
from features.garments.extractors.values import clean_text
from shared.text_patterns import IGNORECASE, compile_pattern, escape

# Material names as shops write them (EN, DE, FR, ES, IT, NL, PT), matched as whole words; the longer
# ones also as the tail of a German compound ("Kunstleder", "Bio-Baumwolle").
MATERIAL_WORDS = (
    "cotton",
    "organic cotton",
    "baumwolle",
    "bomull",
    "bomuld",
    "bawełna",
    "coton",
    "algodón",
    "algodon",
    "algodão",
    "algodao",
    "cotone",
    "katoen",
    "polyester",
    "poliéster",
    "poliester",
    "poliestere",
    "polyesters",
    "viscose",
    "viskose",
    "viscosa",
    "viscosе",
    "viskos",
    "wiskoza",
    "rayon",
    "elastane",
    "elasthan",
    "elasthanne",
    "elastano",
    "elastaan",
    "elastan",
    "spandex",
    "lycra",
    "elastomultiester",
    "polyamide",
    "polyamid",
    "poliamida",
    "poliammide",
    "poliamid",
    "nylon",
    "acrylic",
    "acryl",
    "acrylique",
    "acrílico",
    "acrilico",
    "acrilic",
    "wool",
    "merino",
    "merino wool",
    "wolle",
    "schurwolle",
    "laine",
    "lana",
    "lã",
    "wol",
    "ull",
    "uld",
    "wełna",
    "lamb wool",
    "lambswool",
    "cashmere",
    "kaschmir",
    "cachemire",
    "cachemira",
    "kasjmier",
    "caxemira",
    "alpaca",
    "alpaka",
    "mohair",
    "angora",
    "yak",
    "camel",
    "silk",
    "seide",
    "soie",
    "seda",
    "seta",
    "zijde",
    "silke",
    "jedwab",
    "linen",
    "leinen",
    "lin",
    "lino",
    "linho",
    "linnen",
    "flax",
    "hemp",
    "hanf",
    "chanvre",
    "cáñamo",
    "canapa",
    "hennep",
    "modal",
    "lyocell",
    "tencel",
    "cupro",
    "acetate",
    "acetat",
    "acétate",
    "acetato",
    "triacetate",
    "polyurethane",
    "polyurethan",
    "polyuréthane",
    "poliuretano",
    "pu",
    "polypropylene",
    "polypropylen",
    "polipropileno",
    "polyethylene",
    "metallic",
    "metallised fibre",
    "leather",
    "leder",
    "cuir",
    "cuero",
    "couro",
    "pelle",
    "leer",
    "piel",
    "suede",
    "wildleder",
    "daim",
    "ante",
    "camoscio",
    "suède",
    "synthetic",
    "synthetics",
    "synthetik",
    "synthétique",
    "sintético",
    "sintetico",
    "synthetisch",
    "textile",
    "textil",
    "textiel",
    "tessuto",
    "têxtil",
    "fabric",
    "stoff",
    "rubber",
    "gummi",
    "caoutchouc",
    "goma",
    "caucho",
    "gomma",
    "borracha",
    "mesh",
    "eva",
    "tpu",
    "down",
    "daunen",
    "duvet",
    "plumón",
    "feathers",
    "federn",
    "plumes",
    "denim",
    "jersey",
    "fleece",
    "velvet",
    "samt",
    "velours",
    "terciopelo",
    "velluto",
    "faux leather",
    "kunstleder",
    "similicuir",
    "polivinilo",
    "pvc",
)
_MATERIALS = sorted(MATERIAL_WORDS, key=len, reverse=True)
_MATERIAL = "|".join(escape(word) for word in _MATERIALS)
_PERCENT = r"(\d{1,3}(?:[.,]\d+)?)\s*%"
# "95% Viskose", "Baumwolle 60%", "Algodão : 100%", "algodão (100%)"
_PERCENT_BEFORE = compile_pattern(
    rf"{_PERCENT}\s*(?:de\s+|di\s+)?(?:[\w-]+\s+)?({_MATERIAL})(?![\w])", IGNORECASE
)
_PERCENT_AFTER = compile_pattern(rf"(?<![\w])({_MATERIAL})\s*[:(]?\s*{_PERCENT}", IGNORECASE)
_COMPOUND_TAIL = "|".join(escape(word) for word in _MATERIALS if len(word) >= 5)
_BARE = compile_pattern(
    rf"(?<![\w])({_MATERIAL})(?![\w])|(?<![\w])[\w-]+?({_COMPOUND_TAIL})(?![\w])", IGNORECASE
)
# The same fibre in the languages and spellings shops use, keyed by one name (accents are folded first).
_SAME_MATERIAL = {
    "cotton": ("baumwolle", "bomull", "bomuld", "bawelna", "coton", "algodon", "algodao", "cotone", "katoen"),
    "polyester": ("poliester", "poliestere", "polyesters"),
    "viscose": ("viskose", "viscosa", "viskos", "wiskoza", "rayon"),
    "elastane": ("elasthan", "elasthanne", "elastano", "elastaan", "elastan", "spandex"),
    "polyamide": ("polyamid", "poliamida", "poliammide", "poliamid", "nylon"),
    "acrylic": ("acryl", "acrylique", "acrilico", "acrilic"),
    "wool": ("wolle", "laine", "lana", "la", "wol", "ull", "uld", "welna"),
    "cashmere": ("kaschmir", "cachemire", "cachemira", "kasjmier", "caxemira"),
    "silk": ("seide", "soie", "seda", "seta", "zijde", "silke", "jedwab"),
    "linen": ("leinen", "lin", "lino", "linho", "linnen"),
    "leather": ("leder", "cuir", "cuero", "couro", "pelle", "leer", "piel"),
    "synthetic": ("synthetics", "synthetik", "synthetique", "sintetico", "synthetisch"),
    "rubber": ("gummi", "caoutchouc", "goma", "caucho", "gomma", "borracha"),
    "textile": ("textil", "textiel", "tessuto"),
}
_CANONICAL_MATERIAL = {alias: name for name, aliases in _SAME_MATERIAL.items() for alias in (name, *aliases)}
# Prose ("Made from 100% recycled polyester") ties a percentage to a material only through these words,
# so "up to 50% off linen shirts" or "20% on linen" name no composition.
_PROSE_QUALIFIERS = (
    r"organic|recycled|certified|pure|virgin|fine|extra-?fine|premium|soft|sustainable|responsible|"
    r"bci|pima|supima|egyptian|merceri[sz]ed|combed|brushed|stretch|bio|reine[mnrs]?|"
    r"recycelte[mnrs]?|biologische[mnrs]?|recycl[ée]e?s?|reciclad[oa]s?|riciclat[oa]|gerecycled[e]?"
)
_PROSE_PERCENT_BEFORE = compile_pattern(
    rf"{_PERCENT}\s*(?:(?:de|di|d'|of|en)\s+)?(?:(?:{_PROSE_QUALIFIERS})[\s-]+)??({_MATERIAL})(?![\w])",
    IGNORECASE,
)
# A discount after the percentage ("cotton 50% off") is caught in the third group and the match dropped.
_PROSE_PERCENT_AFTER = compile_pattern(
    rf"(?<![\w])({_MATERIAL})\s*[:(]?\s*{_PERCENT}(\s*(?:off|discount|rabatt|korting|sconto|descuento|remise|de r))?",
    IGNORECASE,
)
# Materials named inside a longer German compound ("Obermaterial", "Innenmaterial") are labels.
_LABEL_WORDS = compile_pattern(
    r"material|materiaal|matière|materiale|composi|zusammensetzung|samenstelling", IGNORECASE
)
_FIRST_PERCENT = compile_pattern(_PERCENT)
_NUMBER = compile_pattern(r"\d{1,3}(?:[.,]\d+)?")


def parse_composition(text):
    """[{"name", "percentage"}] from composition text; [] when it names no known material."""
    text = clean_text(text)
    if not text:
        return []
    with_percent = _materials_with_percentages(text)
    if with_percent:
        return with_percent
    return [{"name": name, "percentage": None} for name in _bare_materials(text)]


def parse_percentages(text):
    """Only materials tied to a percentage in prose such as descriptions ("Made from 100% wool",
    "aus 100 % Baumwolle"); "100% satisfaction" or "up to 50% off" are not composition."""
    text = clean_text(text)
    if not text:
        return []
    before = [(m.start(), m.group(2), m.group(1)) for m in _PROSE_PERCENT_BEFORE.finditer(text)]
    after = [
        (m.start(), m.group(1), m.group(2)) for m in _PROSE_PERCENT_AFTER.finditer(text) if not m.group(3)
    ]
    # The order that pairs more materials is the page's own ("95% cotton 5% elastane" vs "cotton 95% elastane 5%").
    pairs = max(before, after, key=lambda found: (len(found), -found[0][0] if found else 0))
    return unique_materials(
        [{"name": name, "percentage": float(percentage.replace(",", "."))} for _, name, percentage in pairs]
    )


def material_key(name):
    """One key for one fibre however it is spelled: accents folded, languages mapped ("Elastan" → "elastane")."""
    folded = fold_text(name)
    return _CANONICAL_MATERIAL.get(folded, folded)


def unique_materials(entries):
    """Entries with one per material key, in order; of two for the same material the one stating a
    percentage is kept ("Sintético" and "Sintetico", "Elastane 5%" and "Elastan")."""
    kept = {}
    for entry in entries:
        key = material_key(entry["name"])
        if key not in kept or (kept[key]["percentage"] is None and entry["percentage"] is not None):
            kept[key] = entry
    return list(kept.values())


def _materials_with_percentages(text):
    """Pairs each percentage with its material; the page's own order ("95% X" or "X 95%") decides."""
    first_percent = _FIRST_PERCENT.search(text)
    first_material = _BARE.search(text)
    if not first_percent or not first_material:
        return []
    if first_percent.start() < first_material.start():
        pairs = [(m.group(2), m.group(1)) for m in _PERCENT_BEFORE.finditer(text)]
    else:
        pairs = [(m.group(1), m.group(2)) for m in _PERCENT_AFTER.finditer(text)]
    return unique_materials(
        [{"name": name, "percentage": float(percentage.replace(",", "."))} for name, percentage in pairs]
    )


def _bare_materials(text):
    names = []
    for match in _BARE.finditer(text):
        name = match.group(1) or match.group(2)
        if _LABEL_WORDS.search(match.group(0)):
            continue
        if material_key(name) not in map(material_key, names):
            names.append(name)
    return names


def from_components(components):
    """[{"name", "percentage"}] from components a shop lists one by one ({"material", "percentage": "70%"})."""
    result = []
    for component in components:
        name = clean_text(component.get("material") or component.get("name"))
        match = _NUMBER.search(str(component.get("percentage") or ""))
        if name:
            result.append(
                {"name": name, "percentage": float(match.group().replace(",", ".")) if match else None}
            )
    return unique_materials(result)


def has_material(text):
    """Whether the text names at least one known material (to tell composition text from prose)."""
    return bool(text) and bool(_BARE.search(text))
