"""Garment photos as shops and shoppers send them: the garment small in a big frame, beside another garment or a
price tag, laid flat but photographed sideways, or worn by a model lying sideways in the photo."""

import numpy as np
import pytest
from PIL import Image

from shared.ai_models.garment_photo import read_garment_photo
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
