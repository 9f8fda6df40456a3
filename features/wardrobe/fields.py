"""Wardrobe field rules: the item fields' limits and how each is cleaned (schemas.py attaches them to the
request models' fields).

Multipart forms carry every value as text, JSON bodies carry native types; every cleaner here
accepts both, so the same rules apply whichever way the client sends an item.
"""

import math
from typing import TypedDict

from shared.errors import ValidationError
from shared.garment_catalog import GARMENT_TYPES
from shared.request_data import parse_json_text
from shared.text_patterns import compile_pattern
from shared.validators import (
    validate_choice,
    validate_integer,
    validate_numeric,
    validate_text,
    validate_url,
)

ITEM_TEXT_LIMITS = {
    "title": 500,
    "brand": 255,
    "color": 100,
    "size": 100,
    "description": 5000,
    "care_instructions": 5000,
    "custom_category_name": 255,
}
# Sent back by clients that echo an item they read; never written from the request.
ITEM_READ_ONLY_FIELDS = (
    "id",
    "user_id",
    "garment_id",
    "image_path",
    "image_url",
    "platform_category_id",
    "date_added",
    "created_at",
    "updated_at",
)
MAX_CATEGORY_LENGTH = 255
MAX_PRICE = 10_000_000
MAX_FABRIC_ENTRIES = 20
FABRIC_TOTAL_TOLERANCE = 0.01  # 33.33 × 3 and similar rounded compositions still count as 100 %

SECTION_NAME_MAX_LENGTH = 100
_SECTION_NAME = compile_pattern(r"^[a-z0-9][a-z0-9_]*$")
_CURRENCY = compile_pattern(r"^[A-Z]{3}$")
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")
_NAME_SEPARATORS = compile_pattern(r"[\s\-]+")


class FabricEntry(TypedDict):
    """One material of a composition: {"name": "cotton", "percentage": 95.0}."""

    name: str
    percentage: float


def optional_text(value: object, field_name: str, max_length: int) -> str | None:
    """Trimmed text, or None for a missing or blank value."""
    return validate_text(value, field_name, max_length=max_length) or None


def clean_section_name(value: object, field_name: str = "category_section") -> str | None:
    """A section identifier: lower case, spaces and hyphens become underscores ("Summer Collection" → summer_collection)."""
    text = validate_text(value, field_name, max_length=SECTION_NAME_MAX_LENGTH)
    if not text:
        return None
    name = _NAME_SEPARATORS.sub("_", text.lower())
    if not _SECTION_NAME.match(name):
        raise ValidationError(
            f"{field_name} may contain only letters, digits, spaces, hyphens and underscores",
            code="INVALID_SECTION_NAME",
            details={"field": field_name},
        )
    return name


def clean_price(value: object) -> float | None:
    return validate_numeric(value, "price", min_value=0, max_value=MAX_PRICE)


def clean_currency(value: object) -> str | None:
    text = validate_text(value, "currency", max_length=3)
    if not text:
        return None
    if not _CURRENCY.match(text.upper()):
        raise ValidationError(
            "currency must be a three-letter ISO 4217 code such as EUR or USD",
            code="INVALID_CURRENCY",
            details={"field": "currency"},
        )
    return text.upper()


def clean_boolean(value: object, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValidationError(f"{field_name} must be true or false", details={"field": field_name})


def clean_fabric(value: object) -> list[FabricEntry]:
    """[{"name", "percentage"}] with 0 < percentage ≤ 100 and a total of at most 100; JSON text accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str):
        value = parse_json_text(value, "fabric")
    if not isinstance(value, list):
        raise _fabric_error('fabric must be a list like [{"name": "cotton", "percentage": 100}]')
    if len(value) > MAX_FABRIC_ENTRIES:
        raise _fabric_error(f"fabric may list at most {MAX_FABRIC_ENTRIES} materials")
    cleaned: list[FabricEntry] = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - {"name", "percentage"}:
            raise _fabric_error('each fabric entry must be an object with "name" and "percentage"')
        name = optional_text(entry.get("name"), "fabric name", max_length=100)
        if name is None:
            raise _fabric_error("each fabric entry needs a name")
        percentage = _fabric_percentage(entry.get("percentage"))
        cleaned.append({"name": name, "percentage": percentage})
    total = sum(entry["percentage"] for entry in cleaned)
    if total > 100 + FABRIC_TOTAL_TOLERANCE:
        raise _fabric_error(
            f"fabric percentages add up to {round(total, 2)}; they may add up to at most 100",
            total=round(total, 2),
        )
    return cleaned


def _fabric_percentage(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _fabric_error("each fabric percentage must be a number greater than 0 and at most 100")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise _fabric_error(
            "each fabric percentage must be a number greater than 0 and at most 100"
        ) from None
    if not math.isfinite(number) or not 0 < number <= 100:
        raise _fabric_error("each fabric percentage must be a number greater than 0 and at most 100")
    return round(number, 2)


def _fabric_error(message: str, **details: float) -> ValidationError:
    return ValidationError(message, code="INVALID_FABRIC", details={"field": "fabric", **details})


def clean_category_id(value: object) -> int | None:
    return validate_integer(value, "category_id", min_value=1)


def clean_garment_type(value: object) -> str | None:
    garment_type: str | None = validate_choice(
        optional_text(value, "garment_type", 20), "garment_type", GARMENT_TYPES
    )
    return garment_type


def clean_garment_url(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_url(value, "garment_url")
