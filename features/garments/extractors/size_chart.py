"""A size guide table on the product page → the fitting feature's size-chart shape.

{"unit": "cm", "sizes": [{"label": "M", "measurements": {"breast_circumference": [88, 94], ...}}]}
Sizes may be rows or columns; headers in EN, DE, FR, ES, IT, NL, PT; inches are converted to cm.
"""

from features.garments.extractors.values import clean_text
from shared.garment_catalog import SIZE_WORD
from shared.text_patterns import IGNORECASE, compile_pattern

_FIELDS = (
    ("breast_circumference", r"bust|chest|brust|oberweite|poitrine|pecho|busto|petto|torace|borst|peito"),
    ("waist_circumference", r"waist|taille|bundweite|cintura|vita|middel|tailleomvang"),
    ("upper_hip_circumference", r"high hip|upper hip|hüfte oben|haut de hanches"),
    ("hip_circumference", r"hips?|hüfte|huefte|gesäß|hanches?|cadera|fianchi|heup|quadril|anca"),
    (
        "inner_leg_length",
        r"inseam|inside leg|inner leg|schrittlänge|entrejambe|entrepierna|cavallo|binnenbeen|entreperna",
    ),
    ("foot_length", r"foot|fuß|fuss|pied|pie\b|piede|voet|pé\b"),
    ("neck_circumference", r"neck|hals|cou\b|cuello|collo|nek\b|pescoço"),
    ("arm_length", r"arm length|sleeve|armlänge|ärmellänge|bras|brazo|braccio|armlengte|manga"),
    ("height", r"height|körpergr|stature|altura|altezza|lengte|hauteur"),
)
_FIELD_PATTERNS = tuple((field, compile_pattern(pattern)) for field, pattern in _FIELDS)
_SIZE_HEADER = compile_pattern(rf"^({SIZE_WORD}|eu|uk|us|fr|it|int)\b", IGNORECASE)
_RANGE = compile_pattern(r"(\d+(?:[.,]\d+)?)\s*(?:[-–—]|to|bis|à|a)\s*(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)")
_INCHES = compile_pattern(r"\binch|\(in\)|″|\"|\bzoll\b|\bpouces?\b|\bpulgadas?\b", IGNORECASE)
_CENTIMETRES = compile_pattern(r"\bcm\b", IGNORECASE)


def read_size_chart(tree):
    """The first size guide table on the page in the size-chart shape, or None."""
    for table in tree.iter("table"):
        rows = [
            [clean_text(cell.text_content()) or "" for cell in row.xpath("./th|./td")]
            for row in table.iter("tr")
        ]
        rows = [row for row in rows if any(row)]
        if len(rows) < 2:
            continue
        caption = table.find("caption")
        labels = rows[0] + [row[0] for row in rows] + [caption.text_content() if caption is not None else ""]
        unit_text = " ".join(labels)
        inches = bool(_INCHES.search(unit_text)) and not _CENTIMETRES.search(unit_text)
        chart = _chart_from_rows(rows, inches) or _chart_from_rows(_transpose(rows), inches)
        if chart:
            return chart
    return None


def _chart_from_rows(rows, inches):
    """Sizes as rows: a header row naming measurements, one row per size label."""
    header = rows[0]
    columns = {index: field for index, name in enumerate(header) if index > 0 and (field := _field(name))}
    if not columns or not _SIZE_HEADER.match(header[0] or "size"):
        return None
    sizes = []
    for row in rows[1:]:
        if not row or not row[0] or _field(row[0]):
            continue
        measurements = {}
        for index, field in columns.items():
            if index < len(row) and field not in measurements:
                span = _range(row[index], inches)
                if span:
                    measurements[field] = span
        if measurements:
            sizes.append({"label": row[0], "measurements": measurements})
    return {"unit": "cm", "sizes": sizes} if len(sizes) >= 2 else None


def _field(name):
    name = (name or "").lower()
    return next((field for field, pattern in _FIELD_PATTERNS if pattern.search(name)), None)


def _range(text, inches):
    match = _RANGE.search(text or "")
    if not match:
        return None
    low, high = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(3))
    factor = 2.54 if inches else 1.0
    values = [round(float(value.replace(",", ".")) * factor, 1) for value in (low, high)]
    return sorted(values) if 0 < values[0] < 300 else None


def _transpose(rows):
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return [list(column) for column in zip(*padded)]
