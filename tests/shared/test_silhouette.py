"""Garment photos read offline: one solid cut-out, the type from the outline, flat-lay or worn by a model."""

import cv2
import numpy as np
import pytest

from shared.ai_models.garment_photo import read_garment_photo
from tests import photos


@pytest.mark.parametrize(
    "drawing, expected",
    [
        (photos.t_shirt, "top"),
        (photos.tank_top, "top"),
        (photos.striped_top_on_white, "top"),
        (photos.colour_block_tee, "top"),
        (photos.light_cardigan_on_white, "outerwear"),
        (photos.jeans, "bottom"),
        (photos.shorts, "bottom"),
        (photos.skirt, "bottom"),
        (photos.dress, "one_piece"),
        (photos.jumpsuit, "one_piece"),
        (photos.pair_of_shoes, "shoes"),
    ],
)
def test_the_type_is_read_from_the_garments_outline(drawing, expected):
    photo = read_garment_photo(drawing())
    assert photo.photo_type == "flat-lay"
    assert photo.detected_type == expected


@pytest.mark.parametrize(
    "outline, options, expected",
    [
        # Wide or flared legs whose hems touch, nearly touch or overlap: the gap between them is enclosed.
        (photos.wide_legs(0), {}, "bottom"),
        (photos.wide_legs(6), {}, "bottom"),
        (photos.wide_legs(-50), {}, "bottom"),
        (photos.wide_legs(0), {"colour": (235, 230, 220)}, "bottom"),
        (photos.wide_legs(0), {"shadow": 8}, "bottom"),
        (photos.wide_legs(0), {"shadow": 12}, "bottom"),
        # What a waistband carries, a hem cut by the photo's edge, a garment laid askew, the shadow it casts.
        (photos.JEANS, {"details": photos.BELT}, "bottom"),
        (photos.JEANS, {"details": photos.WAIST_TIES}, "bottom"),
        ([(x, min(800, y + 40)) for x, y in photos.JEANS], {}, "bottom"),
        (photos.JEANS, {"rotate": 7}, "bottom"),
        (photos.JEANS, {"shadow": 14}, "bottom"),
        (photos.JEANS, {"colour": (170, 170, 170), "shadow": 10}, "bottom"),
        (photos.SHORTS, {"rotate": -8}, "bottom"),
        (photos.SHORTS, {"shadow": 10}, "bottom"),
        (photos.SKIRT, {"shadow": 10}, "bottom"),
        (photos.T_SHIRT, {"rotate": -12}, "top"),
        (photos.T_SHIRT, {"shadow": 14}, "top"),
        (photos.T_SHIRT, {"colour": (200, 200, 200), "shadow": 10}, "top"),
        (photos.LONG_SLEEVES, {"rotate": 8}, "top"),
        (photos.TANK_TOP, {"rotate": 8, "shadow": 10}, "top"),
        (
            photos.T_SHIRT,
            {"details": [([(420, 600), (440, 600), (470, 780), (452, 784)], (30, 90, 200))]},
            "top",
        ),
        (photos.DRESS, {"rotate": -7}, "one_piece"),
        (photos.DRESS, {"shadow": 14}, "one_piece"),
        (photos.DRESS, {"details": photos.SASH}, "one_piece"),
        ([(x, min(800, y + 25)) for x, y in photos.DRESS], {}, "one_piece"),
        (photos.JUMPSUIT, {"rotate": 7}, "one_piece"),
    ],
)
def test_the_type_survives_what_a_shop_photo_adds(outline, options, expected):
    """Trousers typed as a dress or a top would be hung from the shoulders: the worst a shopper can see."""
    assert read_garment_photo(photos.flat_lay(outline, **options)).detected_type == expected


@pytest.mark.parametrize("hem_gap", [0, 6, -50])
def test_legs_whose_hems_touch_keep_the_gap_between_them(hem_gap):
    photo = read_garment_photo(photos.flat_lay(photos.wide_legs(hem_gap)))
    # Between the legs, from below the crotch (y 290) to where the hems meet: background, however enclosed.
    assert photo.alpha[420:620, 297:304].max() < 0.1
    assert photo.alpha[100:250, 250:350].min() > 0.9
    crotch = photo.outline.lower_landmarks.crotch
    assert abs(crotch[0] - 300) < 15 and 250 < crotch[1] < 400  # the legs part at the crotch, not at the hem


@pytest.mark.parametrize(
    "drawing, outline",
    [
        (photos.striped_top_on_white, photos.LONG_SLEEVES),
        (photos.colour_block_tee, photos.T_SHIRT),
        (photos.light_cardigan_on_white, photos.LONG_SLEEVES),
        (photos.tee_with_a_light_print_at_its_outline, photos.T_SHIRT),
        (lambda: photos.tee_with_a_light_print_at_its_outline((238, 238, 238)), photos.T_SHIRT),
    ],
)
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


@pytest.mark.parametrize("outline", [photos.STRAIGHT_MAXI_DRESS, photos.TIERED_MAXI_DRESS])
def test_a_dress_is_measured_at_its_bodice_not_at_its_skirt(outline):
    """Both maxi dresses hang from the same straps and bodice (150 px under the arms): the tiers below, up to three
    times as wide, are no chest and no shoulders."""
    landmarks = read_garment_photo(photos.flat_lay(outline, (150, 60, 90))).outline.upper_landmarks
    assert abs(np.ptp(landmarks.armpits[:, 0]) - 150) < 10
    assert landmarks.armpits[0, 1] < 160  # under the arms, not at a tier
    assert np.all((landmarks.shoulders[:, 0] > 215) & (landmarks.shoulders[:, 0] < 385))
    assert np.all(landmarks.shoulders[:, 1] < landmarks.armpits[0, 1])


def test_a_photo_of_someone_wearing_the_garment_is_on_model():
    photo = read_garment_photo(photos.hopper_jpeg())
    assert photo.photo_type == "on-model" and photo.alpha is None and photo.model is not None


def test_a_photo_without_a_garment_has_no_cut_out():
    for image in (photos.plain_png(), photos.coffee_jpeg()):
        photo = read_garment_photo(image)
        assert photo.photo_type == "flat-lay" and photo.alpha is None


@pytest.mark.parametrize(
    "outline, expected",
    [
        # Dresses on thin straps, mini to maxi, fitted and A-line: long for their torso and for their armholes.
        (photos.strap_dress_cm(82), "one_piece"),
        (photos.strap_dress_cm(82, hem=90), "one_piece"),
        (photos.strap_dress_cm(98), "one_piece"),
        (photos.strap_dress_cm(115, hem=90), "one_piece"),
        # Camis on the same straps end by the hips: tops.
        (photos.strap_dress_cm(60, waist=44, hem=48), "top"),
        (photos.strap_dress_cm(70, waist=44, hem=50), "top"),
        # Skirts laid flat, a full one far wider at its hem than at its straight waistband: worn from the waist.
        (photos.skirt_cm(40), "bottom"),
        (photos.skirt_cm(42, hem=90), "bottom"),
        (photos.skirt_cm(60, hem=110), "bottom"),
        # Shorts, culottes and cropped trousers: bottoms.
        (photos.trousers_cm(30, leg=28), "bottom"),
        (photos.trousers_cm(68, leg=30), "bottom"),
        (photos.trousers_cm(88), "bottom"),
    ],
)
def test_dresses_of_every_length_are_told_from_tops_and_skirts(outline, expected):
    """A mini dress read as a top ends at the hips; a top read as a dress reaches the knees; a skirt read as a top
    goes on the chest."""
    assert read_garment_photo(photos.flat_lay(outline)).detected_type == expected


@pytest.mark.parametrize(
    "outline, expected",
    [
        # Knee-length dresses on long sleeves: their cuffs end well above their hems (they were read as tops, 3.4
        # armhole depths long like a tunic).
        (photos.sleeved_dress_cm(98, sleeve=60, sleeve_drop=65), "one_piece"),
        (photos.sleeved_dress_cm(98, hem=70, sleeve=60, sleeve_drop=65), "one_piece"),
        # Short-sleeved dresses stay dresses.
        (photos.sleeved_dress_cm(82, hem=52), "one_piece"),
        (photos.sleeved_dress_cm(90, hem=60), "one_piece"),
        # Long tops, on long sleeves reaching past half their length or on short sleeves, stay tops.
        (photos.sleeved_dress_cm(66, hem=48, sleeve=60, sleeve_drop=65), "top"),
        (photos.sleeved_dress_cm(72, chest=50, hem=52, sleeve=60, sleeve_drop=65), "top"),
        (photos.sleeved_dress_cm(78, chest=50, hem=54, sleeve=60, sleeve_drop=65), "top"),
        (photos.sleeved_dress_cm(64, hem=48), "top"),
        (photos.sleeved_dress_cm(72, chest=50, hem=52), "top"),
        (photos.sleeved_dress_cm(45, hem=46), "top"),
    ],
)
def test_a_sleeved_dress_is_told_from_a_long_top_by_where_its_sleeves_end(outline, expected):
    """A dress hangs far below its cuffs and is long for its shoulders; a top ends about where long sleeves do."""
    assert read_garment_photo(photos.flat_lay(outline)).detected_type == expected


def test_a_tie_hanging_at_a_tops_side_is_no_part_of_its_sleeve():
    """A wrap top's tie hangs beside its body below the armpit: the sleeve on that side is as long as the other one
    (before, the tie was read as that sleeve, which was then laid down the arm to the wrist); the negative: long
    sleeves hanging beside the body from the armholes stay sleeves."""
    outline = read_garment_photo(photos.tee_with_a_side_tie()).outline
    left, right = (profile.along[-1] - profile.along[0] for profile in outline.upper_landmarks.sleeves)
    assert abs(right - left) < 0.1 * left
    assert outline.garment_type == "top" and not outline.long_sleeves
    assert read_garment_photo(photos.flat_lay(photos.LONG_SLEEVES)).outline.long_sleeves
