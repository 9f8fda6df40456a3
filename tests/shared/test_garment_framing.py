"""Garment photos as shops and shoppers send them: the garment small in a big frame, beside another garment or a
price tag, laid flat but photographed sideways, or worn by a model lying sideways in the photo."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from shared.ai_models.body import LEFT_SHOULDER, RIGHT_SHOULDER, Body
from shared.ai_models.garment_photo import read_garment_photo
from shared.ai_models.person_photo import stands
from tests import photos


def _framed(garment_png, factor=3, background=(250, 250, 250)):
    garment = photos.decode(garment_png).convert("RGB")
    frame = Image.new("RGB", (garment.width * factor, garment.height * factor), background)
    frame.paste(garment, ((factor - 1) // 2 * garment.width, (factor - 1) // 2 * garment.height))
    return photos.encode(frame)


def _side_by_side(first_png, second_png, gap=200):
    first, second = (photos.decode(png).convert("RGB") for png in (first_png, second_png))
    canvas = Image.new("RGB", (first.width + gap + second.width, first.height), (250, 250, 250))
    canvas.paste(first, (0, 0))
    canvas.paste(second, (first.width + gap, 0))
    return photos.encode(canvas)


def _measured_extent(photo):
    """The garment's larger extent as a share of the photo it is measured in (across or down)."""
    garment = photo.alpha > 0.5
    columns, rows = np.nonzero(garment.any(axis=0))[0], np.nonzero(garment.any(axis=1))[0]
    return max(
        (columns.max() - columns.min()) / garment.shape[1], (rows.max() - rows.min()) / garment.shape[0]
    )


def test_a_garment_small_in_a_big_frame_is_measured_cropped_to_its_outline():
    for garment_png, kind in (
        (photos.jeans(), "bottom"),
        (photos.dress(), "one_piece"),
        (photos.t_shirt(), "top"),
    ):
        plain, small = read_garment_photo(garment_png), read_garment_photo(_framed(garment_png, factor=4))
        assert small.detected_type == plain.detected_type == kind
        # Measured at the garment's size, not a quarter of it.
        assert _measured_extent(small) > 0.7
        assert min(small.rgb.shape[:2]) > 0.5 * min(plain.rgb.shape[:2])


def _tall(garment_png, margin=0.3, background=(250, 250, 250)):
    """The garment photo with plain margins of `margin` of its height above and below it (a tall product photo)."""
    garment = photos.decode(garment_png).convert("RGB")
    extra = int(margin * garment.height)
    frame = Image.new("RGB", (garment.width, garment.height + 2 * extra), background)
    frame.paste(garment, (0, extra))
    return photos.encode(frame)


@pytest.mark.parametrize(
    ("garment", "kind"),
    [
        (photos.jeans, "bottom"),
        (photos.dress, "one_piece"),
        (photos.jumpsuit, "one_piece"),
        (photos.t_shirt, "top"),
    ],
)
@pytest.mark.parametrize("margin", [0.2, 0.35])
def test_a_garment_in_a_tall_photo_is_read_by_its_own_proportions(garment, kind, margin):
    # Trouser legs whose gap narrows to the crotch read as trousers, not as a one-piece, however tall the photo; a
    # dress and a jumpsuit stay one-pieces. The photo's frame is kept: the cut-out lies where the garment is.
    photo = read_garment_photo(_tall(garment(), margin))
    assert photo.detected_type == kind
    rows = np.nonzero((photo.alpha > 0.5).any(axis=1))[0] / photo.alpha.shape[0]
    assert (
        rows.min() > margin / (1 + 2 * margin) - 0.02 and rows.max() < (1 + margin) / (1 + 2 * margin) + 0.02
    )


def test_a_garment_filling_its_photo_is_not_cropped():
    plain = read_garment_photo(photos.t_shirt())
    assert plain.rgb.shape[:2] == photos.decode(photos.t_shirt()).size[::-1]


def test_of_two_garments_side_by_side_the_larger_is_the_garment():
    photo = read_garment_photo(_side_by_side(photos.t_shirt(), photos.skirt()))
    assert photo.detected_type == "top"
    columns = np.nonzero((photo.alpha > 0.5).any(axis=0))[0]
    assert columns.max() < 600 / (600 + 200 + 600) * photo.alpha.shape[1]  # nothing of the skirt


def test_a_price_tag_far_from_the_garment_is_not_part_of_it():
    tee = photos.decode(photos.t_shirt()).convert("RGB")
    canvas = Image.new("RGB", (tee.width + 300, tee.height), (250, 250, 250))
    canvas.paste(tee, (0, 0))
    tag = Image.new("RGB", (160, 70), (220, 20, 30))
    canvas.paste(tag, (tee.width + 110, 40))
    photo = read_garment_photo(photos.encode(canvas))
    assert photo.detected_type == "top"
    assert not (photo.alpha[40:110, tee.width + 110 : tee.width + 270] > 0.5).any()


def test_a_pair_of_shoes_stays_a_pair():
    photo = read_garment_photo(photos.pair_of_shoes())
    assert photo.detected_type == "shoes"
    assert (photo.alpha[390, 150] > 0.5) and (photo.alpha[390, 430] > 0.5)


def _turned(garment_png, degrees):
    return photos.encode(photos.decode(garment_png).convert("RGB").rotate(degrees, expand=True))


@pytest.mark.parametrize(
    ("garment", "kind"),
    [
        (photos.t_shirt, "top"),
        (photos.tank_top, "top"),
        (photos.jeans, "bottom"),
        (photos.dress, "one_piece"),
        (lambda: photos.flat_lay(photos.skirt_cm(60, hem=80)), "bottom"),
        (lambda: photos.flat_lay(photos.strap_dress_cm(110)), "one_piece"),
    ],
)
@pytest.mark.parametrize("degrees", [90, 270])
def test_a_flat_lay_photographed_sideways_is_read_upright(garment, kind, degrees):
    """Its upright is where its collar or waistband is: the photo is turned so, and read as the garment it is."""
    upright = read_garment_photo(garment())
    sideways = read_garment_photo(_turned(garment(), degrees))
    assert upright.detected_type == sideways.detected_type == kind
    assert sideways.rgb.shape[:2] == upright.rgb.shape[:2]  # portrait again, as laid
    # The same garment, the same way up: its cut-out matches the upright photo's.
    same = (sideways.alpha > 0.5) == (upright.alpha > 0.5)
    assert same.mean() > 0.97


@pytest.mark.parametrize(
    "garment",
    [
        photos.t_shirt,
        photos.colour_block_tee,
        photos.wrap_front_dress,
        photos.pair_of_shoes,
        lambda: photos.flat_lay(photos.skirt_cm(40, hem=90)),
        lambda: photos.flat_lay(photos.trousers_cm(60, rise=26)),
        lambda: photos.flat_lay(photos.sleeved_dress_cm(60, sleeve=60)),
    ],
)
def test_an_upright_flat_lay_is_not_turned(garment):
    photo = read_garment_photo(garment())
    assert np.array_equal(photo.rgb, np.asarray(photos.decode(garment()).convert("RGB")))


_FORM_NECK, _FORM_STAND = (214, 190, 160), (25, 25, 25)


def _on_dress_form(outline, colour, rise=100, drop=120):
    """The garment laid over a dress form: a plain beige neck from the photo's top down into its collar, and a thin
    black stand on its axis from under its hem down to a round base. Returns the photo and the garment's own mask
    in it (float 0/1)."""
    garment = photos.decode(photos.flat_lay(outline, colour)).convert("RGB")
    mask = photos.inside(outline)
    rows, columns = np.nonzero(mask)
    middle, top, hem = int(columns.mean()), int(rows.min()) + rise, int(rows.max()) + rise
    canvas = Image.new("RGB", (600, 800 + rise + drop), (250, 250, 250))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle([middle - 45, 0, middle + 45, top + 60], radius=20, fill=_FORM_NECK)
    draw.rectangle([middle - 8, hem - 10, middle + 8, 800 + rise + drop - 40], fill=_FORM_STAND)
    draw.ellipse([middle - 50, 800 + rise + drop - 55, middle + 50, 800 + rise + drop - 25], fill=_FORM_STAND)
    canvas.paste(garment, (0, rise), Image.fromarray((mask * 255).astype(np.uint8)))
    placed = np.zeros((800 + rise + drop, 600))
    placed[rise : rise + 800] = mask
    return photos.encode(canvas), placed


def _cut_out_at(photo, size):
    """The photo's cut-out (boolean) at the size of the photo sent (width, height)."""
    return cv2.resize(photo.alpha, size, interpolation=cv2.INTER_LINEAR) > 0.5


@pytest.mark.parametrize(
    ("outline", "colour", "kind"),
    [
        (photos.T_SHIRT, (200, 30, 40), "top"),
        (photos.LONG_SLEEVES, (30, 40, 90), "top"),
        (photos.JEANS, (60, 90, 150), "bottom"),
        (photos.DRESS, (40, 120, 70), "one_piece"),
    ],
)
def test_a_garment_on_a_dress_form_is_cut_out_without_the_form(outline, colour, kind):
    """The form's neck above the collar and its stand below the hem are none of the garment: the cut-out is the
    garment's own shape and its type is read from it."""
    png, garment = _on_dress_form(outline, colour)
    photo = read_garment_photo(png)
    assert photo.detected_type == kind
    cut_out = _cut_out_at(photo, garment.shape[::-1])
    garment = garment > 0.5
    assert (cut_out & garment).sum() / (cut_out | garment).sum() > 0.95
    rows = np.nonzero(garment.any(axis=1))[0]
    assert not cut_out[: rows.min() - 5].any()  # nothing of the neck above the garment
    assert not cut_out[rows.max() + 5 :].any()  # nothing of the stand below it


def _with_details(outline, colour, details):
    return photos.flat_lay(outline, colour, details=[(polygon, colour) for polygon in details])


@pytest.mark.parametrize(
    ("png", "parts"),
    [
        # A sleeveless top's thin straps rising above its bodice.
        (lambda: photos.flat_lay(photos.STRAIGHT_MAXI_DRESS, (150, 40, 90)), [(242, 40), (357, 40)]),
        # A turtleneck: a plain block of the garment's own colour above its shoulders.
        (
            lambda: _with_details(
                photos.T_SHIRT, (200, 190, 160), [[(255, 40), (345, 40), (345, 160), (255, 160)]]
            ),
            [(300, 60), (300, 130)],
        ),
        # A wrap top's tie hanging thin and straight below its hem, beside its axis.
        (
            lambda: _with_details(
                photos.T_SHIRT, (30, 90, 200), [[(400, 690), (412, 690), (412, 795), (400, 795)]]
            ),
            [(406, 740), (406, 780)],
        ),
        # A belt photographed upright: a thin straight bar and nothing else, all of it garment.
        (
            lambda: photos.flat_lay([(290, 20), (310, 20), (310, 780), (290, 780)], (30, 20, 20)),
            [(300, 60), (300, 740)],
        ),
        # A long, narrow garment (a scarf): thin all along, yet all of it garment.
        (
            lambda: photos.flat_lay([(270, 40), (330, 40), (330, 760), (270, 760)], (120, 30, 40)),
            [(300, 60), (300, 740)],
        ),
    ],
)
def test_thin_parts_of_a_garment_are_not_taken_for_a_dress_form(png, parts):
    photo = read_garment_photo(png())
    cut_out = _cut_out_at(photo, (600, 800))
    for x, y in parts:
        assert cut_out[y, x]


def _with_tag(garment_png, box, colour=(220, 20, 30), text="-50% 19.99"):
    """The photo with a flat-coloured rectangle (a price tag laid over it) holding a white text."""
    image = photos.decode(garment_png).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle(box, fill=colour)
    draw.text((box[0] + 8, box[1] + 8), text, fill=(255, 255, 255), font_size=(box[3] - box[1]) // 2)
    return photos.encode(image)


def test_a_price_tag_over_the_garments_shoulder_is_not_part_of_it():
    """A flat rectangle with a text, partly over the shoulder and partly off the garment, is cut away with the
    background: the garment keeps its own outline and type."""
    photo = read_garment_photo(_with_tag(photos.t_shirt(), (400, 40, 590, 150)))
    assert photo.detected_type == "top"
    cut_out = _cut_out_at(photo, (600, 800))
    assert not cut_out[45:145, 495:585].any()  # the tag beside the shoulder
    assert not cut_out[45:105, 405:585].any()  # and above it
    assert cut_out[200:600, 200:400].all()  # the garment itself


@pytest.mark.parametrize(
    ("png", "parts"),
    [
        # A flat label with a text printed on the chest, inside the garment's outline.
        (lambda: _with_tag(photos.t_shirt(), (230, 250, 370, 320)), [(300, 285), (240, 260)]),
        # A colour-block tee: rectangles of one colour at the outline, with no text.
        (photos.colour_block_tee, [(300, 600), (200, 200), (300, 350)]),
        # Flat-coloured cuffs at the sleeve ends (no text in them).
        (
            lambda: _with_details(
                photos.LONG_SLEEVES,
                (25, 35, 90),
                [
                    [(40, 600), (110, 610), (110, 630), (40, 620)],
                    [(490, 610), (560, 600), (560, 620), (490, 630)],
                ],
            ),
            [(75, 612), (525, 612)],
        ),
    ],
)
def test_flat_rectangles_of_a_garment_are_not_taken_for_a_price_tag(png, parts):
    cut_out = _cut_out_at(read_garment_photo(png()), (600, 800))
    for x, y in parts:
        assert cut_out[y, x]


_WIRE = (60, 60, 65)


def _hook(draw, x, y):
    """A hanger's hook on its neck at (x, y): a stem rising, curving over to one side and down."""
    draw.line([(x, y), (x, y - 50)], fill=_WIRE, width=3)
    draw.arc([x, y - 68, x + 36, y - 32], 180, 360, fill=_WIRE, width=3)
    draw.arc([x, y - 68, x + 36, y - 32], 0, 50, fill=_WIRE, width=3)


def _on_hanger(outline, colour, clip=False, rise=150):
    """The garment hanging from a thin dark hanger, the frame raised to show it: a wire hanger's hook and neck above
    the collar or waistband, its shoulders sloping down from the neck (hidden where the garment covers them), or a
    clip hanger's straight bar a little wider than the waistband just above it, two clips on the waistband. Returns
    the photo and the garment's own mask in it (float 0/1)."""
    garment = photos.decode(photos.flat_lay(outline, colour)).convert("RGB")
    mask = photos.inside(outline)
    canvas = Image.new("RGB", (600, 800 + rise), (250, 250, 250))
    canvas.paste(garment, (0, rise))
    rows, columns = np.nonzero(mask)
    top = int(rows.min())
    upper = columns[rows < top + 6]
    left, right = int(upper.min()), int(upper.max())
    x, y = (left + right) // 2, top + rise
    draw = ImageDraw.Draw(canvas)
    if clip:
        bar = y - 25
        draw.line([(left - 25, bar), (right + 25, bar)], fill=_WIRE, width=4)
        for end in (left + 20, right - 20):
            draw.line([(end, bar), (end, y)], fill=_WIRE, width=3)
            draw.rectangle([end - 8, y - 4, end + 8, y + 16], fill=(45, 45, 50))
        _hook(draw, x, bar)
    else:
        reach = int(0.35 * (columns.max() - columns.min()))
        draw.line([(x - reach, y + 30), (x, y - 45), (x + reach, y + 30)], fill=_WIRE, width=3)
        canvas.paste(garment, (0, rise), Image.fromarray((mask * 255).astype(np.uint8)))
        draw = ImageDraw.Draw(canvas)
        draw.line([(x, y - 45), (x, y + 2)], fill=_WIRE, width=3)
        _hook(draw, x, y - 45)
    placed = np.zeros((800 + rise, 600))
    placed[rise:] = mask
    return photos.encode(canvas), placed


@pytest.mark.parametrize(
    ("outline", "colour", "kind", "clip"),
    [
        (photos.T_SHIRT, (200, 30, 40), "top", False),
        (photos.DRESS, (40, 120, 70), "one_piece", False),
        (photos.JEANS, (60, 90, 150), "bottom", False),
        (photos.JEANS, (60, 90, 150), "bottom", True),
        (photos.SKIRT, (150, 40, 90), "bottom", True),
    ],
)
def test_a_garment_on_a_hanger_is_cut_out_without_it(outline, colour, kind, clip):
    """The hook, the hanger's shoulders or its bar are none of the garment, and the background they close off above
    the collar or the waistband is no hole of it: the cut-out is the garment's own shape, read as the garment it is
    (trousers with a filled triangle on top read as lying sideways)."""
    png, garment = _on_hanger(outline, colour, clip=clip)
    photo = read_garment_photo(png)
    assert photo.detected_type == kind
    cut_out = _cut_out_at(photo, garment.shape[::-1])
    garment = garment > 0.5
    assert (cut_out & garment).sum() / (cut_out | garment).sum() > 0.95
    rows = np.nonzero(garment.any(axis=1))[0]
    # Nothing of the hanger above the garment (at most a sliver where its lines met the garment's edge).
    assert cut_out[: rows.min() - 3].sum() < 0.001 * garment.sum()


def _with_a_line_from_the_top(garment_png):
    image = photos.decode(garment_png).convert("RGB")
    ImageDraw.Draw(image).line([(300, 0), (300, 160)], fill=_WIRE, width=3)
    return photos.encode(image)


def _camisole(straps):
    """A camisole laid flat: a bodice and thin (10 px) straps above it, each a list of points."""
    image = photos.decode(photos.flat_lay([(200, 250), (400, 250), (420, 700), (180, 700)], (150, 40, 90)))
    draw = ImageDraw.Draw(image)
    for strap in straps:
        draw.line(strap, fill=(150, 40, 90), width=10, joint="curve")
    return photos.encode(image)


@pytest.mark.parametrize(
    ("png", "parts"),
    [
        # A strappy top: two thin straps curving up from its bodice beside its axis.
        (
            lambda: _camisole([[(215, 255), (225, 150), (240, 90)], [(385, 255), (375, 150), (360, 90)]]),
            [(225, 150), (375, 150), (240, 95)],
        ),
        # A halter top: one thin strap from both sides of its bodice, turning over above its middle.
        (
            lambda: _camisole([[(215, 255), (240, 120), (300, 80), (360, 120), (385, 255)]]),
            [(300, 82), (240, 122), (360, 122)],
        ),
        # Trousers with a belt and its buckle at the waistband.
        (
            lambda: photos.flat_lay(photos.JEANS, (60, 90, 150), details=photos.BELT),
            [(300, 85), (300, 65), (200, 85)],
        ),
        # A thin dark line from the photo's top edge down to the collar (a seam between two photos, a floor's grout):
        # no hook ends it, and the collar under it stays.
        (lambda: _with_a_line_from_the_top(photos.t_shirt()), [(300, 170), (260, 160), (340, 160)]),
    ],
)
def test_thin_parts_above_a_garment_are_not_taken_for_a_hanger(png, parts):
    photo = read_garment_photo(png())
    cut_out = _cut_out_at(photo, (600, 800))
    for x, y in parts:
        assert cut_out[y, x]


def test_a_logo_printed_on_a_garment_hanging_from_a_hanger_stays_garment():
    """A dark logo of thin strokes on the chest is the garment's own: only the hanger above it is cut off."""
    png, garment = _on_hanger(photos.T_SHIRT, (230, 230, 235))
    image = photos.decode(png).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.text((215, 150 + 230), "LOGO", fill=_WIRE, font_size=56)
    draw.line([(300, 150 + 300), (300, 150 + 420)], fill=_WIRE, width=3)
    photo = read_garment_photo(photos.encode(image))
    assert photo.detected_type == "top"
    cut_out = _cut_out_at(photo, garment.shape[::-1])
    assert cut_out[150 + 300 : 150 + 420, 300].all()
    assert cut_out[150 + 230 : 150 + 290, 215:385].all()
    assert not cut_out[:100].any()


@pytest.mark.parametrize("turns", [1, 3])
def test_a_pose_lying_sideways_does_not_stand(turns):
    """person_photo.stands: a body lying sideways in the photo does not stand; upright, it does."""
    sideways = np.ascontiguousarray(np.rot90(np.asarray(photos.astronaut_image()), turns))
    body = Body(sideways)
    assert body.visible(LEFT_SHOULDER, RIGHT_SHOULDER) and not stands(body)
    assert stands(Body(np.asarray(photos.astronaut_image())))


@pytest.mark.parametrize("turns", [1, 3])
def test_a_model_photographed_sideways_is_still_a_model(turns):
    sideways = np.ascontiguousarray(np.rot90(np.asarray(photos.astronaut_image()), turns))
    photo = read_garment_photo(photos.encode(Image.fromarray(sideways)))
    assert photo.photo_type == "on-model" and photo.alpha is None
    assert photo.rgb.shape[:2] == np.asarray(photos.astronaut_image()).shape[:2]  # stood up
