"""What the prompts tell Gemini, in Google's multi-image composition pattern: each image named by its
position, what to take from which image, and what must stay unchanged."""

from shared.ai_models import GarmentInput
from shared.ai_models.prompts import body_prompt, describe_body, tryon_prompt


def _garment(kind, **details):
    return GarmentInput(b"", kind, details)


def test_the_try_on_prompt_names_each_image_and_says_what_to_take_and_keep():
    prompt = tryon_prompt([_garment("top", brand="Zara"), _garment("bottom"), _garment("shoes")])
    lines = prompt.splitlines()
    assert "Image 1 is a photo of the person." in lines
    assert "Image 2 is a product photo of a top: brand: Zara." in lines
    assert any(line.startswith("Image 3 is a product photo of a bottom") for line in lines)
    assert any(line.startswith("Image 4 is a product photo of a pair of shoes") for line in lines)
    assert "Take only the person from image 1 and only the garment from each product photo." in lines
    keep = next(line for line in lines if line.startswith("Keep unchanged:"))
    for kept in ("face", "identity", "hair", "body shape", "pose", "framing", "background of image 1"):
        assert kept in keep
    # dressed from the inside out: shoes, then the bottom, then the top
    wearing = next(line for line in lines if line.startswith("Create a photorealistic photo"))
    assert wearing.index("image 4") < wearing.index("image 3") < wearing.index("image 2")


def test_the_body_prompt_takes_the_face_from_the_photo_and_the_body_from_the_measurements():
    prompt = body_prompt(
        gender="female",
        measurements={
            "height": 168,
            "weight": 60.5,
            "breast_circumference": 90,
            "waist": 74,
            "hip_circumference": 98,
        },
    )
    lines = prompt.splitlines()
    assert lines[0].startswith("Image 1 is a photo of a person")
    assert "full-length" in prompt and "from the top of the head to the feet" in prompt
    assert "Take from image 1 only the person's face and identity, hair, skin tone and age." in lines
    assert (
        "Body: a woman, 168 cm tall, weighing 60.5 kg, bust 90 cm, waist 74 cm, hips 98 cm; give the body "
        "these proportions." in lines
    )
    clothes = next(line for line in lines if line.startswith("Dress the person"))
    assert "neutral" in clothes and "close-fitting" in clothes and "no logos" in clothes
    assert any("plain" in line and "background" in line for line in lines)
    assert any(line.startswith("Keep unchanged:") and "face" in line and "hair" in line for line in lines)


def test_body_guidance_uses_what_is_known():
    assert (
        describe_body(gender="male", measurements={"chest": 100, "hips": 95})
        == "Body: a man, chest 100 cm, hips 95 cm; give the body these proportions."
    )
    assert describe_body() == "Body: a person with a body that matches their face and build in image 1."
