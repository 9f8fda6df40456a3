"""The inside of a garment's back, seen through its neckline on a product photo, is found and never worn over the
throat; garments cut out without it keep all of their front."""

import numpy as np
import pytest

from shared.ai_models import GarmentInput
from shared.ai_models.garment_photo import read_garment_photo
from shared.ai_models.local_model import LocalImageModel
from tests import photos

model = LocalImageModel()


def test_the_back_seen_through_a_v_neck_is_found():
    photo = read_garment_photo(photos.v_neck_tee_showing_its_back())
    inside = photos.inside([photos.INSIDE_BACK]) > 0
    opening = photo.neck_opening
    assert opening is not None
    assert (opening & inside).sum() > 0.8 * inside.sum()
    front = (photos.inside(photos.CLOSED_NECK_TEE) > 0) & ~inside
    assert (opening & front).sum() < 0.1 * inside.sum()  # the front and its shoulders stay whole


@pytest.mark.parametrize(
    "drawing",
    [
        photos.t_shirt,
        photos.striped_top_on_white,
        photos.colour_block_tee,
        photos.tank_top,
        photos.dress,
        photos.light_cardigan_on_white,
    ],
)
def test_garments_whose_outline_dips_at_the_neck_lose_nothing(drawing):
    photo = read_garment_photo(drawing())
    assert photo.neck_opening is None or photo.neck_opening.sum() < 0.002 * (photo.alpha > 0.5).sum()


def test_the_back_of_the_neckline_is_not_worn_over_the_throat():
    red, inside = (200, 40, 40), (95, 20, 25)
    result = np.asarray(
        photos.decode(
            model.try_on(
                photos.astronaut_png(),
                [GarmentInput(photos.v_neck_tee_showing_its_back(red, inside), "top")],
                {},
            )
        ).convert("RGB")
    ).astype(int)
    x, y = photos.ASTRONAUT_CHEST
    assert (
        np.abs(result[y - 30 : y + 30, x - 30 : x + 30] - red).max(axis=2) < 45
    ).mean() > 0.6  # the front is worn
    original = np.asarray(photos.decode(photos.astronaut_png()).convert("RGB")).astype(int)
    changed = np.abs(result - original).max(axis=2) > 30
    shows_inside = changed & (np.abs(result - inside).max(axis=2) < 25)
    shows_front = changed & (np.abs(result - red).max(axis=2) < 45)
    assert shows_inside.sum() < 0.02 * shows_front.sum()
    # Skin shows in the V: the colour of her face, not the garment's nor the suit's.
    x0, x1 = np.percentile(np.nonzero(shows_front)[1], [30, 70])
    neck = result[:, int(x0) : int(x1)][changed[:, int(x0) : int(x1)] & ~shows_front[:, int(x0) : int(x1)]]
    face = original[photos.ASTRONAUT_FACE[1], photos.ASTRONAUT_FACE[0]]
    assert len(neck) > 500 and np.abs(np.median(neck, axis=0) - face).max() < 60
