"""Person photos as shoppers send them: sideways or upside down, small in a big frame, two people, no face."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.body import LEFT_HIP, MIN_VISIBILITY, RIGHT_HIP
from shared.ai_models.full_body import shows_hips
from shared.ai_models.local_model import LocalImageModel
from shared.ai_models.person_photo import upright_body, view_person
from tests import photos

model = LocalImageModel()


def _dressed(person_png, garment=None):
    result = model.try_on(person_png, [GarmentInput(garment or photos.t_shirt(), "top")], {})
    return np.asarray(photos.decode(result).convert("RGB")).astype(int)


def _changed(before, after):
    return np.abs(after - np.asarray(before, int)).sum(axis=2) > 90


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_photo_sent_sideways_or_upside_down_is_dressed_upright_and_returned_as_sent(turns):
    upright = np.asarray(photos.astronaut_image())
    turned = np.ascontiguousarray(np.rot90(upright, turns))
    assert view_person(turned).turns == (4 - turns) % 4
    result = _dressed(photos.encode(Image.fromarray(turned)))
    assert result.shape == turned.shape  # as sent, not turned
    # The very same try-on as on the upright photo, turned as the photo was.
    assert np.array_equal(np.rot90(result, -turns), _dressed(photos.astronaut_png()))


def test_an_upright_photo_is_not_turned():
    assert view_person(np.asarray(photos.astronaut_image())).turns == 0
    assert view_person(np.asarray(photos.cameraman_image())).turns == 0


def test_a_sideways_full_length_photo_shows_its_hips():
    # The cameraman is seen down to his thighs: once stood up, his hips are in view.
    turned = np.ascontiguousarray(np.rot90(np.asarray(photos.cameraman_image()), 1))
    assert shows_hips(photos.encode(Image.fromarray(turned)))


def test_a_small_person_in_a_big_frame_is_dressed_on_their_body_and_nowhere_else():
    person = photos.astronaut_image()
    frame = Image.new("RGB", (3 * 512, 3 * 512), tuple(np.asarray(person)[5, 5].tolist()))
    frame.paste(person, (512, 512))
    view = view_person(np.asarray(frame))
    x0, y0, x1, y1 = view.box
    assert view.people == 1 and (x1 - x0) < 0.6 * frame.width and (y1 - y0) < 0.6 * frame.height
    changed = _changed(frame, _dressed(photos.encode(frame)))
    chest_x, chest_y = photos.ASTRONAUT_CHEST
    assert changed[512 + chest_y, 512 + chest_x]
    outside = np.ones(changed.shape, bool)
    outside[y0:y1, x0:x1] = False
    assert not changed[outside].any()
    # The head stays the person's own.
    face_x, face_y = photos.ASTRONAUT_FACE
    assert not changed[512 + face_y - 20 : 512 + face_y + 20, 512 + face_x - 20 : 512 + face_x + 20].any()


def test_a_person_filling_the_photo_is_not_cropped():
    view = view_person(np.asarray(photos.astronaut_image()))
    assert view.box == (0, 0, 512, 512)


def test_two_people_side_by_side_are_refused_even_when_only_one_face_is_seen():
    # Grace Hopper beside herself, the second one's face painted over: one face, two person-sized outlines.
    person = photos.hopper_image().resize((427, 512))
    hidden = person.copy()
    hidden.paste((90, 90, 90), (120, 40, 320, 260))
    canvas = Image.new("RGB", (427 * 2 + 200, 512), (250, 250, 250))
    canvas.paste(person, (0, 0))
    canvas.paste(hidden, (427 + 200, 0))
    assert view_person(np.asarray(canvas)).people == 2
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.encode(canvas), [GarmentInput(photos.t_shirt(), "top")], {})
    assert caught.value.code == "MULTIPLE_PEOPLE"


def test_one_person_whose_head_the_segmentation_cuts_from_their_body_is_one_person():
    assert view_person(np.asarray(photos.astronaut_image())).people == 1
    assert view_person(np.asarray(photos.hopper_image())).people == 1


def test_a_person_whose_face_is_out_of_the_photo_is_told_what_to_send_not_that_nobody_is_there():
    # The cameraman from the chest down: a person, but no face for the pose to start from.
    person = photos.cameraman_image()
    chest_down = person.crop((0, 200, person.width, person.height))
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.encode(chest_down), [GarmentInput(photos.t_shirt(), "top")], {})
    assert caught.value.code in ("NO_POSE_DETECTED", "BODY_PART_NOT_VISIBLE")
    assert "face" in caught.value.message or "shoulders" in caught.value.message


def test_a_photo_of_no_one_is_still_no_person():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.coffee_jpeg(), [GarmentInput(photos.t_shirt(), "top")], {})
    assert caught.value.code == "NO_PERSON_DETECTED"


def _cameraman_cut_below_the_hips(units):
    person = photos.cameraman_image()
    frame = view_person(np.asarray(person)).body.frame
    bottom = int(frame.mid_hip[1] + units * frame.unit)
    return photos.encode(person.crop((0, 0, person.width, min(person.height, bottom))))


def test_trousers_on_a_photo_cut_off_at_the_hips_are_refused_with_what_photo_works():
    with pytest.raises(ImageModelError) as caught:
        model.try_on(_cameraman_cut_below_the_hips(0.1), [GarmentInput(photos.jeans(), "bottom")], {})
    assert caught.value.code == "BODY_PART_NOT_VISIBLE"
    assert caught.value.details["missing"] == "legs" and "knees" in caught.value.message


def test_trousers_on_a_photo_down_to_the_thighs_are_put_on():
    # The cameraman as photographed: down to his thighs, about a body unit below his hips.
    result = model.try_on(photos.cameraman_png(), [GarmentInput(photos.jeans(), "bottom")], {})
    assert _changed(
        photos.cameraman_image(), np.asarray(photos.decode(result).convert("RGB")).astype(int)
    ).any()


def test_a_photo_whose_pose_is_not_found_is_not_turned_without_a_face_in_the_turn():
    # The cameraman cut off at the hips: the pose finds no one upright, and turned sideways it would "find" a body
    # in the photo's shapes; without a face seen in that turn the photo stays as sent.
    assert (
        view_person(np.asarray(photos.decode(_cameraman_cut_below_the_hips(0.0)).convert("RGB"))).turns == 0
    )


def test_a_garment_that_lands_nowhere_is_refused_not_returned_as_the_photo_unchanged():
    # Grace Hopper photographed to the waist, sent as a photo of trousers worn by a model: there are none in it.
    with pytest.raises(ImageModelError) as caught:
        model.try_on(photos.cameraman_png(), [GarmentInput(photos.hopper_jpeg(), "bottom")], {})
    assert caught.value.code == "INVALID_GARMENT_IMAGE" and caught.value.details == {"garment_index": 0}
    assert "bottom" in caught.value.message


def test_a_person_filling_the_height_of_a_very_wide_photo_is_cropped_to():
    person = photos.astronaut_image()
    frame = Image.new("RGB", (4 * 512, 512), tuple(np.asarray(person)[5, 5].tolist()))
    frame.paste(person, (1536, 0))
    view = view_person(np.asarray(frame))
    assert view.box[0] >= 1200 and view.box[2] - view.box[0] < 1000
    changed = _changed(frame, _dressed(photos.encode(frame)))
    chest_x, chest_y = photos.ASTRONAUT_CHEST
    assert changed[chest_y, 1536 + chest_x] and not changed[:, :1200].any()


@pytest.mark.parametrize("band", [0.45, 0.55, 0.65])
def test_a_small_person_cut_in_two_by_the_light_is_cropped_to_all_of_them(band):
    # A person in a very wide frame whose segmentation may fall apart at a band of background colour across the
    # body (a white top apart from a dark skirt on a light wall): the crop holds every part of them the pose sees,
    # and whatever the whole photo shows of the hips the crop shows too.
    person = photos.cameraman_image().convert("RGB")
    background = tuple(np.asarray(person)[5, 5].tolist())
    frame = Image.new("RGB", (3 * person.height, person.height), background)
    frame.paste(person, (person.height, 0))
    y = int(band * person.height)
    ImageDraw.Draw(frame).rectangle((0, y, frame.width, y + 12), fill=background)
    rgb = np.asarray(frame)
    whole, _ = upright_body(rgb)
    view = view_person(rgb)
    seen = whole.points(list(range(len(whole.landmarks))))[whole.landmarks[:, 2] >= MIN_VISIBILITY]
    x0, y0, x1, y1 = view.box
    assert ((seen[:, 0] >= x0 - 1) & (seen[:, 0] <= x1 + 1) & (seen[:, 1] >= y0 - 1)).all()
    assert (seen[:, 1] <= y1 + 1).all() or y1 == rgb.shape[0]
    assert view.body.visible(LEFT_HIP) or view.body.visible(RIGHT_HIP)
