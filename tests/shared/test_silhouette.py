"""Garment photos read offline: one solid cut-out, the type from the outline, flat-lay or worn by a model."""
import cv2
import numpy as np
import pytest

from shared.ai_models.garment_photo import read_garment_photo
from tests.shared import photos


@pytest.mark.parametrize("drawing, expected", [
    (photos.t_shirt, "top"), (photos.flat_lay_top, "top"), (photos.tank_top, "top"),
    (photos.striped_top_on_white, "top"), (photos.colour_block_tee, "top"),
    (photos.light_cardigan_on_white, "outerwear"),
    (photos.jeans, "bottom"), (photos.flat_lay_trousers, "bottom"), (photos.shorts, "bottom"), (photos.skirt, "bottom"),
    (photos.dress, "one_piece"), (photos.jumpsuit, "one_piece"), (photos.pair_of_shoes, "shoes")])
def test_the_type_is_read_from_the_garments_outline(drawing, expected):
    photo = read_garment_photo(drawing())
    assert photo.photo_type == "flat-lay"
    assert photo.detected_type == expected


@pytest.mark.parametrize("drawing, outline", [(photos.striped_top_on_white, photos.LONG_SLEEVES),
                                              (photos.colour_block_tee, photos.T_SHIRT),
                                              (photos.light_cardigan_on_white, photos.LONG_SLEEVES)])
def test_light_parts_of_a_garment_on_a_light_background_stay_garment(drawing, outline):
    photo = read_garment_photo(drawing())
    shape = photos.inside(outline).astype(np.uint8)
    # A few pixels in from the outline (its edge is soft) everything is kept: white stripes, the white
    # chest band, pale knit; the background a little way out is not.
    inside = cv2.erode(shape, np.ones((9, 9), np.uint8)).astype(bool)
    assert photo.alpha[inside].min() > 0.5
    outside = cv2.dilate(shape, np.ones((31, 31), np.uint8)) == 0
    assert photo.alpha[outside].max() < 0.1


def test_the_gap_between_trouser_legs_stays_background():
    photo = read_garment_photo(photos.jeans())
    # Between the legs, from below the crotch (y 280 of 800) to the hems.
    assert photo.alpha[450:740, 297:303].max() < 0.1
    assert photo.alpha[100:200, 280:320].min() > 0.9  # above the crotch it is one piece


def test_a_photo_of_someone_wearing_the_garment_is_on_model():
    photo = read_garment_photo(photos.hopper_jpeg())
    assert photo.photo_type == "on-model" and photo.alpha is None and photo.model is not None


def test_a_photo_without_a_garment_has_no_cut_out():
    for image in (photos.plain_png(), photos.coffee_jpeg()):
        photo = read_garment_photo(image)
        assert photo.photo_type == "flat-lay" and photo.alpha is None
