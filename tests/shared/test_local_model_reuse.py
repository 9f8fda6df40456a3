"""What the local model keeps of a photo between try-ons (its masks, read once per photo) changes no result, and its
faster ways of computing give the same images as the plain ones."""

import cv2
import numpy as np
import pytest

from shared.ai_models import GarmentInput
from shared.ai_models.local_model import LocalImageModel, dilate_by_ellipse
from tests import photos

model = LocalImageModel()


def test_a_try_on_is_the_same_whatever_was_tried_on_that_photo_before():
    person = photos.astronaut_png()
    tee = [GarmentInput(photos.t_shirt(), "top")]
    first = model.try_on(person, tee, {})
    # Other garments on the same photo use (and might spoil) the masks it keeps: a sleeveless top paints bare arms,
    # a V-neck the skin in its opening.
    for garment in (photos.tank_top(), photos.v_neck_tee_showing_its_back()):
        model.try_on(person, [GarmentInput(garment, "top")], {})
    assert model.try_on(person, tee, {}) == first


@pytest.mark.parametrize("size", [1, 3, 9, 25, 51])
@pytest.mark.parametrize("shape", [(437, 345), (12, 60), (61, 3)])
def test_dilating_by_an_ellipse_gives_what_opencv_gives(size, shape):
    rng = np.random.default_rng(size)
    image = np.where(rng.random(shape) < 0.05, rng.random(shape), 0).astype(np.float32)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    assert np.array_equal(dilate_by_ellipse(image, size), cv2.dilate(image, kernel))
