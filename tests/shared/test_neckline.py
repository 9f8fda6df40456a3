"""The inside of a garment's back, seen through its neckline on a product photo, is found and never worn over the
throat; garments cut out without it keep all of their front."""

import cv2
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


def test_the_back_in_the_shade_of_a_deep_v_is_part_of_the_opening():
    """A deep V whose inside shows the back in two shades (under the back neckline in the light, below it darker, in the
    front's shade, down to the V's point): all of it is the opening, not only the lit band (the shaded part, worn,
    would be a dark patch of the garment's own back where the wearer's chest shows)."""
    photo = read_garment_photo(photos.v_neck_tee_showing_its_shaded_back())
    inside = photos.inside([photos.DEEP_INSIDE_BACK]) > 0
    shaded = photos.inside([photos.SHADED_BACK]) > 0
    opening = photo.neck_opening
    assert opening is not None
    assert (opening & shaded).sum() > 0.8 * shaded.sum()  # before: none of it
    assert (opening & inside).sum() > 0.9 * inside.sum()
    front = (photos.inside(photos.CLOSED_NECK_TEE) > 0) & ~inside
    assert (opening & front).sum() < 0.05 * inside.sum()


def test_no_shade_of_the_garments_back_shows_in_a_deep_v_on_a_person():
    red, inside, shade = (200, 40, 40), (95, 20, 25), (55, 10, 14)
    person = photos.astronaut_png()
    tee = photos.v_neck_tee_showing_its_shaded_back(red, inside, shade)
    result = np.asarray(
        photos.decode(model.try_on(person, [GarmentInput(tee, "top")], {})).convert("RGB")
    ).astype(int)
    original = np.asarray(photos.decode(person).convert("RGB")).astype(int)
    changed = np.abs(result - original).max(axis=2) > 30
    front = changed & (np.abs(result - red).max(axis=2) < 45)
    # The V: what changed between the front's sides, from its neckline down to the V's point.
    x0, x1 = np.percentile(np.nonzero(front)[1], [30, 70]).astype(int)
    top = np.nonzero(front)[0].min()
    v_neck = np.zeros(front.shape, bool)
    v_neck[top : top + 150, x0:x1] = True
    v_neck &= changed & ~front
    back = np.minimum(np.abs(result - inside).max(axis=2), np.abs(result - shade).max(axis=2)) < 25
    assert v_neck.sum() > 2000
    assert (v_neck & back).sum() < 0.02 * v_neck.sum()


def test_a_crew_neck_showing_a_thin_arc_of_its_back_stays_a_crew_neck():
    """The negative: through a crew neck the back shows as a thin arc; that arc is the opening, and the chest below
    the neckline stays garment (the front marker is deeper now: it must not let an opening run down the chest)."""
    photo = read_garment_photo(photos.crew_neck_tee_showing_its_back())
    arc = photos.inside([photos.CREW_INSIDE_BACK]) > 0
    bare = photo.bare_neckline
    assert bare is not None and (bare & arc).sum() > 0.8 * arc.sum()
    assert np.nonzero(bare)[0].max() < max(np.nonzero(arc)[0]) + 6


@pytest.mark.parametrize("drawing", [photos.turtleneck, photos.collared_shirt])
def test_a_collar_standing_above_the_shoulders_is_no_opening(drawing):
    """A turtleneck's collar (its roll's dark inside at its top, its seam at the shoulders) and a shirt's collar are
    bounded by edges as a neckline is, but stand above the shoulders: worn on the neck, never skin."""
    assert read_garment_photo(drawing()).bare_neckline is None


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


def test_a_wrap_front_is_the_front_not_an_opening():
    """Two crossing panels of the dress's colour, each with a visible edge down to the waist seam, a small triangle
    of inner back above: the panels are never taken for the back seen through the neckline."""
    photo = read_garment_photo(photos.wrap_front_dress())
    bodice = (photos.inside(photos.WRAP_DRESS) > 0) & ~(photos.inside([photos.WRAP_INNER_BACK]) > 0)
    bodice[270:] = False
    opening = photo.neck_opening
    assert opening is None or (opening & bodice).sum() < 0.05 * bodice[:, 200:400].sum()


def test_a_contrasting_panel_down_the_front_is_the_front():
    """A bib panel from the neckline down to a straight seam is bounded by strong edges too, but ends on a wide line:
    no neckline closes it off."""
    photo = read_garment_photo(photos.tee_with_a_bib_panel())
    panel = photos.inside([photos.BIB_PANEL]) > 0
    assert photo.neck_opening is None or (photo.neck_opening & panel).sum() < 0.05 * panel.sum()


def test_a_wrap_front_dress_keeps_its_bodice_on_a_person():
    green = (70, 140, 90)
    result = np.asarray(
        photos.decode(
            model.try_on(photos.astronaut_png(), [GarmentInput(photos.wrap_front_dress(green), "top")], {})
        ).convert("RGB")
    ).astype(int)
    x, y = photos.ASTRONAUT_CHEST
    bodice = result[y - 60 : y + 20, x - 40 : x + 40]
    assert (np.abs(bodice - green).max(axis=2) < 50).mean() > 0.8  # the bodice is worn, not a hole in it


def test_the_skin_shown_in_a_neckline_is_the_wearers_own():
    """A dark-skinned woman in a warm white top (whose chroma is close to skin's): what shows in the V is her own
    skin tone, not her top's nor a fixed light one."""
    person, red = photos.dark_skinned_astronaut_in_white(), (200, 40, 40)
    result = np.asarray(
        photos.decode(
            model.try_on(person, [GarmentInput(photos.v_neck_tee_showing_its_back(red), "top")], {})
        ).convert("RGB")
    ).astype(int)
    original = np.asarray(photos.decode(person).convert("RGB")).astype(int)
    front = (np.abs(result - original).max(axis=2) > 30) & (np.abs(result - red).max(axis=2) < 45)
    x0, x1 = np.percentile(np.nonzero(front)[1], [30, 70]).astype(int)
    top = np.nonzero(front)[0].min()
    v_neck = np.zeros(front.shape, bool)
    v_neck[top : top + 120, x0:x1] = True
    v_neck &= np.abs(result - red).max(axis=2) >= 60
    face = np.median(_lab(original[100:150, 200:245]), axis=0)
    assert v_neck.sum() > 2000
    assert np.median(np.linalg.norm(_lab(result[v_neck]) - face, axis=1)) < 18


def _lab(pixels):
    rgb = np.asarray(pixels, np.float32).reshape(-1, 1, 3) / 255
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).reshape(-1, 3)


def test_the_skin_shown_in_a_neckline_is_the_tone_of_the_skin_beside_it():
    """Her neck is in the shade under her chin, darker than her lit face: a V-neck shows skin of her neck's tone, not
    a lighter patch of her face's."""
    person, neck = photos.astronaut_with_a_bare_neck_in_shade()
    painted = _painted_in_the_v(person)
    assert np.median(np.linalg.norm(painted - neck, axis=1)) < 2.5


def _painted_in_the_v(person):
    """The colours (CIELAB) painted in a red V-neck tee's opening tried on the astronaut, below her neck, over her old
    suit."""
    red = (200, 40, 40)
    result = np.asarray(
        photos.decode(
            model.try_on(person, [GarmentInput(photos.v_neck_tee_showing_its_back(red), "top")], {})
        ).convert("RGB")
    ).astype(int)
    v_neck = np.zeros(result.shape[:2], bool)
    v_neck[235:300, 195:245] = True
    v_neck &= np.abs(result - red).max(axis=2) >= 60
    assert v_neck.sum() > 1500
    return _lab(result[v_neck])


def test_the_skin_shown_in_a_neckline_is_the_skin_level_with_it_not_the_neck_in_the_shade_above():
    """Her neck is in the shade under her chin and her chest, level with the neckline, in the light: the V shows skin
    in the chest's light (the neck alone in the shade, as above, gives the neck's tone)."""
    person, (neck, chest) = photos.astronaut_with_a_shaded_neck_and_a_lit_chest()
    lightness = np.median(_painted_in_the_v(person)[:, 0])
    assert abs(lightness - chest[0]) < 6 < abs(lightness - neck[0])


@pytest.mark.parametrize("neckline", ["v", "scoop"])
def test_a_v_or_scoop_neck_cut_out_of_the_outline_is_where_skin_shows(neckline):
    """A flat-lay dress whose V or scoop shows the background: the dip of its outline between its shoulders is where
    the wearer's skin shows; none of the dress is."""
    photo = read_garment_photo(photos.dress_with_neckline(neckline))
    dress = photos.inside(photos._DRESS_SHOULDERS + photos.NECKLINES[neckline]) > 0
    rim = photos.inside(photos._DRESS_SHOULDERS) > 0  # the dress with its neck closed at the shoulders' line
    dip = rim & ~dress
    bare = photo.bare_neckline
    assert bare is not None
    assert (bare & dip).sum() > 0.9 * dip.sum()
    assert (bare & dress).sum() < 0.02 * dip.sum()


@pytest.mark.parametrize("neckline", ["crew", "high", "halter"])
def test_a_crew_high_or_halter_neck_shows_no_skin_below_the_neck(neckline):
    assert read_garment_photo(photos.dress_with_neckline(neckline)).bare_neckline is None


def _try_on_white_ribbed(neckline):
    person = photos.astronaut_in_a_white_ribbed_top()
    garment = GarmentInput(
        photos.dress_with_neckline(neckline), "top"
    )  # she shows no hips: worn as a long top
    result = np.asarray(photos.decode(model.try_on(person, [garment], {})).convert("RGB")).astype(int)
    return np.asarray(photos.decode(person).convert("RGB")).astype(int), result


def test_the_skin_in_a_v_cut_out_of_the_outline_is_smooth_and_of_her_tone_over_a_white_ribbed_top():
    """The background seen through a flat-lay dress's V lands on her white ribbed top: what shows there is skin of her
    face's tone, smooth, not her top painted as bare body (a darker tan with its ribs and a grain)."""
    original, result = _try_on_white_ribbed("v")
    blue = np.abs(result - (40, 60, 150)).max(axis=2) < 60
    v_neck = np.zeros(blue.shape, bool)
    v_neck[200:250, 190:250] = True
    v_neck &= ~blue
    assert v_neck.sum() > 800
    painted, face = _lab(result[v_neck]), np.median(_lab(original[100:150, 200:245]), axis=0)
    assert np.median(np.linalg.norm(painted - face, axis=1)) < 20  # painted as bare body: about 31
    rows = [result[y, 190:250][v_neck[y, 190:250]] for y in range(200, 250)]
    lightness = [np.median(_lab(row)[:, 0]) for row in rows if len(row) > 5]
    assert np.std(np.diff(lightness)) < 0.5  # no ribs from row to row (painted as bare body: about 0.7)


def test_a_crew_neck_covers_her_old_top_with_the_dress():
    _, result = _try_on_white_ribbed("crew")
    chest = result[215:250, 190:250]
    assert (np.abs(chest - (40, 60, 150)).max(axis=2) < 60).mean() > 0.9


def _try_on_the_same_coloured_v(person):
    """(Her photo, the result) of a red V-neck tee whose V shows its own back in its own red (no opening found) tried
    on the person: her old top above its neckline is painted as bare skin."""
    red = (200, 40, 40)
    result = model.try_on(person, [GarmentInput(photos.v_neck_tee_showing_its_back(red, red), "top")], {})
    original = np.asarray(photos.decode(person).convert("RGB")).astype(int)
    return original, np.asarray(photos.decode(result).convert("RGB")).astype(int)


def _painted_chest(original, result):
    """Her chest above the tee's neckline where it was painted (changed from her photo, not the tee's red)."""
    chest = np.zeros(result.shape[:2], bool)
    chest[175:215, 195:250] = True
    chest &= (np.abs(result - original).max(axis=2) > 30) & (np.abs(result - (200, 40, 40)).max(axis=2) > 60)
    return cv2.erode(chest.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def test_old_clothes_above_a_neckline_become_skin_of_her_neck_tone_not_her_arms():
    """Her white top and its dark collar above the tee's neckline are painted as her chest: of her face and neck's
    tone (the arms' tone, lit by the dark collar: about 36 ΔE from it)."""
    original, result = _try_on_the_same_coloured_v(photos.astronaut_in_a_white_ribbed_top())
    chest = _painted_chest(original, result)
    assert chest.sum() > 400
    face = np.median(_lab(original[100:150, 200:245]), axis=0)
    assert np.median(np.linalg.norm(_lab(result[chest]) - face, axis=1)) < 12


def test_old_sleeves_beside_a_tank_stay_arms_of_her_arms_tone():
    """The negative: her old sleeves beside a sleeveless top are painted as arms in the tone of her arms, lit as her
    sleeves were, as before (the neck's tone is only for her chest)."""
    person = photos.astronaut_in_a_white_ribbed_top()
    result = np.asarray(
        photos.decode(model.try_on(person, [GarmentInput(photos.tank_top(), "top")], {})).convert("RGB")
    )
    original = np.asarray(photos.decode(person).convert("RGB")).astype(int)
    arm = np.zeros(original.shape[:2], bool)
    arm[250:400, 100:170] = True
    arm &= (np.abs(result.astype(int) - original).max(axis=2) > 30) & (
        np.abs(result.astype(int) - (40, 140, 90)).max(axis=2) > 60
    )
    assert arm.sum() > 2000
    face = np.median(_lab(original[100:150, 200:245]), axis=0)
    # Her arms are lighter than her face here; in her neck's tone they would be darker.
    assert np.median(_lab(result[arm])[:, 0]) > face[0]


@pytest.mark.parametrize("neckline", ["v", "scoop"])
def test_no_light_line_of_her_old_top_or_the_photos_background_at_the_edge_of_a_neckline(neckline):
    """Where the dress's neckline meets the skin in it, neither her white top under it nor the white of the dress's
    photo at its cut-out edge shows as a light line: the skin goes a little over the edge (before: a few white
    pixels along the V, a white notch at its point)."""
    original, result = _try_on_white_ribbed(neckline)
    blue = np.abs(result - (40, 60, 150)).max(axis=2) < 60
    edge = (cv2.dilate(blue.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0) & ~blue
    edge[:185] = False
    edge[260:] = False
    edge[:, :170] = False
    edge[:, 270:] = False
    lab = _lab(result[edge])
    white = (lab[:, 0] > 80) & (np.hypot(lab[:, 1], lab[:, 2]) < 8)
    assert edge.sum() > 300
    assert white.sum() == 0


def test_the_chest_above_a_neckline_is_of_the_skin_tone_in_it():
    """Her chest lit, her neck in the shade: the skin in the dress's V takes the lit chest's tone, and her old top
    above the neckline, painted as her chest, takes the same (before: the neck's, a seam of about 8 ΔE between them)."""
    person, _ = photos.astronaut_with_a_shaded_neck_and_a_lit_chest()
    red = (200, 40, 40)
    dress = photos.dress_with_neckline("v", red)
    result = np.asarray(
        photos.decode(model.try_on(person, [GarmentInput(dress, "top")], {})).convert("RGB")
    ).astype(int)
    original = np.asarray(photos.decode(person).convert("RGB")).astype(int)
    painted = (np.abs(result - original).max(axis=2) > 30) & (np.abs(result - red).max(axis=2) >= 60)
    v_neck, above = np.zeros(painted.shape, bool), np.zeros(painted.shape, bool)
    v_neck[235:300, 195:245] = True
    above[175:215, 150:290] = True
    v_neck &= painted
    above &= painted
    assert v_neck.sum() > 1000 and above.sum() > 1000
    seam = np.linalg.norm(np.median(_lab(result[v_neck]), axis=0) - np.median(_lab(result[above]), axis=0))
    assert seam < 4
