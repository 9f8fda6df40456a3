"""Fit-check and size-recommendation request shapes. Each field is checked by the service: which garment,
chart and body to use depends on the fields together and on stored data (see service.py)."""

from typing import Literal

from pydantic import Field

from features.fitting.fit_engine import FIT_PREFERENCES, FIT_VERDICTS, LENGTH_VERDICTS
from features.fitting.service import GENDERS
from features.garments.schemas import CATEGORY_NAME, FabricEntry, SizeChart
from shared.schemas import RequestSchema, ResponseSchema, document_component, unchecked

FitVerdict = Literal[tuple(dict.fromkeys([*FIT_VERDICTS.values(), *LENGTH_VERDICTS.values()]))]
FitPreference = Literal[FIT_PREFERENCES]
_GARMENT_FIELDS = {
    "wardrobe_item_id": {"type": "integer", "minimum": 1},
    "url": {"type": "string", "format": "uri", "description": "The product page."},
    "category": CATEGORY_NAME,
    "brand": {"type": "string", "maxLength": 100},
    "gender": document_component("FitGender", {"enum": list(GENDERS)}),
    "fit_preference": document_component(
        "FitPreference", {"enum": list(FIT_PREFERENCES), "default": "regular"}
    ),
}


class FitCheckRequest(RequestSchema):
    """The garment: wardrobe_item_id, or url (with the page's html when you have it), or just category."""

    wardrobe_item_id: unchecked(_GARMENT_FIELDS["wardrobe_item_id"]) = None
    url: unchecked(_GARMENT_FIELDS["url"]) = None
    html: unchecked({"type": "string", "description": "The page's HTML (with url)."}) = None
    size_chart: unchecked(SizeChart) = None
    category: unchecked(_GARMENT_FIELDS["category"]) = None
    brand: unchecked(_GARMENT_FIELDS["brand"]) = None
    fabric: unchecked(list[FabricEntry]) = None
    size: unchecked({"type": ["string", "integer"], "maxLength": 40}) = None
    fit_preference: unchecked(_GARMENT_FIELDS["fit_preference"]) = None
    gender: unchecked(_GARMENT_FIELDS["gender"]) = None


class RecommendationQuery(RequestSchema):
    wardrobe_item_id: unchecked(_GARMENT_FIELDS["wardrobe_item_id"]) = None
    url: unchecked(_GARMENT_FIELDS["url"]) = None
    brand: unchecked(_GARMENT_FIELDS["brand"]) = None
    category: unchecked(_GARMENT_FIELDS["category"]) = None
    gender: unchecked(_GARMENT_FIELDS["gender"]) = None
    fit_preference: unchecked(_GARMENT_FIELDS["fit_preference"]) = None


class FitZone(ResponseSchema):
    zone: str = Field(examples=["breast_circumference"])
    body_cm: float
    range_cm: list[float] = Field(min_length=2, max_length=2)
    difference_cm: float = Field(description="Positive: the body is bigger than the size's range.")
    verdict: FitVerdict
    estimated: bool = Field(description="The body value was estimated from height and weight.")


class FitGarment(ResponseSchema):
    source: Literal["wardrobe_item", "url", "request"]
    wardrobe_item_id: int | None
    url: str | None
    title: str | None
    brand: str | None
    category: str | None
    owned_size: str | None
    stretch_percent: float


class FitChart(ResponseSchema):
    id: str
    name: str
    labels: list[str]
    approximation: bool
    note: str | None


class FitSummary(ResponseSchema):
    garment: FitGarment
    chart_source: str = Field(description="request, product, brand or builtin.")
    chart: FitChart
    gender: Literal["women", "men"]
    fit_preference: FitPreference
    estimated: bool
    estimated_measurements: list[str]
    missing_measurements: list[str]
    notes: list[str]


class RankedSize(ResponseSchema):
    size: str
    score: float
    overall_verdict: FitVerdict
    available: bool | None = Field(description="In stock on the product page; null when unknown.")


class OutsideChart(ResponseSchema):
    zone: str
    direction: Literal["above", "below"]


class Recommendation(ResponseSchema):
    recommended_size: str
    score: float
    overall_verdict: FitVerdict
    confidence: float = Field(ge=0, le=1)
    alternatives: list[RankedSize]
    between_sizes: bool
    between: list[str] | None
    deciding_zones: list[str]
    outside_chart: list[OutsideChart] = Field(
        description="Major zones too big for the largest size (above) or too small for the smallest (below)."
    )
    estimated: bool
    explanation: str
    available: bool | None


class SizeRecommendation(FitSummary, Recommendation):
    """The best size for the caller, with the chart and body it was judged on."""


class SizeFit(ResponseSchema):
    size: str
    zones: list[FitZone]
    overall_verdict: FitVerdict
    available: bool | None = Field(description="In stock on the product page; null when unknown.")


class OneSizeCheck(FitSummary, SizeFit):
    """With `size`: that size's zones and verdict."""


class AllSizesCheck(FitSummary, Recommendation):
    """Without `size`: every size checked, the recommendation, and the recommended size's zones."""

    size: None = Field(description="No size was asked for.")
    zones: list[FitZone]
    sizes: list[SizeFit]


FitCheck = OneSizeCheck | AllSizesCheck
