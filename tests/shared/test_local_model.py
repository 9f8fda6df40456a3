"""The offline model on real photos of people: masks, keypoints, compositing, typed errors, threads."""

from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.body import Body
from shared.ai_models.garment_photo import read_garment_photo
from shared.ai_models.local_model import LocalImageModel, below_the_hem
from shared.ai_models.placement import WAIST_ABOVE_HIPS, own_colours, place_flat_lay, waist_above_hips
from shared.ai_models.regions import Regions
from tests import photos

model = LocalImageModel()


def _alpha(png):
    return np.asarray(photos.decode(png).convert("RGBA"))[..., 3]


def test_background_removal_keeps_the_person_and_clears_the_background():
    result = photos.decode(model.remove_background(photos.astronaut_jpeg()))
    assert result.mode == "RGBA" and result.size == (512, 512)
    alpha = np.asarray(result)[..., 3]
    for x, y in (photos.ASTRONAUT_FACE, photos.ASTRONAUT_CHEST):
        assert alpha[y, x] == 255
    for x, y in photos.ASTRONAUT_BACKGROUND:
        assert alpha[y, x] == 0
    # The person keeps their colours where they are opaque.
    source = np.asarray(photos.decode(photos.astronaut_jpeg()))
    x, y = photos.ASTRONAUT_FACE
    assert np.abs(np.asarray(result)[y, x, :3].astype(int) - source[y, x]).max() <= 2


def test_the_cut_out_edge_is_feathered_not_jagged():
    alpha = _alpha(model.remove_background(photos.hopper_jpeg())).astype(int)
    soft = (alpha > 10) & (alpha < 245)
    assert soft.sum() > 300
    # Soft pixels sit on the outline: each one has a fully clear and a fully opaque pixel within 6 px.
    ys, xs = np.nonzero(soft)
    sample = list(zip(ys[::50], xs[::50]))
    near_both = [
        (
            alpha[max(0, y - 6) : y + 7, max(0, x - 6) : x + 7].min() < 10
            and alpha[max(0, y - 6) : y + 7, max(0, x - 6) : x + 7].max() > 245
        )
        for y, x in sample
    ]
    assert np.mean(near_both) > 0.8


def test_a_photo_with_nobody_in_it_is_refused():
    for image in (photos.coffee_jpeg(), photos.plain_png()):
        with pytest.raises(ImageModelError) as caught:
            model.remove_background(image)
        assert caught.value.code == "NO_PERSON_DETECTED" and caught.value.status_code == 422
        assert caught.value.retryable is False
        with pytest.raises(ImageModelError) as caught:
            model.try_on(image, [GarmentInput(photos.t_shirt(), "top")], {})
        assert caught.value.code == "NO_PERSON_DETECTED"


def test_two_people_are_refused_for_try_on():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.two_people_png(), [GarmentInput(photos.t_shirt(), "top")], {})
    assert caught.value.code == "MULTIPLE_PEOPLE"


def test_pose_keypoints_land_on_the_body():
    body = Body(np.asarray(photos.astronaut_image()))
    alpha = _alpha(model.remove_background(photos.astronaut_png()))
    face_x, face_y = photos.ASTRONAUT_FACE
    nose = body.point(0)
    assert abs(nose[0] - face_x) < 30 and abs(nose[1] - face_y) < 30
    for index in (11, 12):  # shoulders
        x, y = body.point(index).round().astype(int)
        assert body.visible(index) and alpha[y, x] == 255
    left, right = sorted([body.point(11)[0], body.point(12)[0]])
    assert left < face_x < right


def test_a_top_is_composited_on_the_torso_and_leaves_the_face_and_background():
    blue = (30, 90, 200)
    result = np.asarray(
        photos.decode(
            model.try_on(
                photos.astronaut_jpeg(), [GarmentInput(photos.t_shirt(blue), "top", {"color": "blue"})], {}
            )
        )
    )
    source = np.asarray(photos.decode(photos.astronaut_jpeg()))
    assert result.shape == source.shape
    x, y = photos.ASTRONAUT_CHEST
    assert np.abs(result[y, x].astype(int) - blue).max() < 30
    fx, fy = photos.ASTRONAUT_FACE
    assert np.abs(result[fy, fx].astype(int) - source[fy, fx]).max() <= 2
    for bx, by in photos.ASTRONAUT_BACKGROUND[:3]:
        assert np.abs(result[by, bx].astype(int) - source[by, bx]).max() <= 2


def test_outer_layers_go_over_inner_ones_whatever_the_order_given():
    red, green = (200, 40, 40), (40, 160, 60)
    garments = [GarmentInput(photos.t_shirt(green), "outerwear"), GarmentInput(photos.t_shirt(red), "top")]
    result = np.asarray(photos.decode(model.try_on(photos.astronaut_png(), garments, {})))
    x, y = photos.ASTRONAUT_CHEST
    assert np.abs(result[y, x].astype(int) - green).max() < 30


def test_a_garment_worn_by_a_model_is_transferred_from_that_photo():
    result = np.asarray(
        photos.decode(
            model.try_on(
                photos.astronaut_png(),
                [GarmentInput(photos.hopper_jpeg(), "top", {"title": "Navy uniform jacket"})],
                {},
            )
        )
    )
    x, y = photos.ASTRONAUT_CHEST
    # Grace Hopper's navy jacket, not the orange space suit, now covers the chest.
    assert result[y, x, 2] >= result[y, x, 0] and result[y, x].max() < 110


def test_a_transparent_avatar_stays_transparent_around_the_person():
    avatar = model.remove_background(photos.astronaut_png())
    result = photos.decode(model.try_on(avatar, [GarmentInput(photos.t_shirt(), "top")], {}))
    assert result.mode == "RGBA"
    alpha = np.asarray(result)[..., 3]
    x, y = photos.ASTRONAUT_BACKGROUND[1]
    assert alpha[y, x] == 0
    x, y = photos.ASTRONAUT_CHEST
    assert alpha[y, x] == 255


@pytest.mark.parametrize("garment_type", ["bottom", "one_piece", "shoes"])
def test_garments_below_the_hips_on_a_photo_without_them_need_a_full_body_photo(garment_type):
    # The astronaut photo ends at the chest: the model, which cannot make up the rest of the body, says which photo
    # works (the job said so before it reached the model; the model now frames the photo once and says it itself).
    with pytest.raises(ImageModelError) as caught:
        model.try_on(
            photos.astronaut_png(),
            [GarmentInput(photos.t_shirt(), "top"), GarmentInput(photos.jeans(), garment_type)],
            {},
        )
    assert caught.value.code == "NEEDS_FULL_BODY_PHOTO" and caught.value.status_code == 422
    assert caught.value.details == {"garment_index": 1, "missing": "hips"}
    assert "full-length photo" in caught.value.message


def test_a_garment_that_cannot_be_cut_out_is_refused():
    # A cup on a patterned table: nothing in the photo can be told from the surface it lies on, so the shopper is
    # told what photo works (a plain surface) rather than that their photo holds no garment.
    with pytest.raises(ImageModelError) as caught:
        model.try_on(
            photos.astronaut_png(),
            [GarmentInput(photos.t_shirt(), "top"), GarmentInput(photos.coffee_jpeg(), "outerwear")],
            {},
        )
    assert caught.value.code == "NEEDS_PLAIN_BACKGROUND" and caught.value.status_code == 422
    assert caught.value.details == {"garment_index": 1}
    assert "plain" in caught.value.message


def test_a_garment_on_a_busy_surface_is_refused_with_what_photo_works():
    tee = np.asarray(photos.decode(photos.t_shirt()).convert("RGB"))
    rows, columns = np.mgrid[0 : tee.shape[0], 0 : tee.shape[1]]
    # A rug of bold coloured diamonds around the tee (drawn: the shape of a garment photographed on the floor).
    rug = np.stack(
        [
            128 + 100 * np.sin(columns / 9.0 + rows / 13.0),
            128 + 90 * np.cos(rows / 7.0),
            90 + 80 * np.sin(columns / 5.0),
        ],
        axis=2,
    )
    on_rug = np.where(photos.inside(photos.T_SHIRT)[..., None] > 0, tee, np.clip(rug, 0, 255)).astype(
        np.uint8
    )
    with pytest.raises(ImageModelError) as caught:
        model.try_on(
            photos.astronaut_png(), [GarmentInput(photos.encode(Image.fromarray(on_rug)), "top")], {}
        )
    assert caught.value.code == "NEEDS_PLAIN_BACKGROUND" and caught.value.details == {"garment_index": 0}


def test_an_unknown_garment_type_is_a_programming_error():
    with pytest.raises(ValueError):
        GarmentInput(photos.t_shirt(), "hat")


def test_many_threads_at_once_get_the_same_results_as_one():
    expected_cut_out = model.remove_background(photos.hopper_jpeg())
    garments = [GarmentInput(photos.t_shirt(), "top")]
    expected_try_on = model.try_on(photos.astronaut_png(), garments, {})
    with ThreadPoolExecutor(max_workers=6) as pool:
        cut_outs = list(pool.map(lambda _: model.remove_background(photos.hopper_jpeg()), range(6)))
        try_ons = list(pool.map(lambda _: model.try_on(photos.astronaut_png(), garments, {}), range(6)))
    assert all(result == expected_cut_out for result in cut_outs)
    assert all(result == expected_try_on for result in try_ons)


def test_clothing_is_split_into_top_and_bottoms_the_same_whatever_ran_before():
    """Which of the person's clothes count as their top and which as their bottoms (what stays in front of new
    trousers) must not depend on the try-ons the process did before: OpenCV's k-means++ draws from a random generator
    every earlier draw moves on. Clothing of four speckled colours on the chest, four others on the legs: the
    colours can be grouped several ways, so an unseeded draw picks another split now and then."""
    regions = Regions(Body(np.asarray(photos.cameraman_image().convert("RGB"))))
    clothing = regions.person * (1 - regions.skin) * (1 - regions.head) * (1 - regions.arms)
    rng = np.random.default_rng(0)
    top = np.array([[20, 20, -40], [40, 60, 40], [60, -50, 50], [80, 0, 70]], np.float32)
    hip = int(regions.posed_frame.mid_hip[1] * regions.scale)
    height, width = regions.shape
    lab = np.concatenate(
        [top[rng.integers(0, 4, (hip, width))], (top + 12)[rng.integers(0, 4, (height - hip, width))]]
    )
    regions.__dict__["lab"] = lab + rng.normal(0, 6, lab.shape).astype(np.float32)  # the photo in CIELAB
    first = own_colours(regions, "bottom", clothing)
    assert 0.5 < first.mean() < 1  # told apart, not all ones
    for draws in range(1, 30):
        cv2.randu(np.zeros(draws, np.float32), 0, 1)  # what another job's random draws do to the generator
        assert np.array_equal(own_colours(regions, "bottom", clothing), first)


# --- each garment on its body part ---------------------------------------------------------------


def _try_on(person, *garments):
    return np.asarray(photos.decode(model.try_on(person, list(garments), {})).convert("RGB")).astype(int)


def _painted(result, colour, tolerance=40):
    """Pixels within `tolerance` of the garment's colour in every channel."""
    return np.abs(result - np.array(colour)).max(axis=2) < tolerance


def _frame(image):
    return Body(np.asarray(image)).frame


def test_trousers_go_on_the_legs_not_on_the_chest():
    blue = (60, 90, 150)  # the cameraman photo is grey: anything this blue is the jeans
    result = _try_on(photos.cameraman_png(), GarmentInput(photos.jeans(blue), "bottom"))
    frame = _frame(photos.cameraman_image())
    ys, xs = np.nonzero(_painted(result, blue))
    assert len(ys) > 2000
    # Nothing on the chest, measured along his body (he leans forward: the waistband lies across it).
    offsets = np.stack([xs, ys], axis=1) - frame.mid_hip
    on_torso = np.abs(offsets @ frame.across) < 0.5 * frame.unit
    assert on_torso.sum() > 1000 and (offsets @ frame.down)[on_torso].min() > -0.4 * frame.torso_length
    assert (xs < frame.mid_hip[0]).sum() > 500 and (xs > frame.mid_hip[0]).sum() > 500  # both legs


def test_new_trousers_cover_the_hips_of_a_long_coat_of_one_colour():
    """The cameraman's coat is one colour from his neck to his knees: nothing tells a top from its bottoms, so none of
    it stays in front of new trousers at his hips (it used to, taken for a top hanging over them); his arms do."""
    blue = (60, 90, 150)
    result = _try_on(photos.cameraman_png(), GarmentInput(photos.jeans(blue), "bottom"))
    body = Body(np.asarray(photos.cameraman_image()))
    frame, regions = body.frame, Regions(body)
    in_front = cv2.resize(np.clip(regions.arms + regions.hands, 0, 1), result.shape[1::-1]) > 0.2
    person = cv2.resize(regions.person, result.shape[1::-1]) > 0.5
    band = [
        frame.at(frame.mid_hip, across, down).round().astype(int)
        for down in np.linspace(-0.1, 0.15, 6)
        for across in np.linspace(-0.4, 0.4, 17)
    ]
    hips = [(x, y) for x, y in band if person[y, x] and not in_front[y, x]]
    assert len(hips) > 50
    assert np.mean([_painted(result, blue)[y, x] for x, y in hips]) > 0.45


@pytest.mark.parametrize("hem_gap", [0, -50])
def test_wide_trousers_whose_hems_touch_go_on_the_legs_when_no_type_is_given(hem_gap):
    colour = (60, 90, 150)
    image = photos.flat_lay(photos.wide_legs(hem_gap), colour)
    detected = read_garment_photo(image).detected_type  # what the pipeline does with an upload without a type
    result = _try_on(photos.cameraman_png(), GarmentInput(image, detected))
    frame = _frame(photos.cameraman_image())
    ys, xs = np.nonzero(_painted(result, colour))
    assert detected == "bottom" and len(ys) > 2000
    assert ys.min() > frame.mid_hip[1] - 0.4 * frame.torso_length  # nothing on the chest


@pytest.mark.parametrize("hem_gap", [0, 6, -50])
def test_wide_trouser_legs_are_not_folded_over_themselves(hem_gap):
    # Wide legs on slim ones: laid edge to edge, the garment's legs are wider apart than the body's. Where the warp
    # turns the cloth over (its map flips orientation), the print would run in waves and streaks.
    photo = read_garment_photo(photos.flat_lay(photos.wide_legs(hem_gap), (60, 90, 150)))
    piece = place_flat_lay(photo, "bottom", Regions(Body(np.asarray(photos.cameraman_image()))))[0]
    ys, xs = np.nonzero(photo.alpha[::8, ::8] > 0.5)
    points = np.stack([xs * 8, ys * 8], axis=1).astype(float)
    at, right, down = (piece.to_body(points + step) for step in ([0, 0], [2, 0], [0, 2]))
    turned = ((right - at)[:, 0] * (down - at)[:, 1] - (right - at)[:, 1] * (down - at)[:, 0]) <= 0
    assert turned.mean() < 0.1


def test_a_tops_length_comes_from_its_own_proportions_and_never_reaches_the_knees():
    cropped = [
        (210, 110),
        (120, 140),
        (30, 300),
        (110, 350),
        (160, 290),
        (160, 420),
        (440, 420),
        (440, 290),
        (490, 350),
        (570, 300),
        (480, 140),
        (390, 110),
        (350, 150),
        (300, 160),
        (250, 150),
    ]
    tunic = [
        (230, 20),
        (150, 40),
        (60, 170),
        (120, 210),
        (170, 170),
        (175, 790),
        (425, 790),
        (430, 170),
        (480, 210),
        (540, 170),
        (450, 40),
        (370, 20),
        (340, 50),
        (300, 60),
        (260, 50),
    ]
    regular = [(x, min(y, 560)) for x, y in photos.T_SHIRT]
    frame = _frame(photos.cameraman_image())  # he leans forward: lengths are measured along his body
    hems = {}
    for name, outline, colour in (
        ("cropped", cropped, (200, 40, 40)),
        ("regular", regular, (40, 160, 60)),
        ("tunic", tunic, (40, 60, 200)),
    ):
        ys, xs = np.nonzero(
            _painted(
                _try_on(photos.cameraman_png(), GarmentInput(photos.flat_lay(outline, colour), "top")), colour
            )
        )
        depths = (np.stack([xs, ys], axis=1) - frame.mid_hip) @ frame.down / frame.unit
        hems[name] = np.percentile(depths, 99)  # below the hip joints, in body units
    assert hems["cropped"] < 0 < hems["regular"] < hems["tunic"]  # a cropped top ends above the hips
    assert hems["tunic"] <= 0.5  # even a tunic ends by the upper thigh


def test_a_dress_hangs_from_the_shoulders_past_the_hips():
    colour = (180, 120, 60)
    result = _try_on(photos.cameraman_png(), GarmentInput(photos.dress(colour), "one_piece"))
    frame = _frame(photos.cameraman_image())
    ys, _ = np.nonzero(_painted(result, colour))
    assert ys.min() < frame.mid_shoulder[1] + 0.3 * frame.unit
    assert ys.max() > frame.mid_hip[1] + 0.5 * frame.unit


def _dressed_figure(top_to, bottoms_from, top=(30.0, 40.0, 20.0), bottoms=(60.0, -5.0, -30.0)):
    """What the detectors read of a person (the masks and colours placement looks at), drawn in the cameraman's body
    frame: clothed from the shoulders to below the knees, a top (CIELAB colour) down to `top_to` and bottoms from
    `bottoms_from` (shares of the way from the shoulders to the hip joints; bare skin between them, the top in front
    where they overlap)."""
    frame = Regions(Body(np.asarray(photos.cameraman_image()))).posed_frame
    shape, scale = (512, 512), 1.0
    ys, xs = np.mgrid[0:512, 0:512].astype(np.float32)
    offset = np.stack([xs, ys], axis=-1) - frame.mid_shoulder
    depth, across = offset @ frame.down / frame.unit, offset @ frame.across / frame.unit
    share = depth * frame.unit / frame.torso_length
    person = ((np.abs(across) < 0.6) & (depth > -0.1)).astype(np.float32)
    lab = np.zeros(shape + (3,), np.float32)
    lab[share >= bottoms_from] = bottoms
    lab[share < top_to] = top
    skin = ((share >= top_to) & (share < bottoms_from)).astype(np.float32)
    lab[skin > 0] = (70.0, 15.0, 20.0)
    zeros = np.zeros(shape, np.float32)
    return SimpleNamespace(
        posed_frame=frame,
        body_coordinates=(depth, across),
        person=person,
        skin=skin,
        head=zeros,
        arm_zone=zeros,
        lab=lab,
        shape=shape,
        scale=scale,
    )


@pytest.mark.parametrize(
    "top_to, bottoms_from, colours, waist",
    [
        (
            0.62,
            0.62,
            {},
            0.62,
        ),  # a top tucked into high-rise trousers: their waistband, not the natural waist
        (0.55, 0.7, {}, 0.7),  # a cropped top over high-rise trousers: where the trousers start
        (0.9, 0.6, {}, 1 - WAIST_ABOVE_HIPS),  # a top hanging over the waist: the natural waist
        (0.5, 0.95, {}, 1 - WAIST_ABOVE_HIPS),  # low-rise trousers under a bare midriff: the natural waist
        (
            0.62,
            0.62,
            {"bottoms": (30.0, 40.0, 20.0)},
            1 - WAIST_ABOVE_HIPS,
        ),  # one colour: nothing tells them apart
    ],
)
def test_new_bottoms_start_where_the_old_ones_did_when_those_start_above_the_waist(
    top_to, bottoms_from, colours, waist
):
    """No band of the old trousers is left between the new waistband and where theirs was."""
    figure = _dressed_figure(top_to, bottoms_from, **colours)
    found = 1 - waist_above_hips(figure)  # share of the way from the shoulders to the hip joints
    assert abs(found - waist) < 0.04


def test_a_tiered_maxi_dress_is_as_wide_and_as_long_on_the_body_as_a_straight_one():
    """Two maxi dresses with the same bodice, one falling straight, one in tiers far wider than the bodice: on the
    person both bodices span the chest alike and both hang as low (the tiers used to be read as the chest, which
    made the whole dress smaller)."""
    regions = Regions(Body(np.asarray(photos.cameraman_image())))
    frame = regions.posed_frame
    placed = {}
    for name, outline in (("straight", photos.STRAIGHT_MAXI_DRESS), ("tiered", photos.TIERED_MAXI_DRESS)):
        photo = read_garment_photo(photos.flat_lay(outline, (150, 60, 90)))
        landmarks = photo.outline.upper_landmarks
        body = place_flat_lay(photo, "one_piece", regions)[0]
        armpits, hem = (
            body.to_body(landmarks.armpits),
            body.to_body(landmarks.hem.mean(axis=0, keepdims=True))[0],
        )
        placed[name] = (np.linalg.norm(armpits[1] - armpits[0]), (hem - frame.mid_hip) @ frame.down)
    (straight_chest, straight_hem), (tiered_chest, tiered_hem) = placed["straight"], placed["tiered"]
    assert abs(tiered_chest - straight_chest) < 0.05 * straight_chest
    assert straight_hem > frame.unit and tiered_hem > 0.95 * straight_hem


def test_long_sleeves_follow_the_arms_and_a_sleeveless_top_leaves_them_bare():
    navy = (25, 35, 90)
    frame = _frame(photos.cameraman_image())
    elbow = frame.arm(0)[1].round().astype(int)  # the arm hanging by the body
    long_sleeved = _try_on(
        photos.cameraman_png(), GarmentInput(photos.flat_lay(photos.LONG_SLEEVES, navy), "top")
    )
    sleeveless = _try_on(photos.cameraman_png(), GarmentInput(photos.tank_top(navy), "top"))
    original = np.asarray(photos.cameraman_image()).astype(int)
    x, y = elbow
    assert _painted(long_sleeved, navy)[y - 3 : y + 4, x - 3 : x + 4].mean() > 0.8
    assert (
        np.abs(sleeveless[y - 3 : y + 4, x - 3 : x + 4] - original[y - 3 : y + 4, x - 3 : x + 4]).max() <= 3
    )


def test_the_hands_stay_in_front_of_the_new_garment():
    # The cameraman holds his camera in front of his chest; the top goes behind his hands.
    frame = _frame(photos.cameraman_image())
    result = _try_on(photos.cameraman_png(), GarmentInput(photos.t_shirt((200, 40, 40)), "top"))
    original = np.asarray(photos.cameraman_image()).astype(int)
    for side in (0, 1):
        x, y = frame.arm(side)[2].round().astype(int)  # the wrist
        assert (
            np.abs(result[y - 4 : y + 5, x - 4 : x + 5] - original[y - 4 : y + 5, x - 4 : x + 5]).mean() < 3
        )


@pytest.mark.parametrize("person", [photos.astronaut_image, photos.hopper_image])
def test_a_standing_collar_never_rises_into_the_face(person):
    image = person()
    result = _try_on(photos.encode(image), GarmentInput(photos.collared_shirt(), "top"))
    original = np.asarray(image).astype(int)
    for x0, y0, x1, y1 in Body(np.asarray(image)).face_boxes:  # the face down to the chin
        bottom = int(y1 + 0.1 * (y1 - y0))
        changed = np.abs(
            result[int(y0) : bottom, int(x0) : int(x1)] - original[int(y0) : bottom, int(x0) : int(x1)]
        ).sum(axis=2)
        assert (changed > 30).mean() < 0.002


def test_long_hair_over_the_shoulders_stays_in_front_of_a_new_top():
    image, hair = photos.long_haired_astronaut()
    result = _try_on(photos.encode(image), GarmentInput(photos.t_shirt((200, 40, 40)), "top"))
    original = np.asarray(image).astype(int)
    changed = np.abs(result - original).max(axis=2) > 30
    frame = _frame(image)
    over_the_top = hair & (np.arange(hair.shape[0])[:, None] > frame.mid_shoulder[1])
    assert over_the_top.sum() > 2000
    assert changed[over_the_top].mean() < 0.05  # neither covered by the top nor filled in as old clothes
    x, y = photos.ASTRONAUT_CHEST
    assert _painted(result, (200, 40, 40))[y - 20 : y + 20, x - 20 : x + 20].mean() > 0.8


def test_white_stripes_stay_garment_on_the_person():
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.striped_top_on_white(), "top"))
    x, y = photos.ASTRONAUT_CHEST
    chest = result[y - 40 : y + 40, x - 40 : x + 40]
    white = (chest.min(axis=2) > 215).mean()
    navy = _painted(chest, (25, 35, 90), 45).mean()
    assert (
        white > 0.25 and navy > 0.25
    )  # both kinds of stripe, none of the orange suit through the white ones
    assert white + navy > 0.85


def test_the_garment_takes_the_light_of_the_photo():
    grey = (150, 150, 150)
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.t_shirt(grey), "top"))
    x, y = photos.ASTRONAUT_CHEST
    patch = result[y - 60 : y + 60, x - 60 : x + 60].mean(axis=2)
    original = (
        np.asarray(photos.astronaut_image())[y - 60 : y + 60, x - 60 : x + 60].astype(float).mean(axis=2)
    )
    assert abs(patch.mean() - 150) < 20  # the garment's colour is kept...
    # ...with the folds and shadows of the suit it replaces.
    smooth = lambda image: cv2.GaussianBlur(image.astype(np.float32), (0, 0), 4)  # noqa: E731
    assert np.corrcoef(smooth(patch).ravel(), smooth(original).ravel())[0, 1] > 0.3


def test_old_sleeves_beside_a_sleeveless_top_become_bare_arms():
    frame = _frame(photos.astronaut_image())
    shoulder, elbow, _ = frame.arm(0)
    x, y = ((shoulder + elbow) / 2).round().astype(int)  # the upper arm, in the orange suit
    face_x, face_y = photos.ASTRONAUT_FACE
    original = np.asarray(photos.astronaut_image()).astype(int)
    skin = original[face_y - 5 : face_y + 5, face_x + 20 : face_x + 30].reshape(-1, 3).mean(axis=0)
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.tank_top(), "top"))
    before = np.abs(original[y, x] - skin).sum()
    after = np.abs(result[y, x] - skin).sum()
    assert after < before / 2


def test_old_sleeves_wider_than_the_bare_arm_are_filled_from_beyond_them_not_with_the_arm_smeared_out():
    """A tank top on the astronaut in her bulky suit: each upper arm is painted bare in its own shape, and what is left
    of the suit's wide sleeve beyond that arm is filled from what lies behind her, not with the skin just painted
    smeared outwards (a blurred ghost of a wider arm where the old sleeve was). The arm itself stays painted."""
    image = photos.astronaut_image()
    frame = _frame(image)
    original = np.asarray(image).astype(int)
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.tank_top(), "top"))
    lab = cv2.cvtColor(result.astype(np.uint8), cv2.COLOR_RGB2Lab).astype(float)
    left = _suit_orange(original) & ~_painted(result, (40, 140, 90))
    ys, xs = np.mgrid[0 : original.shape[0], 0 : original.shape[1]]
    for side in (0, 1):
        shoulder, elbow, _ = frame.arm(side)
        bone = elbow - shoulder
        offsets = np.stack([xs - shoulder[0], ys - shoulder[1]], axis=-1)
        along = offsets @ bone / float(bone @ bone)
        across = np.abs(offsets @ np.array([-bone[1], bone[0]])) / np.linalg.norm(bone) / frame.unit
        upper_arm = left & (along > 0.2) & (along < 0.8)
        on_the_bone, beyond_the_arm = (
            upper_arm & (across < 0.06),
            upper_arm & (across > 0.12) & (across < 0.18),
        )
        assert on_the_bone.sum() > 100 and beyond_the_arm.sum() > 100
        skin = np.median(lab[on_the_bone], axis=0)
        assert np.mean(np.linalg.norm(lab[on_the_bone] - skin, axis=1) < 15) > 0.8  # the arm is painted
        assert np.mean(np.linalg.norm(lab[beyond_the_arm] - skin, axis=1) < 15) < 0.1  # and ends there


@pytest.mark.parametrize("outline", [photos.JEANS, photos.wide_legs(-50)])
def test_old_clothes_beside_new_trousers_are_filled_from_beyond_the_clothes(outline):
    """Trousers on a man whose long coat hangs wider over his legs: what is left of the coat beside and between the
    new legs is filled from what lies behind him (the field, grey), not with the new denim smeared outwards."""
    blue = (60, 90, 150)  # the cameraman photo is grey: anything blue comes from the trousers
    original = np.asarray(photos.cameraman_image()).astype(int)
    result = _try_on(photos.cameraman_png(), GarmentInput(photos.flat_lay(outline, blue), "bottom"))
    filled = (np.abs(result - original).sum(axis=2) > 30) & ~_painted(result, blue)
    assert filled.sum() > 1000
    assert ((result[..., 2] - result[..., 0]) > 15)[filled].mean() < 0.2


def _suit_orange(image):
    return (image[..., 0] > 150) & (image[..., 1] > 60) & (image[..., 1] < 150) & (image[..., 2] < 100)


def test_short_sleeves_over_long_ones_cover_the_shoulder_and_leave_a_believable_arm():
    """A short-sleeved tee on someone in long sleeves: the tee's sleeve covers the whole top of the arm down from
    the shoulder; below it the old sleeve is gone and the bare arm is round and grained skin, not a flat patch."""
    red = (200, 40, 40)
    image = photos.astronaut_image()
    frame = _frame(image)
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.t_shirt(red), "top"))
    original = np.asarray(image).astype(int)
    shoulder, elbow, _ = frame.arm(1)  # the arm in front of the helmet, in the orange suit
    down, across = (elbow - shoulder) / np.linalg.norm(elbow - shoulder), frame.across
    points = [
        shoulder + down * along * frame.unit + across * side * frame.unit
        for along in np.linspace(0.05, 0.3, 6)
        for side in np.linspace(-0.08, 0.08, 5)
    ]
    assert (
        np.mean([_painted(result, red)[int(y), int(x)] for x, y in points]) > 0.85
    )  # the sleeve covers the arm
    arm = np.zeros(original.shape[:2], np.uint8)
    cv2.line(arm, tuple(int(v) for v in shoulder), tuple(int(v) for v in elbow), 1, int(0.2 * frame.unit))
    arm = arm.astype(bool)
    assert (
        _suit_orange(result)[arm].sum() < 0.05 * _suit_orange(original)[arm].sum()
    )  # no old sleeve left on the arm
    red_, green_, blue_ = result[..., 0], result[..., 1], result[..., 2]
    bare = (
        arm & (red_ > green_) & (green_ > blue_) & (red_ - blue_ > 25) & (red_ - green_ < 90)
    )  # skin, not the tee
    lightness = cv2.cvtColor(result.astype(np.uint8), cv2.COLOR_RGB2LAB)[..., 0].astype(float)
    grain = lightness - cv2.GaussianBlur(lightness, (0, 0), 2)
    assert bare.sum() > 300 and grain[bare].std() > 1.0  # skin has grain
    ys, xs = np.nonzero(bare)
    off_bone = np.abs(np.cross(down, np.stack([xs, ys], axis=1) - shoulder)) / (0.1 * frame.unit)
    assert (
        lightness[ys, xs][off_bone < 0.4].mean() > lightness[ys, xs][off_bone > 0.8].mean() + 2
    )  # and is round


def test_a_light_garment_on_a_white_background_is_tried_on():
    result = _try_on(photos.astronaut_png(), GarmentInput(photos.light_cardigan_on_white(), "outerwear"))
    x, y = photos.ASTRONAUT_CHEST
    assert _painted(result[y - 20 : y + 20, x - 20 : x + 20], (218, 218, 214), 35).mean() > 0.7


def test_a_plain_swatch_holds_no_garment():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.astronaut_png(), [GarmentInput(photos.plain_png(), "top")], {})
    assert caught.value.code == "INVALID_GARMENT_IMAGE" and caught.value.details == {"garment_index": 0}


def test_a_photo_cut_off_above_the_shoulders_gives_its_arms_the_faces_skin_colour():
    """No shoulders in view, so no arms to read: the arms' skin colour is the face's (it used to fail on the
    missing body frame)."""
    image = np.asarray(photos.astronaut_image())
    body = Body(np.ascontiguousarray(image[: int(image.shape[0] * 0.35)]))
    assert body.face_count == 1 and body.frame is None  # the photo this test needs: a face, no shoulders
    regions = Regions(body)
    assert regions.skin_colour is not None
    assert np.array_equal(regions.arm_skin_colour, regions.skin_colour)


def _coat_below_shorts(image):
    """Blue shorts on the cameraman (`image`: the photo or a tinted copy), whose long coat hangs down over his legs.
    Returns the result and, among the coat's pixels below the shorts' hem, those on his leg seen whole down to the
    knee and those of the coat's flaps beyond it."""
    colour = (40, 90, 200)
    original = np.asarray(image.convert("RGB")).astype(int)
    result = _try_on(photos.encode(image), GarmentInput(photos.shorts(colour), "bottom"))
    frame = _frame(image)
    hip, knee, _ = frame.leg(0)
    shorts = _painted(result, colour)
    ys, xs = np.nonzero(shorts)
    down = (knee - hip) / np.linalg.norm(knee - hip)
    hem = np.percentile((np.stack([xs, ys], axis=1) - hip) @ down, 99)
    rows, columns = np.mgrid[: original.shape[0], : original.shape[1]]
    offset = np.stack([columns, rows], axis=-1) - hip
    along, across = offset @ down, np.abs(offset @ np.array([down[1], -down[0]]))
    below = (
        (along > hem + 0.05 * frame.unit) & ~shorts & (original.mean(axis=2) < 50)
    )  # the coat below the hem
    on_leg = below & (across < 0.15 * frame.unit)
    beyond_leg = below & (across > 0.3 * frame.unit) & (across < 0.6 * frame.unit)
    assert on_leg.sum() > 200 and beyond_leg.sum() > 400
    return result, on_leg, beyond_leg


def test_old_clothes_below_short_bottoms_stay_on_the_legs_when_no_skin_colour_is_known():
    """In a grey photo (no skin colour to learn, as when the photo cuts the face off): below the shorts' hem his
    legs keep what covered them (filling them from around would erase the legs themselves), and the coat beyond his
    legs is filled from around."""
    result, on_leg, beyond_leg = _coat_below_shorts(photos.cameraman_image())
    dark = result.mean(axis=2) < 50
    assert dark[on_leg].mean() > 0.8  # the leg is still there
    assert dark[beyond_leg].mean() < 0.3  # the coat's flaps beside it are gone


def test_old_clothes_below_short_bottoms_become_legs_in_the_skin_colour_and_beyond_them_are_filled():
    """The same photo in warm tones (a face of a skin's colour): below the shorts' hem his leg is painted bare in his
    skin's colour, the coat's flaps beyond it are filled from around, and nothing of the coat stays."""
    grey = np.asarray(photos.cameraman_image().convert("RGB")).astype(float)
    warm = np.clip(grey * np.array([1.08, 0.9, 0.72]), 0, 255).astype(np.uint8)
    regions = Regions(Body(warm))
    assert regions.leg_skin_colour is not None  # the photo this test needs
    result, on_leg, beyond_leg = _coat_below_shorts(Image.fromarray(warm))
    dark = result.mean(axis=2) < 50
    assert dark[on_leg].mean() < 0.1 and dark[beyond_leg].mean() < 0.3  # no coat left on the leg or beside it
    leg = cv2.cvtColor(result.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[on_leg]
    assert np.linalg.norm(np.median(leg[:, 1:], axis=0) - regions.leg_skin_colour[1:]) < 8  # the leg is skin


def _lab(rgb):
    return cv2.cvtColor(np.asarray(rgb, np.float32).reshape(1, 1, 3) / 255, cv2.COLOR_RGB2Lab).ravel()


def test_a_photo_without_a_face_learns_the_skin_tone_from_the_bare_skin_it_shows():
    """A photo cut off at the nose (here a bar across the eyes) shows no face to learn the skin from, and a collar
    covers the neck below the mouth: the tone comes from the bare skin it does show (her arms), with a confidence;
    in sleeves of no skin's colour it shows none, and no tone is learned."""
    brown = (150, 100, 75)
    regions = Regions(Body(np.asarray(photos.faceless_astronaut(skin=brown))))
    assert regions.body.face_count == 0 and regions.frame is not None  # the photo this test needs
    assert np.linalg.norm(regions.skin_colour - _lab(brown)) < 4
    assert regions.skin_confidence > 0.8
    sleeved = Regions(Body(np.asarray(photos.faceless_astronaut(skin=(60, 80, 160)))))
    assert sleeved.skin_colour is None and sleeved.skin_confidence == 0


@pytest.mark.parametrize(
    "arms, skin",
    [
        ((110, 70, 50), True),  # bare arms in the shade, darker than the neck
        ((200, 150, 120), True),  # bare arms in the light
        ((60, 80, 160), False),  # blue sleeves: no skin, however the skin is learned
    ],
)
def test_a_photo_cut_off_at_the_eyes_learns_the_skin_from_the_neck_and_the_bare_arms(arms, skin):
    """Without a face the skin is learned from the neck under the mouth; a patch of neck alone would not let arms in
    another light pass for skin, and they would be filled in as clothes beside a new top (an arm erased into the
    background): the bare skin the photo shows elsewhere, of the neck's hue, joins it."""
    person = photos.faceless_astronaut(skin=arms, collar=(185, 120, 95))
    regions = Regions(Body(np.asarray(person)))
    assert regions.body.face_count == 0  # the photo this test needs
    on_arms = cv2.resize(photos.astronaut_arms().astype(np.uint8), regions.shape[::-1]) > 0
    assert bool(regions.skin[on_arms].mean() > 0.8) is skin


def test_without_a_face_the_old_sleeves_beside_a_sleeveless_top_become_arms_in_the_skin_the_photo_shows():
    """The same faceless photo in a tank top: what is left of her orange suit on her upper arms beside the top is
    painted in the skin the photo shows (without a tone it used to be filled from around)."""
    brown = (150, 100, 75)
    person = photos.faceless_astronaut(skin=brown)
    original = np.asarray(person).astype(int)
    result = _try_on(photos.encode(person), GarmentInput(photos.tank_top(), "top"))
    frame = _frame(person)
    upper_arms = np.zeros(original.shape[:2], np.uint8)
    for side in (0, 1):
        shoulder, elbow, _ = frame.arm(side)
        cv2.line(
            upper_arms,
            tuple(int(v) for v in shoulder),
            tuple(int(v) for v in elbow),
            1,
            int(0.3 * frame.unit),
        )
    beside = upper_arms.astype(bool) & _suit_orange(original) & ~_painted(result, (40, 140, 90))
    assert beside.sum() > 300  # the suit shows there before, and the top does not cover it
    lab = cv2.cvtColor(result.astype(np.uint8), cv2.COLOR_RGB2Lab).astype(float)
    chroma = lab[..., 1:][beside] - 128
    assert (
        np.linalg.norm(chroma - _lab(brown)[1:], axis=1) < 10
    ).mean() > 0.8  # her arms' skin, not the suit


def test_painted_skin_takes_the_colour_of_the_skin_beside_it():
    """A tank top on someone with one forearm bare in the sun and one in the shade: the upper arm painted where
    each old sleeve was joins its own forearm without a seam (dark beside the dark one, light beside the light),
    not one tone for both."""
    dark, light = (170, 120, 95), (235, 200, 178)
    result = _try_on(
        photos.encode(photos.astronaut_with_bare_forearms(dark, light)),
        GarmentInput(photos.tank_top(), "top"),
    )
    lightness = cv2.cvtColor(result.astype(np.uint8), cv2.COLOR_RGB2Lab)[..., 0].astype(float) * 100 / 255
    above_elbows = []
    for shoulder, elbow, _ in photos.ASTRONAUT_ARMS:
        x, y = (np.array(elbow) + 0.25 * (np.array(shoulder) - np.array(elbow))).astype(int)
        above_elbows.append(lightness[y - 3 : y + 4, x - 3 : x + 4].mean())
    for painted, forearm in zip(above_elbows, (dark, light)):
        assert abs(painted - _lab(forearm)[0]) < 12
    assert above_elbows[1] - above_elbows[0] > 8


def test_the_persons_bottoms_beside_a_new_top_stay_as_they_were():
    """The cameraman's coat is black above the waist and his trousers navy below it: a new tee replaces what he wears
    on top; the trousers beside its hem are his bottoms, which stay (they are not filled from around)."""
    grey = np.asarray(photos.cameraman_image().convert("RGB"))
    frame = _frame(photos.cameraman_image())
    waist = frame.mid_hip[1] - WAIST_ABOVE_HIPS * frame.torso_length
    rows = np.arange(grey.shape[0])[:, None]
    trousers = (grey.mean(axis=2) < 60) & (rows > waist)
    person = grey.copy()
    person[trousers] = np.clip(grey[trousers] * np.array([0.7, 0.9, 1.0]) + np.array([0, 10, 45]), 0, 255)
    red = (200, 40, 40)
    result = _try_on(photos.encode(Image.fromarray(person)), GarmentInput(photos.t_shirt(red), "top"))
    tee = _painted(result, red, 60)
    beside = trousers & ~tee & (rows <= np.flatnonzero(tee.any(axis=1)).max())
    assert beside.sum() > 3000
    assert (np.abs(result - person.astype(int)).max(axis=2) < 12)[beside].mean() > 0.58


def test_a_hand_is_its_skin_not_the_pocket_it_is_in():
    """In a photo with a skin colour, what lies in a hand's outline in the colour of the clothes on the person's thighs
    is a pocket the hand is in (or, as on the cameraman's black coat, a glove that cannot be told from one), not the
    hand: a new top covers it; a grey photo has no skin colour to tell a hand by, and the hand's outline stays whole."""
    grey = np.asarray(photos.cameraman_image().convert("RGB"))
    warm = np.clip(grey * np.array([1.08, 0.9, 0.72]), 0, 255).astype(np.uint8)
    for image, dark_share in ((warm, (0, 0.1)), (grey, (0.15, 1))):
        regions = Regions(Body(image))
        dark = regions.lab[..., 0] < 20  # his coat, over his thighs too
        assert regions.hands.sum() > 1000
        assert dark_share[0] <= (regions.hands * dark).sum() / regions.hands.sum() <= dark_share[1]


def test_a_top_narrower_than_the_body_below_the_chest_is_made_as_wide_as_the_body_there():
    """A top tapering to a hem half as wide as its chest, on the cameraman (broader at the hips than it): its hem
    spreads to his width there, with a garment's ease, so his own coat does not show beside it."""
    regions = Regions(Body(np.asarray(photos.cameraman_image().convert("RGB"))))
    frame = regions.posed_frame
    photo = read_garment_photo(photos.flat_lay(photos.TAPERED_TOP, (200, 40, 40)))
    body = place_flat_lay(photo, "top", regions)[0]
    left, right = body.to_body(photo.outline.upper_landmarks.hem.astype(np.float64))
    depth = float(((left + right) / 2 - frame.mid_shoulder) @ frame.down) / frame.unit
    width = regions.width_across(depth)
    assert width is not None
    assert abs(float((right - left) @ frame.across)) >= 0.98 * 1.08 * width


def test_old_trousers_below_a_slanting_hem_are_below_it_all_along_and_beside_it_are_not():
    """A skirt whose hem slants from row 40 (left) to row 70 (right) over old trousers reaching row 100 and wider than
    it: under every part of the hem the trousers are legs to paint, down to the trousers' end (they used to count only
    below the hem's lowest row, and the band under its higher side was filled with the background); the trousers in
    columns beside the skirt are not."""
    rows, columns = np.mgrid[0:100, 0:60]
    skirt = (columns >= 10) & (columns < 50) & (rows < 40 + (columns - 10) * 30 / 40)
    trousers = (columns >= 5) & (columns < 55) & (rows >= 20)
    below = below_the_hem(trousers & ~skirt, ~skirt)
    assert below[45:, 10:15].all() and below[75:, 45:50].all()  # under the high and the low side of the hem
    assert not below[:, :10].any() and not below[:, 50:].any()  # beside the skirt
    assert not (below & skirt).any()


def test_old_trousers_in_the_gap_between_new_trouser_legs_are_not_legs():
    """New trousers (legs from row 40 to 100, a gap between columns 25 and 35 below the crotch) over old trousers
    wider than them and reaching row 110: below the new legs' hems the old trousers are legs to paint; in the gap
    between the new legs, which the garment covers above (the crotch) and flanks on both sides, they are not (a third
    leg was painted there), nor beside the new trousers."""
    rows, columns = np.mgrid[0:110, 0:60]
    new = (columns >= 10) & (columns < 50) & (rows < 100) & ((rows < 40) | (columns < 25) | (columns >= 35))
    old = (columns >= 5) & (columns < 55) & (rows >= 20)
    below = below_the_hem(old & ~new, ~new)
    assert below[100:, 10:25].all() and below[100:, 35:50].all()  # below each new leg's hem
    assert not below[40:100, 25:35].any()  # the gap between the new legs
    assert not below[:, :10].any() and not below[:, 50:].any()  # beside them


def test_old_trousers_beside_a_new_leg_below_wider_hips_are_not_legs():
    """New trousers whose hips (rows 0-30, columns 10-50) are wider than their legs below (columns 16-28 and 32-44,
    to row 100), over old trousers as wide as the hips reaching row 110: beside the new legs, under the hips' sides,
    the old trousers are not legs (a leg was painted there, beside the new one); below the new legs' hems they are."""
    rows, columns = np.mgrid[0:110, 0:60]
    legs = ((columns >= 16) & (columns < 28)) | ((columns >= 32) & (columns < 44))
    new = (columns >= 10) & (columns < 50) & (rows < 100) & ((rows < 30) | legs)
    old = (columns >= 10) & (columns < 50) & (rows >= 20)
    below = below_the_hem(old & ~new, ~new)
    assert (
        not below[30:100, 10:16].any() and not below[30:100, 44:50].any()
    )  # beside the legs, under the hips
    assert below[100:, 16:28].all() and below[100:, 32:44].all()  # below the legs' hems


def test_old_trousers_between_wide_hips_and_a_flared_hem_are_not_legs():
    """New flared trousers: hips (rows 0-30) and hems (rows 80-100) as wide as columns 10-50, legs between them
    narrower (columns 18-28 and 32-42); old trousers under them as wide: between the hips' side and the flare, beside
    the narrow leg, the old trousers are not legs (a leg was painted there); below the flared hems they are."""
    rows, columns = np.mgrid[0:110, 0:60]
    legs = ((columns >= 18) & (columns < 28)) | ((columns >= 32) & (columns < 42))
    flare = ((columns >= 10) & (columns < 28)) | ((columns >= 32) & (columns < 50))
    new = (columns >= 10) & (columns < 50) & (rows < 100) & ((rows < 30) | legs | ((rows >= 80) & flare))
    old = (columns >= 10) & (columns < 50) & (rows >= 20)
    below = below_the_hem(old & ~new, ~new)
    assert not below[30:80, 10:18].any() and not below[30:80, 42:50].any()  # between the hips and the flare
    assert below[100:, 10:28].all() and below[100:, 32:50].all()  # below the hems


def test_old_trousers_beside_strips_hanging_below_a_dress_are_legs():
    """A worn dress's cut-out (columns 10-90, to row 60) keeps narrow strips hanging below its hem (a fold, the model's
    fingers): one between the legs, one beside the right leg. The old trousers' legs under the hem are legs to paint all
    the way down (the rows the two strips flank were taken for the gap between new trouser legs and filled with the
    background: a white block where a leg should be); a new pair of trousers' legs still flank their gap (see above)."""
    rows, columns = np.mgrid[0:130, 0:100]
    strips = ((columns >= 49) & (columns < 52) & (rows < 110)) | (
        (columns >= 80) & (columns < 83) & (rows < 100)
    )
    new = (columns >= 10) & (columns < 90) & ((rows < 60) | strips)
    legs = ((columns >= 25) & (columns < 48)) | ((columns >= 53) & (columns < 77))
    old = legs & (rows >= 20)
    below = below_the_hem(old & ~new, ~new)
    assert below[60:, 25:48].all() and below[60:, 53:77].all()


def test_legs_painted_below_a_hem_lie_in_its_shadow():
    """The warm cameraman in blue shorts: his leg painted below their hem is darker right under it than further down
    (a hem shades the leg below it; painted legs were one flat colour along their length)."""
    grey = np.asarray(photos.cameraman_image().convert("RGB")).astype(float)
    warm = Image.fromarray(np.clip(grey * np.array([1.08, 0.9, 0.72]), 0, 255).astype(np.uint8))
    result, on_leg, _ = _coat_below_shorts(warm)
    frame = _frame(warm)
    hip, knee, _ = frame.leg(0)
    down = (knee - hip) / np.linalg.norm(knee - hip)
    ys, xs = np.nonzero(on_leg)
    along = (np.stack([xs, ys], axis=1) - hip) @ down
    lightness = cv2.cvtColor(result.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[ys, xs, 0]
    start = along.min()
    near = lightness[along < start + 0.05 * frame.unit]
    far = lightness[(along > start + 0.25 * frame.unit) & (along < start + 0.45 * frame.unit)]
    assert near.size > 20 and far.size > 20
    assert np.median(near) < np.median(far) - 4


# --- sleeves on the arms ---------------------------------------------------------------------------


def _along_the_arm(joints, shares, across):
    """Points (x, y) `shares` of the way from the first joint to the second and `across` px beside that bone."""
    start, end = (np.array(joint, float) for joint in joints[:2])
    direction = (end - start) / np.linalg.norm(end - start)
    normal = np.array([-direction[1], direction[0]])
    return [start + share * (end - start) + normal * offset for share in shares for offset in across]


@pytest.mark.parametrize("arms", ["down", "away", "hand_on_hip"])
def test_a_short_sleeve_wraps_the_top_of_the_arm_and_meets_the_body_without_a_gap(arms):
    """A tee whose sleeves are of another colour, on a drawn person: each sleeve covers the top of the upper arm across
    its whole width (the garment's body is not drawn over its inner half), and between the arm and the middle of the
    body there is only sleeve and body, no arm or old top showing between them."""
    sleeve, body = (230, 190, 40), (30, 90, 200)
    person = photos.drawn_person(arms)
    result = _try_on(photos.encode(person), GarmentInput(photos.contrasting_sleeves_tee(body, sleeve), "top"))
    on_sleeve, on_body = _painted(result, sleeve), _painted(result, body)
    for joints in photos.DRAWN_ARMS[arms]:
        points = _along_the_arm(
            joints, np.linspace(0.15, 0.35, 5), np.linspace(-18, 18, 7)
        )  # the arm is 52 px wide
        assert np.mean([on_sleeve[int(y), int(x)] for x, y in points]) > 0.75
        (start,) = _along_the_arm(joints, [0.25], [0])
        row, middle = int(start[1]), 300
        columns = range(int(start[0]), middle) if start[0] < middle else range(middle, int(start[0]))
        between = [not (on_sleeve[row, x] or on_body[row, x]) for x in columns]
        assert sum(between) <= 2  # the seam's blend, no more


def test_a_sleeveless_top_leaves_the_drawn_arms_bare():
    person = photos.drawn_person("down")
    result = _try_on(photos.encode(person), GarmentInput(photos.tank_top((200, 40, 40)), "top"))
    for joints in photos.DRAWN_ARMS["down"]:
        points = _along_the_arm(joints, np.linspace(0.3, 0.9, 4), np.linspace(-8, 8, 3))
        assert np.mean([_painted(result, photos.DRAWN_SKIN)[int(y), int(x)] for x, y in points]) > 0.9


def test_a_forearm_across_the_belly_stays_in_front_of_a_sleeved_top():
    person = photos.drawn_person("hand_on_belly")
    result = _try_on(photos.encode(person), GarmentInput(photos.contrasting_sleeves_tee(), "top"))
    original = np.asarray(person).astype(int)
    _, elbow, wrist = photos.DRAWN_ARMS["hand_on_belly"][1]
    points = _along_the_arm((elbow, wrist), np.linspace(0.5, 0.9, 5), np.linspace(-8, 8, 3))
    assert all(x < 370 for x, _ in points)  # over the torso
    assert (
        np.mean([np.abs(result[int(y), int(x)] - original[int(y), int(x)]).max() <= 12 for x, y in points])
        > 0.9
    )


# --- the old top beside and below a new one -------------------------------------------------------

_OLD_TOP_HEM = 530  # the drawn person's green top ends there, over their trousers (which start at 520)


def _red_tank_ending_at(hem):
    """The TANK_TOP in red with its hem at row `hem` of its photo (700 in TANK_TOP): on the drawn person a hem at 540
    ends 0.2 body units above their own top's, one at 560 a sliver (0.05) above it."""
    return photos.flat_lay([(x, hem if y == 700 else y) for x, y in photos.TANK_TOP], (200, 40, 40))


def _tank_on_the_drawn_person(hem):
    """(The drawn person, the result of trying the tank on them, the tank's lowest row down the middle.)"""
    person = photos.drawn_person("down")
    result = _try_on(photos.encode(person), GarmentInput(_red_tank_ending_at(hem), "top"))
    rows = np.flatnonzero(_painted(result, (200, 40, 40), 60)[:, 280:320].mean(axis=1) > 0.5)
    return np.asarray(person).astype(int), result, int(rows.max())


@pytest.mark.parametrize("hem", [540, 560])
def test_the_old_top_no_longer_shows_beside_or_below_a_shorter_narrower_top(hem):
    """The drawn person's green top is longer and wider than a tank top: none of it shows beside the tank or between its
    hem and the trousers (before: a band of green down to the old hem under both: the old top was read down to the
    crotch only, and the short tank's hem ended 0.05 body units above it)."""
    _, result, _ = _tank_on_the_drawn_person(hem)
    beside_and_below = _painted(result, photos.DRAWN_TOP)[290:526, 215:385]
    assert beside_and_below.mean() < 0.01


def test_a_top_ending_a_sliver_above_the_old_top_reaches_past_it():
    _, _, new_hem = _tank_on_the_drawn_person(560)
    assert new_hem >= _OLD_TOP_HEM - 2


def test_a_crop_top_over_a_longer_top_shows_a_midriff():
    """A crop top on a person in a longer top is shown as it is worn, over a bare midriff (the old top below it is
    painted as their skin), not over the top they would take off for it."""
    _, result, new_hem = _tank_on_the_drawn_person(540)
    assert new_hem < _OLD_TOP_HEM - 20
    midriff = _painted(result, photos.DRAWN_SKIN, 45)[new_hem + 3 : 518, 285:315]
    assert midriff.mean() > 0.8


def test_a_cropped_jacket_is_worn_over_the_old_top_which_stays_below_it():
    """A jacket is a layer over the shopper's own top, not instead of it: below a cropped one their top stays as it is
    (no midriff painted), and so do its shoulders beside a jacket without them."""
    person = photos.drawn_person("down")
    result = _try_on(photos.encode(person), GarmentInput(_red_tank_ending_at(540), "outerwear"))
    rows = np.flatnonzero(_painted(result, (200, 40, 40), 60)[:, 280:320].mean(axis=1) > 0.5)
    below = _painted(result, photos.DRAWN_TOP)[rows.max() + 3 : 518, 285:315]
    assert below.size and below.mean() > 0.8
    old_top = _painted(np.asarray(person).astype(int), photos.DRAWN_TOP)
    left_showing = old_top & ~_painted(result, (200, 40, 40), 60) & (np.arange(900)[:, None] < 300)
    assert left_showing.sum() > 300 and _painted(result, photos.DRAWN_TOP)[left_showing].mean() > 0.8


def test_filling_the_old_top_keeps_the_arms_in_front_and_leaves_the_wall_beyond_the_body():
    """Negatives: the forearms hanging beside the old top's hem stay as they were, and the wall beyond the body is not
    painted."""
    person, result, _ = _tank_on_the_drawn_person(540)
    changed = np.abs(result - person).max(axis=2) > 12
    for _, elbow, wrist in photos.DRAWN_ARMS["down"]:
        points = _along_the_arm((elbow, wrist), np.linspace(0.5, 0.9, 5), np.linspace(-8, 8, 3))
        assert not any(changed[int(y), int(x)] for x, y in points)
    assert not changed[470:570, :165].any() and not changed[470:570, 435:].any()


def _cut_at_the_lips(image, above):
    """The body of `image` as mediapipe sees a photo whose top edge cuts through the lips: no face, the mouth guessed
    `above` body units above the frame with confidence (as on real photos cut there: 0.05-0.1 units above)."""
    body = Body(np.asarray(image))
    assert body.face_count == 0 and body.frame is not None  # the photo this test needs
    mouth = body.landmarks[[9, 10], 1]
    body.landmarks[[9, 10], 1] = mouth - mouth.mean() - above * body.frame.unit
    return body


def _faceless_long_haired_astronaut():
    """The astronaut with long black hair over her shoulders and a bar across her eyes (no face is found)."""
    image, hair = photos.long_haired_astronaut()
    pixels = np.asarray(image).copy()
    pixels[hair] = (pixels[hair] * 0.4).astype(np.uint8)
    image = Image.fromarray(pixels)
    ImageDraw.Draw(image).rectangle(photos.ASTRONAUT_EYES, fill=(30, 20, 60))
    return image, hair


def test_hair_beside_the_neck_of_a_face_cut_off_by_the_frame_is_head():
    """No face is found on a photo cut off at the lips, so no hair by its colour: what of the person hangs down from
    above the chin beside the neck, above where a shoulder's top can be, is no skin and is head (a collar is never
    drawn over it); the old top on her shoulders below that is not."""
    image, hair = _faceless_long_haired_astronaut()
    regions = Regions(_cut_at_the_lips(image, above=0.1))
    small = cv2.resize(hair.astype(np.uint8), regions.shape[::-1], interpolation=cv2.INTER_NEAREST) > 0
    depth, across = regions.body_coordinates
    beside_the_neck = small & (depth > -0.29) & (depth < -0.26)
    assert beside_the_neck.sum() > 100
    assert (regions.head[beside_the_neck] > 0).mean() > 0.9
    shoulders = ~small & (regions.person > 0) & (depth > -0.2) & (depth < 0) & (np.abs(across) > 0.35)
    assert shoulders.sum() > 300 and (regions.head[shoulders] > 0).mean() < 0.05


def test_a_mouth_far_above_the_frame_places_no_chin():
    """A photo cut off at the neck (the mouth guessed far above it) keeps the head's rule of a photo without a mouth:
    nothing below the line above the shoulders becomes head."""
    image, hair = _faceless_long_haired_astronaut()
    cut = Regions(_cut_at_the_lips(image, above=0.6))
    none = Regions(_cut_at_the_lips(image, above=0.6))
    none.body.landmarks[[9, 10], 2] = 0  # the mouth not seen at all
    assert np.array_equal(cut.head, none.head)


def test_a_turtleneck_on_a_photo_without_a_face_still_reaches_the_base_of_the_neck():
    """What hangs from above the chin is head only above where a shoulder's top can be: a turtleneck put on a photo
    that shows no face still covers the base of her neck."""
    person = photos.faceless_astronaut(skin=(150, 100, 75))
    result = _try_on(photos.encode(person), GarmentInput(photos.turtleneck(), "top"))
    frame = _frame(person)
    x, y = (frame.mid_shoulder - frame.down * 0.1 * frame.unit).astype(int)
    assert _painted(result, (200, 40, 40), tolerance=60)[y - 5 : y + 5, x - 10 : x + 10].mean() > 0.9


def _drawn_and_cut_at_the_lips(image):
    """The body of a drawn person as mediapipe sees a photo of them whose top edge cuts through the lips (y 165): no
    face, the pose (found on the whole drawing: the drawn person cut there is no pose to it) moved up with the edge."""
    whole = Body(np.asarray(image))
    assert whole.landmarks is not None  # the drawing this test needs
    body = Body(np.asarray(image)[_LIPS:])
    body.landmarks = whole.landmarks - np.array([0, _LIPS, 0], np.float32)
    body.face_boxes, body.face_count = [], 0
    return body


_LIPS = 165
_BROWN_HAIR, _BLACK_HAIR, _DARK_TOP = (70, 45, 30), (20, 20, 25), (45, 45, 50)


def _drawn_strands(image):
    """The drawn strands of hair in front of the shoulders, at the cut photo's detection size, off their blurred edges."""
    strands = Image.new("L", image.size)
    for strand in photos.DRAWN_HAIR_STRANDS:
        ImageDraw.Draw(strands).polygon(strand, fill=1)
    cut = np.asarray(strands)[_LIPS:]
    regions_shape = Regions(_drawn_and_cut_at_the_lips(image)).shape
    small = cv2.resize(cut, regions_shape[::-1], interpolation=cv2.INTER_NEAREST)
    return cv2.erode(small, np.ones((5, 5), np.uint8)) > 0


def test_long_hair_of_a_face_cut_off_by_the_frame_stays_down_to_where_it_ends():
    """A photo whose top edge cuts the face at the lips: the hair of the colour seen at that edge beside the face is
    head down to where it ends, over the shoulders (a collar or a shoulder is never drawn over it); the top on the
    shoulders beside the hair is not."""
    image = photos.drawn_person(long_hair=_BROWN_HAIR)
    regions = Regions(_drawn_and_cut_at_the_lips(image))
    depth, across = regions.body_coordinates
    strands = _drawn_strands(image)
    over_the_shoulders = strands & (depth > -0.25)
    assert over_the_shoulders.sum() > 300 and (depth[over_the_shoulders] > 0.2).any()
    assert (regions.head[over_the_shoulders] > 0).mean() > 0.9
    shoulders = ~strands & (regions.person > 0) & (depth > -0.1) & (depth < 0.2) & (np.abs(across) > 0.38)
    assert shoulders.sum() > 300 and (regions.head[shoulders] > 0).mean() < 0.05


def test_dark_clothes_under_dark_hair_of_a_face_cut_off_by_the_frame_are_no_head():
    """The same photo with hair of the top's colour: the two cannot be told apart, so the top's shoulders (and what of
    the hair lies on them) stay the top's, for the new garment to cover; nothing below the chin's shade is head."""
    image = photos.drawn_person(long_hair=_BLACK_HAIR, top_colour=_DARK_TOP)
    regions = Regions(_drawn_and_cut_at_the_lips(image))
    depth, across = regions.body_coordinates
    shoulders = (regions.person > 0) & (depth > -0.1) & (depth < 0.2) & (np.abs(across) > 0.2)
    assert shoulders.sum() > 300 and (regions.head[shoulders] > 0).mean() < 0.05
