"""The offline model on real photos of people: masks, keypoints, compositing, typed errors, threads."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.body import Body
from shared.ai_models.local_model import LocalImageModel
from tests.shared import photos

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
    near_both = [(alpha[max(0, y - 6):y + 7, max(0, x - 6):x + 7].min() < 10
                  and alpha[max(0, y - 6):y + 7, max(0, x - 6):x + 7].max() > 245) for y, x in sample]
    assert np.mean(near_both) > 0.8


def test_a_photo_with_nobody_in_it_is_refused():
    for image in (photos.coffee_jpeg(), photos.plain_png()):
        with pytest.raises(ImageModelError) as caught:
            model.remove_background(image)
        assert caught.value.code == "NO_PERSON_DETECTED" and caught.value.status_code == 422
        assert caught.value.retryable is False
        with pytest.raises(ImageModelError) as caught:
            model.try_on(image, [GarmentInput(photos.flat_lay_top(), "top")], {})
        assert caught.value.code == "NO_PERSON_DETECTED"


def test_two_people_are_refused_for_try_on():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.two_people_png(), [GarmentInput(photos.flat_lay_top(), "top")], {})
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
    result = np.asarray(photos.decode(model.try_on(photos.astronaut_jpeg(), [
        GarmentInput(photos.flat_lay_top(blue), "top", {"color": "blue"})], {})))
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
    garments = [GarmentInput(photos.flat_lay_top(green), "outerwear"), GarmentInput(photos.flat_lay_top(red), "top")]
    result = np.asarray(photos.decode(model.try_on(photos.astronaut_png(), garments, {})))
    x, y = photos.ASTRONAUT_CHEST
    assert np.abs(result[y, x].astype(int) - green).max() < 30


def test_a_garment_worn_by_a_model_is_transferred_from_that_photo():
    result = np.asarray(photos.decode(model.try_on(photos.astronaut_png(), [
        GarmentInput(photos.hopper_jpeg(), "top", {"title": "Navy uniform jacket"})], {})))
    x, y = photos.ASTRONAUT_CHEST
    # Grace Hopper's navy jacket, not the orange space suit, now covers the chest.
    assert result[y, x, 2] >= result[y, x, 0] and result[y, x].max() < 110


def test_a_transparent_avatar_stays_transparent_around_the_person():
    avatar = model.remove_background(photos.astronaut_png())
    result = photos.decode(model.try_on(avatar, [GarmentInput(photos.flat_lay_top(), "top")], {}))
    assert result.mode == "RGBA"
    alpha = np.asarray(result)[..., 3]
    x, y = photos.ASTRONAUT_BACKGROUND[1]
    assert alpha[y, x] == 0
    x, y = photos.ASTRONAUT_CHEST
    assert alpha[y, x] == 255


@pytest.mark.parametrize("garment_type, missing", [("bottom", "hips"), ("one_piece", "hips"), ("shoes", "feet")])
def test_garments_for_body_parts_out_of_the_picture_are_refused(garment_type, missing):
    # The astronaut photo ends at the chest.
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.astronaut_png(), [GarmentInput(photos.t_shirt(), "top"),
                                              GarmentInput(photos.flat_lay_trousers(), garment_type)], {})
    assert caught.value.code == "BODY_PART_NOT_VISIBLE" and caught.value.status_code == 422
    assert caught.value.details == {"garment_index": 1, "missing": missing}
    assert missing in caught.value.message and "photo that shows you" in caught.value.message


def test_a_garment_that_cannot_be_cut_out_is_refused():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.astronaut_png(), [GarmentInput(photos.flat_lay_top(), "top"),
                                              GarmentInput(photos.coffee_jpeg(), "outerwear")], {})
    assert caught.value.code == "INVALID_GARMENT_IMAGE"
    assert caught.value.details == {"garment_index": 1}


def test_an_unknown_garment_type_is_a_programming_error():
    with pytest.raises(ValueError):
        GarmentInput(photos.flat_lay_top(), "hat")


def test_many_threads_at_once_get_the_same_results_as_one():
    expected_cut_out = model.remove_background(photos.hopper_jpeg())
    garments = [GarmentInput(photos.flat_lay_top(), "top")]
    expected_try_on = model.try_on(photos.astronaut_png(), garments, {})
    with ThreadPoolExecutor(max_workers=6) as pool:
        cut_outs = list(pool.map(lambda _: model.remove_background(photos.hopper_jpeg()), range(6)))
        try_ons = list(pool.map(lambda _: model.try_on(photos.astronaut_png(), garments, {}), range(6)))
    assert all(result == expected_cut_out for result in cut_outs)
    assert all(result == expected_try_on for result in try_ons)
