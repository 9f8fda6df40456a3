"""Garment categorisation: product texts in EN, DE, FR, ES, IT, NL (and PT) → platform category.

Signals are weighed by how much they say about the garment itself: the shop's product type and
the last breadcrumb most, the title next, the URL slug, and the description only when nothing else
matched (descriptions mention other garments: "wear it with jeans"). Within one text the head noun
decides, which sits last in English, German and Dutch ("shirt dress", "Hoodiejacke") and first in
French, Spanish, Italian and Portuguese ("robe chemise", "vestido camisero").
"""
import unicodedata
from urllib.parse import urlsplit

from shared.text_patterns import compile_pattern, escape

CATEGORY_SECTIONS = {
    "t_shirts": "upper_body", "shirts": "upper_body", "sweaters": "upper_body", "jackets": "upper_body",
    "dresses": "upper_body", "coats": "upper_body",
    "pants": "lower_body", "jeans": "lower_body", "shorts": "lower_body", "skirts": "lower_body",
    "leggings": "lower_body",
    "bags": "accessoires", "shoes": "accessoires", "hats": "accessoires", "jewelry": "accessoires",
    "belts": "accessoires",
}
GARMENT_TYPES = {
    "t_shirts": "top", "shirts": "top", "sweaters": "top", "jackets": "outerwear", "coats": "outerwear",
    "dresses": "one_piece", "pants": "bottom", "jeans": "bottom", "shorts": "bottom", "skirts": "bottom",
    "leggings": "bottom", "shoes": "shoes", "bags": "accessory", "hats": "accessory", "jewelry": "accessory",
    "belts": "accessory",
}
# What a garment is, in the singular word shops and shoppers use ("dress"), per category key. The
# platform category is the wardrobe folder it goes in ("dresses"); garments without one still have a kind.
GARMENT_KINDS = {
    "t_shirts": "t-shirt", "shirts": "shirt", "sweaters": "sweater", "jackets": "jacket", "coats": "coat",
    "dresses": "dress", "pants": "pants", "jeans": "jeans", "shorts": "shorts", "skirts": "skirt",
    "leggings": "leggings", "shoes": "shoes", "bags": "bag", "hats": "hat", "jewelry": "jewelry", "belts": "belt",
    "jumpsuits": "jumpsuit", "underwear": "underwear", "swimwear": "swimwear",
}
_PLATFORM_BY_KIND = {kind: category for category, kind in GARMENT_KINDS.items() if category in CATEGORY_SECTIONS}
# Keywords per category, comma-separated phrases. Romance-language words (head noun first) are
# listed under "romance"; English, German and Dutch under "germanic".
KEYWORDS = {
    "t_shirts": {
        "germanic": "t-shirt, t-shirts, tshirt, tee, tees, tank top, tanktop, crop top, cami, camisole, polo shirt, "
                    "polo, poloshirt, longsleeve, long sleeve top, langarmshirt, top, tops, singlet, tragertop",
        "romance": "tee-shirt, debardeur, camiseta, camisetas, camiseta de tirantes, maglietta, magliette, "
                   "canotta, canottiera",
    },
    "shirts": {
        "germanic": "shirt, shirts, button-down, button-up, oxford shirt, flannel shirt, overshirt, blouse, "
                    "blouses, hemd, hemden, bluse, blusen, hemdbluse, overhemd",
        "romance": "chemise, chemises, chemisier, camisa, camisas, blusa, blusas, camicia, camicie, camicetta",
    },
    "sweaters": {
        "germanic": "sweater, sweaters, jumper, jumpers, pullover, pullovers, hoodie, hoodies, hoody, sweatshirt, "
                    "sweatshirts, sweat, cardigan, cardigans, knitwear, turtleneck, crewneck, fleece, pulli, "
                    "strickjacke, strickpullover, kapuzenpullover, rollkragenpullover, sweatjacke, trui, truien, "
                    "coltrui",
        "romance": "pull, pull-over, gilet, sweat-shirt, sueter, sudadera, sudaderas, maglione, "
                   "maglioni, felpa, felpe, maglia, camisola, casaco de malha",
    },
    "jackets": {
        "germanic": "jacket, jackets, blazer, blazers, bomber, bomber jacket, windbreaker, anorak, denim jacket, "
                    "leather jacket, puffer jacket, shacket, jacke, jacken, sakko, blouson, jasje, colbert",
        "romance": "veste, vestes, chaqueta, chaquetas, cazadora, giacca, giacche, giubbotto, giubbino, "
                   "jaqueta, blusao",
    },
    "coats": {
        "germanic": "coat, coats, overcoat, trench, trenchcoat, trench coat, parka, parkas, peacoat, raincoat, "
                    "duffle coat, mantel, wintermantel, daunenmantel, jas, winterjas, regenjas",
        "romance": "manteau, manteaux, doudoune, caban, abrigo, abrigos, gabardina, plumas, cappotto, cappotti, "
                   "piumino, sobretudo",
    },
    "dresses": {
        "germanic": "dress, dresses, gown, sundress, kleid, kleider, jurk, jurken",
        "romance": "robe, robes, vestido, vestidos, vestito, vestiti, abito",
    },
    "pants": {
        "germanic": "pants, trousers, chinos, chino, joggers, sweatpants, slacks, culottes, cargo pants, hose, "
                    "hosen, jogginghose, stoffhose, broek, broeken",
        "romance": "pantalon, pantalons, pantalones, pantaloni, calcas, calca",
    },
    "jeans": {
        "germanic": "jeans, jeanshose, spijkerbroek",
        "romance": "jean, vaqueros, vaquero",
    },
    "shorts": {
        "germanic": "shorts, bermuda, bermudas, kurze hose, korte broek",
        "romance": "pantalon corto, pantaloncini, calcoes",
    },
    "skirts": {
        "germanic": "skirt, skirts, miniskirt, rock, rocke, minirock, rok, rokken",
        "romance": "jupe, jupes, falda, faldas, gonna, gonne, saia",
    },
    "leggings": {
        "germanic": "leggings, legging, leggins, tights",
        "romance": "mallas, fuseaux",
    },
    "shoes": {
        "germanic": "shoes, shoe, footwear, sneakers, sneaker, trainers, boots, boot, ankle boots, chelsea boot, sandals, "
                    "sandal, heels, pumps, loafers, mules, flats, espadrilles, slippers, clogs, clog, oxfords, "
                    "brogues, moccasins, slides, flip flops, football boots, cleats, schuhe, schuh, stiefel, "
                    "stiefeletten, sandalen, halbschuhe, hausschuhe, turnschuhe, laufschuhe, schoenen, laarzen, "
                    "enkellaarzen",
        "romance": "chaussures, chaussure, baskets, bottes, bottines, sandales, escarpins, mocassins, zapatos, "
                   "zapato, zapatillas, botas, botines, sandalias, tacones, mocasines, scarpe, stivali, stivaletti, "
                   "sandali, mocassini, sapatos, sapatilhas, tenis",
    },
    "bags": {
        "germanic": "bag, bags, handbag, handbags, backpack, tote, clutch, purse, crossbody, shoulder bag, tasche, "
                    "taschen, handtasche, rucksack, umhangetasche, tas, handtas, rugzak",
        "romance": "sac, sac a main, sac a dos, pochette, bolso, bolsos, mochila, bolsa, borsa, borse, zaino",
    },
    "hats": {
        "germanic": "hat, hats, cap, caps, beanie, bucket hat, baseball cap, beret, fedora, mutze, hut, kappe, hoed, "
                    "muts",
        "romance": "chapeau, casquette, bonnet, sombrero, gorra, gorro, cappello, berretto, chapeu",
    },
    "jewelry": {
        "germanic": "jewelry, jewellery, necklace, earrings, bracelet, ring, rings, pendant, anklet, brooch, "
                    "schmuck, kette, halskette, ohrringe, armband, anhanger, sieraden, ketting, oorbellen",
        "romance": "bijoux, collier, boucles d'oreilles, bague, joyas, pendientes, pulsera, anillo, gioielli, "
                   "collana, orecchini, bracciale, anello, joias, colar, brincos, pulseira, anel",
    },
    "belts": {
        "germanic": "belt, belts, gurtel, riem, ceintuur",
        "romance": "ceinture, cinturon, cinto",
    },
    "jumpsuits": {
        "germanic": "jumpsuit, jumpsuits, playsuit, overall, dungarees, romper",
        "romance": "combinaison, mono, tuta, macacao",
    },
    "underwear": {
        "germanic": "bra, bras, sports bra, bralette, lingerie, underwear, briefs, boxers, boxershorts, socks, "
                    "sokken, socken, bh, unterwasche, beha, ondergoed",
        "romance": "brassiere, soutien-gorge, sujetador, reggiseno, chaussettes, calcetines, calzini, sutia",
    },
    "swimwear": {
        "germanic": "bikini, bikini top, swimsuit, swimwear, swim shorts, badeanzug, badehose",
        "romance": "maillot de bain, banador, costume da bagno",
    },
}
# Garments without a platform category, recognised so they are not mistaken for one that has.
_NON_PLATFORM_TYPES = {"jumpsuits": "one_piece", "underwear": None, "swimwear": None}
# "Shirt dress with belt", "Wollen jas met ceintuur": what follows names an attachment, not the garment.
_ATTACHMENT = compile_pattern(r"\b(?:with|without|mit|ohne|met|zonder|featuring|incl|including)\b")
_WEIGHTS = {"product_type": 5, "breadcrumb": 4, "title": 3, "breadcrumbs": 2, "url": 2, "description": 1}
_NOT_WORDS = compile_pattern(r"[^a-z0-9']+")
_KEY_SEPARATORS = compile_pattern(r"[\s-]+")


def fold_text(text):
    """Lower-case, accents removed, ß → ss, punctuation as spaces: 'T-Shirt Größe' → 't shirt grosse'."""
    text = unicodedata.normalize("NFKD", str(text).lower().replace("ß", "ss"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORDS.sub(" ", text).strip()


def _keyword_table():
    table = {}
    for category, groups in KEYWORDS.items():
        for family, phrases in groups.items():
            for phrase in phrases.split(","):
                table.setdefault(fold_text(phrase), (category, family))
    return table


_KEYWORDS = _keyword_table()
_BY_LENGTH = sorted(_KEYWORDS, key=len, reverse=True)
_PATTERN = compile_pattern(r"(?<![a-z0-9])(" + "|".join(escape(k) for k in _BY_LENGTH) + r")(?![a-z0-9])")
# The tail of a compound word ("umstandskleid", "hoodiejacke", "raincoat"), for words long enough to be safe.
_TAIL_PATTERN = compile_pattern(r"(?<=[a-z])(" + "|".join(escape(k) for k in _BY_LENGTH if len(k) >= 4 and " " not in k)
                                + r")(?![a-z0-9])")


def platform_category(value):
    """The platform category named by its name ("dresses"), its display name ("T-shirts") or a garment
    kind ("dress", "T-Shirt"), ignoring case; None for anything else."""
    if not isinstance(value, str):
        return None
    name = value.strip().lower()
    as_key = _KEY_SEPARATORS.sub("_", name)
    if as_key in CATEGORY_SECTIONS:
        return as_key
    return _PLATFORM_BY_KIND.get(name)


def categorize(*, title=None, description=None, breadcrumbs=None, product_type=None, url=None):
    """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched"}
    from a product's texts.

    `category` is the garment's kind ("dress", a GARMENT_KINDS value) or None when nothing says which;
    `wardrobe_category` the platform category it is filed under ("dresses", migrations 002/005), None for
    kinds without one (jumpsuits, underwear, swimwear); `matched` lists the words that decided, with the
    text they came from.
    """
    matched = [match for source, text in _signals(title, product_type, url) if (match := _head_match(source, text))]
    matched += _breadcrumb_matches(breadcrumbs, title)
    if not matched and description:
        match = _head_match("description", description)
        matched = [match] if match else []
    scores = {}
    for match in matched:
        scores[match["category"]] = scores.get(match["category"], 0) + _WEIGHTS[match["weight"]]
    if not scores:
        return dict(UNKNOWN_CATEGORY)
    best = max(scores, key=lambda category: (scores[category], -_first_index(matched, category)))
    total = sum(scores.values())
    confidence = round(min(1.0, scores[best] / 5) * scores[best] / total, 2)
    return {
        **category_fields(best),
        "confidence": confidence,
        "matched": [{"source": match["source"], "keyword": match["keyword"],
                     "category": GARMENT_KINDS[match["category"]]} for match in matched],
    }


UNKNOWN_CATEGORY = {"category": None, "wardrobe_category": None, "category_section": None, "garment_type": None,
                    "confidence": 0.0, "matched": []}


def category_fields(key):
    """category (kind), wardrobe_category, category_section and garment_type for a category key."""
    platform = key if key in CATEGORY_SECTIONS else None
    return {
        "category": GARMENT_KINDS.get(key),
        "wardrobe_category": platform,
        "category_section": CATEGORY_SECTIONS.get(platform),
        "garment_type": GARMENT_TYPES.get(platform) if platform else _NON_PLATFORM_TYPES.get(key),
    }


def _signals(title, product_type, url):
    signals = [("product_type", product_type), ("title", title)]
    if url:
        signals.append(("url", urlsplit(url).path.replace("-", " ").replace("_", " ")))
    return [(source, text) for source, text in signals if isinstance(text, str) and text.strip()]


def _breadcrumb_matches(breadcrumbs, title):
    """The deepest breadcrumb naming a garment counts most; the crumb that is the title itself not at all."""
    crumbs = [crumb for crumb in (breadcrumbs or []) if isinstance(crumb, str) and crumb.strip()]
    if crumbs and title and fold_text(crumbs[-1]) == fold_text(title):
        crumbs = crumbs[:-1]
    matches = []
    for crumb in reversed(crumbs):
        match = _head_match("breadcrumbs" if matches else "breadcrumb", crumb)
        if match:
            matches.append(match)
    return matches


def _head_match(source, text):
    """The keyword naming the garment in one text: first for Romance-language heads and descriptions
    (which name the garment before what goes with it), else the last one before any "with …"."""
    folded = fold_text(text)
    found = [(m.start(), m.group(1)) for m in _PATTERN.finditer(folded)]
    found += [(m.start(), m.group(1)) for m in _TAIL_PATTERN.finditer(folded)
              if not any(start <= m.start() < start + len(word) for start, word in found)]
    if not found:
        return None
    found.sort()
    head_first = source == "description" or _KEYWORDS[found[0][1]][1] == "romance"
    if head_first:
        keyword = found[0][1]
    else:
        attachment = _ATTACHMENT.search(folded)
        before = [match for match in found if attachment is None or match[0] < attachment.start()]
        keyword = (before or found)[-1][1]
    weight = source if source in _WEIGHTS else "description"
    return {"source": source, "keyword": keyword, "category": _KEYWORDS[keyword][0], "weight": weight}


def _first_index(matched, category):
    return next(index for index, match in enumerate(matched) if match["category"] == category)
