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


@pytest.mark.parametrize("turns", [1, 3])
def test_a_pose_lying_sideways_is_no_model_wearing_the_garment(turns):
    """A garment laid flat and photographed sideways can read to the pose as a body lying down (its sleeves and hem as
    shoulders and hips): a model is a person standing in the photo once it is turned upright."""
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
