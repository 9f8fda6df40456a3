"""Fabric composition from the way shops write it, in several languages.

"95% Viskose, 5% Elasthan", "Baumwolle 60%; Polyester 40%", "Algodão : 100%",
"Upper: leather. Sole: synthetic", "Capellada: Sintético/ Suela: Goma" all become
[{"name", "percentage"}] (percentage None when the page gives none). A word counts as a material
only when it is a known fibre or material name, so prose around it is ignored.
"""
import re

from features.garments.extractors.values import clean_text

# Material names as shops write them (EN, DE, FR, ES, IT, NL, PT), matched as whole words; the longer
# ones also as the tail of a German compound ("Kunstleder", "Bio-Baumwolle").
MATERIAL_WORDS = (
    "cotton", "organic cotton", "baumwolle", "bomull", "bomuld", "bawełna", "coton", "algodón", "algodon", "algodão", "algodao", "cotone", "katoen",
    "polyester", "poliéster", "poliester", "poliestere", "polyesters",
    "viscose", "viskose", "viscosa", "viscosе", "viskos", "wiskoza", "rayon",
    "elastane", "elasthan", "elasthanne", "elastano", "elastaan", "elastan", "spandex", "lycra", "elastomultiester",
    "polyamide", "polyamid", "poliamida", "poliammide", "poliamid", "nylon",
    "acrylic", "acryl", "acrylique", "acrílico", "acrilico", "acrilic",
    "wool", "merino", "merino wool", "wolle", "schurwolle", "laine", "lana", "lã", "wol", "ull", "uld", "wełna", "lamb wool", "lambswool",
    "cashmere", "kaschmir", "cachemire", "cachemira", "kasjmier", "caxemira",
    "alpaca", "alpaka", "mohair", "angora", "yak", "camel",
    "silk", "seide", "soie", "seda", "seta", "zijde", "silke", "jedwab",
    "linen", "leinen", "lin", "lino", "linho", "linnen", "flax",
    "hemp", "hanf", "chanvre", "cáñamo", "canapa", "hennep",
    "modal", "lyocell", "tencel", "cupro", "acetate", "acetat", "acétate", "acetato", "triacetate",
    "polyurethane", "polyurethan", "polyuréthane", "poliuretano", "pu",
    "polypropylene", "polypropylen", "polipropileno", "polyethylene", "metallic", "metallised fibre",
    "leather", "leder", "cuir", "cuero", "couro", "pelle", "leer", "piel",
    "suede", "wildleder", "daim", "ante", "camoscio", "suède",
    "synthetic", "synthetics", "synthetik", "synthétique", "sintético", "sintetico", "synthetisch",
    "textile", "textil", "textiel", "tessuto", "têxtil", "fabric", "stoff",
    "rubber", "gummi", "caoutchouc", "goma", "caucho", "gomma", "borracha",
    "mesh", "eva", "tpu", "down", "daunen", "duvet", "plumón", "feathers", "federn", "plumes",
    "denim", "jersey", "fleece", "velvet", "samt", "velours", "terciopelo", "velluto",
    "faux leather", "kunstleder", "similicuir", "polivinilo", "pvc",
)
_MATERIALS = sorted(MATERIAL_WORDS, key=len, reverse=True)
_MATERIAL = "|".join(re.escape(word) for word in _MATERIALS)
_PERCENT = r"(\d{1,3}(?:[.,]\d+)?)\s*%"
# "95% Viskose", "Baumwolle 60%", "Algodão : 100%", "algodão (100%)"
_PERCENT_BEFORE = re.compile(rf"{_PERCENT}\s*(?:de\s+|di\s+)?(?:[\w-]+\s+)?({_MATERIAL})(?![\w])", re.I)
_PERCENT_AFTER = re.compile(rf"(?<![\w])({_MATERIAL})\s*[:(]?\s*{_PERCENT}", re.I)
_COMPOUND_TAIL = "|".join(re.escape(word) for word in _MATERIALS if len(word) >= 5)
_BARE = re.compile(rf"(?<![\w])({_MATERIAL})(?![\w])|(?<![\w])[\w-]+?({_COMPOUND_TAIL})(?![\w])", re.I)
# Materials named inside a longer German compound ("Obermaterial", "Innenmaterial") are labels.
_LABEL_WORDS = re.compile(r"material|materiaal|matière|materiale|composi|zusammensetzung|samenstelling", re.I)


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
    """Only the materials stated with a percentage (safe on prose such as descriptions)."""
    text = clean_text(text)
    return _materials_with_percentages(text) if text else []


def _materials_with_percentages(text):
    """Pairs each percentage with its material; the page's own order ("95% X" or "X 95%") decides."""
    first_percent = re.search(_PERCENT, text)
    first_material = _BARE.search(text)
    if not first_percent or not first_material:
        return []
    if first_percent.start() < first_material.start():
        pairs = [(m.group(2), m.group(1)) for m in _PERCENT_BEFORE.finditer(text)]
    else:
        pairs = [(m.group(1), m.group(2)) for m in _PERCENT_AFTER.finditer(text)]
    result = []
    for name, percentage in pairs:
        if name.lower() not in (entry["name"].lower() for entry in result):
            result.append({"name": name, "percentage": float(percentage.replace(",", "."))})
    return result


def _bare_materials(text):
    names = []
    for match in _BARE.finditer(text):
        name = match.group(1) or match.group(2)
        if _LABEL_WORDS.search(match.group(0)):
            continue
        if name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names


def from_components(components):
    """[{"name", "percentage"}] from components a shop lists one by one ({"material", "percentage": "70%"})."""
    result = []
    for component in components:
        name = clean_text(component.get("material") or component.get("name"))
        match = re.search(r"\d{1,3}(?:[.,]\d+)?", str(component.get("percentage") or ""))
        if name and name.lower() not in (entry["name"].lower() for entry in result):
            result.append({"name": name, "percentage": float(match.group().replace(",", ".")) if match else None})
    return result


def has_material(text):
    """Whether the text names at least one known material (to tell composition text from prose)."""
    return bool(text) and bool(_BARE.search(text))
