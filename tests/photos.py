"""Test pictures: real photos of people shipped by installed packages, and product photos we draw.

The people are scikit-image's `astronaut` (Eileen Collins, upper body), its `camera` (a man seen down
to his thighs) and matplotlib's `grace_hopper`; scikit-image's `coffee` is a real photo without a person. Product photos are drawn
like shop flat-lays: one garment on a plain light background.
"""

import io
from functools import lru_cache

import cv2
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


# Long dark hair painted on the astronaut: over the top of her head and falling in two strands past her shoulders.
LONG_HAIR = [
    [(150, 120), (175, 40), (225, 15), (275, 40), (300, 120), (280, 120), (270, 70), (180, 70), (172, 120)],
    [(150, 100), (176, 100), (184, 320), (148, 320)],
    [(274, 100), (300, 100), (306, 320), (272, 320)],
]


def long_haired_astronaut():
    """(The astronaut with long dark hair down over her shoulders, the hair's mask)."""
    image = np.asarray(astronaut_image()).copy()
    shape = Image.new("L", image.shape[1::-1], 0)
    draw = ImageDraw.Draw(shape)
    for polygon in LONG_HAIR:
        draw.polygon(polygon, fill=1)
    hair = np.asarray(shape).astype(bool)
    strands = np.random.default_rng(0).normal(0, 10, image.shape[:2])[hair][:, None]
    image[hair] = np.clip(np.array([70, 45, 30]) + strands, 0, 255).astype(np.uint8)
    return Image.fromarray(image), hair


@lru_cache
def hopper_image():
    with Image.open(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as image:
        return image.convert("RGB")


@lru_cache
def cameraman_image():
    """A man standing, seen down to his thighs: shoulders and hips in view (scikit-image's camera, grey)."""
    return Image.fromarray(data.camera()).convert("RGB")


def cameraman_png():
    return encode(cameraman_image())


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


# Garment outlines as shops photograph them laid flat, in a 600×800 frame: (x, y) points.
T_SHIRT = [
    (210, 110),
    (120, 140),
    (30, 300),
    (110, 350),
    (160, 290),
    (160, 700),
    (440, 700),
    (440, 290),
    (490, 350),
    (570, 300),
    (480, 140),
    (390, 110),
    (350, 150),
    (300, 160),
    (250, 150),
]
LONG_SLEEVES = [
    (220, 60),
    (130, 90),
    (70, 300),
    (40, 620),
    (110, 630),
    (150, 330),
    (160, 740),
    (440, 740),
    (450, 330),
    (490, 630),
    (560, 620),
    (530, 300),
    (470, 90),
    (380, 60),
    (340, 100),
    (300, 110),
    (260, 100),
]
# A top tapering from the chest to a hem half as wide (a fitted tunic on a mannequin slimmer than most bodies).
TAPERED_TOP = [
    (200, 80),
    (240, 80),
    (260, 180),
    (340, 180),
    (360, 80),
    (400, 80),
    (420, 260),
    (360, 560),
    (240, 560),
    (180, 260),
]
TANK_TOP = [
    (200, 80),
    (240, 80),
    (260, 180),
    (340, 180),
    (360, 80),
    (400, 80),
    (420, 260),
    (450, 700),
    (150, 700),
    (180, 260),
]
JEANS = [(170, 60), (430, 60), (460, 760), (330, 760), (300, 280), (270, 760), (140, 760)]
SHORTS = [(120, 200), (480, 200), (530, 560), (330, 600), (300, 400), (270, 600), (70, 560)]
SKIRT = [(190, 150), (410, 150), (500, 650), (100, 650)]
DRESS = [
    (240, 40),
    (170, 60),
    (110, 170),
    (160, 210),
    (200, 170),
    (210, 360),
    (130, 780),
    (470, 780),
    (390, 360),
    (400, 170),
    (440, 210),
    (490, 170),
    (430, 60),
    (360, 40),
    (330, 80),
    (270, 80),
]
# Sleeveless maxi dresses on thin straps, their bodice 150 px wide under the arms: one falls straight, the other in
# three tiers, each wider than the one above (the widest far wider than the bodice).
_STRAPS_AND_BODICE = [
    (225, 140),
    (235, 20),
    (250, 20),
    (255, 120),
    (345, 120),
    (350, 20),
    (365, 20),
    (375, 140),
]
STRAIGHT_MAXI_DRESS = _STRAPS_AND_BODICE + [(365, 230), (400, 780), (200, 780), (235, 230)]
TIERED_MAXI_DRESS = _STRAPS_AND_BODICE + [
    (365, 230),
    (380, 232),
    (395, 400),
    (420, 402),
    (440, 560),
    (470, 562),
    (520, 780),
    (80, 780),
    (130, 562),
    (160, 560),
    (180, 402),
    (205, 400),
    (220, 232),
    (235, 230),
]
JUMPSUIT = [
    (230, 30),
    (260, 30),
    (280, 140),
    (320, 140),
    (340, 30),
    (370, 30),
    (400, 250),
    (420, 780),
    (330, 780),
    (300, 420),
    (270, 780),
    (180, 780),
    (200, 250),
]


# A shirt with its collar standing up well above the shoulder seams, as shirts are photographed.
SHIRT = [
    (200, 95),
    (215, 15),
    (300, 55),
    (385, 15),
    (400, 95),
    (470, 110),
    (560, 300),
    (480, 350),
    (440, 290),
    (440, 740),
    (160, 740),
    (160, 290),
    (120, 350),
    (40, 300),
    (130, 110),
]
SHIRT_COLLAR = [
    ([(215, 15), (300, 55), (300, 90), (230, 100)], (225, 225, 235)),
    ([(385, 15), (300, 55), (300, 90), (370, 100)], (225, 225, 235)),
]


# A tee photographed as shops do: its back neckline is the top of the outline, and through the front's V-neck the
# inside of the back shows, in the fabric's shade (the V's edge is where the front's light meets it).
CLOSED_NECK_TEE = [
    (210, 110),
    (120, 140),
    (30, 300),
    (110, 350),
    (160, 290),
    (160, 700),
    (440, 700),
    (440, 290),
    (490, 350),
    (570, 300),
    (480, 140),
    (390, 110),
    (350, 118),
    (300, 121),
    (250, 118),
]
INSIDE_BACK = [(214, 113), (250, 121), (300, 124), (350, 121), (386, 113), (300, 250)]


def v_neck_tee_showing_its_back(colour=(200, 40, 40), inside=(95, 20, 25)):
    return flat_lay(CLOSED_NECK_TEE, colour, details=[(INSIDE_BACK, inside)])


# A deeper V whose inside shows the back in two shades, as velvet and jersey are photographed: the band under the back
# neckline in the light, the back below it in the shade of the front (darker, the same fabric), down to the V's point.
DEEP_INSIDE_BACK = [(214, 113), (250, 121), (300, 124), (350, 121), (386, 113), (300, 280)]
SHADED_BACK = [(262, 205), (338, 205), (300, 280)]
# A crew neck: the back shows through it as a thin arc under the back neckline, nothing down the chest.
CREW_INSIDE_BACK = [
    (214, 113),
    (250, 121),
    (300, 124),
    (350, 121),
    (386, 113),
    (340, 134),
    (300, 140),
    (260, 134),
]
# A turtleneck: a folded collar rising above the shoulders, its roll's inside a thin dark band at its top.
TURTLENECK = CLOSED_NECK_TEE[:-3] + [(390, 40), (210, 40)]
TURTLENECK_ROLL = [
    ([(215, 40), (385, 40), (380, 52), (220, 52)], None),
    ([(210, 95), (390, 95), (390, 100), (210, 100)], None),
]


def v_neck_tee_showing_its_shaded_back(colour=(200, 40, 40), inside=(95, 20, 25), shade=(55, 10, 14)):
    return flat_lay(CLOSED_NECK_TEE, colour, details=[(DEEP_INSIDE_BACK, inside), (SHADED_BACK, shade)])


def crew_neck_tee_showing_its_back(colour=(200, 40, 40), inside=(95, 20, 25)):
    return flat_lay(CLOSED_NECK_TEE, colour, details=[(CREW_INSIDE_BACK, inside)])


def turtleneck(colour=(200, 40, 40), fold=(150, 30, 30)):
    return flat_lay(TURTLENECK, colour, details=[(polygon, fold) for polygon, _ in TURTLENECK_ROLL])


def collared_shirt(colour=(240, 240, 245)):
    return flat_lay(SHIRT, colour, background=(200, 200, 200), details=SHIRT_COLLAR)


# Trousers as several overlapping shapes (hips, each leg): the legs' inner edges meet or cross at the hem.
_HIPS = [(165, 60), (435, 60), (445, 300), (155, 300)]
BELT = [
    ([(155, 70), (445, 70), (445, 100), (155, 100)], (30, 20, 20)),
    ([(285, 62), (315, 62), (315, 108), (285, 108)], (200, 170, 60)),
]
WAIST_TIES = [
    ([(292, 75), (298, 75), (285, 380), (279, 380)], (230, 230, 230)),
    ([(302, 75), (308, 75), (322, 390), (316, 390)], (230, 230, 230)),
]
SASH = [
    ([(200, 345), (400, 345), (402, 375), (198, 375)], (30, 30, 30)),
    ([(390, 360), (410, 360), (470, 600), (452, 604)], (30, 30, 30)),
]


def wide_legs(hem_gap=0):
    """Wide, flared legs whose hems are `hem_gap` px apart at the middle (0: they touch; negative: they overlap),
    so the gap between the legs is closed at the bottom: a background-coloured slit running down from the crotch."""
    left, right = 300 - hem_gap / 2, 300 + hem_gap / 2
    return [
        _HIPS,
        [(165, 290), (300, 290), (278, 560), (left, 780), (40, 780)],
        [(300, 290), (435, 290), (560, 780), (right, 780), (322, 560)],
    ]


def flat_lay(
    outline,
    colour=(30, 90, 200),
    background=(250, 250, 250),
    stripes=None,
    seed=0,
    *,
    details=(),
    rotate=0.0,
    shadow=0,
):
    """A garment laid flat on a plain background: the outline (one polygon, or a list of polygons that overlap,
    like two trouser legs) filled with `colour` (or horizontal stripes of `colour` and `stripes` = (light colour,
    height in px), with the seams' shadow) and a little fabric noise. `details` are (polygon, colour) drawn on
    top: a belt, ties, a buckle. The photo may be turned by `rotate` degrees (the garment laid a little askew)
    and the garment may cast a soft shadow `shadow` px down and to the right (a lamp beside the camera)."""
    shapes = _polygons(outline)
    image = Image.new("RGB", (600, 800), background)
    draw = ImageDraw.Draw(image)
    if stripes is None:
        for polygon in shapes:
            draw.polygon(polygon, fill=colour)
    else:
        light, height = stripes
        fabric = Image.new("RGB", image.size, colour)
        fabric_draw = ImageDraw.Draw(fabric)
        for top in range(0, 800, 2 * height):
            fabric_draw.rectangle([0, top, 600, top + height - 1], fill=light)
        image.paste(fabric, mask=Image.fromarray((inside(outline) * 255).astype(np.uint8)))
        # A white stripe meets the background at the seams: what shows there is the seam's own shadow.
        for polygon in shapes:
            draw.line([*polygon, polygon[0]], fill=tuple(round(c * 0.85) for c in background), width=3)
    for polygon, detail_colour in details:
        draw.polygon(polygon, fill=detail_colour)
    garment = np.maximum(inside(outline), inside([polygon for polygon, _ in details] or [[(0, 0)] * 3]))
    noise = np.random.default_rng(seed).normal(0, 6, (800, 600, 3))
    noisy = np.clip(np.asarray(image).astype(float) + noise * garment[..., None], 0, 255)
    if shadow:
        cast = np.roll(garment, (shadow, shadow), axis=(0, 1))
        cast = np.asarray(
            Image.fromarray((cast * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(shadow))
        )
        noisy = noisy * (1 - 0.25 * (cast[..., None] / 255) * (1 - garment[..., None]))
    picture = Image.fromarray(noisy.astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    if rotate:
        picture = picture.rotate(rotate, resample=Image.BICUBIC, fillcolor=background)
    return encode(picture)


def _polygons(outline):
    return outline if isinstance(outline[0][0], (tuple, list)) else [outline]


def inside(outline):
    """Mask (float 0/1) of the pixels inside a garment outline or outlines (600×800)."""
    shape = Image.new("L", (600, 800), 0)
    draw = ImageDraw.Draw(shape)
    for polygon in _polygons(outline):
        draw.polygon(polygon, fill=1)
    return np.asarray(shape, dtype=float)


def t_shirt(colour=(30, 90, 200), **options):
    return flat_lay(T_SHIRT, colour, **options)


# The T_SHIRT's sleeves, each from its shoulder seam to the armpit: to draw them in a colour of their own.
T_SHIRT_SLEEVES = (
    [(160, 127), (120, 140), (30, 300), (110, 350), (160, 290)],
    [(440, 127), (480, 140), (570, 300), (490, 350), (440, 290)],
)
# A wrap top's tie knotted at its right side, hanging beside it below the armpit (apart from the body but at its knot).
SIDE_TIE = [(440, 500), (470, 495), (505, 690), (478, 695), (455, 545), (440, 545)]


def contrasting_sleeves_tee(colour=(30, 90, 200), sleeves=(230, 190, 40), **options):
    """The T_SHIRT with its short sleeves in another colour (a colour-block or raglan tee)."""
    return flat_lay(T_SHIRT, colour, details=[(sleeve, sleeves) for sleeve in T_SHIRT_SLEEVES], **options)


def tee_with_a_side_tie(colour=(30, 90, 200)):
    """The T_SHIRT with a tie hanging at its right side from the waist (a wrap top's)."""
    return flat_lay(T_SHIRT, colour, details=[(SIDE_TIE, colour)])


# A drawn person's pose (600×900 px): shoulder, elbow and wrist of each arm, the one on the left as seen first.
DRAWN_ARMS = {
    "down": (((225, 230), (205, 380), (200, 510)), ((375, 230), (395, 380), (400, 510))),
    "away": (((225, 230), (150, 360), (100, 480)), ((375, 230), (450, 360), (500, 480))),
    "hand_on_hip": (((225, 230), (205, 380), (200, 510)), ((375, 230), (450, 360), (370, 470))),
    "hand_on_belly": (((225, 230), (205, 380), (200, 510)), ((375, 230), (420, 380), (310, 460))),
}
DRAWN_SKIN, DRAWN_TOP = (205, 150, 120), (60, 110, 70)
# A drawn person's long hair: where it ends, and its two strands in front of the shoulders, beside the neck.
DRAWN_HAIR_ENDS = 300
DRAWN_HAIR_STRANDS = (
    [(240, 150), (272, 150), (268, DRAWN_HAIR_ENDS), (236, DRAWN_HAIR_ENDS)],
    [(328, 150), (360, 150), (364, DRAWN_HAIR_ENDS), (332, DRAWN_HAIR_ENDS)],
)


def drawn_person(arms="down", long_hair=None, top_colour=DRAWN_TOP):
    """A person drawn flat (mediapipe finds their pose and face): bare arms `arms` (DRAWN_ARMS), in a top that
    covers their shoulders (green unless `top_colour`) and dark trousers, on a grey wall (RGB image). With `long_hair`
    (a colour) their hair hangs behind the neck and in two strands in front of the shoulders, beside the neck, down
    to DRAWN_HAIR_ENDS (the rest of the shoulders is the top's)."""
    image = Image.new("RGB", (600, 900), (200, 200, 205))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(235, 520), (365, 520), (360, 880), (310, 880), (300, 600), (290, 880), (240, 880)],
        fill=(50, 50, 70),
    )
    if long_hair is not None:
        draw.rounded_rectangle([232, 55, 368, DRAWN_HAIR_ENDS], 40, fill=long_hair)
    draw.rectangle([280, 160, 320, 220], fill=DRAWN_SKIN)
    draw.ellipse([245, 60, 355, 195], fill=DRAWN_SKIN)
    for eye in (270, 315):
        draw.ellipse([eye, 110, eye + 15, 120], fill=(60, 40, 30))
    draw.line([(285, 165), (315, 165)], fill=(150, 60, 60), width=5)
    draw.ellipse([240, 50, 360, 110], fill=(50, 35, 25) if long_hair is None else long_hair)
    top = [(205, 212), (395, 212), (400, 245), (385, 290), (375, 530), (225, 530), (215, 290), (200, 245)]
    draw.polygon(top, fill=top_colour)
    for shoulder, elbow, wrist in DRAWN_ARMS[arms]:
        draw.line([shoulder, elbow], fill=DRAWN_SKIN, width=52, joint="curve")
        draw.line([elbow, wrist], fill=DRAWN_SKIN, width=42, joint="curve")
        for x, y in (shoulder, elbow):
            draw.ellipse([x - 26, y - 26, x + 26, y + 26], fill=DRAWN_SKIN)
        draw.ellipse([wrist[0] - 24, wrist[1] - 20, wrist[0] + 24, wrist[1] + 40], fill=DRAWN_SKIN)
    # The top over the shoulders' caps (no bare skin above the shoulders but the neck's).
    draw.polygon(top[:4] + top[-2:], fill=top_colour)
    if long_hair is not None:
        for strand in DRAWN_HAIR_STRANDS:
            draw.polygon(strand, fill=long_hair)
    return image.filter(ImageFilter.GaussianBlur(1))


def striped_top_on_white(colour=(25, 35, 90)):
    """A navy-and-white striped long-sleeved top whose white stripes are as white as the background."""
    return flat_lay(LONG_SLEEVES, colour, background=(255, 255, 255), stripes=((255, 255, 255), 24))


def colour_block_tee():
    """Red shoulders, a white chest band and a navy body, on light grey (the band is the background's colour)."""
    image = np.asarray(photos_decode_png(flat_lay(T_SHIRT, (200, 30, 40), background=(246, 246, 246)))).copy()
    band = inside(T_SHIRT).astype(bool)
    rows = np.arange(800)[:, None]
    image[band & (rows >= 300) & (rows < 400)] = (246, 246, 246)
    image[band & (rows >= 400)] = (25, 35, 80)
    noise = np.random.default_rng(1).normal(0, 6, image.shape) * band[..., None]
    return encode(Image.fromarray(np.clip(image + noise, 0, 255).astype(np.uint8)))


def light_cardigan_on_white():
    """A light grey long-sleeved cardigan, buttoned down the front, on a white background."""
    image = Image.open(io.BytesIO(flat_lay(LONG_SLEEVES, (218, 218, 214), background=(255, 255, 255))))
    draw = ImageDraw.Draw(image)
    draw.line([(300, 110), (300, 740)], fill=(120, 120, 118), width=3)
    for y in range(170, 720, 90):
        draw.ellipse([290, y, 310, y + 20], fill=(90, 80, 70))
    return encode(image)


def tank_top(colour=(40, 140, 90)):
    return flat_lay(TANK_TOP, colour)


def jeans(colour=(60, 90, 150)):
    return flat_lay(JEANS, colour)


def shorts(colour=(200, 180, 120)):
    return flat_lay(SHORTS, colour)


def skirt(colour=(150, 40, 90)):
    return flat_lay(SKIRT, colour)


def dress(colour=(180, 120, 60)):
    return flat_lay(DRESS, colour)


def jumpsuit(colour=(70, 70, 70)):
    return flat_lay(JUMPSUIT, colour)


def pair_of_shoes(colour=(40, 30, 30)):
    image = Image.new("RGB", (600, 800), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for left in (60, 320):
        draw.rounded_rectangle([left, 330, left + 220, 450], radius=50, fill=colour)
    return encode(image)


def photos_decode_png(data):
    return decode(data).convert("RGB")


def plain_png(colour=(90, 120, 200), size=(300, 300)):
    return encode(Image.new("RGB", size, colour))


def pixel(image, point):
    return np.asarray(image.convert("RGBA"))[point[1], point[0]]


# A wrap-front (crossover) dress laid flat, as shops photograph one: off-shoulder cap sleeves hanging from the
# top corners (a seam between each and the bodice), its back neckline the top of the outline, two front panels of
# its own colour crossing over the bust down to a waist seam (each panel's edge a shadow line, fading out towards
# the top where the fabric lies flat), and only a small triangle of the inner back showing above where they cross.
WRAP_DRESS = [
    (200, 70),
    (130, 80),
    (90, 330),
    (165, 342),
    (195, 350),
    (200, 265),
    (120, 780),
    (480, 780),
    (400, 265),
    (405, 350),
    (435, 342),
    (510, 330),
    (470, 80),
    (400, 70),
    (350, 74),
    (300, 76),
    (250, 74),
]
WRAP_INNER_BACK = [(262, 75), (338, 75), (300, 122)]
_WRAP_EDGES = [
    [(285, 110), (400, 265)],
    [(315, 110), (200, 265)],
]  # each front panel's edge, down to the waist
_WRAP_SEAMS = [
    [(200, 265), (400, 265)],
    [(200, 72), (195, 345)],
    [(400, 72), (405, 345)],
]  # waist, cap sleeves


def wrap_front_dress(colour=(70, 140, 90), inside=(64, 130, 84)):
    image = Image.open(io.BytesIO(flat_lay(WRAP_DRESS, colour, details=[(WRAP_INNER_BACK, inside)])))
    draw = ImageDraw.Draw(image)
    for line in _WRAP_EDGES + _WRAP_SEAMS:
        draw.line(line, fill=tuple(round(c * 0.55) for c in colour), width=4)
    return encode(image.filter(ImageFilter.GaussianBlur(0.6)))


def dark_skinned_astronaut_in_white():
    """The astronaut as a dark-skinned woman in a warm white top: her face darkened to a deep brown (the same
    shading; her teeth, eyes and highlights stay light), her orange suit turned a warm white whose chroma is skin's."""
    image = np.asarray(astronaut_image()).astype(np.float32) / 255
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2Lab)
    lightness, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    rows, columns = np.mgrid[:512, :512]
    # Her face, but not her teeth, the whites of her eyes and the highlights on her skin (they stay light).
    skin = (((columns - 222) / 44) ** 2 + ((rows - 122) / 58) ** 2 < 1) & ~((lightness > 72) & (a < 7))
    suit = (rows > 170) & (a > 20) & (b > 30)
    lab[skin] = np.stack([lightness[skin] * 0.35, a[skin] * 0.8, b[skin] * 0.9], axis=1)
    warm_white = np.full((suit.sum(), 3), (0.0, 4.0, 14.0), np.float32)
    warm_white[:, 0] = np.clip(lightness[suit] * 1.1 + 10, 0, 92)
    lab[suit] = warm_white
    rgb = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB) * 255, 0, 255).astype(np.uint8)
    return encode(Image.fromarray(rgb))


# A contrasting bib panel sewn on the front of a tee, from its neckline down to a straight seam above the bust.
BIB_PANEL = [(240, 117), (300, 121), (360, 117), (360, 230), (240, 230)]


def tee_with_a_bib_panel(colour=(200, 40, 40), panel=(240, 230, 210)):
    return flat_lay(CLOSED_NECK_TEE, colour, details=[(BIB_PANEL, panel)])


# The astronaut's arms (x, y): from each shoulder down to the elbow and the wrist, as her pose finds them.
ASTRONAUT_ARMS = [[(112, 250), (64, 413), (135, 477)], [(300, 262), (322, 375), (326, 470)]]
ASTRONAUT_EYES = (160, 60, 290, 125)  # x0, y0, x1, y1
ASTRONAUT_COLLAR = (195, 178, 235, 212)  # x0, y0, x1, y1 of the ellipse of her neck below the mouth


def faceless_astronaut(skin=None, collar=(25, 30, 70)):
    """The astronaut with a bar across her eyes (no face is found; her mouth and pose still are), as photos cut off at
    the nose show a person, and a `collar` (RGB: navy by default; a skin colour bares her neck) up her neck below the
    mouth; with `skin` (RGB), her arms in that colour (bare, or sleeves) with a skin's grain from the shoulders
    down."""
    image = Image.fromarray(np.asarray(astronaut_image()).copy())
    draw = ImageDraw.Draw(image)
    draw.rectangle(ASTRONAUT_EYES, fill=(30, 20, 60))
    draw.ellipse(ASTRONAUT_COLLAR, fill=collar)
    if skin is not None:
        bare = astronaut_arms()
        pixels = np.asarray(image).copy()
        grain = np.random.default_rng(0).normal(0, 4, (bare.sum(), 1))
        pixels[bare] = np.clip(np.array(skin) + grain, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels)
    return image


def astronaut_arms():
    """Where the astronaut's arms are, from the shoulders down (bool, her photo's size)."""
    shape = Image.new("L", astronaut_image().size, 0)
    for line in ASTRONAUT_ARMS:
        ImageDraw.Draw(shape).line(line, fill=1, width=50, joint="curve")
    return np.asarray(shape).astype(bool)


def astronaut_with_bare_forearms(left, right):
    """The astronaut with her forearms bare from the elbow down, the one on the left as seen in `left` (RGB) and the
    other in `right` (one in the sun, one in the shade), with a skin's grain."""
    image = np.asarray(astronaut_image()).copy()
    for (_, elbow, wrist), colour in zip(ASTRONAUT_ARMS, (left, right)):
        shape = Image.new("L", image.shape[1::-1], 0)
        ImageDraw.Draw(shape).line([elbow, wrist], fill=1, width=44)
        bare = np.asarray(shape).astype(bool)
        grain = np.random.default_rng(0).normal(0, 4, (bare.sum(), 1))
        image[bare] = np.clip(np.array(colour) + grain, 0, 255).astype(np.uint8)
    return Image.fromarray(image)


# A print on a tee whose light parts meet the outline: over the left shoulder and sleeve, and a band along the hem.
SHOULDER_PRINT = [(120, 140), (30, 300), (110, 350), (160, 290), (160, 240), (250, 150), (210, 110)]
HEM_PRINT = [(160, 620), (440, 620), (440, 700), (160, 700)]


def tee_with_a_light_print_at_its_outline(background=(255, 255, 255)):
    """A navy tee whose print is the background's own colour (white on white, grey on grey) over a shoulder and
    along the hem; what tells it from the background there is only the garment's outline, a faint seam line
    (smooth print, no fabric grain on it)."""
    image = Image.open(io.BytesIO(flat_lay(T_SHIRT, (25, 35, 90), background=background)))
    draw = ImageDraw.Draw(image)
    for polygon in (SHOULDER_PRINT, HEM_PRINT):
        draw.polygon(polygon, fill=background)
    pixels = np.asarray(image).copy()
    pixels[~inside(T_SHIRT).astype(bool)] = background
    image = Image.fromarray(pixels)
    ImageDraw.Draw(image).line(
        [*T_SHIRT, T_SHIRT[0]], fill=tuple(round(c * 0.95) for c in background), width=2
    )
    return encode(image.filter(ImageFilter.GaussianBlur(0.6)))


def astronaut_with_a_bare_neck_in_shade(darker=27.0):
    """(The astronaut with her collar gone: her neck bare down to her suit, in the shade under her chin (`darker` L*
    than her lit face, the same chroma, with a skin's grain); that neck's colour, CIELAB)."""
    image = np.asarray(astronaut_image()).copy()
    lab = cv2.cvtColor(image.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    face = np.median(lab[100:150, 200:245].reshape(-1, 3), axis=0)
    neck = np.array([face[0] - darker, face[1], face[2]], np.float32)
    shape = Image.new("L", image.shape[1::-1], 0)
    ImageDraw.Draw(shape).ellipse((180, 160, 262, 222), fill=1)
    bare = np.asarray(shape).astype(bool)
    bare[:166] = False  # below the chin
    rgb = cv2.cvtColor(neck.reshape(1, 1, 3), cv2.COLOR_Lab2RGB).reshape(3) * 255
    grain = np.random.default_rng(0).normal(0, 3, (bare.sum(), 1))
    image[bare] = np.clip(rgb + grain, 0, 255).astype(np.uint8)
    return encode(Image.fromarray(image)), neck


def astronaut_with_a_shaded_neck_and_a_lit_chest(neck_darker=27.0, chest_lighter=5.0):
    """(The astronaut with her collar gone: her neck bare in the shade under her chin, `neck_darker` L* than her lit
    face, and below it, level with a neckline, her chest in the light, `chest_lighter` L* lighter; both of her face's
    chroma, with a skin's grain; (neck, chest) colours, CIELAB)."""
    image = np.asarray(astronaut_image()).copy()
    lab = cv2.cvtColor(image.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    face = np.median(lab[100:150, 200:245].reshape(-1, 3), axis=0)
    shape = Image.new("L", image.shape[1::-1], 0)
    ImageDraw.Draw(shape).ellipse((180, 160, 262, 222), fill=1)
    bare = np.asarray(shape).astype(bool)
    bare[:166] = False  # below the chin
    rng = np.random.default_rng(0)
    tones = []
    for rows, lighter in ((slice(0, 200), -neck_darker), (slice(200, None), chest_lighter)):
        part = np.zeros_like(bare)
        part[rows] = bare[rows]
        tone = np.array([face[0] + lighter, face[1], face[2]], np.float32)
        rgb = cv2.cvtColor(tone.reshape(1, 1, 3), cv2.COLOR_Lab2RGB).reshape(3) * 255
        image[part] = np.clip(rgb + rng.normal(0, 3, (part.sum(), 1)), 0, 255).astype(np.uint8)
        tones.append(tone)
    return encode(Image.fromarray(image)), tones


# A short-sleeved dress (DRESS's shoulders, sleeves and skirt) cut out with its front neckline: the background shows
# through a V or a scoop; a crew neck dips a little, a high neck rises above the shoulders; a halter (no sleeves) rises
# from its armholes to a band round the neck.
_DRESS_SHOULDERS = DRESS[:-2]
NECKLINES = {
    "v": [(300, 200)],
    "scoop": [(350, 90), (330, 130), (300, 140), (270, 130), (250, 90)],
    "crew": [(330, 70), (300, 78), (270, 70)],
    "high": [(345, 15), (255, 15)],
}
HALTER_DRESS = [(150, 250), (260, 20), (340, 20), (450, 250), (470, 780), (130, 780)]


def dress_with_neckline(neckline, colour=(40, 60, 150)):
    """A dress laid flat, cut out with its `neckline` (a key of NECKLINES, or "halter")."""
    if neckline == "halter":
        return flat_lay(HALTER_DRESS, colour)
    return flat_lay(_DRESS_SHOULDERS + NECKLINES[neckline], colour)


def astronaut_in_a_white_ribbed_top():
    """The astronaut with her suit turned into a white ribbed top (ribs 5 px apart, 10 L* deep), her face as it is."""
    image = np.asarray(astronaut_image()).astype(np.float32) / 255
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2Lab)
    rows = np.mgrid[:512, :512][0]
    suit = (rows > 170) & (lab[..., 1] > 20) & (lab[..., 2] > 30)
    ribs = 5 * np.sin(rows[suit] * 2 * np.pi / 5)
    lightness = np.clip(88 + ribs + 0.1 * (lab[..., 0][suit] - 60), 0, 100)
    lab[suit] = np.stack([lightness, np.full(suit.sum(), 1.0), np.full(suit.sum(), 3.0)], axis=1)
    rgb = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB) * 255, 0, 255).astype(np.uint8)
    return encode(Image.fromarray(rgb))


# Garments drawn from a pattern's measures (cm, x from the middle, y down from the top), laid out in the 600×800 frame
# at one scale: a size-38 woman's garments, their proportions those of real ones.
def in_frame(points_cm):
    """The outline (cm) scaled and centred to fill the frame (the photo's scale is the garment's own)."""
    points = np.array(points_cm, float)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = min(520 / (high[0] - low[0]), 740 / (high[1] - low[1]))
    return [tuple(p) for p in ((points - (low + high) / 2) * scale + (300, 400)).round(1)]


def skirt_cm(length, waist=36.0, hem=48.0):
    """A skirt `length` cm from waistband to hem, laid flat (half its round: 36 cm is a 72 cm waist)."""
    return in_frame([(-waist / 2, 0), (waist / 2, 0), (hem / 2, length), (-hem / 2, length)])


def trousers_cm(length, waist=38.0, hips=50.0, leg=20.0, rise=28.0):
    """Trousers `length` cm from waistband to hem (the rise, waist to crotch, included), each leg `leg` cm across
    at its hem."""
    half, inner = hips / 2, max(1.5, hips / 2 - 1 - leg)
    return in_frame(
        [
            (-waist / 2, 0),
            (waist / 2, 0),
            (half, 18),
            (half, rise),
            (half - 1, length),
            (inner, length),
            (0, rise),
        ]
        + [(-inner, length), (1 - half, length), (-half, rise), (-half, 18)]
    )


def strap_dress_cm(length, chest=46.0, waist=38.0, hem=56.0):
    """A sleeveless dress on thin straps `length` cm from the straps' tops to its hem: straps 12 cm down to a bodice
    `chest` cm across under the arms, a waist 40 cm down."""
    right = [(10.0, 0), (12.0, 0), (13.0, 12), (chest / 2, 16), (waist / 2, 40), (hem / 2, length)]
    left = [(-x, y) for x, y in reversed(right)]
    return in_frame(right + left + [(-8.5, 0), (-7.5, 12), (7.5, 12), (8.5, 0)])


def sleeved_dress_cm(length, chest=46.0, shoulders=38.0, hem=50.0, sleeve_drop=35.0, sleeve=20.0):
    """A dress (or a top) `length` cm from its shoulders' tops to its hem: shoulders `shoulders` cm apart, sleeves
    `sleeve` cm long (20: short, 60: long) falling `sleeve_drop` degrees below the horizontal (0: held straight out),
    armpits 22 cm down, `chest` cm across there (a knit photographed round on a form shows a chest narrower than its
    shoulders, 30 for 40)."""
    angle = np.radians(sleeve_drop)
    along, normal = np.array([np.cos(angle), np.sin(angle)]), np.array([np.sin(angle), -np.cos(angle)])
    shoulder = np.array([shoulders / 2, 3.0])
    cuff_top = shoulder + sleeve * along
    cuff_bottom = cuff_top - (16 if sleeve < 40 else 11) * normal
    right = [(8.5, 0.0), tuple(shoulder), tuple(cuff_top), tuple(cuff_bottom), (chest / 2, 22.0)]
    right += [(chest / 2 - 2, 45.0), (hem / 2, length)]
    left = [(-x, y) for x, y in reversed(right)]
    return in_frame(right + left + [(-8.5, 0.0), (-5.0, 5.0), (0.0, 7.0), (5.0, 5.0)])
