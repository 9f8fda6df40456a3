"""Fit check and size recommendation: pure functions over a size chart, a body and a garment.

Vocabulary (also the API's):
- zone: a body-measurement field a size chart gives ranges for (breast_circumference, foot_length...).
- range_cm: [min, max] of the body measurement a size is made for, as size charts publish it.
- difference_cm: 0 when the body is inside the range; body - max when above it (positive: the
  garment is tighter than intended); body - min when below it (negative: looser than intended).
- verdict per zone: inside the range "regular"; above it "snug" up to the garment's tight
  tolerance, "too_tight" beyond; below it "loose" up to the loose tolerance, "too_loose" beyond.
  Length zones (height, inner_leg_length, ...) say short/long instead of tight/loose.

Tolerances are the garment's intended ease, in percent of the body measurement, per platform category
(the catalogue's, shared/garment_catalog.py, which also says each category's garment group); elastic
fibre in the fabric (elastane, spandex, lycra) adds room on the tight side of girths.

Size scores: each zone's distance from the target point of the size's range (its centre, moved a
quarter of the range up for a tighter or down for a looser preference) in range widths, with
body-bigger-than-target costing more than smaller (a garment that is too small cannot be worn;
less so for stretch fabrics), plus a penalty for too_tight/too_loose verdicts; zones are weighted
by importance for the garment group (bust/chest for tops, waist and hips for bottoms...).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from shared.garment_catalog import PLATFORM_CATEGORY

LENGTH_TOLERANCE_PERCENT = (2.0, 4.0)  # (too short, too long): hems can be shortened, not lengthened

LENGTH_ZONES = frozenset(
    {
        "height",
        "arm_length",
        "inner_leg_length",
        "waist_to_crotch_front_length",
        "waist_to_crotch_back_length",
        "shoulder_width",
    }
)
FOOT_ZONES = frozenset({"foot_length", "foot_width"})
LEGACY_FIELDS = {
    "chest": "breast_circumference",
    "waist": "waist_circumference",
    "hips": "hip_circumference",
    "inseam": "inner_leg_length",
}

ELASTIC_FIBRES = ("elastane", "elastan", "elasthan", "spandex", "lycra", "élasthanne")
STRETCH_TOLERANCE_PER_ELASTIC_PERCENT = 1.5  # 2 % elastane lets a girth take ~3 % more body comfortably
MAX_ELASTIC_PERCENT = 10.0

ZONE_WEIGHTS = {
    "tops": {
        "breast_circumference": 1.0,
        "waist_circumference": 0.5,
        "neck_circumference": 0.5,
        "shoulder_circumference": 0.5,
        "hip_circumference": 0.3,
    },
    "dresses": {"breast_circumference": 1.0, "waist_circumference": 0.8, "hip_circumference": 0.8},
    "bottoms": {
        "waist_circumference": 1.0,
        "hip_circumference": 1.0,
        "upper_hip_circumference": 0.6,
        "wide_hip_circumference": 0.6,
        "upper_thigh_circumference": 0.4,
        "inner_leg_length": 0.3,
    },
    "shoes": {"foot_length": 1.0, "foot_width": 0.3},
}
OTHER_ZONE_WEIGHT = 0.2
MAJOR_ZONE_SHARE = 0.5  # zones lighter than half the heaviest move the overall verdict one step at most
ESTIMATED_ZONE_WEIGHT_FACTOR = 0.5  # an estimate counts half beside measured zones

FIT_PREFERENCES = ("tighter", "regular", "looser")
# The words for a body's gender (a request's or a profile's), to the charts' genders.
GENDERS = {"women": "women", "woman": "women", "female": "women", "men": "men", "man": "men", "male": "men"}
PREFERENCE_SHIFT = {"tighter": 0.25, "regular": 0.0, "looser": -0.25}  # target point, in range widths
TIGHT_SIDE_COST = 1.5
TIGHT_SIDE_COST_MIN = 0.6
TIGHT_SIDE_COST_PER_ELASTIC_PERCENT = 0.2
VERDICT_PENALTY = {2: 1.0, -2: 0.5}  # too_tight, too_loose
SINGLE_VALUE_WIDTH_SHARE = 0.04  # a one-size chart giving a single value: treat it as +-2 %
BETWEEN_SIZES_MARGIN = 0.3  # score-cost gap below which the two best adjacent sizes are a close call
DECISIVE_MARGIN = 0.5  # cost gap at which the runner-up no longer lowers the confidence
MAX_CONFIDENCE = 0.95  # a chart is never a guarantee
ESTIMATE_CONFIDENCE_PENALTY = 0.45
OUTSIDE_CHART_CONFIDENCE_FACTOR = 0.6

FIT_VERDICTS = {-2: "too_loose", -1: "loose", 0: "regular", 1: "snug", 2: "too_tight"}
LENGTH_VERDICTS = {-2: "too_long", -1: "long", 0: "regular", 1: "short", 2: "too_short"}

# Girth ~ intercept + per_bmi * BMI + per_cm * (height - reference height), in cm. Hand-set to
# reproduce typical adult values in anthropometric surveys (NHANES, ANSUR II); one person can be
# 5-8 cm off, about one size, which is why estimates lower the confidence.
ESTIMATE_COEFFICIENTS = {
    "women": {
        "breast_circumference": (49.0, 1.85, 0.15),
        "waist_circumference": (20.0, 2.4, 0.1),
        "hip_circumference": (56.0, 1.9, 0.2),
    },
    "men": {
        "breast_circumference": (49.0, 2.0, 0.15),
        "waist_circumference": (24.0, 2.64, 0.1),
        "hip_circumference": (62.0, 1.45, 0.2),
    },
}
REFERENCE_HEIGHT_CM = {"women": 165.0, "men": 178.0}
FOOT_LENGTH_PER_HEIGHT = {"women": 0.149, "men": 0.152}

ZONE_NAMES = {
    "breast_circumference": "bust/chest",
    "under_breast_circumference": "underbust",
    "waist_circumference": "waist",
    "hip_circumference": "hips",
    "upper_hip_circumference": "upper hips",
    "wide_hip_circumference": "widest hips",
    "upper_thigh_circumference": "thighs",
    "inner_leg_length": "inside leg",
    "foot_length": "foot length",
    "foot_width": "foot width",
}


class ChartSize(TypedDict):
    """One size of a chart: its label and, per zone, the [min, max] body range it is made for, in cm."""

    label: str
    measurements: dict[str, list[float]]


class ZoneFit(TypedDict):
    """How one zone of the body fits one size; level -2..2 is a key of FIT_VERDICTS / LENGTH_VERDICTS."""

    zone: str
    body_cm: float
    range_cm: list[float]
    difference_cm: float
    level: int
    estimated: bool


class ZoneVerdict(TypedDict):
    """A zone's fit as the API shows it: the level as its verdict word."""

    zone: str
    body_cm: float
    range_cm: list[float]
    difference_cm: float
    verdict: str
    estimated: bool


class SizeCheck(TypedDict):
    size: str
    zones: list[ZoneVerdict]
    overall_verdict: str | None


class OutsideZone(TypedDict):
    """A major zone beyond the chart: above its largest size or below its smallest."""

    zone: str
    direction: Literal["above", "below"]


class AlternativeSize(TypedDict):
    size: str
    score: float
    overall_verdict: str | None


class Recommendation(TypedDict):
    recommended_size: str
    score: float
    overall_verdict: str | None
    confidence: float
    alternatives: list[AlternativeSize]
    between_sizes: bool
    between: list[str] | None
    deciding_zones: list[str]
    outside_chart: list[OutsideZone]
    estimated: bool
    explanation: str


@dataclass(frozen=True)
class Garment:
    """What the fit depends on besides the chart: the platform category (a sized one) and the elastic-fibre share."""

    platform_category: str
    stretch_percent: float = 0.0

    @property
    def group(self) -> str:
        group = PLATFORM_CATEGORY[self.platform_category].fit_group
        if group is None:
            raise ValueError(f"{self.platform_category} has no body sizes to fit")
        return group

    @property
    def tolerance_percent(self) -> tuple[float, float]:
        tolerance = PLATFORM_CATEGORY[self.platform_category].tolerance_percent
        if tolerance is None:
            raise ValueError(f"{self.platform_category} has no body sizes to fit")
        return tolerance


@dataclass(frozen=True)
class Body:
    """Body measurements in cm by zone; `estimated` names the zones whose value is an estimate."""

    values: dict[str, float]
    estimated: frozenset[str] = frozenset()


def stretch_percent(fabric: Iterable[Mapping[str, Any]] | None) -> float:
    """Share of elastic fibre in a fabric composition [{"name", "percentage"}] (stored JSON), in percent."""
    total = sum(
        float(part.get("percentage") or 0)
        for part in fabric or ()
        if any(fibre in str(part.get("name") or "").lower() for fibre in ELASTIC_FIBRES)
    )
    return min(total, 100.0)


def estimate_measurements(
    *, height: float | None, weight: float | None, gender: str | None
) -> dict[str, float]:
    """Girths from height and weight (BMI regression) and foot length from height; {} without height.

    gender is "women", "men" or None (the mean of both).
    """
    if not height:
        return {}
    genders = (gender,) if gender in ESTIMATE_COEFFICIENTS else tuple(ESTIMATE_COEFFICIENTS)
    estimates = {"foot_length": _mean(FOOT_LENGTH_PER_HEIGHT[g] * height for g in genders)}
    if weight:
        bmi = weight / (height / 100) ** 2
        for zone in ESTIMATE_COEFFICIENTS["women"]:
            estimates[zone] = _mean(_girth_estimate(g, zone, bmi, height) for g in genders)
    return {zone: round(value, 1) for zone, value in estimates.items()}


def _girth_estimate(gender: str, zone: str, bmi: float, height: float) -> float:
    intercept, per_bmi, per_cm = ESTIMATE_COEFFICIENTS[gender][zone]
    return intercept + per_bmi * bmi + per_cm * (height - REFERENCE_HEIGHT_CM[gender])


def helpful_measurements(zones: Sequence[str]) -> list[str]:
    """The fields that would let these zones be measured, or estimated (height, weight)."""
    fields = list(zones)
    if any(zone in ESTIMATE_COEFFICIENTS["women"] for zone in zones):
        fields += ["height", "weight"]
    elif "foot_length" in zones:
        fields.append("height")
    return list(dict.fromkeys(fields))


def body_from_measurements(
    measurements: Mapping[str, float | None] | None, *, gender: str | None, zones: Iterable[str]
) -> Body:
    """The body for the given zones: stored values (legacy fields as fallbacks), else estimates."""
    stored = measurements or {}
    legacy_for = {modern: legacy for legacy, modern in LEGACY_FIELDS.items()}
    values: dict[str, float] = {}
    for zone in zones:
        value = stored.get(zone)
        if value is None and zone in legacy_for:
            value = stored.get(legacy_for[zone])
        if value is not None:
            values[zone] = float(value)
    estimates = estimate_measurements(height=stored.get("height"), weight=stored.get("weight"), gender=gender)
    estimated = {zone: estimates[zone] for zone in zones if zone not in values and zone in estimates}
    return Body(values={**values, **estimated}, estimated=frozenset(estimated))


def chart_zones(sizes: Sequence[ChartSize]) -> list[str]:
    """Zones of a chart, in the order its first size lists them (valid charts give every size the same zones)."""
    return list(sizes[0]["measurements"])


def check_size(*, size: ChartSize, body: Body, garment: Garment) -> SizeCheck:
    """Per-zone fit of one size (zones the body has no value for are left out) and the overall verdict."""
    zones = [
        _zone_fit(zone, body, rng, garment)
        for zone, rng in size["measurements"].items()
        if zone in body.values
    ]
    return {
        "size": size["label"],
        "zones": [_public_zone(zone) for zone in zones],
        "overall_verdict": _overall_verdict(zones, garment),
    }


def recommend(
    *, sizes: Sequence[ChartSize], body: Body, garment: Garment, fit_preference: str = "regular"
) -> Recommendation:
    """Rank the sizes (ascending chart order) for a body that has at least one of their zones; say how sure."""
    zones = [zone for zone in chart_zones(sizes) if zone in body.values]
    weights = _zone_weights(zones, body, garment.group)
    fits = [
        {zone: _zone_fit(zone, body, size["measurements"][zone], garment) for zone in zones} for size in sizes
    ]
    costs = [{zone: _zone_cost(fit[zone], garment, fit_preference) for zone in zones} for fit in fits]
    totals = [_weighted_mean(cost, weights) for cost in costs]
    ranking = sorted(range(len(sizes)), key=lambda index: (totals[index], index))
    best = ranking[0]
    runner_up = ranking[1] if len(ranking) > 1 else None
    between = _between_sizes(best, runner_up, totals)
    outside = _outside_chart(fits, zones, garment)
    deciding = _deciding_zones(costs, weights, best, runner_up)
    estimated = any(zone in body.estimated for zone in zones)
    overall = [_overall_verdict(list(fit.values()), garment) for fit in fits]
    return {
        "recommended_size": sizes[best]["label"],
        "score": _score(totals[best]),
        "overall_verdict": overall[best],
        "confidence": _confidence(
            totals=totals,
            ranking=ranking,
            costs=costs,
            weights=weights,
            body=body,
            sizes=sizes,
            garment=garment,
            outside=outside,
        ),
        "alternatives": [
            {"size": sizes[index]["label"], "score": _score(totals[index]), "overall_verdict": overall[index]}
            for index in ranking[1:]
        ],
        "between_sizes": between is not None,
        "between": [sizes[index]["label"] for index in between] if between else None,
        "deciding_zones": deciding,
        "outside_chart": outside,
        "estimated": estimated,
        "explanation": _explanation(sizes, best, between, deciding, outside, estimated),
    }


def _zone_fit(zone: str, body: Body, range_cm: Sequence[float], garment: Garment) -> ZoneFit:
    low, high = range_cm
    value = body.values[zone]
    tight_room, loose_room = _tolerances_cm(zone, value, garment)
    difference = value - high if value > high else (value - low if value < low else 0.0)
    if difference > 0:
        level = 1 if difference <= tight_room else 2
    elif difference < 0:
        level = -1 if -difference <= loose_room else -2
    else:
        level = 0
    return {
        "zone": zone,
        "body_cm": value,
        "range_cm": [low, high],
        "difference_cm": round(float(difference), 1),
        "level": level,
        "estimated": zone in body.estimated,
    }


def _public_zone(fit: ZoneFit) -> ZoneVerdict:
    names = LENGTH_VERDICTS if fit["zone"] in LENGTH_ZONES else FIT_VERDICTS
    return {
        "zone": fit["zone"],
        "body_cm": fit["body_cm"],
        "range_cm": fit["range_cm"],
        "difference_cm": fit["difference_cm"],
        "verdict": names[fit["level"]],
        "estimated": fit["estimated"],
    }


def _tolerances_cm(zone: str, value: float, garment: Garment) -> tuple[float, float]:
    if zone in LENGTH_ZONES:
        tight_percent, loose_percent = LENGTH_TOLERANCE_PERCENT
    else:
        tight_percent, loose_percent = garment.tolerance_percent
        if zone not in FOOT_ZONES:
            tight_percent += STRETCH_TOLERANCE_PER_ELASTIC_PERCENT * min(
                garment.stretch_percent, MAX_ELASTIC_PERCENT
            )
    return value * tight_percent / 100, value * loose_percent / 100


def _overall_verdict(fits: Sequence[ZoneFit], garment: Garment) -> str | None:
    """The most limiting zone decides; a light zone moves the verdict one step at most; tight beats loose."""
    girths = [fit for fit in fits if fit["zone"] not in LENGTH_ZONES]
    considered = girths or fits
    if not considered:
        return None
    major = _major_zones([fit["zone"] for fit in considered], garment.group)
    levels = [fit["level"] if fit["zone"] in major else max(-1, min(1, fit["level"])) for fit in considered]
    worst = max(levels, key=lambda level: (abs(level), level))
    return (FIT_VERDICTS if girths else LENGTH_VERDICTS)[worst]


def _major_zones(zones: Sequence[str], group: str) -> set[str]:
    """The zones that weigh at least half as much as the most important one among them."""
    heaviest = max(_base_weight(zone, group) for zone in zones)
    return {zone for zone in zones if _base_weight(zone, group) >= MAJOR_ZONE_SHARE * heaviest}


def _base_weight(zone: str, group: str) -> float:
    return ZONE_WEIGHTS[group].get(zone, OTHER_ZONE_WEIGHT)


def _zone_weights(zones: Iterable[str], body: Body, group: str) -> dict[str, float]:
    mixed = any(zone not in body.estimated for zone in zones)
    return {
        zone: _base_weight(zone, group)
        * (ESTIMATED_ZONE_WEIGHT_FACTOR if mixed and zone in body.estimated else 1.0)
        for zone in zones
    }


def _zone_cost(fit: ZoneFit, garment: Garment, fit_preference: str) -> float:
    low, high = fit["range_cm"]
    width = high - low if high > low else SINGLE_VALUE_WIDTH_SHARE * high
    is_length = fit["zone"] in LENGTH_ZONES
    shift = 0.0 if is_length else PREFERENCE_SHIFT[fit_preference]
    distance = (fit["body_cm"] - ((low + high) / 2 + shift * width)) / width
    elastic = (
        0.0 if is_length or fit["zone"] in FOOT_ZONES else min(garment.stretch_percent, MAX_ELASTIC_PERCENT)
    )
    tight_cost = max(TIGHT_SIDE_COST_MIN, TIGHT_SIDE_COST - TIGHT_SIDE_COST_PER_ELASTIC_PERCENT * elastic)
    cost = distance * tight_cost if distance > 0 else -distance
    return cost + VERDICT_PENALTY.get(fit["level"], 0.0)


def _weighted_mean(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return sum(values[zone] * weight for zone, weight in weights.items()) / sum(weights.values())


def _score(cost: float) -> float:
    return round(math.exp(-cost), 3)


def _between_sizes(best: int, runner_up: int | None, totals: Sequence[float]) -> tuple[int, int] | None:
    if (
        runner_up is None
        or abs(best - runner_up) != 1
        or totals[runner_up] - totals[best] >= BETWEEN_SIZES_MARGIN
    ):
        return None
    return (best, runner_up) if best < runner_up else (runner_up, best)


def _outside_chart(
    fits: Sequence[Mapping[str, ZoneFit]], zones: list[str], garment: Garment
) -> list[OutsideZone]:
    """Major zones too big for the largest size or too small for the smallest."""
    outside: list[OutsideZone] = []
    for zone in sorted(_major_zones(zones, garment.group), key=zones.index):
        if fits[-1][zone]["level"] == 2:
            outside.append({"zone": zone, "direction": "above"})
        elif fits[0][zone]["level"] == -2:
            outside.append({"zone": zone, "direction": "below"})
    return outside


def _deciding_zones(
    costs: Sequence[Mapping[str, float]], weights: Mapping[str, float], best: int, runner_up: int | None
) -> list[str]:
    """Zones that separated the winner from the runner-up most (by weight when there is no runner-up)."""
    if runner_up is None:
        influence = dict(weights)
    else:
        influence = {
            zone: weight * abs(costs[runner_up][zone] - costs[best][zone]) for zone, weight in weights.items()
        }
    strongest = max(influence.values())
    if strongest == 0:
        influence = dict(weights)
        strongest = max(influence.values())
    return [
        zone
        for zone in sorted(influence, key=lambda zone: -influence[zone])
        if influence[zone] >= 0.25 * strongest
    ]


def _confidence(
    *,
    totals: Sequence[float],
    ranking: Sequence[int],
    costs: Sequence[Mapping[str, float]],
    weights: Mapping[str, float],
    body: Body,
    sizes: Sequence[ChartSize],
    garment: Garment,
    outside: Sequence[OutsideZone],
) -> float:
    """In [0, MAX_CONFIDENCE]: lower between sizes, when zones disagree or are missing or estimated, off the chart."""
    zones = list(weights)
    best = ranking[0]
    fit_quality = math.sqrt(math.exp(-totals[best]))
    gap = totals[ranking[1]] - totals[best] if len(ranking) > 1 else DECISIVE_MARGIN
    decisiveness = min(1.0, gap / DECISIVE_MARGIN)
    own_best = {zone: min(range(len(sizes)), key=lambda index: (costs[index][zone], index)) for zone in zones}
    total_weight = sum(weights.values())
    agreement = sum(weights[zone] for zone in zones if own_best[zone] == best) / total_weight
    chart_weight = sum(_base_weight(zone, garment.group) for zone in chart_zones(sizes))
    coverage = sum(_base_weight(zone, garment.group) for zone in zones) / chart_weight
    estimated_share = sum(weights[zone] for zone in zones if zone in body.estimated) / total_weight
    confidence = (
        MAX_CONFIDENCE
        * fit_quality
        * (0.6 + 0.4 * decisiveness)
        * (0.5 + 0.5 * agreement)
        * coverage
        * (1 - ESTIMATE_CONFIDENCE_PENALTY * estimated_share)
        * (OUTSIDE_CHART_CONFIDENCE_FACTOR if outside else 1.0)
    )
    return round(confidence, 2)


def _explanation(
    sizes: Sequence[ChartSize],
    best: int,
    between: tuple[int, int] | None,
    deciding: Iterable[str],
    outside: Sequence[OutsideZone],
    estimated: bool,
) -> str:
    """One sentence a shopper can read."""
    label = sizes[best]["label"]
    sentence = f"{label} is the best match for your {_join(_zone_name(zone) for zone in deciding)}"
    if outside:
        where = outside[0]
        edge = "largest" if where["direction"] == "above" else "smallest"
        sentence += f", but your {_zone_name(where['zone'])} is beyond the {edge} size in this chart"
    elif between:
        other = between[1] if between[0] == best else between[0]
        sentence += (
            f"; you are between {sizes[between[0]]['label']} and {sizes[between[1]]['label']}, "
            f"and {sizes[other]['label']} would fit {'looser' if other > best else 'tighter'}"
        )
    if estimated:
        sentence += " (using estimated measurements; add your own for a surer answer)"
    return sentence + "."


def _zone_name(zone: str) -> str:
    return ZONE_NAMES.get(zone) or zone.removesuffix("_circumference").replace("_", " ")


def _join(names: Iterable[str]) -> str:
    listed = list(names)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return sum(listed) / len(listed)
