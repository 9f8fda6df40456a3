"""A garment cut out of a photo of a model wearing it goes on behind the model's arms, and a top ends above the
model's bare midriff: drawn masks in the shapes product photos show (a bare forearm across a shirt, an arm hanging
beside a skirt, a tie-front shirt over trousers of the same print)."""

import cv2
import numpy as np

from shared.ai_models.placement import _behind_arms, _filled_in, bare_band_end

ARM_WIDTH = 24  # px: a forearm's width in these drawings (about 0.3 of the shoulder joints' distance)


def _drawn(shape=(200, 160)):
    return np.zeros(shape, np.uint8)


def _shirt_with_an_arm_across():
    """(garment, arms): a shirt's front with a bare forearm lying diagonally across it (the skin is no garment)."""
    garment, arms = _drawn(), _drawn()
    cv2.rectangle(garment, (30, 20), (130, 180), (1,), -1)
    cv2.line(arms, (10, 60), (150, 150), (1,), ARM_WIDTH)
    garment[arms > 0] = 0
    return garment, arms


def test_the_garment_goes_on_behind_an_arm_lying_across_it():
    garment, arms = _shirt_with_an_arm_across()
    hidden = _behind_arms(garment, arms, 1.6 * ARM_WIDTH)
    inside = np.zeros_like(garment)
    cv2.rectangle(inside, (30, 20), (130, 180), (1,), -1)
    under_the_arm = (arms > 0) & (inside > 0)
    # No hole where the arm was: none at all away from the garment's sides, where the fill may round the corner.
    assert hidden[under_the_arm].mean() > 0.85
    middle = under_the_arm.copy()
    middle[:, : 30 + ARM_WIDTH] = middle[:, 130 - ARM_WIDTH :] = False
    assert hidden[middle].all()
    # The arm beyond the garment's sides stays out (to within 2 px: the fill is worked out at a reduced size).
    near = np.zeros_like(garment)
    cv2.rectangle(near, (28, 18), (132, 182), (1,), -1)
    assert not hidden[(arms > 0) & (near == 0)].any()


def test_an_arm_hanging_beside_a_skirt_is_not_made_part_of_it():
    skirt, arms = _drawn(), _drawn()
    cv2.rectangle(skirt, (40, 40), (110, 160), (1,), -1)
    cv2.line(arms, (112 + ARM_WIDTH // 2, 0), (112 + ARM_WIDTH // 2, 190), (1,), ARM_WIDTH)
    assert not _behind_arms(skirt, arms, 1.6 * ARM_WIDTH).any()


def test_a_gap_wider_than_an_arm_stays_open():
    # Two fronts of an open jacket with an arm between them farther apart than an arm is wide: no garment there.
    fronts, arms = _drawn(), _drawn()
    cv2.rectangle(fronts, (10, 20), (50, 180), (1,), -1)
    cv2.rectangle(fronts, (110, 20), (150, 180), (1,), -1)
    cv2.line(arms, (80, 20), (80, 180), (1,), ARM_WIDTH)
    assert not _behind_arms(fronts, arms, 1.6 * ARM_WIDTH).any()


def test_what_lies_behind_the_arm_takes_the_colours_around_it():
    garment, arms = _shirt_with_an_arm_across()
    photo = np.zeros(garment.shape + (3,), np.uint8)
    photo[garment > 0] = (40, 90, 200)  # a blue shirt
    photo[arms > 0] = (200, 150, 120)  # the model's skin
    hidden = _behind_arms(garment, arms, 1.6 * ARM_WIDTH) > 0
    filled = _filled_in(photo, hidden)
    assert np.abs(filled[hidden].astype(int) - (40, 90, 200)).max(axis=1).mean() < 25
    assert (filled[~hidden] == photo[~hidden]).all()  # nothing else is touched


def _torso(rows=200, columns=60):
    """(depth in body units, one row = 0.01; the middle of the body; no skin yet)."""
    depth = np.repeat((np.arange(rows, dtype=np.float32) / 100)[:, None], columns, axis=1)
    return depth, np.ones((rows, columns), bool), np.zeros((rows, columns), bool)


def test_a_top_worn_by_a_model_ends_above_their_bare_midriff():
    # A tie-front shirt: the midriff bare from depth 0.80 to 0.88, the knot covering the middle third of it;
    # below, the trousers of the same print.
    depth, middle, skin = _torso()
    skin[80:88] = True
    skin[80:88, 20:40] = False  # the knot
    end = bare_band_end(depth, middle, skin, 0.45, 1.6)
    assert end is not None and 0.86 <= end <= 0.92


def test_no_midriff_no_cut():
    depth, middle, skin = _torso()
    skin[40:70, 25:35] = True  # a deep V neckline's skin, above where a midriff is looked for, and narrow
    assert bare_band_end(depth, middle, skin, 0.45, 1.6) is None
    skin[:] = True  # skin all the way down (a beige top the skin model took for skin): nothing to cut at
    assert bare_band_end(depth, middle, skin, 0.45, 1.6) is None
