"""A garment cut out of a photo of a model wearing it goes on behind the model's arms, a top ends above the
model's bare midriff, and its sleeves hang along the person's arms however the model held hers: drawn masks and poses
in the shapes product photos show (a bare forearm across a shirt, an arm hanging beside a skirt, a tie-front shirt over
trousers of the same print, a model's arms held out or bent forward)."""

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from shared.ai_models.body import (
    HANDS,
    LEFT_ANKLE,
    LEFT_ELBOW,
    LEFT_HIP,
    LEFT_KNEE,
    LEFT_SHOULDER,
    LEFT_WRIST,
    RIGHT_ANKLE,
    RIGHT_ELBOW,
    RIGHT_HIP,
    RIGHT_KNEE,
    RIGHT_SHOULDER,
    RIGHT_WRIST,
    BodyFrame,
)
from shared.ai_models.garment_photo import premultiplied
from shared.ai_models.placement import (
    _behind_arms,
    _filled_in,
    _has_sleeves,
    _worn_opening,
    _worn_top,
    bare_band_end,
)
from shared.ai_models.regions import Regions
from shared.ai_models.warp import warp_image

ARM_WIDTH = 24  # px: a forearm's width in these drawings (about 0.3 of the shoulder joints' distance)
HAND_RADIUS = 12  # px: a hand, drawn as a disc around the wrist
HAND = (230, 170, 140)


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


SIZE = 300
SHOULDERS, HIPS = ((120.0, 80.0), (180.0, 80.0)), ((130.0, 200.0), (170.0, 200.0))
ARMS_HELD_OUT = (((60.0, 85.0), (10.0, 90.0)), ((240.0, 85.0), (290.0, 90.0)))  # (elbow, wrist) left, right
ARMS_DOWN = (((112.0, 145.0), (110.0, 205.0)), ((188.0, 145.0), (190.0, 205.0)))
ARMS_APART = (((95.0, 140.0), (80.0, 195.0)), ((205.0, 140.0), (220.0, 195.0)))
BODY, SLEEVE = (40, 60, 200), (220, 30, 30)


def _drawn_person(arms):
    """Regions of a drawn person (a 300 px photo): the pose's shoulders, hips and arms, the torso's outline."""
    points = {
        LEFT_SHOULDER: SHOULDERS[0],
        RIGHT_SHOULDER: SHOULDERS[1],
        LEFT_HIP: HIPS[0],
        RIGHT_HIP: HIPS[1],
        LEFT_KNEE: (135.0, 250.0),
        RIGHT_KNEE: (165.0, 250.0),
        LEFT_ANKLE: (137.0, 292.0),
        RIGHT_ANKLE: (163.0, 292.0),
    }
    for (elbow, wrist), indices in zip(arms, ((LEFT_ELBOW, LEFT_WRIST), (RIGHT_ELBOW, RIGHT_WRIST))):
        points.update(zip(indices, (elbow, wrist)))
    for wrist, *fingers in (HANDS[0::2], HANDS[1::2]):
        points.update((finger, points[wrist]) for finger in fingers)
    body = SimpleNamespace(
        point=lambda index: np.array(points[index], np.float32),
        points=lambda indices: np.array([points[index] for index in indices], np.float32),
        visible=lambda *indices: True,
        small=np.zeros((SIZE, SIZE, 3), np.uint8),
        small_scale=1.0,
    )
    body.frame = BodyFrame(body)
    regions = Regions(body)
    outline = np.zeros((SIZE, SIZE), np.float32)
    outline[70:215, 115:186] = 1
    regions.person = outline
    regions.skin_colour = None  # no face drawn to learn a tone from: no skin in shade is looked for
    hands = np.zeros((SIZE, SIZE), np.uint8)
    for _, wrist in arms:
        cv2.circle(hands, (int(wrist[0]), int(wrist[1])), HAND_RADIUS, (1,), -1)
    regions.hands = hands.astype(np.float32)
    return regions


def _worn_tee(arms):
    """The photo of a model in a tee (blue body, red short sleeves from the shoulders halfway to the elbows) whose arms
    are held as `arms`, and the model's regions."""
    model = _drawn_person(arms)
    rgb, alpha = np.zeros((SIZE, SIZE, 3), np.uint8), np.zeros((SIZE, SIZE), np.uint8)
    cv2.rectangle(rgb, (115, 70), (185, 215), BODY, -1)
    cv2.rectangle(alpha, (115, 70), (185, 215), (1,), -1)
    for shoulder, (elbow, _) in zip(SHOULDERS, arms):
        end = (np.array(shoulder) + 0.5 * (np.array(elbow) - shoulder)).astype(int)
        cv2.line(rgb, tuple(int(v) for v in shoulder), tuple(end), SLEEVE, 34)
        cv2.line(alpha, tuple(int(v) for v in shoulder), tuple(end), (1,), 34)
    return premultiplied(rgb, alpha.astype(np.float32)), model


def _dressed(layer, model, person, garment_type="top"):
    """The person photo's colours where the worn tee's pieces land (each warped alone; the sleeves first, the body
    over them, as the model puts them on), and its coverage."""
    canvas, cover = np.zeros((SIZE, SIZE, 3), np.float32), np.zeros((SIZE, SIZE), np.float32)
    pieces = _worn_top(layer, model, person, garment_type)
    for piece in sorted(pieces, key=lambda piece: not piece.over_arms):
        warped = warp_image(piece.layer, piece.to_garment, (0, 0, SIZE, SIZE)).astype(np.float32)
        alpha = warped[..., 3:] / 255
        canvas = canvas * (1 - alpha) + warped[..., :3]
        cover = np.maximum(cover, alpha[..., 0])
    return canvas, cover > 0.5


def _red(canvas, cover):
    return cover & (np.abs(canvas - SLEEVE).max(axis=2) < 40)


@pytest.mark.parametrize("model_arms", [ARMS_HELD_OUT, ARMS_APART])
def test_a_worn_sleeve_hangs_along_the_persons_arm_not_at_the_models_angle(model_arms):
    layer, model = _worn_tee(model_arms)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_DOWN))
    red = _red(canvas, cover)
    ys, xs = np.nonzero(red)
    assert red.sum() > 600  # the sleeves are there
    # Along the upper arms, which hang from the shoulders: halfway down to the elbows, never out to the side at the
    # height of the shoulders where the model's arm pointed (a wing).
    assert ys.max() > 100 and ys.max() < 135
    assert not red[:, :85].any() and not red[:, 215:].any()
    # The sleeve's cloth lies along the outer side of each arm below the shoulder (the body is over its inner side).
    for (elbow, _), shoulder, outward in zip(ARMS_DOWN, SHOULDERS, (-8, 8)):
        x, y = (np.array(shoulder) + 0.3 * (np.array(elbow) - shoulder)).astype(int)
        assert red[y, x + outward]


def test_a_worn_sleeve_keeps_the_models_angle_when_the_person_holds_the_arm_the_same_way():
    # The negative: on a person posed as the model, the sleeve stays where the model wore it.
    layer, model = _worn_tee(ARMS_HELD_OUT)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_HELD_OUT))
    red = _red(canvas, cover)
    assert red[85, 80] and red[85, 220]  # out along the arms held out, at the shoulders' height
    assert not red[140:, :].any()


def test_a_worn_tops_body_stays_on_the_torso_and_covers_it_whatever_the_models_arms():
    layer, model = _worn_tee(ARMS_HELD_OUT)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_DOWN))
    blue = cover & (np.abs(canvas - BODY).max(axis=2) < 40)
    torso = np.zeros((SIZE, SIZE), bool)
    torso[100:200, 125:176] = True
    assert blue[torso].mean() > 0.95
    assert not blue[:, :100].any() and not blue[:, 200:].any()


def test_a_worn_top_whose_models_arms_leave_the_photo_still_goes_on():
    # A photo cropped at the model's shoulders' width: her elbows and wrists (guessed by the pose) lie outside it.
    arms_outside = (((-40.0, 160.0), (-60.0, 240.0)), ((340.0, 160.0), (360.0, 240.0)))
    layer, model = _worn_tee(arms_outside)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_DOWN))
    blue = cover & (np.abs(canvas - BODY).max(axis=2) < 40)
    assert blue[100:200, 125:176].mean() > 0.95


def _worn_dress(arms, sleeves=True, v_neck=False, hands=False):
    """The photo of a model in a dress (blue, from the shoulders to below the knees, flaring from the hips; red sleeves
    to halfway down the forearms when `sleeves`; a V-neck down to 40 px below the shoulders when `v_neck`) whose arms are
    held as `arms`; the model's regions, her outline with her arms, her bare skin beside and in the dress (its alpha is
    the dress's, detection size)."""
    model = _drawn_person(arms)
    rgb, alpha = np.zeros((SIZE, SIZE, 3), np.uint8), np.zeros((SIZE, SIZE), np.uint8)
    outline = np.array([[115, 70], [185, 70], [186, 200], [205, 270], [95, 270], [114, 200]], np.int32)
    cv2.fillPoly(rgb, [outline], BODY)
    cv2.fillPoly(alpha, [outline], (1,))
    person = alpha.copy()
    for shoulder, (elbow, wrist) in zip(SHOULDERS, arms):
        cv2.polylines(person, [np.array([shoulder, elbow, wrist], np.int32)], False, (1,), ARM_WIDTH)
        if sleeves:
            end = (np.array(elbow) + 0.5 * (np.array(wrist) - elbow)).astype(int)
            path = np.array([shoulder, elbow, end], np.int32)
            cv2.polylines(rgb, [path], False, SLEEVE, 30)
            cv2.polylines(alpha, [path], False, (1,), 30)
    cv2.rectangle(person, (138, 40), (162, 75), (1,), -1)  # the neck
    if hands:  # the model's hands, not told from the dress (a skin model that missed them)
        for _, wrist in arms:
            cv2.circle(rgb, (int(wrist[0]), int(wrist[1])), HAND_RADIUS, HAND, -1)
            cv2.circle(alpha, (int(wrist[0]), int(wrist[1])), HAND_RADIUS, (1,), -1)
    if v_neck:
        v = np.array([[130, 70], [170, 70], [150, 110]], np.int32)
        cv2.fillPoly(rgb, [v], (0, 0, 0))
        cv2.fillPoly(alpha, [v], (0,))
    garment = alpha > 0
    model.person = np.maximum(person, alpha).astype(np.float32)
    model.head = np.zeros((SIZE, SIZE), np.float32)
    model.skin = (model.person > 0) & ~garment
    model.skin = model.skin.astype(np.float32)
    return premultiplied(rgb, alpha.astype(np.float32)), model, garment.astype(np.float32)


@pytest.mark.parametrize("model_arms", [ARMS_HELD_OUT, ARMS_APART])
def test_a_worn_dresss_sleeves_hang_along_the_persons_arms_and_its_skirt_below_the_hips(model_arms):
    layer, model, worn = _worn_dress(model_arms)
    assert _has_sleeves(model, worn)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_DOWN), "one_piece")
    red = _red(canvas, cover)
    assert red.sum() > 1000
    # Along the arms that hang: never out at the shoulders' height where the model held hers.
    assert not red[:, :85].any() and not red[:, 215:].any()
    for (elbow, _), shoulder, outward in zip(ARMS_DOWN, SHOULDERS, (-8, 8)):
        x, y = (np.array(shoulder) + 0.5 * (np.array(elbow) - shoulder)).astype(int)
        assert red[y, x + outward]
    # The dress's body covers the torso and goes on below the hips, down the legs.
    blue = cover & (np.abs(canvas - BODY).max(axis=2) < 40)
    assert blue[100:200, 125:176].mean() > 0.95
    assert blue[215:260, 135:166].mean() > 0.95


def test_a_sleeveless_worn_dress_has_no_sleeves_to_move():
    # The negative: bare arms beside a dress (held out or hanging by its skirt) are no sleeves.
    for arms in (ARMS_HELD_OUT, ARMS_APART, ARMS_DOWN):
        _, model, worn = _worn_dress(arms, sleeves=False)
        assert not _has_sleeves(model, worn)


def test_the_skin_in_a_worn_dresss_v_neck_is_its_opening():
    _, model, worn = _worn_dress(ARMS_DOWN, v_neck=True)
    opening = _worn_opening(model, worn)
    assert opening is not None
    v = np.zeros((SIZE, SIZE), np.uint8)
    cv2.fillPoly(v, [np.array([[130, 70], [170, 70], [150, 110]], np.int32)], (1,))
    inside = cv2.erode(v, np.ones((5, 5), np.uint8)) > 0
    assert opening[inside].mean() > 0.9
    # It goes on up to the base of the neck (the wearer's own neck stays in front of it), never up the neck to the
    # face, nor onto the arms beside the dress.
    assert opening[66:70, 145:156].all()
    assert not opening[:55].any() and not opening[:, :120].any() and not opening[:, 181:].any()


def test_a_closed_neckline_has_no_opening():
    # The negatives: a dress up to the neck (at most the base of the neck between its shoulders, none of its front),
    # and a V with no skin in it (a top worn under the dress shows there).
    _, model, worn = _worn_dress(ARMS_DOWN)
    opening = _worn_opening(model, worn)
    assert opening is None or not opening[70:].any()
    _, model, worn = _worn_dress(ARMS_DOWN, v_neck=True)
    model.skin[70:111, 128:173] = 0
    opening = _worn_opening(model, worn)
    assert opening is None or not opening[70:].any()


def test_a_models_hands_go_nowhere_with_her_dress():
    layer, model, _ = _worn_dress(ARMS_APART, hands=True)
    canvas, cover = _dressed(layer, model, _drawn_person(ARMS_DOWN), "one_piece")
    assert _red(canvas, cover).sum() > 1000  # the sleeves are there...
    assert not (cover & (np.abs(canvas - HAND).max(axis=2) < 40)).any()  # ... and no hand beside the person's
