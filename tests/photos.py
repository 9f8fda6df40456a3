"""Test images: a real photo of a person and hand-drawn garment product shots."""
import io

from PIL import Image, ImageDraw
from skimage import data as skimage_data


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def person_photo():
    """A real photo of a person from the chest up (scikit-image's astronaut)."""
    return Image.fromarray(skimage_data.astronaut())


def standing_person_photo():
    """A real photo of a man standing, seen down to his thighs, so his hips show (scikit-image's camera)."""
    return Image.fromarray(skimage_data.camera()).convert("RGB")


def draw_garment(kind="top", color=(200, 30, 40), size=(600, 700)):
    """A flat-lay product shot: a garment silhouette on a plain white background."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    w, h = size
    if kind == "top":
        draw.polygon([(w * .3, h * .1), (w * .7, h * .1), (w * .95, h * .3), (w * .82, h * .4), (w * .75, h * .32),
                      (w * .75, h * .9), (w * .25, h * .9), (w * .25, h * .32), (w * .18, h * .4), (w * .05, h * .3)],
                     fill=color)
    else:
        draw.polygon([(w * .3, h * .05), (w * .7, h * .05), (w * .75, h * .95), (w * .55, h * .95), (w * .5, h * .35),
                      (w * .45, h * .95), (w * .25, h * .95)], fill=color)
    return image
