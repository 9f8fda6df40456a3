"""Garment photos as shops and shoppers send them: the garment small in a big frame, beside another garment or a
price tag, or worn by a model lying sideways in the photo."""

import numpy as np
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
