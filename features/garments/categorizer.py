"""Garment categorisation: product texts in EN, DE, FR, ES, IT, NL (and PT) → the garment's kind and, through
the catalogue (shared/garment_catalog.py), its platform category, section and garment type.

Signals are weighed by how much they say about the garment itself: the shop's product type and
the last breadcrumb most, the title next, the URL slug, and the description only when nothing else
matched (descriptions mention other garments: "wear it with jeans"). Within one text the head noun
decides, which sits last in English, German and Dutch ("shirt dress", "Hoodiejacke") and first in
French, Spanish, Italian and Portuguese ("robe chemise", "vestido camisero").
"""

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from shared.garment_catalog import KINDS, product_category_fields
from shared.text_patterns import compile_pattern, escape

# "Shirt dress with belt", "Wollen jas met ceintuur": what follows names an attachment, not the garment.
_ATTACHMENT = compile_pattern(r"\b(?:with|without|mit|ohne|met|zonder|featuring|incl|including)\b")
_WEIGHTS = {"product_type": 5, "breadcrumb": 4, "title": 3, "breadcrumbs": 2, "url": 2, "description": 1}
_NOT_WORDS = compile_pattern(r"[^a-z0-9']+")
Match = dict[str, str]  # {"source", "keyword", "kind", "weight"}


def fold_text(text: object) -> str:
    """Lower-case, accents removed, ß → ss, punctuation as spaces: 'T-Shirt Größe' → 't shirt grosse'."""
    text = unicodedata.normalize("NFKD", str(text).lower().replace("ß", "ss"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    folded: str = _NOT_WORDS.sub(" ", text).strip()
    return folded


def _keyword_table() -> dict[str, tuple[str, str]]:
    """{folded word: (kind, "germanic" or "romance")}; a word two kinds share names the first."""
    table: dict[str, tuple[str, str]] = {}
    for entry in KINDS:
        for family, words in (("germanic", entry.germanic_words), ("romance", entry.romance_words)):
            for word in words.split(","):
                table.setdefault(fold_text(word), (entry.kind, family))
    return table


_KEYWORDS = _keyword_table()
_BY_LENGTH = sorted(_KEYWORDS, key=len, reverse=True)
_PATTERN = compile_pattern(r"(?<![a-z0-9])(" + "|".join(escape(k) for k in _BY_LENGTH) + r")(?![a-z0-9])")
# The tail of a compound word ("umstandskleid", "hoodiejacke", "raincoat"), for words long enough to be safe.
_TAIL_PATTERN = compile_pattern(
    r"(?<=[a-z])("
    + "|".join(escape(k) for k in _BY_LENGTH if len(k) >= 4 and " " not in k)
    + r")(?![a-z0-9])"
)


def categorize(
    *,
    title: str | None = None,
    description: str | None = None,
    breadcrumbs: list[Any] | None = None,
    product_type: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched"}
    from a product's texts.

    `category` is the garment's kind ("dress") or None when nothing says which; `wardrobe_category` the
    platform category it is filed under ("dresses"), None for kinds without one (jumpsuits, underwear,
    swimwear); `matched` lists the words that decided, with the text they came from and the kind they name.
    """
    matched = [
        match for source, text in _signals(title, product_type, url) if (match := _head_match(source, text))
    ]
    matched += _breadcrumb_matches(breadcrumbs, title)
    if not matched and description:
        match = _head_match("description", description)
        matched = [match] if match else []
    scores: dict[str, int] = {}
    for match in matched:
        scores[match["kind"]] = scores.get(match["kind"], 0) + _WEIGHTS[match["weight"]]
    if not scores:
        return dict(UNKNOWN_CATEGORY)
    best = max(scores, key=lambda kind: (scores[kind], -_first_index(matched, kind)))
    total = sum(scores.values())
    confidence = round(min(1.0, scores[best] / 5) * scores[best] / total, 2)
    return {
        **product_category_fields(best),
        "confidence": confidence,
        "matched": [
            {"source": match["source"], "keyword": match["keyword"], "category": match["kind"]}
            for match in matched
        ],
    }


UNKNOWN_CATEGORY: dict[str, Any] = {**product_category_fields(None), "confidence": 0.0, "matched": []}


def _signals(title: object, product_type: object, url: str | None) -> list[tuple[str, str]]:
    signals = [("product_type", product_type), ("title", title)]
    if url:
        signals.append(("url", urlsplit(url).path.replace("-", " ").replace("_", " ")))
    return [(source, text) for source, text in signals if isinstance(text, str) and text.strip()]


def _breadcrumb_matches(breadcrumbs: list[Any] | None, title: str | None) -> list[Match]:
    """The deepest breadcrumb naming a garment counts most; the crumb that is the title itself not at all."""
    crumbs = [crumb for crumb in (breadcrumbs or []) if isinstance(crumb, str) and crumb.strip()]
    if crumbs and title and fold_text(crumbs[-1]) == fold_text(title):
        crumbs = crumbs[:-1]
    matches: list[Match] = []
    for crumb in reversed(crumbs):
        match = _head_match("breadcrumbs" if matches else "breadcrumb", crumb)
        if match:
            matches.append(match)
    return matches


def _head_match(source: str, text: str) -> Match | None:
    """The keyword naming the garment in one text: first for Romance-language heads and descriptions
    (which name the garment before what goes with it), else the last one before any "with …"."""
    folded = fold_text(text)
    found = [(m.start(), m.group(1)) for m in _PATTERN.finditer(folded)]
    found += [
        (m.start(), m.group(1))
        for m in _TAIL_PATTERN.finditer(folded)
        if not any(start <= m.start() < start + len(word) for start, word in found)
    ]
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
    return {"source": source, "keyword": keyword, "kind": _KEYWORDS[keyword][0], "weight": weight}


def _first_index(matched: list[Match], kind: str) -> int:
    return next(index for index, match in enumerate(matched) if match["kind"] == kind)
