"""Each garment starts and ends where it is worn and where its own proportions put it on the body: drawn garments of real measures (a size-38 woman's,
tests/photos.py) placed on a drawn body of real proportions, their hems read along the legs."""

from types import SimpleNamespace

import numpy as np
import pytest

from shared.ai_models.body import LEFT_ANKLE, LEFT_HIP, LEFT_KNEE, RIGHT_ANKLE, RIGHT_HIP, RIGHT_KNEE
from shared.ai_models.garment_photo import read_garment_photo
from shared.ai_models.placement import WAIST_ABOVE_HIPS, place_flat_lay, place_on_model
from shared.ai_models.regions import Regions
from tests import photos

CM = 4.0  # px per cm of the drawn body
RIGHT, DOWN = np.array([1.0, 0.0], np.float32), np.array([0.0, 1.0], np.float32)


def _standing_woman(ankles_apart=7.5):
    """What the detectors read of a woman 168 cm tall standing straight, front on (4 px per cm, feet at the bottom):
    shoulder joints 34 cm apart, 140 cm above the floor, arms hanging to the wrists at 86 cm; hip joints 19 cm apart at 88 cm; knees at 47 cm; ankles at
    8 cm, `ankles_apart` cm either side of her middle (wider: striding). No clothes, skin or arms are read (the waist stays
    at its natural height)."""

    def at_height(x_cm, height_cm):
        return np.array([200 + x_cm * CM, (170 - height_cm) * CM], np.float32)

    shoulders = np.array([at_height(-17, 140), at_height(17, 140)])
    hips = np.array([at_height(-9.5, 88), at_height(9.5, 88)])
    legs = [
        np.array(
            [
                hips[side],
                at_height(sign * (8.5 + (ankles_apart - 7.5) / 2), 47),
                at_height(sign * ankles_apart, 8),
            ]
        )
        for side, sign in ((0, -1), (1, 1))
    ]
    arms = [
        np.array([shoulders[side], at_height(sign * 19, 112), at_height(sign * 20, 86)])
        for side, sign in ((0, -1), (1, 1))
    ]
    unit = float(shoulders[1, 0] - shoulders[0, 0])
    # Seen from the front, her right side is on the photo's left.
    joints = {
        RIGHT_HIP: legs[0][0],
        RIGHT_KNEE: legs[0][1],
        RIGHT_ANKLE: legs[0][2],
        LEFT_HIP: legs[1][0],
        LEFT_KNEE: legs[1][1],
        LEFT_ANKLE: legs[1][2],
    }

    def at(origin, across=0.0, down=0.0):
        return np.asarray(origin, np.float32) + (RIGHT * across + DOWN * down) * unit

    frame = SimpleNamespace(
        shoulders=shoulders,
        hips=hips,
        mid_shoulder=shoulders.mean(axis=0),
        mid_hip=hips.mean(axis=0),
        unit=unit,
        torso_length=float(hips[0, 1] - shoulders[0, 1]),
        across=RIGHT,
        down=DOWN,
        at=at,
        leg=lambda side: legs[side],
        arm=lambda side: arms[side],
        body=SimpleNamespace(point=joints.__getitem__, visible=lambda *indices: True),  # her feet show
    )
    shape = (170, 100)  # the detectors' reduced size (a quarter)
    zeros = np.zeros(shape, np.float32)
    return SimpleNamespace(
        posed_frame=frame,
        shoulder_tips=np.array([at_height(-19, 142), at_height(19, 142)]),
        width_across=lambda depth: None,
        arm_half_widths=lambda side: (5 * CM, 4 * CM, 3 * CM),
        person=zeros,
        skin=zeros,
        head=zeros,
        arm_zone=zeros,
        lab=np.zeros(shape + (3,), np.float32),
        shape=shape,
        scale=0.25,
    )


def _hem_on_legs(outline, garment_type):
    """Where the garment's hem lands: 0 at the hip joints, 1 at the knees, 2 at the ankles."""
    woman = _standing_woman()
    photo = read_garment_photo(photos.flat_lay(outline))
    ys, xs = np.nonzero(photo.alpha > 0.5)
    hem = np.array([[xs[ys == ys.max()].mean(), ys.max()]], np.float32)
    depth = float(place_flat_lay(photo, garment_type, woman)[0].to_body(hem)[0, 1])
    hips, knees, ankles = (float(point[1]) for point in woman.posed_frame.leg(0))
    if depth <= knees:
        return (depth - hips) / (knees - hips)
    return 1 + (depth - knees) / (ankles - knees)


@pytest.mark.parametrize(
    "outline, low, high",
    [
        (photos.trousers_cm(30, leg=28), 0.25, 0.45),  # shorts: the upper thigh
        (photos.skirt_cm(40), 0.5, 0.75),  # a mini skirt: mid-thigh
        (photos.skirt_cm(60, hem=60), 0.95, 1.25),  # a knee-length skirt
        (photos.trousers_cm(68, leg=30), 1.05, 1.35),  # culottes: below the knee, well above the ankle
        (photos.trousers_cm(88), 1.5, 1.85),  # cropped trousers: clearly above the ankle
        (photos.trousers_cm(105), 1.97, 2.2),  # full length: at the ankles
    ],
)
def test_a_bottoms_length_comes_from_its_own_proportions(outline, low, high):
    """Its waistband is matched to a flat waist, so its lengths take the same scale (they used to take 15 % more, as a
    top's do, and every bottom ran long for its kind)."""
    assert low <= _hem_on_legs(outline, "bottom") <= high


@pytest.mark.parametrize(
    "length, low, high",
    [(82, 0.5, 0.9), (98, 0.9, 1.3), (115, 1.3, 1.8), (140, 1.97, 2.2)],  # mini, knee, midi, maxi
)
def test_a_dress_on_straps_hangs_from_its_straps_to_its_own_length(length, low, high):
    """Its straps' tops lie on the shoulders (it used to hang from its bodice's top, a strap's length too high)."""
    for hem in (56.0, 90.0):  # fitted, A-line
        assert low <= _hem_on_legs(photos.strap_dress_cm(length, hem=hem), "one_piece") <= high


def test_a_bottom_worn_by_a_model_starts_at_the_persons_waist():
    """The cameraman's coat taken as a bottom worn by a model: its top edge across his middle lands on the woman's
    waist, where a flat bottom's waistband goes (carried joint by joint alone it landed where his coat's cut-out
    happened to start relative to his hips)."""
    woman = _standing_woman()
    frame = woman.posed_frame
    photo = read_garment_photo(photos.cameraman_png())
    assert photo.photo_type == "on-model"
    piece = place_on_model(photo, "bottom", woman)[0]
    alpha = piece.layer[..., 3] > 128
    model = Regions(photo.model).posed_frame
    ys, xs = np.nonzero(alpha)
    middle = np.abs((np.stack([xs, ys], axis=1) - model.mid_hip) @ model.across) < 0.3 * model.unit
    top = np.array([np.stack([xs, ys], axis=1)[middle][np.argmin(ys[middle])]], np.float32)
    waist = frame.mid_hip[1] - WAIST_ABOVE_HIPS * frame.torso_length
    assert abs(piece.to_body(top)[0, 1] - waist) < 0.05 * frame.torso_length


@pytest.mark.parametrize(
    "chest, shoulders", [(46.0, 38.0), (32.0, 42.0), (30.0, 40.0)]
)  # laid flat; a knit photographed round on a form (its chest narrow for its shoulders, as the dev polo dress's)
def test_a_knee_length_dress_ends_by_the_knees_however_round_its_photo_shows_its_chest(chest, shoulders):
    """Its lengths are read against its shoulders where its chest reads narrow for them (a knit polo dress photographed
    on a form was scaled by its narrow chest alone and reached the ankles)."""
    dress = photos.sleeved_dress_cm(98, chest=chest, shoulders=shoulders, hem=chest + 4)
    assert 0.8 <= _hem_on_legs(dress, "one_piece") <= 1.4


def test_sleeves_held_out_do_not_shorten_a_dress():
    """A span wider than the shoulders can be is sleeves held out: it says nothing of the dress's lengths (negative)."""
    hanging = _hem_on_legs(photos.sleeved_dress_cm(98), "one_piece")
    held_out = _hem_on_legs(photos.sleeved_dress_cm(98, sleeve_drop=0.0), "one_piece")
    assert abs(held_out - hanging) < 0.15


@pytest.mark.parametrize("garment", [photos.strap_dress_cm(150), photos.sleeved_dress_cm(150, hem=70.0)])
def test_a_long_dress_ends_at_the_ankles_not_over_the_feet(garment):
    """A dress longer than the body ends at the ankles (it used to reach a tenth of the shoulders' width below them, over
    the feet); the thin-plate spline may bend its hem's middle a few millimetres."""
    assert 1.9 <= _hem_on_legs(garment, "one_piece") <= 2.02


@pytest.mark.parametrize("ankles_apart", [7.5, 30.0])
def test_a_jumpsuits_legs_go_down_her_legs_and_end_by_the_ankles(ankles_apart):
    """A jumpsuit laid flat (a bodice on straps, two legs below a crotch): each of its legs runs down the leg on its side,
    standing or striding, and ends by the ankle, never over the feet (its legs were carried on straight down from its
    crotch, and its chest read in its legs made it twice as wide)."""
    woman = _standing_woman(ankles_apart)
    frame = woman.posed_frame
    photo = read_garment_photo(photos.jumpsuit())
    assert photo.detected_type == "one_piece"
    body = place_flat_lay(photo, "one_piece", woman)[0]
    legs = photo.outline.lower_landmarks
    for side, edges in enumerate(legs.leg_edges):
        hip, knee, ankle = frame.leg(side)
        centres = body.to_body(np.stack([edges.mean(axis=1), legs.leg_rows], axis=1).astype(np.float32))
        for point in centres:
            bone = knee if point[1] < knee[1] else ankle
            start = hip if point[1] < knee[1] else knee
            direction = (bone - start) / np.linalg.norm(bone - start)
            off = (point - start) - ((point - start) @ direction) * direction
            assert np.linalg.norm(off) < 0.15 * frame.unit  # on the leg
        assert centres[-1, 1] <= ankle[1] + 0.05 * frame.unit
    chest = body.to_body(photo.outline.upper_landmarks.armpits)
    assert np.linalg.norm(chest[1] - chest[0]) < 1.8 * frame.unit


def _top_hem_depth(old_top_hem):
    """How far below the middle of the shoulders (body units) a cropped tank top's hem lands on the standing woman,
    whose own top ends `old_top_hem` body units below them (None: not known)."""
    woman = _standing_woman()
    frame = woman.posed_frame
    outline = [(x, 470 if y == 700 else y) for x, y in photos.TANK_TOP]
    photo = read_garment_photo(photos.flat_lay(outline))
    ys, xs = np.nonzero(photo.alpha > 0.5)
    hem = np.array([[xs[ys == ys.max()].mean(), ys.max()]], np.float32)
    landed = place_flat_lay(photo, "top", woman, old_top_hem)[0].to_body(hem)[0]
    return float((landed - frame.mid_shoulder) @ frame.down) / frame.unit


def test_a_top_ending_a_sliver_above_the_shoppers_own_top_reaches_past_its_hem():
    """A top whose own proportions end it a few centimetres above where the shopper's own top ends would leave a sliver
    of the old top (or of skin painted over it) between the two hems: it is lengthened to just past the old hem."""
    own = _top_hem_depth(None)
    for gap in (0.03, 0.08):
        landed = _top_hem_depth(own + gap)
        assert own + gap <= landed <= own + gap + 0.04


def test_a_cropped_top_keeps_its_length_over_a_longer_old_top_and_a_top_never_shortens():
    """Negatives: a top ending well above the old top's hem is cropped and stays so (what shows below it is the old
    clothes' business: painted as a midriff); an old top ending above the new hem changes nothing."""
    own = _top_hem_depth(None)
    assert _top_hem_depth(own + 0.3) == pytest.approx(own, abs=1e-3)
    assert _top_hem_depth(own - 0.2) == pytest.approx(own, abs=1e-3)
