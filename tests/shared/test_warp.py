"""The warps that carry a garment onto a body: thin-plate splines through landmarks, sleeves laid along arms."""

import numpy as np

from shared.ai_models.silhouette import SleeveProfile
from shared.ai_models.warp import LimbMap, SleeveMap, ThinPlateSpline, warp_image


def test_a_spline_sends_every_landmark_onto_its_partner():
    source = np.array([[0, 0], [100, 0], [0, 120], [100, 120], [50, 60], [30, 90]], float)
    target = source * 1.7 + [40, 10] + np.random.default_rng(0).normal(0, 6, source.shape)
    spline = ThinPlateSpline(source, target)
    assert np.abs(spline(source) - target).max() < 1e-6


def test_landmarks_related_by_one_affine_map_give_that_map_everywhere():
    source = np.array([[10, 10], [150, 20], [30, 170], [160, 160]], float)
    matrix = np.array([[1.2, 0.3], [-0.2, 0.9]])
    target = source @ matrix.T + [100, 50]
    elsewhere = np.array([[75, 80], [0, 0], [300, 250]], float)
    assert np.allclose(
        ThinPlateSpline(source, target)(elsewhere), elsewhere @ matrix.T + [100, 50], atol=1e-6
    )


def test_a_warped_image_shows_the_garment_point_at_its_body_point():
    garment = np.zeros((200, 200, 4), np.uint8)
    garment[95:105, 95:105] = 255  # a white marker at (100, 100)
    garment_points = np.array([[20, 20], [180, 20], [20, 180], [180, 180], [100, 100]], float)
    body_points = np.array([[120, 80], [300, 90], [110, 330], [310, 320], [230, 190]], float)
    warped = warp_image(garment, ThinPlateSpline(body_points, garment_points), (100, 60, 340, 360))
    ys, xs = np.nonzero(warped[..., 3] > 128)
    assert abs(xs.mean() + 100 - 230) < 3 and abs(ys.mean() + 60 - 190) < 3


def _straight_sleeve():
    """A straight sleeve along x, 100 px long and 10 px wide."""
    along = np.linspace(0.0, 100.0, 11)
    return SleeveProfile(
        np.zeros(2),
        np.array([1.0, 0.0]),
        np.array([0.0, 1.0]),
        along,
        np.full_like(along, -5.0),
        np.full_like(along, 5.0),
        1,
    )


def test_a_sleeve_bends_along_an_arm_keeps_its_length_and_covers_the_arm():
    # A straight sleeve along x, 10 px wide, laid along an arm that bends at the elbow, at twice its size.
    profile = _straight_sleeve()
    arm = [[100, 100], [100, 200], [180, 260]]
    sleeve = SleeveMap(
        profile, arm, away_from=[0, 100], arm_half_widths=[20, 15], start=0, length_scale=2.0, width_scale=2.0
    )
    # 50 px along the sleeve is the elbow (100 px down the upper arm); 100 px is 100 px down the forearm.
    assert np.allclose(sleeve.to_body(np.array([[50.0, 0.0]])), [[100, 200]], atol=1e-6)
    assert np.allclose(sleeve.to_body(np.array([[100.0, 0.0]])), [[180, 260]], atol=1e-6)
    # Across, the sleeve's edges reach the arm's edges (the arm, 40 px wide, is wider than the sleeve at twice its
    # size), its top seam on the side away from the body.
    assert np.allclose(
        sleeve.to_body(np.array([[25.0, 5.0], [25.0, -5.0]])), [[120, 150], [80, 150]], atol=1e-6
    )
    # Every body point maps back to the garment point that lands there.
    garment = np.array([[10.0, 3.0], [70.0, -4.0], [95.0, 2.0]])
    assert np.allclose(sleeve(sleeve.to_body(garment)), garment, atol=1e-6)


def test_a_sleeve_rounds_a_bent_elbow_and_does_not_run_on_past_it():
    """Outside an arm bent at a right angle, the sleeve covers the elbow as far as the arm is wide, and points further
    out along the upper arm's line lie beyond the sleeve's edge (no flap of the elbow's cloth sticking out)."""
    profile = _straight_sleeve()
    arm = [
        [100, 100],
        [100, 200],
        [200, 200],
    ]  # down the upper arm, then the forearm straight out to the right
    sleeve = SleeveMap(
        profile,
        arm,
        away_from=[200, 100],
        arm_half_widths=[20, 20],
        start=0,
        length_scale=2.0,
        width_scale=2.0,
    )
    # Outside the elbow (below and to the left of it): within the arm's half-width the sleeve, beyond it not.
    inside, beyond = sleeve(np.array([[90.0, 210.0], [100.0, 240.0]]))
    assert abs(inside[1]) <= 5  # within the sleeve's extent across
    assert abs(beyond[1]) > 5


def test_a_limb_map_carries_points_bone_by_bone_and_back():
    # A model's arm held out to the left (upper arm 100 px, forearm 80 px) and a person's hanging down (120, 100 px),
    # both bodies' hips below and to the right of the shoulder; the person's body twice the model's scale across. The
    # outer side is away from the hips: above the arm held out (a sleeve's top seam), left of the arm hanging.
    model_arm = [[100, 100], [0, 100], [-80, 100]]
    person_arm = [[100, 100], [100, 220], [100, 320]]
    limb = LimbMap(model_arm, person_arm, [150, 300], [150, 300], across_scale=2.0)
    # Halfway down the upper arm, 10 px to the outer side (above the arm held out, left of the arm hanging).
    assert np.allclose(limb(np.array([[50.0, 90.0]])), [[80, 160]], atol=1e-6)
    # A quarter of the way down the forearm, on the bone.
    assert np.allclose(limb(np.array([[-20.0, 100.0]])), [[100, 245]], atol=1e-6)
    # Above the shoulder the upper arm goes on at its own scale (the head of a sleeve).
    assert np.allclose(limb(np.array([[110.0, 100.0]])), [[100, 88]], atol=1e-6)
    points = np.array([[60.0, 95.0], [-30.0, 108.0], [105.0, 92.0]])
    assert np.allclose(limb.inverse()(limb(points)), points, atol=1e-6)
