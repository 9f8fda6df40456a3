"""Prompts for the Gemini image model, in Google's multi-image composition pattern: each image is named by
its position in the request, the prompt says what to take from which image and what must stay unchanged."""

from collections.abc import Mapping, Sequence
from typing import Any

from shared.ai_models import DRESSING_ORDER, GarmentInput

GARMENT_NOUNS = {
    "top": "top",
    "bottom": "bottom (trousers, jeans, shorts or skirt)",
    "one_piece": "one-piece (dress or jumpsuit)",
    "outerwear": "piece of outerwear (jacket or coat)",
    "shoes": "pair of shoes",
    "accessory": "accessory",
}
DETAIL_FIELDS = ("brand", "title", "category", "color", "style", "material")
_MAX_DETAIL_LENGTH = 80

BACKGROUND_REMOVAL_PROMPT = (
    "Image 1 is a photo of a person. Return the same photo with everything except the person replaced by a "
    "perfectly flat, uniform pure green background (#00FF00), with no shadows, gradients or texture. Keep the "
    "person exactly as they are: same face, hair, body, pose, clothing, size and position in the frame. Do not "
    "crop, add or remove anything else. Return only the image."
)


def tryon_prompt(garments: Sequence[GarmentInput]) -> str:
    """The try-on instruction for a person (image 1) followed by the garments (images 2, 3, ...) in order."""
    lines = [
        "You are a virtual fitting room. The images in this request are numbered in the order they appear.",
        "Image 1 is a photo of the person.",
    ]
    for position, garment in enumerate(garments, start=2):
        description = describe_garment(garment.details)
        lines.append(
            f"Image {position} is a product photo of a {GARMENT_NOUNS[garment.garment_type]}"
            + (f": {description}." if description else ".")
        )
    order = sorted(range(len(garments)), key=lambda index: DRESSING_ORDER.index(garments[index].garment_type))
    wearing = ", then ".join(
        f"the {garments[index].garment_type.replace('_', '-')} from image {index + 2}" for index in order
    )
    lines += [
        f"Create a photorealistic photo of the person from image 1 wearing {wearing}.",
        "Take only the person from image 1 and only the garment from each product photo.",
        "Keep unchanged: the person's face and identity, hair, skin tone, body shape and proportions, pose and "
        "hands, the camera angle and framing, the lighting and the background of image 1.",
        "Replace only the clothing that these garments cover; keep everything else the person wears.",
        "Reproduce each garment faithfully from its image: colour, pattern, print, logos, fabric texture, cut, "
        "fit and length; let it drape naturally over this person's body with realistic folds and shadows.",
        "Do not show the product photos' backgrounds, hangers, mannequins or models, and add no text or watermark.",
        "Return only the image.",
    ]
    return "\n".join(lines)


def describe_garment(details: Mapping[str, Any] | None) -> str:
    """'brand: Zara; color: navy; ...' from shop details, flattened to one line and shortened."""
    described = []
    for name in DETAIL_FIELDS:
        value = (details or {}).get(name)
        if isinstance(value, (str, int, float)) and str(value).strip():
            # Shop text is untrusted: one line, bounded length, so it stays a description.
            text = " ".join(str(value).split())[:_MAX_DETAIL_LENGTH]
            described.append(f"{name}: {text}")
    return "; ".join(described)


# Body guidance: (measurement fields in preference order, word for a woman, word for anyone else).
_BODY_CIRCUMFERENCES = (
    (("breast_circumference", "chest"), "bust", "chest"),
    (("waist_circumference", "waist"), "waist", "waist"),
    (("hip_circumference", "hips"), "hips", "hips"),
)
_PEOPLE = {"female": "a woman", "male": "a man"}


def body_prompt(*, gender: str | None = None, measurements: Mapping[str, float] | None = None) -> str:
    """Instruction to build a full-length photo of the person in image 1 (often head and shoulders only),
    with the body shaped by their stored measurements, in plain fitted clothes to try garments on."""
    return "\n".join(
        [
            "Image 1 is a photo of a person; it may show only their head and shoulders.",
            "Create a photorealistic full-length photo of this same person standing upright and facing the camera, "
            "arms relaxed at the sides, the whole body visible from the top of the head to the feet, with a little "
            "space above the head and below the feet.",
            "Take from image 1 only the person's face and identity, hair, skin tone and age.",
            describe_body(gender=gender, measurements=measurements),
            "Dress the person in plain, neutral, close-fitting clothes: a light grey fitted short-sleeved top, fitted "
            "dark grey ankle-length leggings and plain white sneakers, with no logos or prints.",
            "Use a plain, evenly lit, light grey studio background with no props or shadows behind the person.",
            "Keep unchanged: the face and identity, hair and skin tone of the person in image 1.",
            "Add no text or watermark. Return only the image.",
        ]
    )


def describe_body(*, gender: str | None = None, measurements: Mapping[str, float] | None = None) -> str:
    """'Body: a woman, 168 cm tall, 60 kg, bust 90 cm, ...' from the stored measurements (any may be missing)."""
    measurements = measurements or {}
    facts = [_PEOPLE.get(gender or "", "a person")]
    if measurements.get("height"):
        facts.append(f"{measurements['height']:g} cm tall")
    if measurements.get("weight"):
        facts.append(f"weighing {measurements['weight']:g} kg")
    for fields, womans_word, word in _BODY_CIRCUMFERENCES:
        value = next((measurements[name] for name in fields if measurements.get(name)), None)
        if value:
            facts.append(f"{womans_word if gender == 'female' else word} {value:g} cm")
    if len(facts) == 1:
        return f"Body: {facts[0]} with a body that matches their face and build in image 1."
    return f"Body: {', '.join(facts)}; give the body these proportions."
