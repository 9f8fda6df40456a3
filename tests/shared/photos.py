"""Test pictures: real photos of people shipped by installed packages, and product photos we draw.

The people are scikit-image's `astronaut` (Eileen Collins, upper body) and matplotlib's
`grace_hopper`; scikit-image's `coffee` is a real photo without a person. Product photos are drawn
like shop flat-lays: one garment on a plain light background.
"""
import io
from functools import lru_cache

import matplotlib.cbook
import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from skimage import data

# Where things are in the 512×512 astronaut photo (x, y).
ASTRONAUT_FACE = (222, 120)
ASTRONAUT_CHEST = (205, 330)
ASTRONAUT_BACKGROUND = ((30, 30), (480, 40), (330, 60), (400, 150))


def encode(image, image_format="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def decode(image_data):
    image = Image.open(io.BytesIO(image_data))
    image.load()
    return image


@lru_cache
def astronaut_image():
    return Image.fromarray(data.astronaut())


@lru_cache
def hopper_image():
    with Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as image:
        return image.convert("RGB")


def astronaut_png():
    return encode(astronaut_image())


def astronaut_jpeg():
    return encode(astronaut_image(), "JPEG", quality=92)


def hopper_jpeg():
    return encode(hopper_image(), "JPEG", quality=92)


def coffee_jpeg():
    return encode(Image.fromarray(data.coffee()), "JPEG", quality=92)


def two_people_png():
    """Both photos side by side: two real people in one picture."""
    hopper = hopper_image().resize((427, 512))
    canvas = Image.new("RGB", (512 + 427, 512))
    canvas.paste(astronaut_image(), (0, 0))
    canvas.paste(hopper, (512, 0))
    return encode(canvas)


def flat_lay_top(colour=(30, 90, 200), background=(245, 245, 245), size=(800, 800)):
    """A T-shirt laid flat, sleeves out, with a little fabric noise, on a plain background."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    cx = width / 2
    draw.polygon([(cx - 90, 120), (cx - 200, 150), (cx - 330, 300), (cx - 250, 370), (cx - 190, 300),
                  (cx - 190, 700), (cx + 190, 700), (cx + 190, 300), (cx + 250, 370), (cx + 330, 300),
                  (cx + 200, 150), (cx + 90, 120), (cx + 50, 160), (cx, 170), (cx - 50, 160)], fill=colour)
    noise = np.random.default_rng(0).normal(0, 5, (height, width, 3))
    noisy = np.clip(np.asarray(image).astype(float) + noise, 0, 255).astype(np.uint8)
    return encode(Image.fromarray(noisy).filter(ImageFilter.GaussianBlur(0.6)))


def flat_lay_trousers(colour=(40, 60, 110), background=(250, 250, 250)):
    image = Image.new("RGB", (700, 900), background)
    draw = ImageDraw.Draw(image)
    draw.polygon([(180, 80), (520, 80), (550, 840), (390, 840), (350, 300), (310, 840), (150, 840)], fill=colour)
    return encode(image)


def plain_png(colour=(90, 120, 200), size=(300, 300)):
    return encode(Image.new("RGB", size, colour))


def pixel(image, point):
    return np.asarray(image.convert("RGBA"))[point[1], point[0]]
