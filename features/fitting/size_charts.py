"""Size charts: validating any chart (request, product page, data file) and the built-in and brand charts.

A chart is {"unit": "cm" | "in", "sizes": [{"label", "measurements": {zone: [min, max] or value}}]}
with sizes in ascending order and zones named like the body-measurement fields. `parse_chart`
returns it in cm with every range as [min, max]; a single value is the body the size is cut for
and stands for the range halfway to the neighbouring sizes' values. The data files in charts/ hold several charts
each ({"gender", "system", "groups": {garment group: [zones]}, "unit", "sizes"}); a chart for one
garment group keeps only that group's zones.
"""

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypedDict, TypeVar

from features.body_measurements.fields import MEASUREMENT_FIELDS
from features.fitting.fit_engine import LEGACY_FIELDS, ChartSize
from shared.text_patterns import compile_pattern

CHARTS_DIR = Path(__file__).resolve().parent / "charts"
CM_PER_UNIT = {"cm": 1.0, "in": 2.54}
MAX_SIZES = 60
MAX_LABEL_LENGTH = 40
SYSTEM_ORDER = ("letter", "eu")  # without other clues, letter sizes are the default
SYSTEM_NAMES = {"letter": "letter sizes", "eu": "EU sizes"}
CHART_ZONES = {
    name: (low, high)
    for name, (kind, low, high) in MEASUREMENT_FIELDS.items()
    if kind == "length" and name not in LEGACY_FIELDS
}
_LABEL_SEPARATORS = compile_pattern(r"[\s/()\[\],:;|-]+")
_REPEATED_X = compile_pattern(r"(X{2,})([SL])")
_SPACES = compile_pattern(r"\s+")
_NOT_ALPHANUMERIC = compile_pattern(r"[^a-z0-9]")


class InvalidSizeChart(ValueError):
    """A chart that cannot be used; the message says what is wrong."""


class Sizes(TypedDict):
    """What every chart has: its sizes in ascending order, ranges in cm."""

    sizes: list[ChartSize]


class SizeChart(Sizes):
    """A chart as parse_chart gives it back."""

    unit: Literal["cm"]


class LibraryChart(Sizes):
    """A built-in or brand chart for one garment group and gender (charts/)."""

    id: str
    name: str
    source: Literal["builtin", "brand"]
    note: str
    approximation: bool
    brand_key: str | None
    gender: str
    group: str
    system: str


_Chart = TypeVar("_Chart", bound=Sizes)


def parse_chart(raw: object) -> SizeChart:
    """The chart in cm with [min, max] ranges; InvalidSizeChart says what is wrong."""
    if not isinstance(raw, dict):
        raise InvalidSizeChart("size_chart must be an object with 'unit' and 'sizes'")
    unit = raw.get("unit", "cm")
    if not isinstance(unit, str) or unit not in CM_PER_UNIT:
        raise InvalidSizeChart("size_chart.unit must be 'cm' or 'in'")
    sizes = raw.get("sizes")
    if not isinstance(sizes, list) or not sizes:
        raise InvalidSizeChart("size_chart.sizes must be a non-empty list of sizes")
    if len(sizes) > MAX_SIZES:
        raise InvalidSizeChart(f"size_chart.sizes may list at most {MAX_SIZES} sizes")
    parsed = [_parse_size(size, index, CM_PER_UNIT[unit]) for index, size in enumerate(sizes)]
    _check_consistent(parsed)
    return {"unit": "cm", "sizes": _widen_single_values(parsed)}


def library_charts(*, group: str, gender: str, brand: str | None = None) -> list[LibraryChart]:
    """Brand charts (when brand is given) or built-in charts for a garment group and gender, preferred first."""
    key = brand_key(brand) if brand else None
    charts = [
        chart
        for chart in _library()
        if chart["group"] == group and chart["gender"] == gender and chart["brand_key"] == key
    ]
    return sorted(charts, key=lambda chart: SYSTEM_ORDER.index(chart["system"]))


def brand_key(name: str) -> str:
    """A brand name compared loosely: "H&M", "h & m" and "HM" are one brand."""
    loose = _loose_name(name)
    return _brand_aliases().get(loose, loose)


def labels(chart: Sizes) -> list[str]:
    return [size["label"] for size in chart["sizes"]]


def match_label(name: str, chart_labels: Iterable[str]) -> str | None:
    """The chart label a free-text size name stands for ("S 36/38", "2XL", "Tamanho: XS"), or None."""
    by_canonical = {_canonical_label(label): label for label in chart_labels}
    whole = _canonical_label(name)
    if whole in by_canonical:
        return by_canonical[whole]
    for token in _LABEL_SEPARATORS.split(str(name)):
        if token and _canonical_label(token) in by_canonical:
            return by_canonical[_canonical_label(token)]
    return None


def pick_chart(
    candidates: Sequence[_Chart], *, size: str | None = None, offered_names: Iterable[str] = ()
) -> _Chart | None:
    """The first candidate that has the size; else the one naming most offered sizes; else the first.

    None when a size is asked for and no candidate has it.
    """
    if size is not None:
        return next((chart for chart in candidates if match_label(size, labels(chart))), None)
    matches = [sum(1 for name in offered_names if match_label(name, labels(chart))) for chart in candidates]
    return candidates[matches.index(max(matches))]


def _canonical_label(label: str) -> str:
    text = _SPACES.sub(" ", str(label).strip().upper())
    return _REPEATED_X.sub(lambda match: f"{len(match.group(1))}X{match.group(2)}", text)


def _parse_size(size: object, index: int, cm_per_unit: float) -> ChartSize:
    where = f"size_chart.sizes[{index}]"
    if not isinstance(size, dict):
        raise InvalidSizeChart(f"{where} must be an object with 'label' and 'measurements'")
    label = size.get("label")
    if isinstance(label, int) and not isinstance(label, bool):
        label = str(label)
    if (
        not isinstance(label, str)
        or not label.strip()
        or len(label.strip()) > MAX_LABEL_LENGTH
        or any(ord(ch) < 32 for ch in label)
    ):
        raise InvalidSizeChart(f"{where}.label must be a size name of 1 to {MAX_LABEL_LENGTH} characters")
    label = label.strip()
    measurements = size.get("measurements")
    if not isinstance(measurements, dict) or not measurements:
        raise InvalidSizeChart(f"size '{label}' needs 'measurements': an object of body-measurement ranges")
    ranges: dict[str, list[float]] = {}
    for name, value in measurements.items():
        zone = LEGACY_FIELDS.get(name, name)
        if zone not in CHART_ZONES:
            raise InvalidSizeChart(
                f"size '{label}' has an unknown measurement '{name}'; "
                f"use the body-measurement names: {', '.join(CHART_ZONES)}"
            )
        if zone in ranges:
            raise InvalidSizeChart(f"size '{label}' gives {zone} twice")
        ranges[zone] = _parse_range(value, label, zone, cm_per_unit)
    return {"label": label, "measurements": ranges}


def _parse_range(value: object, label: str, zone: str, cm_per_unit: float) -> list[float]:
    bounds: list[Any] = value if isinstance(value, list) else [value]  # JSON values: _is_number checks them
    if len(bounds) not in (1, 2) or not all(_is_number(bound) for bound in bounds):
        raise InvalidSizeChart(f"size '{label}' {zone} must be a number or a [min, max] pair of numbers")
    low, high = (round(bound * cm_per_unit, 2) for bound in (bounds[0], bounds[-1]))
    if low > high:
        raise InvalidSizeChart(f"size '{label}' {zone} range [{bounds[0]}, {bounds[-1]}] has min above max")
    plausible_low, plausible_high = CHART_ZONES[zone]
    if low < plausible_low or high > plausible_high:
        raise InvalidSizeChart(
            f"size '{label}' {zone} {low}-{high} cm is outside the plausible "
            f"{plausible_low}-{plausible_high} cm for a body (wrong unit?)"
        )
    return [low, high]


def _is_number(value: object) -> bool:
    """A finite number a float can hold (an integer of hundreds of digits is not a measurement)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _check_consistent(sizes: Sequence[ChartSize]) -> None:
    """Unique labels, the same zones in every size, and sizes in ascending order."""
    seen = set()
    for size in sizes:
        canonical = _canonical_label(size["label"])
        if canonical in seen:
            raise InvalidSizeChart(f"size '{size['label']}' is listed twice")
        seen.add(canonical)
    zones = set(sizes[0]["measurements"])
    for size in sizes[1:]:
        if set(size["measurements"]) != zones:
            raise InvalidSizeChart(
                f"every size must give the same measurements; '{size['label']}' gives "
                f"{', '.join(size['measurements'])} but '{sizes[0]['label']}' gives "
                f"{', '.join(sizes[0]['measurements'])}"
            )
    for smaller, larger in zip(sizes, sizes[1:]):
        for zone in zones:
            if sum(larger["measurements"][zone]) < sum(smaller["measurements"][zone]):
                raise InvalidSizeChart(
                    f"sizes must be in ascending order: '{larger['label']}' comes after "
                    f"'{smaller['label']}' but is smaller in {zone}"
                )


def _widen_single_values(sizes: Sequence[ChartSize]) -> list[ChartSize]:
    """Single values become [halfway from the previous size, halfway to the next size]."""
    widened: list[ChartSize] = [
        {"label": size["label"], "measurements": dict(size["measurements"])} for size in sizes
    ]
    for zone in sizes[0]["measurements"]:
        centres = [sum(size["measurements"][zone]) / 2 for size in sizes]
        for index, size in enumerate(widened):
            low, high = size["measurements"][zone]
            if low != high or len(sizes) == 1:
                continue
            below = centres[index - 1] if index > 0 else 2 * low - centres[index + 1]
            above = centres[index + 1] if index + 1 < len(sizes) else 2 * low - centres[index - 1]
            size["measurements"][zone] = [round((below + low) / 2, 2), round((low + above) / 2, 2)]
    return widened


@lru_cache(maxsize=1)
def _library() -> tuple[LibraryChart, ...]:
    """Every chart in charts/builtin and charts/brands, validated once."""
    charts: list[LibraryChart] = []
    for path in sorted((CHARTS_DIR / "builtin").glob("*.json")) + sorted(
        (CHARTS_DIR / "brands").glob("*.json")
    ):
        charts += _charts_in_file(path)
    return tuple(charts)


@lru_cache(maxsize=1)
def _brand_aliases() -> dict[str, str]:
    aliases = {}
    for path in sorted((CHARTS_DIR / "brands").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for alias in [data["brand"], *data.get("aliases", ())]:
            aliases[_loose_name(alias)] = _loose_name(data["brand"])
    return aliases


def _loose_name(name: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", str(name).lower())


def _charts_in_file(path: Path) -> list[LibraryChart]:
    data = json.loads(path.read_text(encoding="utf-8"))  # charts/*.json: the module docstring's shape
    brand: str | None = data.get("brand")
    owner = f"brand:{brand_key(brand)}" if brand else "builtin"
    charts: list[LibraryChart] = []

    for entry in data["charts"]:
        try:
            parsed = parse_chart(entry)
        except InvalidSizeChart as exc:
            raise InvalidSizeChart(f"{path.name}: {exc}") from None
        for group, zones in entry["groups"].items():
            charts.append(
                {
                    "id": f"{owner}:{entry['gender']}:{group}:{entry['system']}",
                    "name": f"{data['name']} {entry['gender']}'s {group}, {SYSTEM_NAMES[entry['system']]}",
                    "source": "brand" if brand else "builtin",
                    "note": data["source"],
                    "approximation": data.get("approximation", False),
                    "brand_key": brand_key(brand) if brand else None,
                    "gender": entry["gender"],
                    "group": group,
                    "system": entry["system"],
                    "sizes": [
                        {
                            "label": size["label"],
                            "measurements": {zone: size["measurements"][zone] for zone in zones},
                        }
                        for size in parsed["sizes"]
                    ],
                }
            )
    return charts
