"""What the schema layer (shared/schemas.py) costs per request: parsing a body with each feature's request
model, and the @operation wrapper around a view that takes no input (every read).

    .venv/bin/python bench/bench_schemas.py [--repeat 20000]

Each figure is the median of five runs of `repeat` calls, in microseconds per call, on one core.
"""

import argparse
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from features.auth.schemas import CreateAccountRequest  # noqa: E402
from features.body_measurements.schemas import MeasurementsInput  # noqa: E402
from features.fitting.schemas import FitCheckRequest  # noqa: E402
from features.garments.schemas import CategorizeRequest  # noqa: E402
from features.tryon.schemas import TryOnOptions  # noqa: E402
from features.users.schemas import ProfileUpdate  # noqa: E402
from features.wardrobe.fields import (  # noqa: E402
    ITEM_TEXT_LIMITS,
    clean_currency,
    clean_fabric,
    clean_price,
    optional_text,
)
from features.wardrobe.schemas import SectionInput, WardrobeItemInput  # noqa: E402
from shared.schemas import Answer, operation  # noqa: E402
from shared.validators import refuse_unknown_fields, validate_choice, validate_past_date, validate_text  # noqa: E402

BODIES = {
    "MeasurementsInput (3 numbers, one a string)": (
        MeasurementsInput,
        {"height": 170, "weight": "62.5", "waist_circumference": 74},
    ),
    "ProfileUpdate (4 fields, read-only ones sent back)": (
        ProfileUpdate,
        {
            "first_name": "Ada",
            "city": "Berlin",
            "gender": "female",
            "birthday": "1990-01-15",
            "id": 1,
            "userid": "k3x9q2ab",
            "created_at": "2026-01-01T00:00:00+00:00",
        },
    ),
    "CreateAccountRequest (profile and nested measurements)": (
        CreateAccountRequest,
        {
            "email": "ada@example.com",
            "password": "correct horse 1",
            "first_name": "Ada",
            "gender": "female",
            "body_measurements": {"height": 168, "weight": 60},
        },
    ),
    "SectionInput (name, display name, sort order)": (
        SectionInput,
        {"name": "Summer Collection", "display_name": "Summer", "sort_order": 3},
    ),
    "FitCheckRequest (category, size, gender, preference)": (
        FitCheckRequest,
        {"category": "t_shirts", "size": "M", "gender": "female", "fit_preference": "regular"},
    ),
    "WardrobeItemInput (title, size, price, currency, fabric as a form's JSON text)": (
        WardrobeItemInput,
        {
            "title": "Linen shirt",
            "size": "M",
            "price": "29.90",
            "currency": "eur",
            "fabric": '[{"name": "linen", "percentage": 100}]',
        },
    ),
    "TryOnOptions (two garments with types and details)": (
        TryOnOptions,
        {"garments": [{"type": "top", "details": {"color": "navy"}}, {"type": "bottom"}]},
    ),
    "CategorizeRequest (title and breadcrumbs as one string)": (
        CategorizeRequest,
        {"title": "Linen shirt", "breadcrumbs": "Men > Shirts > Linen"},
    ),
}


def _per_call(function, repeat):
    return statistics.median(timeit.repeat(function, number=repeat, repeat=5)) / repeat * 1e6


def _profile_checks_by_hand(body):
    """What the hand-written profile check ran for the same body before the schema layer."""
    refuse_unknown_fields(body, ProfileUpdate.model_fields, ignored=ProfileUpdate.read_only)
    for name in ("first_name", "city"):
        validate_text(body[name], name, max_length=255)
    validate_choice(body["gender"], "gender", ("male", "female", "other", "prefer-not-to-say"))
    validate_past_date(body["birthday"], "birthday")


def _item_cleaners_by_hand(body):
    """What the wardrobe service ran for the same item before its model did (fields.py's cleaners)."""
    refuse_unknown_fields(body, WardrobeItemInput.model_fields, ignored=WardrobeItemInput.read_only)
    for name in ("title", "size"):
        optional_text(body[name], name, ITEM_TEXT_LIMITS[name])
    clean_price(body["price"])
    clean_currency(body["currency"])
    clean_fabric(body["fabric"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20000)
    repeat = parser.parse_args().repeat
    for label, (model, body) in BODIES.items():
        print(f"{label}: {_per_call(lambda: model.parse(body), repeat):.2f} µs")

    profile = BODIES["ProfileUpdate (4 fields, read-only ones sent back)"][1]
    print(
        f"the same profile checks called by hand: {_per_call(lambda: _profile_checks_by_hand(profile), repeat):.2f} µs"
    )

    item = BODIES["WardrobeItemInput (title, size, price, currency, fabric as a form's JSON text)"][1]
    print(
        f"the same item cleaners called by hand: {_per_call(lambda: _item_cleaners_by_hand(item), repeat):.2f} µs"
    )

    def view():
        return None

    wrapped = operation(tag="Bench", summary="A read", answers={200: Answer(None, "Nothing.")})(view)
    bare, declared = _per_call(view, repeat * 10), _per_call(wrapped, repeat * 10)
    print(f"@operation on a view without input: {declared - bare:.2f} µs added ({bare:.2f} → {declared:.2f})")


if __name__ == "__main__":
    main()
