"""A garment cut out of a photo of a model wearing it leaves the model behind: her hair falling over the garment (a
lock inside its outline is filled with the garment, one over its edge dropped) and her skin in shade along her legs.
Drawn photos of a model in a dress in the shapes product photos show, with the negatives: a dress the colour of her
hair, a textured brown knit beside her skin, a garment of her skin's own tone."""

from types import SimpleNamespace

import cv2
import numpy as np

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
from shared.ai_models.placement import _filled_in, _worn_garment
from shared.ai_models.regions import Regions

SIZE = 300
BACKGROUND, SKIN, SHADED_SKIN = (235, 235, 235), (205, 155, 125), (140, 95, 70)
HAIR, DRESS = (70, 45, 30), (40, 60, 200)
POINTS = {
    LEFT_SHOULDER: (120.0, 80.0),
    RIGHT_SHOULDER: (180.0, 80.0),
    LEFT_HIP: (130.0, 200.0),
    RIGHT_HIP: (170.0, 200.0),
    LEFT_KNEE: (135.0, 250.0),
    RIGHT_KNEE: (165.0, 250.0),
    LEFT_ANKLE: (137.0, 292.0),
    RIGHT_ANKLE: (163.0, 292.0),
    LEFT_ELBOW: (70.0, 85.0),  # her arms held out: nothing of them lies beside the dress
    LEFT_WRIST: (25.0, 90.0),
    RIGHT_ELBOW: (230.0, 85.0),
    RIGHT_WRIST: (275.0, 90.0),
}
for _wrist, *_fingers in (HANDS[0::2], HANDS[1::2]):
    POINTS.update((finger, POINTS[_wrist]) for finger in _fingers)


def _model(photo, person, skin):
    """Regions of a drawn model photo (300 px; the body unit is the shoulders' 60 px): her outline and bare skin as
    drawn, her head everything above 0.3 units over the shoulders, her skin tone the lit skin's."""
    body = SimpleNamespace(
        point=lambda index: np.array(POINTS[index], np.float32),
        points=lambda indices: np.array([POINTS[index] for index in indices], np.float32),
        visible=lambda *indices: True,
        small=photo,
        small_scale=1.0,
        face_boxes=[],
    )
    body.frame = BodyFrame(body)
    regions = Regions(body)
    regions.person = person.astype(np.float32)
    regions.skin = skin.astype(np.float32)
    head = np.zeros((SIZE, SIZE), np.float32)
    head[:62] = 1
    regions.head = head * regions.person
    regions.skin_colour = cv2.cvtColor(np.array([[SKIN]], np.float32) / 255, cv2.COLOR_RGB2Lab)[0, 0]
    regions.hands = np.zeros((SIZE, SIZE), np.float32)
    return regions


def _dressed_model(dress=DRESS, locks=((128, 136),), knit=False, shaded_legs=False):
    """(photo, regions): a model with long hair (a lock at each x range of `locks` falling from her head to 60 px below
    her shoulders) in a sleeveless dress from her shoulders to her knees, her bare legs below it (with their sides in
    shade when `shaded_legs`), her arms bare."""
    photo = np.full((SIZE, SIZE, 3), BACKGROUND, np.uint8)
    person, skin = np.zeros((SIZE, SIZE), np.uint8), np.zeros((SIZE, SIZE), np.uint8)
    for mask, value in ((photo, SKIN), (person, 1), (skin, 1)):
        cv2.ellipse(mask, (150, 38), (16, 22), 0, 0, 360, value, -1)  # the face
        cv2.rectangle(mask, (142, 55), (158, 75), value, -1)  # the neck
        for x in (140, 160):  # the legs
            cv2.rectangle(mask, (x - 9, 240), (x + 9, 292), value, -1)
        for side in ((LEFT_SHOULDER, LEFT_ELBOW, LEFT_WRIST), (RIGHT_SHOULDER, RIGHT_ELBOW, RIGHT_WRIST)):
            cv2.polylines(mask, [np.array([POINTS[index] for index in side], np.int32)], False, value, 18)
    if shaded_legs:
        for x in (140, 160):
            for edge in (x - 9, x + 7):
                photo[240:293, edge : edge + 3] = SHADED_SKIN
                skin[240:293, edge : edge + 3] = 0
    cv2.rectangle(photo, (115, 70), (185, 245), dress, -1)
    cv2.rectangle(person, (115, 70), (185, 245), 1, -1)
    skin[70:246, 115:186] = 0
    if knit:  # rows of two shades of brown: a knit's texture
        photo[70:246:2, 115:186] = np.clip(np.array(dress) + 40, 0, 255)
    cv2.ellipse(photo, (150, 24), (20, 14), 0, 0, 360, HAIR, -1)  # the hair on her head
    cv2.ellipse(person, (150, 24), (20, 14), 0, 0, 360, 1, -1)
    skin[10:38] = 0
    for left, right in locks:
        photo[20:140, left:right] = HAIR
        person[20:140, left:right] = 1
        skin[20:140, left:right] = 0
    return photo, _model(photo, person, skin)


def test_a_lock_of_the_models_hair_inside_the_dress_is_filled_with_the_dress():
    photo, model = _dressed_model()
    alpha, hidden = _worn_garment(model, "one_piece")
    lock = (slice(90, 136), slice(129, 136))
    assert (alpha[lock] > 0.5).all()  # no hole in the dress where the hair lay
    filled = _filled_in(photo, hidden > 0)
    assert np.abs(filled[lock].astype(int) - DRESS).max(axis=2).mean() < 30  # in the dress's blue, not hair


def test_a_lock_over_the_dresss_edge_is_dropped():
    photo, model = _dressed_model(locks=((108, 121),))
    alpha, _ = _worn_garment(model, "one_piece")
    assert (alpha[100:138, 108:114] < 0.5).all()  # beside the dress: no hair carried with it
    assert (alpha[100:138, 125:180] > 0.5).all()  # the dress itself is whole


def test_a_dress_the_colour_of_the_models_hair_stays_whole():
    # A brown dress on a brunette: hair and dress cannot be told apart by colour, so nothing of it is taken for hair.
    photo, model = _dressed_model(dress=HAIR)
    alpha, _ = _worn_garment(model, "one_piece")
    assert (alpha[75:240, 118:183] > 0.5).mean() > 0.97


def test_the_models_legs_in_shade_go_with_her_skin_not_the_dress():
    photo, model = _dressed_model(locks=(), shaded_legs=True)
    alpha, _ = _worn_garment(model, "one_piece")
    assert (alpha[255:290, 125:175] < 0.5).all()  # neither her legs nor their shaded sides hang below the hem
    assert (alpha[80:235, 120:180] > 0.5).all()


def test_a_brown_knit_beside_the_skin_stays_garment():
    # Darker than the skin and of its hue: at most a thin band beside the skin (her neck) goes with it.
    knit = (120, 80, 55)
    photo, model = _dressed_model(dress=knit, locks=(), knit=True)
    alpha, _ = _worn_garment(model, "one_piece")
    assert (alpha[72:240, 118:183] > 0.5).mean() > 0.97


def test_a_garment_of_the_skins_own_tone_stays_garment():
    # A nude dress in the skin's own lit tone beside bare legs: not darker, so none of it is skin in shade.
    photo, model = _dressed_model(dress=(200, 150, 122), locks=())
    alpha, _ = _worn_garment(model, "one_piece")
    assert (alpha[75:240, 118:183] > 0.5).mean() > 0.97
