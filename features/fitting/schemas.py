"""Fit-check and size-recommendation request and answer shapes. The fields' shapes are checked here; which
garment, chart and body to use depends on the fields together and on stored data (service.py)."""

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from features.fitting import size_charts
from features.fitting.fit_engine import FIT_PREFERENCES, FIT_VERDICTS, GENDERS, LENGTH_VERDICTS
from features.garments.schemas import CATEGORY_NAME, FabricEntry, SizeChart
from features.wardrobe.fields import clean_fabric
from shared.errors import ValidationError
from shared.garment_catalog import PLATFORM_CATEGORY, platform_category_named
from shared.schemas import (
    FieldCheck,
    RawJson,
    RequestSchema,
    ResponseSchema,
    checked,
    document_component,
    integer,
    one_of,
    unchecked,
)
from shared.validators import validate_choice, validate_text, validate_url

FitVerdict = Annotated[str, one_of(dict.fromkeys([*FIT_VERDICTS.values(), *LENGTH_VERDICTS.values()]))]
FitPreference = Annotated[str, one_of(FIT_PREFERENCES)]
MAX_SIZE_LENGTH = 40
MAX_BRAND_LENGTH = 100


def _unless_null(check: FieldCheck) -> FieldCheck:
    """check(value, name), with null passed through (a field sent as null is a field not sent)."""
    return lambda value, name: None if value is None else check(value, name)


def _url(value: Any, name: str) -> str | None:
    """Blank is no URL (the garment then comes from elsewhere)."""
    return validate_url(value, name) if value else None


def _platform_category(value: Any, name: str) -> str | None:
    named = platform_category_named(value) or value  # "dress" names "dresses"
    category: str | None = validate_choice(named, name, tuple(PLATFORM_CATEGORY))
    return category


def _brand(value: Any, name: str) -> str | None:
    brand: str | None = validate_text(value, name, max_length=MAX_BRAND_LENGTH) or None
    return brand


def _size(value: Any, name: str) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return validate_text(value, name, max_length=MAX_SIZE_LENGTH) or None


def _gender(value: Any, name: str) -> str | None:
    """women or men, from any of the words for them (any case); blank is none."""
    text = str(value).strip().lower() if value is not None else ""
    if not text:
        return None
    return GENDERS[validate_choice(text, name, tuple(GENDERS))]


def _fit_preference(value: Any, name: str) -> str:
    preference: str = validate_choice(value or "regular", name, FIT_PREFERENCES)
    return preference


def _size_chart(value: Any, name: str) -> size_charts.SizeChart:
    """The chart in cm with [min, max] ranges (size_charts.parse_chart)."""
    try:
        chart = size_charts.parse_chart(value)
        return chart
    except size_charts.InvalidSizeChart as exc:
        raise ValidationError(
            f"Invalid size_chart: {exc}",
            code="INVALID_SIZE_CHART",
            details={"field": name, "problem": str(exc)},
        ) from None


_WARDROBE_ITEM_ID = integer(1)
_URL = checked(_url, {"type": "string", "format": "uri", "description": "The product page."})
_CATEGORY = checked(_unless_null(_platform_category), CATEGORY_NAME)
_BRAND = checked(_unless_null(_brand), {"type": "string", "maxLength": MAX_BRAND_LENGTH})
_GENDER = checked(_gender, document_component("FitGender", {"enum": list(GENDERS)}))
_FIT_PREFERENCE = checked(
    _fit_preference,
    document_component("FitPreference", {"enum": list(FIT_PREFERENCES), "default": "regular"}),
)


class _GarmentFields(RequestSchema):
    """The garment: wardrobe_item_id, or url, or just category; the request's category, brand win."""

    wardrobe_item_id: Annotated[int | None, _WARDROBE_ITEM_ID] = None
    url: Annotated[str | None, _URL] = None
    category: Annotated[str | None, _CATEGORY] = None
    brand: Annotated[str | None, _BRAND] = None
    fit_preference: Annotated[str | None, _FIT_PREFERENCE] = None
    gender: Annotated[str | None, _GENDER] = None

    @model_validator(mode="after")
    def _one_garment(self) -> "_GarmentFields":
        if self.wardrobe_item_id is not None and self.url:
            raise ValidationError(
                "Send either wardrobe_item_id or url, not both",
                code="CONFLICTING_FIELDS",
                details={"fields": ["wardrobe_item_id", "url"]},
            )
        return self


class FitCheckRequest(_GarmentFields):
    """The garment: wardrobe_item_id, or url (with the page's html when you have it), or just category."""

    html: Annotated[RawJson, unchecked({"type": "string", "description": "The page's HTML (with url)."})] = (
        None
    )
    size_chart: Annotated[dict[str, Any] | None, checked(_unless_null(_size_chart), SizeChart)] = None
    fabric: Annotated[
        list[dict[str, Any]] | None,
        checked(_unless_null(lambda value, name: clean_fabric(value)), list[FabricEntry]),
    ] = None
    size: Annotated[
        str | None, checked(_size, {"type": ["string", "integer"], "maxLength": MAX_SIZE_LENGTH})
    ] = None

    @model_validator(mode="after")
    def _html_with_its_url(self) -> "FitCheckRequest":
        if self.html is not None and not self.url:
            raise ValidationError(
                "html is the product page's HTML and needs its url",
                code="MISSING_FIELDS",
                details={"fields": ["url"]},
            )
        return self


class RecommendationQuery(_GarmentFields):
    """The garment, as query parameters."""


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
