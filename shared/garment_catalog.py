"""The garment catalogue: every fact the code knows about kinds of garment, written once.

Names used for what a garment is, here and in every module that reads this one:
- kind: what the garment is, the singular word shops and shoppers use ("dress"). Every entry has one;
  the API calls it `category` on a product.
- platform category: the wardrobe folder a kind is filed under ("dresses"), in a section ("upper_body").
  Jumpsuits, underwear and swimwear are recognised but have none (so they are not mistaken for one that
  has). The API calls it `wardrobe_category` on a product and `category` on a wardrobe item.
- user category: a folder a shopper made (wardrobe_categories rows); never in this module.
- garment type: how the garment is worn, which decides how try-on layers it (GARMENT_TYPES).
- fit group: the body zones sizing weighs (fit_engine.ZONE_WEIGHTS); None for kinds without body sizes.
- tolerance: (tight, loose) room beyond a size's range, in percent of the body measurement: the
  garment's intended ease (leggings have little room either way, coats much room for a smaller body).
- chart gender: whose size charts fit it when the shopper's gender is unknown (women's for dresses).

The database holds the platform sections and categories as rows (items point at them);
`migrations.run_migrations` brings those rows to this catalogue after the revisions.
"""

from dataclasses import dataclass
from typing import Any

from shared.text_patterns import any_word, compile_pattern

GARMENT_TYPES = ("top", "bottom", "one_piece", "outerwear", "shoes", "accessory")


@dataclass(frozen=True)
class Section:
    """A group of platform categories; a user category's section gives its items a garment type."""

    name: str
    display_name: str
    description: str
    garment_type: str | None


@dataclass(frozen=True)
class Kind:
    """A kind of garment, the words naming it and, when it has one, its platform category."""

    kind: str
    garment_type: str | None
    germanic_words: str  # English, German and Dutch (head noun last), comma-separated, accents optional
    romance_words: str  # French, Spanish, Italian and Portuguese (head noun first)
    platform_category: str | None = None
    display_name: str | None = None
    section: str | None = None
    sort_order: int | None = None  # place among its section's categories
    fit_group: str | None = None
    tolerance_percent: tuple[float, float] | None = None
    chart_gender: str = "men"


# In display order (a section's sort_order is its place here).
SECTIONS = (
    Section("upper_body", "Upper Body", "Tops, shirts, sweaters, jackets and dresses", "top"),
    Section("lower_body", "Lower Body", "Pants, jeans, shorts, skirts and leggings", "bottom"),
    Section("accessoires", "Accessories", "Bags, shoes, hats, jewelry and belts", "accessory"),
    Section("wishlist", "Wishlist", "Things to buy later", None),
)


def _platform(
    name: str,
    display_name: str,
    section: str,
    sort_order: int,
    fit_group: str | None = None,
    tolerance_percent: tuple[float, float] | None = None,
    chart_gender: str = "men",
) -> dict[str, Any]:
    return {
        "platform_category": name,
        "display_name": display_name,
        "section": section,
        "sort_order": sort_order,
        "fit_group": fit_group,
        "tolerance_percent": tolerance_percent,
        "chart_gender": chart_gender,
    }


KINDS = (
    Kind(
        "t-shirt",
        "top",
        "t-shirt, t-shirts, tshirt, tee, tees, tank top, tanktop, crop top, cami, camisole, polo shirt, polo, "
        "poloshirt, longsleeve, long sleeve top, langarmshirt, top, tops, singlet, tragertop",
        "tee-shirt, debardeur, camiseta, camisetas, camiseta de tirantes, maglietta, magliette, canotta, canottiera",
        **_platform("t_shirts", "T-Shirts", "upper_body", 1, "tops", (3.0, 6.0)),
    ),
    Kind(
        "shirt",
        "top",
        "shirt, shirts, button-down, button-up, oxford shirt, flannel shirt, overshirt, blouse, blouses, hemd, "
        "hemden, bluse, blusen, hemdbluse, overhemd",
        "chemise, chemises, chemisier, camisa, camisas, blusa, blusas, camicia, camicie, camicetta",
        **_platform("shirts", "Shirts", "upper_body", 2, "tops", (2.0, 5.0)),
    ),
    Kind(
        "sweater",
        "top",
        "sweater, sweaters, jumper, jumpers, pullover, pullovers, hoodie, hoodies, hoody, sweatshirt, sweatshirts, "
        "sweat, cardigan, cardigans, knitwear, turtleneck, crewneck, fleece, pulli, strickjacke, strickpullover, "
        "kapuzenpullover, rollkragenpullover, sweatjacke, trui, truien, coltrui",
        "pull, pull-over, gilet, sweat-shirt, sueter, sudadera, sudaderas, maglione, maglioni, felpa, felpe, maglia, "
        "camisola, casaco de malha",
        **_platform("sweaters", "Sweaters", "upper_body", 3, "tops", (3.0, 7.0)),
    ),
    # Outerwear is worn over other clothes, so it has less room on the tight side than its relaxed cut suggests.
    Kind(
        "jacket",
        "outerwear",
        "jacket, jackets, blazer, blazers, bomber, bomber jacket, windbreaker, anorak, denim jacket, leather jacket, "
        "puffer jacket, shacket, jacke, jacken, sakko, blouson, jasje, colbert",
        "veste, vestes, chaqueta, chaquetas, cazadora, giacca, giacche, giubbotto, giubbino, jaqueta, blusao",
        **_platform("jackets", "Jackets", "upper_body", 4, "tops", (2.0, 6.0)),
    ),
    Kind(
        "coat",
        "outerwear",
        "coat, coats, overcoat, trench, trenchcoat, trench coat, parka, parkas, peacoat, raincoat, duffle coat, "
        "mantel, wintermantel, daunenmantel, jas, winterjas, regenjas",
        "manteau, manteaux, doudoune, caban, abrigo, abrigos, gabardina, plumas, cappotto, cappotti, piumino, "
        "sobretudo",
        **_platform("coats", "Coats", "upper_body", 6, "tops", (2.0, 8.0)),
    ),
    Kind(
        "dress",
        "one_piece",
        "dress, dresses, gown, sundress, kleid, kleider, jurk, jurken",
        "robe, robes, vestido, vestidos, vestito, vestiti, abito",
        **_platform("dresses", "Dresses", "upper_body", 5, "dresses", (2.0, 4.0), chart_gender="women"),
    ),
    Kind(
        "pants",
        "bottom",
        "pants, trousers, chinos, chino, joggers, sweatpants, slacks, culottes, cargo pants, hose, hosen, "
        "jogginghose, stoffhose, broek, broeken",
        "pantalon, pantalons, pantalones, pantaloni, calcas, calca",
        **_platform("pants", "Pants", "lower_body", 1, "bottoms", (2.0, 4.0)),
    ),
    Kind(
        "jeans",
        "bottom",
        "jeans, jeanshose, spijkerbroek",
        "jean, vaqueros, vaquero",
        **_platform("jeans", "Jeans", "lower_body", 2, "bottoms", (1.5, 3.0)),
    ),
    Kind(
        "shorts",
        "bottom",
        "shorts, bermuda, bermudas, kurze hose, korte broek",
        "pantalon corto, pantaloncini, calcoes",
        **_platform("shorts", "Shorts", "lower_body", 3, "bottoms", (2.0, 4.0)),
    ),
    Kind(
        "skirt",
        "bottom",
        "skirt, skirts, miniskirt, rock, rocke, minirock, rok, rokken",
        "jupe, jupes, falda, faldas, gonna, gonne, saia",
        **_platform("skirts", "Skirts", "lower_body", 4, "bottoms", (2.0, 4.0), chart_gender="women"),
    ),
    Kind(
        "leggings",
        "bottom",
        "leggings, legging, leggins, tights",
        "mallas, fuseaux",
        **_platform("leggings", "Leggings", "lower_body", 5, "bottoms", (1.0, 2.0), chart_gender="women"),
    ),
    Kind(
        "shoes",
        "shoes",
        "shoes, shoe, footwear, sneakers, sneaker, trainers, boots, boot, ankle boots, chelsea boot, sandals, sandal, "
        "heels, pumps, loafers, mules, flats, espadrilles, slippers, clogs, clog, oxfords, brogues, moccasins, "
        "slides, flip flops, football boots, cleats, schuhe, schuh, stiefel, stiefeletten, sandalen, halbschuhe, "
        "hausschuhe, turnschuhe, laufschuhe, schoenen, laarzen, enkellaarzen",
        "chaussures, chaussure, baskets, bottes, bottines, sandales, escarpins, mocassins, zapatos, zapato, "
        "zapatillas, botas, botines, sandalias, tacones, mocasines, scarpe, stivali, stivaletti, sandali, mocassini, "
        "sapatos, sapatilhas, tenis",
        **_platform("shoes", "Shoes", "accessoires", 2, "shoes", (1.5, 3.0)),
    ),
    Kind(
        "bag",
        "accessory",
        "bag, bags, handbag, handbags, backpack, tote, clutch, purse, crossbody, shoulder bag, tasche, taschen, "
        "handtasche, rucksack, umhangetasche, tas, handtas, rugzak",
        "sac, sac a main, sac a dos, pochette, bolso, bolsos, mochila, bolsa, borsa, borse, zaino",
        **_platform("bags", "Bags", "accessoires", 1),
    ),
    Kind(
        "hat",
        "accessory",
        "hat, hats, cap, caps, beanie, bucket hat, baseball cap, beret, fedora, mutze, hut, kappe, hoed, muts",
        "chapeau, casquette, bonnet, sombrero, gorra, gorro, cappello, berretto, chapeu",
        **_platform("hats", "Hats", "accessoires", 3),
    ),
    Kind(
        "jewelry",
        "accessory",
        "jewelry, jewellery, necklace, earrings, bracelet, ring, rings, pendant, anklet, brooch, schmuck, kette, "
        "halskette, ohrringe, armband, anhanger, sieraden, ketting, oorbellen",
        "bijoux, collier, boucles d'oreilles, bague, joyas, pendientes, pulsera, anillo, gioielli, collana, "
        "orecchini, bracciale, anello, joias, colar, brincos, pulseira, anel",
        **_platform("jewelry", "Jewelry", "accessoires", 4),
    ),
    Kind(
        "belt",
        "accessory",
        "belt, belts, gurtel, riem, ceintuur",
        "ceinture, cinturon, cinto",
        **_platform("belts", "Belts", "accessoires", 5),
    ),
    Kind(
        "jumpsuit",
        "one_piece",
        "jumpsuit, jumpsuits, playsuit, overall, dungarees, romper",
        "combinaison, mono, tuta, macacao",
    ),
    Kind(
        "underwear",
        None,
        "bra, bras, sports bra, bralette, lingerie, underwear, briefs, boxers, boxershorts, socks, sokken, socken, "
        "bh, unterwasche, beha, ondergoed",
        "brassiere, soutien-gorge, sujetador, reggiseno, chaussettes, calcetines, calzini, sutia",
    ),
    Kind(
        "swimwear",
        None,
        "bikini, bikini top, swimsuit, swimwear, swim shorts, badeanzug, badehose",
        "maillot de bain, banador, costume da bagno",
    ),
)

# The word for "size" in the languages shops write in, as product options, size-chart headers and page
# markup name it; SIZE_WORD is the alternation to build patterns from.
SIZE_WORDS = (
    "size",
    "sizes",
    "taille",
    "größe",
    "grösse",
    "große",
    "groesse",
    "grosse",
    "talla",
    "taglia",
    "maat",
    "tamanho",
    "talle",
)
SIZE_WORD = any_word(SIZE_WORDS)
# Basic colour words of the shops' languages (English, German, French, Spanish, Italian, Portuguese, Dutch, the
# Scandinavian languages, Polish), lower-cased: what tells a colour from other words a page writes beside a product's
# name (an image's alt text "Tommy Jeans OFLEKI Marinho", not "Tommy Jeans OFLEKI front view").
COLOR_WORDS = frozenset(
    [
        "black",
        "white",
        "red",
        "blue",
        "green",
        "yellow",
        "orange",
        "pink",
        "purple",
        "violet",
        "brown",
        "grey",
        "gray",
        "beige",
        "navy",
        "cream",
        "ivory",
        "khaki",
        "olive",
        "burgundy",
        "maroon",
        "tan",
        "camel",
        "charcoal",
        "silver",
        "gold",
        "turquoise",
        "teal",
        "lilac",
        "mint",
        "coral",
        "ecru",
        "nude",
        "taupe",
        "indigo",
        "off-white",
        "multicolour",
        "multicolor",
        "schwarz",
        "weiß",
        "weiss",
        "rot",
        "blau",
        "grün",
        "gruen",
        "gelb",
        "rosa",
        "lila",
        "braun",
        "grau",
        "marine",
        "dunkelblau",
        "hellblau",
        "creme",
        "silber",
        "bunt",
        "noir",
        "noire",
        "blanc",
        "blanche",
        "rouge",
        "bleu",
        "bleue",
        "vert",
        "verte",
        "jaune",
        "marron",
        "gris",
        "grise",
        "écru",
        "kaki",
        "bordeaux",
        "argent",
        "doré",
        "negro",
        "negra",
        "blanco",
        "blanca",
        "rojo",
        "roja",
        "azul",
        "amarillo",
        "morado",
        "marrón",
        "crema",
        "plateado",
        "dorado",
        "nero",
        "nera",
        "bianco",
        "bianca",
        "rosso",
        "rossa",
        "blu",
        "azzurro",
        "giallo",
        "viola",
        "marrone",
        "grigio",
        "panna",
        "argento",
        "oro",
        "preto",
        "preta",
        "branco",
        "branca",
        "vermelho",
        "vermelha",
        "amarelo",
        "roxo",
        "castanho",
        "marrom",
        "cinzento",
        "cinza",
        "bege",
        "marinho",
        "prateado",
        "dourado",
        "zwart",
        "wit",
        "rood",
        "blauw",
        "groen",
        "geel",
        "oranje",
        "roze",
        "paars",
        "bruin",
        "grijs",
        "svart",
        "vit",
        "röd",
        "blå",
        "grön",
        "gul",
        "brun",
        "grå",
        "sort",
        "hvid",
        "rød",
        "grøn",
        "hvit",
        "czarny",
        "biały",
        "czerwony",
        "niebieski",
        "zielony",
        "żółty",
        "różowy",
        "fioletowy",
        "brązowy",
        "szary",
        "granatowy",
        "beżowy",
    ]
)

KIND = {entry.kind: entry for entry in KINDS}
PLATFORM_CATEGORIES = tuple(entry for entry in KINDS if entry.platform_category)
PLATFORM_CATEGORY = {
    entry.platform_category: entry for entry in PLATFORM_CATEGORIES if entry.platform_category
}
SIZED_CATEGORIES = tuple(name for name, entry in PLATFORM_CATEGORY.items() if entry.fit_group)
SECTION = {section.name: section for section in SECTIONS}
_SEPARATORS = compile_pattern(r"[\s-]+")


def platform_category_named(value: object) -> str | None:
    """The platform category named by its name ("dresses"), its display name ("T-Shirts") or its kind
    ("dress", "T-Shirt"), ignoring case; None for anything else."""
    if not isinstance(value, str):
        return None
    name = value.strip().lower()
    as_name: str = _SEPARATORS.sub("_", name)
    if as_name in PLATFORM_CATEGORY:
        return as_name
    entry = KIND.get(name)
    return entry.platform_category if entry else None


def product_category_fields(kind: str | None) -> dict[str, str | None]:
    """What a product answer says about a kind: category (the kind), wardrobe_category (its platform
    category), category_section and garment_type; all None for None."""
    entry = KIND.get(kind) if kind else None
    return {
        "category": entry.kind if entry else None,
        "wardrobe_category": entry.platform_category if entry else None,
        "category_section": entry.section if entry else None,
        "garment_type": entry.garment_type if entry else None,
    }


def garment_type_of(*, platform_category: str | None, section: str | None) -> str | None:
    """How an item is worn: from its platform category, else from its section (None when neither says)."""
    entry = PLATFORM_CATEGORY.get(platform_category) if platform_category else None
    if entry:
        return entry.garment_type
    return SECTION[section].garment_type if section and section in SECTION else None
