"""Where a garment goes on a body: matching landmarks on the garment photo and on the person photo.

A garment laid flat is read by its outline (silhouette.py): its shoulders go on the person's
shoulders, its sleeves along their arms, its legs along their legs, and every length (hem, sleeve,
inseam) keeps the garment's own proportions at the person's scale, so a cropped top stays cropped
and a top never reaches the knees. A garment worn by a model is cut out of that photo (the model's
face, hair and skin dropped, and whatever lies outside the garment's body part) and carried over
joint by joint, from the model's pose to the person's.

The result is a list of pieces, each a layer of the garment photo and the two point sets the warp
(warp.py) joins: the body of the garment in one piece, each sleeve of a garment laid flat in its own
(a sleeve swings from the shoulder down along the arm, which would fold one smooth map), and a worn
garment's sleeves apart from the rest because they go over the person's arms.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import cv2
import numpy as np
from numpy.typing import ArrayLike, NDArray

from shared.ai_models.arrays import RGB, Alpha, Binary, Lab, Layer, Mask, Point, Points
from shared.ai_models.body import (
    FEET,
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
    Body,
    BodyFrame,
    along,
)
from shared.ai_models.garment_photo import GarmentPhoto, masked, premultiplied
from shared.ai_models.regions import Regions, regions_of
from shared.ai_models.silhouette import LowerLandmarks, SleeveProfile, UpperLandmarks
from shared.ai_models.warp import Limb, LimbMap, PointMap, SleeveMap, ThinPlateSpline
from shared.ai_models.worn import hair_below_head, shaded_skin

# How wide, in body units (shoulder joint distance), the body is where garments sit: the chest seen
# from the front with the ease of a garment, and a waistband (from the hip joints' distance).
_CHEST_WIDTH = 1.15
_MAX_CHEST_WIDTH = 1.7
_WAIST_PER_HIP_JOINTS = 1.85
_MAX_WAIST_PER_HIP_JOINTS = 2.6
_EASE = 1.08  # a garment is this much wider than the body it covers
# A garment hung from the shoulders has its widths matched to the body seen from the front, which shows less than the
# garment's flat width (the body is round); its lengths lie along the body and show whole: they take this much more
# scale. A bottom's waistband is matched to a flat waist already (_WAIST_PER_HIP_JOINTS), so its lengths take its
# widths' scale.
_LENGTH_PER_WIDTH = 1.15
WAIST_ABOVE_HIPS = 0.22  # the waistband sits this share of the torso above the hip joints
# ...or higher, up to this share, where the person's own bottoms visibly start higher (high-rise, a top tucked in)
_MAX_WAIST_ABOVE_HIPS = 0.45
_TOP_AND_BOTTOMS_APART = (
    12.0  # ΔE (CIELAB) between the median colours of a top and its bottoms that tells them apart
)
# A model's bare midriff: looked for from this share of the torso below the shoulders (below a deep neckline), in
# the middle of the body this many body units either side, in steps of _BAND_STEP body units; a step is bare where
# skin fills more than the first share of it, and the band ends at the first step below the second.
_MIDRIFF_FROM = 0.45
_MIDRIFF_HALF_WIDTH = 0.3
_BAND_STEP = 0.03
_BAND_SHARE = (0.3, 0.1)
# A garment's shoulders with its sleeves' heads span at most the first many of its chests laid flat (drawn dresses of real
# measures and the dev tops: 0.9-1.22); more than the second is sleeves held out (see _chest_for_lengths).
_SHOULDERS_PER_CHEST, _MAX_SHOULDERS_PER_CHEST = 1.2, 1.6
_TOP_REACH = 0.45  # a top's hem ends at most this many body units below the hip joints
# Body units: a top or jacket whose hem would end at most the first figure above where the person's own top ends is
# lengthened to reach the second figure below it (a sliver of the old top, or of skin painted over it, between the two
# hems reads as a mistake; a garment ending much higher is cropped and stays so).
_SLIVER, _HEM_OVERLAP = 0.1, 0.02
_PAST_WRIST = 0.04  # body units a sleeve may reach past the wrist
_SLEEVE_DRAPE = 0.85  # a sleeve's width worn, for its width laid flat at the garment's scale
_MAX_SLEEVE_EASE = 1.5  # a sleeve is at most this many times as wide as the arm
_LEG_SMOOTHING = (
    0.02  # a trouser's landmarks are met nearly, not exactly: a leg's edges read off a ragged or\
)
# flared outline do not bend the cloth between them into waves
_LEGS_APART = 0.04  # body units: the least gap between a pair of trousers' two legs on the body
_WAISTBAND_ACROSS = (
    -0.35,
    0.0,
    0.35,
)  # body units: where across the body a worn bottom's waistband is pinned
# A worn top's sleeve: beyond the model's torso, whose sides lie this many body units beyond the hip joints at the
# hips, within this many times a bare arm's half-width of the arm's bones (a wide sleeve's edge).
_TORSO_SIDE_OUT = 0.12
_SLEEVE_REACH = 4.0
_SLEEVE_OVERLAP = 0.15  # body units a worn sleeve reaches into the torso, under its body, so the two meet
# A worn dress has sleeves where it covers more than this share of the model's upper arm beyond the torso, between these
# shares of the way from the shoulders to the hips.
_SLEEVED_SHARE = 0.5
_UPPER_ARM = (0.1, 0.5)
_CUFF_REACH = 1.5  # below the hips, a worn dress's sleeve lies within this many times a bare arm's half-width of its bones
_WRIST_GRID = 4
_OPENING_SKIN = 0.5  # share of a worn garment's neck opening that is the model's skin
_OPENING_CENTRE = 0.1  # body units either side of the body's middle a neck opening crosses
_OPENING_DEPTH = (
    0.6  # share of the way from the shoulders to the hips a worn garment's neck opening may reach
)
_TORSO_ROWS = (
    0.35,
    0.7,
    1.0,
)  # shares of the way from the shoulders to the hips where a worn top's sides are set
_ARM_GAP = (
    0.4  # body units: a gap in a worn garment up to this wide, under the model's arm, is garment behind it
)
_HAIR_GAP = 0.15  # body units: and under a lock of the model's hair (a neckline, wider, stays open)

UPPER_TYPES = ("top", "outerwear", "one_piece")


@dataclass
class Piece:
    """One part of a garment and how it lands on the body."""

    layer: Layer  # in the garment photo
    to_garment: PointMap  # person-photo points → garment-photo points (the warp samples with it)
    to_body: PointMap  # garment-photo points → person-photo points (where the piece lands)
    over_arms: bool = False  # a sleeve: drawn over the person's arms, not behind them
    sleeve: bool = False  # worn from the shoulder down the arm (not a skirt's part under a model's hands)
    # (point, direction): beyond the line through point the other way, only on the person
    below: tuple[Point, Point] | None = None
    skin: bool = False  # the garment's neck opening: where the wearer's skin shows, not the garment


def _joined(
    layer: Layer,
    garment_points: ArrayLike,
    body_points: ArrayLike,
    over_arms: bool = False,
    smoothing: float = 0.0,
) -> Piece:
    """A piece whose landmarks are joined by a thin-plate spline (`smoothing` > 0: nearly, and smoother)."""
    return Piece(
        layer,
        ThinPlateSpline(body_points, garment_points, smoothing),
        ThinPlateSpline(garment_points, body_points, smoothing),
        over_arms,
    )


def required_part(garment_type: str, frame: BodyFrame | None, body: Body) -> str | None:
    """The body part the garment needs that the photo does not show, or None."""
    if frame is None:
        return "shoulders" if garment_type in UPPER_TYPES else "hips"
    if garment_type in ("bottom", "one_piece") and not frame.hips_visible:
        return "hips"
    if garment_type == "shoes" and not body.visible(LEFT_ANKLE, RIGHT_ANKLE):
        return "feet"
    return None


def place_flat_lay(
    photo: GarmentPhoto, garment_type: str, regions: Regions, old_top_hem: float | None = None
) -> list[Piece]:
    """Pieces of a garment photographed on its own (the photo's alpha is its cut-out), on the person whose
    photo `regions` reads; `old_top_hem`: how far below the middle of the shoulders (body units) the person's own top
    ends, where known (a top's hem never stops a sliver above it)."""
    outline, frame = photo.outline, regions.posed_frame
    if garment_type == "bottom":
        return [
            _joined(photo.layer, *_lower_points(outline.lower_landmarks, regions), smoothing=_LEG_SMOOTHING)
        ]
    landmarks = outline.upper_landmarks
    scale = _upper_scale(landmarks, regions)
    body_layer, sleeve_layers = photo.body_and_sleeves
    # A jumpsuit's legs (a one-piece parted by a crotch) go down the person's legs.
    legs = outline.lower_landmarks if garment_type == "one_piece" and outline.crotch is not None else None
    garment_points, body_points = _upper_points(landmarks, garment_type, regions, scale, legs, old_top_hem)
    body = _joined(body_layer, garment_points, body_points, smoothing=0.0 if legs is None else _LEG_SMOOTHING)
    pieces = [body]
    if photo.bare_neckline is not None:
        pieces.append(
            Piece(premultiplied(photo.rgb, photo.bare_neckline), body.to_garment, body.to_body, skin=True)
        )
    if landmarks.sleeves is not None:
        for side, (profile, sleeve_layer) in enumerate(zip(landmarks.sleeves, sleeve_layers)):
            band = _sleeve_band(profile, side, regions, scale)
            # A sleeve's head is round and sits on the shoulder: above the shoulder's top it covers the person only.
            pieces.append(
                Piece(
                    sleeve_layer,
                    band,
                    band.to_body,
                    over_arms=True,
                    below=(regions.shoulder_tips[side], frame.down),
                    sleeve=True,
                )
            )
    return pieces


def place_on_model(photo: GarmentPhoto, garment_type: str, person: Regions) -> list[Piece]:
    """Pieces of a garment cut out of a photo of a model wearing it: the part on the model's arms (drawn
    over the person's arms) and the rest, carried joint by joint (a bottom's waistband to the person's waist, as a
    flat one's: waist_above_hips)."""
    assert photo.model is not None, "not a photo of a model wearing the garment"
    frame = person.posed_frame
    regions = regions_of(photo.model)
    size = (photo.rgb.shape[1], photo.rgb.shape[0])
    worn, hidden = _worn_garment(regions, garment_type)
    alpha = cast(Alpha, cv2.resize(worn, size, interpolation=cv2.INTER_LINEAR))
    behind = cv2.resize(hidden.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    # What lies behind the model's arms is part of the garment's body, not of its sleeves.
    on_arms = np.clip(cv2.resize(regions.arm_zone, size, interpolation=cv2.INTER_LINEAR) - behind, 0, 1)
    layer = premultiplied(_filled_in(photo.rgb, behind > 0.5), alpha)
    if garment_type == "bottom":
        garment_points, body_points = _waistband_on_waist(
            regions, worn, person, *_pose_pairs(regions.posed_frame, frame, garment_type)
        )
        return [
            _joined(masked(layer, 1 - on_arms), garment_points, body_points),
            _joined(masked(layer, on_arms), garment_points, body_points, over_arms=True),
        ]
    sleeved = garment_type != "one_piece" or _has_sleeves(regions, worn)
    if sleeved:
        pieces = _worn_top(layer, regions, person, garment_type)
    else:  # a sleeveless dress: carried joint by joint, as a whole
        garment_points, body_points = _pose_pairs(regions.posed_frame, frame, garment_type)
        pieces = [
            _joined(masked(layer, 1 - on_arms), garment_points, body_points),
            _joined(masked(layer, on_arms), garment_points, body_points, over_arms=True),
        ]
    opening = _worn_opening(regions, worn)
    if opening is not None:
        body = pieces[0]
        full = cv2.resize(opening.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
        pieces.insert(1, Piece(premultiplied(photo.rgb, full), body.to_garment, body.to_body, skin=True))
    return pieces


def _has_sleeves(model: Regions, worn: Alpha) -> bool:
    """Whether a garment the model wears (detection-size alpha) has sleeves: it covers most of what shows of the model's
    upper arms beyond their torso, on either side (a sleeveless dress leaves them bare)."""
    outside, across = _beyond_the_torso(model).transpose(2, 0, 1)
    depth, _ = model.body_coordinates
    hips_down, _, _ = _torso_sides(model.posed_frame)
    height, width = model.shape
    on_arm = model.bare_shape((0, 0, width, height), ("arms",)) < 1
    upper = (
        on_arm
        & (outside > 0)
        & (depth > _UPPER_ARM[0] * hips_down)
        & (depth < _UPPER_ARM[1] * hips_down)
        & (model.person > 0.5)
        & (model.head < 0.5)
    )
    for sign in (-1, 1):
        arm = upper & (sign * across > 0)
        if arm.sum() >= 20 and float((worn[arm] > 0.5).mean()) > _SLEEVED_SHARE:
            return True
    return False


def _worn_opening(model: Regions, worn: Alpha) -> Mask | None:
    """The neck opening of a garment a model wears (detection size, bool), or None: what the garment closes in on the
    model's upper chest (not their head nor arms), with garment on its left and right in its row and below it in its
    column (a V, a scoop, the chest between a dress's straps), across the body's middle and mostly their skin. The
    wearer's own skin shows there, as in a flat garment's neckline (neckline.py), not the old clothes painted as
    skin."""
    garment = worn > 0.5
    depth, across = model.body_coordinates
    hips_down, shoulders, _ = _torso_sides(model.posed_frame)
    middle = (np.abs(across) < shoulders) & (depth > -0.3) & (depth < _OPENING_DEPTH * hips_down)
    candidate = middle & ~garment & (model.person > 0.5) & (model.head < 0.5) & (model.arm_zone < 0.5)
    skin = candidate & ((model.skin > 0.5) | shaded_skin(model, candidate))
    if skin.sum() < 20:
        return None
    inside = np.where(middle & garment, 1, 0).astype(np.int32)
    # Garment to the left and to the right of a pixel in its row, and below it in its column.
    left = np.maximum.accumulate(inside, axis=1) > 0
    right = np.maximum.accumulate(inside[:, ::-1], axis=1)[:, ::-1] > 0
    below = np.maximum.accumulate(inside[::-1], axis=0)[::-1] > 0
    enclosed = candidate & left & right & below
    opened = cv2.morphologyEx(enclosed.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    # An opening lies across the middle of the body (a neckline is centred): other parts are skin beside the garment.
    # It is the model's skin, with the shadows in it (a collarbone's, a fold's): a part mostly not skin is something
    # worn under the garment (a camisole, a shirt), which is no opening.
    _, labels = cv2.connectedComponents(opened)
    central = [
        label
        for label in np.unique(labels[(labels > 0) & (np.abs(across) < _OPENING_CENTRE)])
        if skin[labels == label].mean() >= _OPENING_SKIN
    ]
    opening = np.isin(labels, central)
    if opening.sum() < 20:
        return None
    # Up from it to the base of the neck in each of its columns, under the chin too (the wearer's own neck and face
    # stay in front of what is painted there).
    neck = middle & ~garment & (model.person > 0.5)
    for row in range(int(np.nonzero(opening)[0].max()) - 1, -1, -1):
        opening[row] |= opening[row + 1] & neck[row]
    return opening


def _worn_top(layer: Layer, model: Regions, person: Regions, garment_type: str = "top") -> list[Piece]:
    """A top cut out of a model photo in three pieces: its body carried by the torso alone (shoulders, hips and the
    torso's sides, each as wide as the person's body there with a garment's ease: the model's arms, wherever they
    are, do not pull it), and each sleeve (what of it lies beyond the model's torso on that arm's side, a little into
    it so it meets the body) re-hung bone by bone from the model's arm along the person's (LimbMap), drawn over the
    person's arms; above the top of the shoulder a sleeve covers the person only; the model's hands (and what lies past
    their wrists along the forearm, in a sleeve's place) go with neither. A dress (`garment_type` one_piece) goes on as a top, its body then down the legs (knees, ankles)
    with its own length and flare; below the hips only what hugs the arm is sleeve, the skirt beside a hand is not."""
    model_frame, frame = model.posed_frame, person.posed_frame
    size = (layer.shape[1], layer.shape[0])
    outside, across = cv2.resize(_beyond_the_torso(model), size, interpolation=cv2.INTER_LINEAR).transpose(
        2, 0, 1
    )
    garment_points, body_points = _torso_pairs(model_frame, person)
    if garment_type == "one_piece":  # below the hips a dress follows the legs, with its own length and flare
        legs = (LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE)
        garment_points = np.vstack([garment_points, [model_frame.body.point(index) for index in legs]])
        body_points = np.vstack([body_points, [frame.body.point(index) for index in legs]])
    skirt = np.zeros(outside.shape, bool)
    if garment_type == "one_piece":
        # Below the hips a dress's skirt flares beside the hands: only what hugs the arm there is sleeve (a cuff).
        depth, _ = model.body_coordinates
        height, width = model.shape
        hips_down, _, _ = _torso_sides(model_frame)
        hugging = model.bare_shape((0, 0, width, height), ("arms",)) < _CUFF_REACH
        skirt = cv2.resize(((depth > hips_down) & ~hugging).astype(np.uint8), size) > 0
    hands = cv2.resize(model.hands, size, interpolation=cv2.INTER_LINEAR) > 0.5  # the model's: no garment
    pieces = [
        _joined(
            masked(layer, (((outside <= 0) | skirt) & ~hands).astype(np.float32)),
            garment_points.astype(np.float32),
            body_points,
        )
    ]
    for side, sign in ((0, -1), (1, 1)):
        backward = LimbMap(
            frame.arm(side),
            model_frame.arm(side),
            frame.mid_hip,  # the outer side is away from the hips: up on an arm held out, out on one that hangs
            model_frame.mid_hip,
            model_frame.unit / frame.unit,
        )
        sleeve = (
            (outside > -_SLEEVE_OVERLAP)
            & (sign * across > 0)
            & ~skirt
            & ~hands
            & ~_past_the_wrist(model, side, size)
        )
        pieces.append(
            Piece(
                masked(layer, sleeve.astype(np.float32)),
                backward,
                backward.inverse(),
                over_arms=True,
                below=(person.shoulder_tips[side], frame.down),
                sleeve=True,
            )
        )
    return pieces


def _past_the_wrist(model: Regions, side: int, size: tuple[int, int]) -> Mask:
    """Where on the model's photo (`size`) lies beyond their wrist along that arm's forearm: their hand, no sleeve."""
    frame = model.posed_frame
    # Read on a coarse grid (every _WRIST_GRID photo px): the line across the wrist is straight.
    ys, xs = np.mgrid[0 : size[1] : _WRIST_GRID, 0 : size[0] : _WRIST_GRID].astype(np.float64)
    points = np.stack([xs.ravel(), ys.ravel()], axis=1)
    limb = Limb(frame.arm(side), frame.mid_hip)
    segment, along, _ = limb.locate(points)
    last = len(limb.lengths) - 1
    beyond = (segment == last) & (along > limb.lengths[last] + _PAST_WRIST * frame.unit)
    small = beyond.reshape(xs.shape).astype(np.uint8)
    past: Mask = cv2.resize(small, size, interpolation=cv2.INTER_NEAREST) > 0
    return past


def _torso_sides(frame: BodyFrame) -> tuple[float, float, float]:
    """(Depth of the hip joints, half the torso's width at the shoulders, at the hips), body units: from the shoulder
    joints at the top to _TORSO_SIDE_OUT beyond the hip joints at the hips."""
    hips_down = float((frame.mid_hip - frame.mid_shoulder) @ frame.down) / frame.unit
    shoulders = abs(float((frame.shoulders[1] - frame.shoulders[0]) @ frame.across)) / 2 / frame.unit
    hips = abs(float((frame.hips[1] - frame.hips[0]) @ frame.across)) / 2 / frame.unit + _TORSO_SIDE_OUT
    return hips_down, shoulders, max(hips, 0.8 * shoulders)


def _beyond_the_torso(regions: Regions) -> NDArray[np.float32]:
    """Where a top a model wears may be sleeve (detection size, two channels): how far beyond the side of the model's
    torso each pixel lies (body units; negative inside it) within _SLEEVE_REACH of the arm's bones, elsewhere -1 (a
    hem flaring beside the legs, the body below an arm held out are the body's); and how far across the body it lies
    (negative on the left of the photo)."""
    depth, across = regions.body_coordinates
    hips_down, shoulders, hips = _torso_sides(regions.posed_frame)
    side = np.interp(depth, [0.0, hips_down], [shoulders, hips])
    height, width = regions.shape
    near_arm = regions.bare_shape((0, 0, width, height), ("arms",)) < _SLEEVE_REACH
    outside = np.where(near_arm, np.abs(across) - side, -1.0)
    return np.dstack([outside, across]).astype(np.float32)


def _torso_pairs(model: BodyFrame, person: Regions) -> tuple[Points, Points]:
    """The torso on the model and on the person: shoulder and hip joints, a point above the neck, and the sides of the
    torso at three depths, on the person as wide as their body there with a garment's ease where that is wider."""
    frame = person.posed_frame
    pairs: list[list[Point]] = [[], []]
    for body, points in zip((model, frame), pairs):
        points.extend(body.body.point(index) for index in _POSE_POINTS["torso"])
        points.append(body.at(body.mid_shoulder, down=-0.25))
    model_hips, model_shoulders, model_hip_side = _torso_sides(model)
    hips_down, _, _ = _torso_sides(frame)
    for share in _TORSO_ROWS:
        half = float(np.interp(share, [0.0, 1.0], [model_shoulders, model_hip_side]))
        measured = person.width_across(share * hips_down) or 0.0
        wanted = (
            min(max(half * frame.unit, _EASE * measured / 2), _MAX_CHEST_WIDTH / 2 * frame.unit) / frame.unit
        )
        for sign in (-1, 1):
            pairs[0].append(model.at(model.mid_shoulder, sign * half, share * model_hips))
            pairs[1].append(frame.at(frame.mid_shoulder, sign * wanted, share * hips_down))
    return np.array(pairs[0], np.float32), np.array(pairs[1], np.float32)


def place_by_anchor(
    photo: GarmentPhoto, garment_type: str, details: Mapping[str, Any], frame: BodyFrame, body: Body
) -> list[Piece]:
    """Pieces (one) of shoes and accessories: the item's bounding box set on its anchor (feet, head, waist,
    neck, or beside the hip like a bag) by three points, i.e. one affine map."""
    assert photo.alpha is not None, "not a flat-lay"
    rows, columns = np.nonzero(photo.alpha > 0.5)
    top, bottom, left, right = rows.min(), rows.max(), columns.min(), columns.max()
    anchor = _accessory_anchor(details) if garment_type == "accessory" else "feet"
    if anchor == "feet":
        feet = np.array([body.point(index) for index in FEET])
        span = max(float(np.ptp(feet[:, 0])), 0.5 * frame.unit)
        ground = float(feet[:, 1].max())
        start, end = (
            np.array([feet[:, 0].min() - 0.15 * span, ground]),
            np.array([feet[:, 0].max() + 0.15 * span, ground]),
        )
        garment_line = np.array([[left, bottom], [right, bottom]], np.float32)
    else:
        centre, half_width = {
            "head": (frame.at(frame.mid_shoulder, down=-1.25), 0.45),
            "belt": (frame.at(frame.mid_hip, down=-WAIST_ABOVE_HIPS * frame.torso_length / frame.unit), 0.55),
            "neck": (frame.at(frame.mid_shoulder, down=0.05), 0.22),
            "hip_side": (frame.at(frame.shoulders[1], 0.35, 0.45 * frame.torso_length / frame.unit), 0.28),
        }[anchor]
        start, end = frame.at(centre, -half_width), frame.at(centre, half_width)
        row = bottom if anchor == "head" else top if anchor in ("neck", "hip_side") else (top + bottom) / 2
        garment_line = np.array([[left, row], [right, row]], np.float32)
    body_line = np.array([start, end], np.float32)
    garment_points = _with_third_point(garment_line, np.array([0.0, 1.0]))
    body_points = _with_third_point(body_line, frame.down if anchor != "feet" else np.array([0.0, 1.0]))
    return [_joined(photo.layer, garment_points, body_points)]


def _accessory_anchor(details: Mapping[str, Any]) -> str:
    words = " ".join(str(details.get(key) or "") for key in ("category", "title")).lower()
    for anchor, keywords in (
        ("head", ("hat", "cap", "beanie", "beret")),
        ("belt", ("belt",)),
        ("neck", ("necklace", "jewel", "pendant", "chain", "scarf")),
    ):
        if any(keyword in words for keyword in keywords):
            return anchor
    return "hip_side"


def _with_third_point(line: Points, down: ArrayLike) -> Points:
    """The two ends of a line and the point one line-length `down` from its middle (fixes an affine map)."""
    length = float(np.linalg.norm(line[1] - line[0]))
    return np.vstack([line, line.mean(axis=0) + _unit(down) * length]).astype(np.float32)


# --- flat-lay garments --------------------------------------------------------------------------


def _upper_scale(landmarks: UpperLandmarks, regions: Regions) -> float:
    """Person px per garment px: the garment's chest (armpit to armpit) across the person's chest, as wide as
    a garment's ease needs and never narrower than the person's own chest in the photo."""
    frame = regions.posed_frame
    chest = float(np.linalg.norm(landmarks.armpits[1] - landmarks.armpits[0])) or landmarks.torso_width
    measured = regions.width_across(0.3 * frame.torso_length / frame.unit) or 0.0
    wanted = min(max(_CHEST_WIDTH * frame.unit, _EASE * measured), _MAX_CHEST_WIDTH * frame.unit)
    return wanted / chest


def _upper_points(
    landmarks: UpperLandmarks,
    garment_type: str,
    regions: Regions,
    scale: float,
    legs: LowerLandmarks | None = None,
    old_top_hem: float | None = None,
) -> tuple[Points, Points]:
    """The garment's body: shoulders on the shoulders, collar, armpits, sides and hem where the garment's
    own proportions put them at the person's scale (the hem no lower than the garment type allows; a top's or a
    jacket's a little lower where it would end a sliver above the person's own top, `old_top_hem`). A dress on
    straps hangs from its straps' tops, level with the shoulders' tops, as far apart as the straps are. A jumpsuit's
    `legs` (its lower landmarks: crotch, leg edges) run down the person's legs (_jumpsuit_legs)."""
    frame = regions.posed_frame
    tips = regions.shoulder_tips
    body_top = tips.mean(axis=0)
    straps = garment_type == "one_piece" and not np.array_equal(landmarks.strap_tops, landmarks.shoulders)
    garment_top = (landmarks.strap_tops if straps else landmarks.shoulders).mean(axis=0)
    length_scale = (
        scale * _LENGTH_PER_WIDTH * (_chest_for_lengths(landmarks) if garment_type == "one_piece" else 1.0)
    )
    hem_depth = (landmarks.hem[:, 1].mean() - garment_top[1]) * length_scale
    reach = _hem_limit(garment_type, frame, body_top)
    shortened = min(1.0, reach / hem_depth) if hem_depth > 0 else 1.0
    vertical = length_scale * shortened
    if garment_type != "one_piece":
        top = float((body_top - frame.mid_shoulder) @ frame.down)
        vertical *= _past_a_sliver(hem_depth * shortened, top, reach, frame.unit, old_top_hem)
    # A garment longer than the body allows is shortened, and narrowed a little with it, so a long dress
    # made for a taller body keeps some of its slimness instead of turning into a tent.
    scale *= shortened**0.5
    sides = np.array(
        [[x, y] for y, row in zip(landmarks.side_rows, landmarks.sides) for x in row], np.float32
    )
    torso = np.vstack(
        [
            *([landmarks.strap_tops] if straps else []),
            landmarks.collar[None],
            landmarks.armpits,
            sides,
            landmarks.hem,
            landmarks.hem.mean(axis=0, keepdims=True),
        ]
    )
    offset = torso - garment_top
    carried = (
        body_top
        + np.outer(offset[:, 0] * scale, frame.across)
        + np.outer(offset[:, 1] * vertical, frame.down)
    )
    if garment_type != "one_piece":
        # Pairs of points across the body: each side row's left and right, then the hem's corners.
        pairs = [(3 + 2 * row, 4 + 2 * row) for row in range(len(sides) // 2)] + [
            (3 + len(sides), 4 + len(sides))
        ]
        carried = _as_wide_as_the_body(carried, pairs, regions)
    if legs is not None and legs.crotch is not None:
        hip_row = garment_top[1] + float((frame.mid_hip - body_top) @ frame.down) / vertical
        leg_points, on_legs = _jumpsuit_legs(legs, frame, hip_row, scale, vertical)
        torso, carried = np.vstack([torso, leg_points]), np.vstack([carried, on_legs])
    if straps:
        return torso, carried.astype(np.float32)
    return np.vstack([landmarks.shoulders, torso]), np.vstack([tips, carried]).astype(np.float32)


def _past_a_sliver(hem: float, top: float, reach: float, unit: float, old_top_hem: float | None) -> float:
    """The factor a top's lengths take so that its hem, `hem` photo px below its top (`top` px below the middle of the
    shoulders), does not end a sliver (_SLIVER) above the person's own top's hem (`old_top_hem`, body units): 1 but
    there, never past `reach`."""
    if old_top_hem is None or hem <= 0:
        return 1.0
    wanted = (old_top_hem + _HEM_OVERLAP) * unit - top
    if not 0 < wanted - hem <= (_SLIVER + _HEM_OVERLAP) * unit:
        return 1.0
    return min(wanted, reach) / hem if reach > hem else 1.0


def _jumpsuit_legs(
    legs: LowerLandmarks, frame: BodyFrame, hip_row: float, scale: float, vertical: float
) -> tuple[Points, Points]:
    """A jumpsuit's leg edges (garment px) and where they go on the person: each leg down the person's leg on its side
    of the photo, from the hip joint by its rows' depth below `hip_row` (the garment's row level with the hip joints)
    at the `vertical` scale, its edges across the leg at `scale`; long legs end at the ankles, never over the feet."""
    paths = [frame.leg(0), frame.leg(1)]
    reach = min(_length(path) for path in paths) + (
        0.0 if frame.body.visible(LEFT_ANKLE, RIGHT_ANKLE) else 0.1 * frame.unit
    )
    down = min(vertical, reach / max(float(legs.leg_rows[-1]) - hip_row, 1.0))
    garment: list[Point] = []
    body: list[list[Point]] = []
    for path, edges in zip(paths, legs.leg_edges):
        direction = _unit(path[-1] - path[0])
        across = np.array([direction[1], -direction[0]], np.float32)
        points = []
        for row, (left, right) in zip(legs.leg_rows, edges):
            depth = (float(row) - hip_row) * down
            centre = along(path, depth) if depth > 0 else frame.at(path[0], down=depth / frame.unit)
            middle = (left + right) / 2
            for x in (left, right):
                garment.append(np.array([x, row], np.float32))
                points.append(centre + across * (x - middle) * scale)
        body.append(points)
    apart = _apart(np.array(body, np.float32).reshape(2, len(legs.leg_rows), 2, 2), frame)
    return np.array(garment, np.float32), apart.reshape(-1, 2).astype(np.float32)


def _as_wide_as_the_body(points: Points, pairs: list[tuple[int, int]], regions: Regions) -> Points:
    """The garment's points across the body (pairs of indices into `points`, photo px) spread, about their middle, to
    the person's own width at that depth with a garment's ease where the garment is narrower there (a slim top on a
    broader body, or on one wider at the waist than at the chest), so the person's own top does not show beside it;
    never wider than _MAX_CHEST_WIDTH."""
    frame = regions.posed_frame
    widened = points.copy()
    for left, right in pairs:
        middle = (points[left] + points[right]) / 2
        measured = regions.width_across(float((middle - frame.mid_shoulder) @ frame.down) / frame.unit)
        if measured is None:
            continue
        span = float((points[right] - points[left]) @ frame.across)
        wanted = min(_EASE * measured, _MAX_CHEST_WIDTH * frame.unit)
        if abs(span) < wanted:
            push = np.sign(span or 1.0) * (wanted - abs(span)) / 2 * frame.across
            widened[left], widened[right] = points[left] - push, points[right] + push
    return widened


def _chest_for_lengths(landmarks: UpperLandmarks) -> float:
    """A dress's lengths are read against its chest (its scale), unless that chest reads narrow for its shoulders: a
    knit photographed round on a form shows less than its flat width across the chest and hem, not along its length
    (a knee-length polo dress then reached the ankles). Its shoulders with the sleeves' heads span at most
    _SHOULDERS_PER_CHEST of its chest laid flat; a span wider than _MAX_SHOULDERS_PER_CHEST is sleeves held out and
    says nothing. The factor (at most 1) its lengths take."""
    chest = float(np.linalg.norm(landmarks.armpits[1] - landmarks.armpits[0])) or landmarks.torso_width
    span = landmarks.shoulder_span
    if chest <= 0 or span > _MAX_SHOULDERS_PER_CHEST * chest:
        return 1.0
    # Squared: a knit shown round is also stretched across its chest on the form, so its chest reads narrower still
    # for its length than the span says (the dev polo dress: 1.39 spans → knee length, linear → mid-calf).
    return min(1.0, _SHOULDERS_PER_CHEST * chest / span) ** 2 if span > 0 else 1.0


def _hem_limit(garment_type: str, frame: BodyFrame, body_top: Point) -> float:
    """How far below the shoulders a hem may reach: a top ends by the upper thigh, a dress at the ankles where the
    feet show (never over them), else a little below where the ankles are guessed to be."""
    if garment_type == "one_piece":
        ankles = (frame.leg(0)[2] + frame.leg(1)[2]) / 2
        feet_show = frame.body.visible(LEFT_ANKLE, RIGHT_ANKLE)
        return float((ankles - body_top) @ frame.down) + (0.0 if feet_show else 0.1 * frame.unit)
    return float((frame.mid_hip - body_top) @ frame.down) + _TOP_REACH * frame.unit


def _sleeve_band(profile: SleeveProfile, side: int, regions: Regions, scale: float) -> SleeveMap:
    """One sleeve laid along the person's arm: from the top of the shoulder down the arm for the sleeve's own
    length at the garment's scale (ending by the wrist), as wide as the arm or the sleeve (SleeveMap)."""
    frame = regions.posed_frame
    arm = frame.arm(side)
    start = float(
        (regions.shoulder_tips[side] - arm[0]) @ _unit(arm[1] - arm[0])
    )  # the shoulder's top, on the arm
    length = float(profile.along[-1] - profile.along[0])
    reach = _length(arm) + _PAST_WRIST * frame.unit - start
    length_scale = min(scale * _LENGTH_PER_WIDTH, reach / length) if length > 0 else scale
    arm_half_widths = regions.arm_half_widths(side)
    # Laid flat a sleeve shows half its round; worn, it drapes around the arm, never much wider than the arm.
    width_scale = min(
        _SLEEVE_DRAPE * scale, _MAX_SLEEVE_EASE * min(arm_half_widths) / max(profile.half_width, 1e-6)
    )
    return SleeveMap(profile, arm, frame.mid_shoulder, arm_half_widths, start, length_scale, width_scale)


def _lower_points(landmarks: LowerLandmarks, regions: Regions) -> tuple[Points, Points]:
    """Waistband on the waist, crotch between the legs, each leg along the person's leg to its hem."""
    frame = regions.posed_frame
    hip_joints = max(float(np.linalg.norm(frame.hips[1] - frame.hips[0])), 0.5 * frame.unit)
    waist_depth = (1 - WAIST_ABOVE_HIPS) * frame.torso_length / frame.unit
    measured = regions.width_across(waist_depth) or 0.0
    waist = min(
        max(_WAIST_PER_HIP_JOINTS * hip_joints, _EASE * measured), _MAX_WAIST_PER_HIP_JOINTS * hip_joints
    )
    scale = waist / landmarks.waist_width  # person px per garment px
    above_hips = waist_above_hips(regions)
    waist_centre = frame.at(frame.mid_hip, down=-above_hips * frame.torso_length / frame.unit)
    waist_row = landmarks.waist[:, 1].mean()
    half_waist = landmarks.waist_width * scale / 2
    # The garment's row level with the hip joints: the waistband's height above them, at the garment's scale.
    hip_row = waist_row + above_hips * frame.torso_length / scale
    if landmarks.crotch is not None:
        paths = [frame.leg(0), frame.leg(1)]
    else:
        knees, ankles = (frame.leg(0)[1] + frame.leg(1)[1]) / 2, (frame.leg(0)[2] + frame.leg(1)[2]) / 2
        paths = [np.array([frame.mid_hip, knees, ankles], np.float32)]
    # Long legs stop at the ankles: the vertical scale shrinks so the hem lands there, never beyond.
    reach = min(_length(path) for path in paths) + 0.1 * frame.unit
    vertical = min(scale, reach / max(landmarks.leg_rows[-1] - hip_row, 1.0))

    def on_body(row: float, centre_x: float, x: float, path: Points) -> Point:
        """Garment point (x, row) on the body: down its path by the row's depth, across by its offset."""
        depth = (row - hip_row) * vertical
        if depth > 0:
            centre = along(path, depth)
            direction = _unit(path[-1] - path[0])
            across = np.array([direction[1], -direction[0]], np.float32)
        else:
            centre = frame.at(path[0], down=depth / frame.unit)
            across = frame.across
        return centre + across * (x - centre_x) * scale

    garment: list[ArrayLike] = [landmarks.waist]
    body: list[ArrayLike] = [
        np.array([waist_centre - frame.across * half_waist, waist_centre + frame.across * half_waist])
    ]
    middle = landmarks.waist[:, 0].mean()
    for row, (left, right) in zip(landmarks.side_rows, landmarks.sides):
        for x in (left, right):
            garment.append([[x, row]])
            body.append([on_body(row, middle, x, np.array([frame.mid_hip, frame.mid_hip + frame.down]))])
    if landmarks.crotch is not None:
        garment.append(landmarks.crotch[None])
        body.append(
            [
                on_body(
                    landmarks.crotch[1],
                    landmarks.crotch[0],
                    landmarks.crotch[0],
                    np.array([frame.mid_hip, frame.mid_hip + frame.down]),
                )
            ]
        )
    legs: list[list[list[Point]]] | NDArray[np.float32] = [
        [
            [on_body(row, (left + right) / 2, x, path) for x in (left, right)]
            for row, (left, right) in zip(landmarks.leg_rows, edges)
        ]
        for path, edges in zip(paths, landmarks.leg_edges)
    ]
    if len(legs) == 2:
        legs = _apart(np.array(legs, np.float32), frame)
    for edges, points in zip(landmarks.leg_edges, legs):
        for row, (left, right), pair in zip(landmarks.leg_rows, edges, points):
            garment.append([[left, row], [right, row]])
            body.append(pair)
    return np.vstack(garment).astype(np.float32), np.vstack(body).astype(np.float32)


def waist_above_hips(regions: Regions) -> float:
    """Where a new bottom's waistband sits, as a share of the torso above the hip joints: at the natural waist
    (WAIST_ABOVE_HIPS), or where the person's own bottoms start when they show higher up the middle of the body
    (high-rise trousers under a tucked-in top), so no band of them is left above the new waistband; never above
    _MAX_WAIST_ABOVE_HIPS. Each step up the middle is theirs while its median colour is nearer their bottoms' (on
    the thighs) than their top's (on the chest); a top hanging over the waist, a bare midriff or one colour from
    neck to legs leave the natural waist."""
    frame = regions.posed_frame
    clothing = regions.person * (1 - regions.skin) * (1 - regions.head) * (1 - regions.arm_zone)
    chest, thighs = _chest_and_thighs(regions, clothing)
    if len(chest) < 20 or len(thighs) < 20:
        return WAIST_ABOVE_HIPS
    top, bottoms = np.median(chest, axis=0), np.median(thighs, axis=0)
    if np.linalg.norm(top - bottoms) < _TOP_AND_BOTTOMS_APART:
        return WAIST_ABOVE_HIPS
    depth, across = regions.body_coordinates
    torso = frame.torso_length / frame.unit
    middle = (np.abs(across) < _MIDRIFF_HALF_WIDTH) & (clothing > 0.5)
    # A step is clothed across at least half the middle's width (a bare midriff is not).
    clothed = _MIDRIFF_HALF_WIDTH * _BAND_STEP * (frame.unit * regions.scale) ** 2
    above = WAIST_ABOVE_HIPS
    while above + _BAND_STEP / torso <= _MAX_WAIST_ABOVE_HIPS:
        step = middle & (depth >= torso * (1 - above) - _BAND_STEP) & (depth < torso * (1 - above))
        if step.sum() < clothed:
            break
        colour = np.median(regions.lab[step], axis=0)
        if np.linalg.norm(colour - bottoms) >= np.linalg.norm(colour - top):
            break
        above += _BAND_STEP / torso
    return above


def _apart(legs: NDArray[np.float32], frame: BodyFrame) -> NDArray[np.float32]:
    """The two legs' edge points ([leg][row][left, right edge] on the body), each leg's inner edge kept on its own
    side of the line between the legs: legs closer together than a garment's legs are wide (a walking pose, wide
    trousers on slim legs) would otherwise cross, and the warp would fold the cloth over itself."""
    across = frame.across
    for row in range(legs.shape[1]):
        centres = legs[:, row].mean(axis=1)
        middle = float(centres.mean(axis=0) @ across)
        gap = 0.5 * _LEGS_APART * frame.unit
        for leg, inner, sign in ((0, 1, -1), (1, 0, 1)):
            position = float(legs[leg, row, inner] @ across)
            if sign * (position - middle) < gap:
                legs[leg, row, inner] += across * (middle + sign * gap - position)
    return legs


def _length(polyline: Points) -> float:
    return float(sum(np.linalg.norm(b - a) for a, b in zip(polyline[:-1], polyline[1:])))


# --- garments worn by a model -------------------------------------------------------------------

# Landmarks carried from the model to the person, per garment type.
_POSE_POINTS = {
    "torso": (LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP),
    "top": (
        LEFT_SHOULDER,
        RIGHT_SHOULDER,
        LEFT_ELBOW,
        RIGHT_ELBOW,
        LEFT_WRIST,
        RIGHT_WRIST,
        LEFT_HIP,
        RIGHT_HIP,
    ),
    "bottom": (LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE),
    "one_piece": (
        LEFT_SHOULDER,
        RIGHT_SHOULDER,
        LEFT_ELBOW,
        RIGHT_ELBOW,
        LEFT_WRIST,
        RIGHT_WRIST,
        LEFT_HIP,
        RIGHT_HIP,
        LEFT_KNEE,
        RIGHT_KNEE,
        LEFT_ANKLE,
        RIGHT_ANKLE,
    ),
}


def _pose_pairs(model: BodyFrame, person: BodyFrame, garment_type: str) -> tuple[Points, Points]:
    """The same joints on the model and on the person, with points beside them at each body's own width."""
    indices = _POSE_POINTS["top" if garment_type == "outerwear" else garment_type]
    pairs: list[list[Point]] = [[], []]
    for frame, points in zip((model, person), pairs):
        for index in indices:
            points.append(frame.body.point(index))
        for origin, spread in ((frame.mid_shoulder, 0.62), (frame.mid_hip, 0.6)):
            points.extend([frame.at(origin, -spread), frame.at(origin, spread)])
        points.append(frame.at(frame.mid_shoulder, down=-0.25))
    return np.array(pairs[0], np.float32), np.array(pairs[1], np.float32)


def _waistband_on_waist(
    model: Regions, worn: Alpha, person: Regions, garment_points: Points, body_points: Points
) -> tuple[Points, Points]:
    """The pose pairs with the worn bottom's waistband (the top of the garment across the middle of the model's body)
    joined to the person's waist (waist_above_hips), across the body: carried joint by joint alone, a skirt worn at the
    model's natural waist would start below the person's own high-rise trousers, and a band of them would show."""
    depth, across = model.body_coordinates
    middle = (worn > 0.5) & (np.abs(across) < _MIDRIFF_HALF_WIDTH)
    if middle.sum() < 20:
        return garment_points, body_points
    model_frame, frame = model.posed_frame, person.posed_frame
    top = float(np.percentile(depth[middle], 2))  # body units below the model's shoulders
    above_hips = waist_above_hips(person) * frame.torso_length / frame.unit
    waistband = [model_frame.at(model_frame.mid_shoulder, offset, top) for offset in _WAISTBAND_ACROSS]
    waist = [frame.at(frame.mid_hip, offset, -above_hips) for offset in _WAISTBAND_ACROSS]
    return (
        np.vstack([garment_points, waistband]).astype(np.float32),
        np.vstack([body_points, waist]).astype(np.float32),
    )


def _worn_garment(regions: Regions, garment_type: str) -> tuple[Alpha, Binary]:
    """(Alpha, detection size) of the garment a model wears: their clothing inside the garment's body part,
    without face, hair (worn.hair_below_head), skin (and its edges in shade, worn.shaded_skin), and without the other
    garments they wear (told apart by colour); and where it lies hidden behind the model's arms or a lock of their hair
    (see _behind_arms), which the alpha includes: hair over the garment's edge is dropped, hair inside its outline is
    filled from the garment around it."""
    zone = _zone(regions, garment_type)
    hair = hair_below_head(regions)
    clothing = np.where(hair, 0, regions.person * (1 - regions.head) * zone).astype(np.float32)
    if garment_type == "bottom":  # arms hanging by the hips are never part of a skirt, whatever their sleeves
        clothing = clothing * (1 - regions.arm_zone)
    without_skin = clothing * (1 - regions.skin)
    # A skin model that swallows most of the garment has learned the garment's colour (beige on beige).
    if without_skin.sum() > 0.4 * clothing.sum():
        clothing = np.where(shaded_skin(regions, without_skin > 0.5), 0, without_skin).astype(np.float32)
    if garment_type in ("top", "outerwear", "bottom"):
        own = own_colours(regions, garment_type, clothing)
        if own.min() == 1 and garment_type != "bottom":
            own = _zone(regions, "waist_up")  # a co-ord set: the top ends at the hips
        clothing = clothing * own
    opened = cast(
        Binary, cv2.morphologyEx((clothing > 0.5).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    )
    garment = _largest_parts(opened)
    arms = ((regions.arm_zone > 0.5) & (regions.person > 0.5)).astype(np.uint8)
    unit = regions.posed_frame.unit * regions.scale
    hidden = _behind_arms(garment, arms, _ARM_GAP * unit) | _behind_arms(
        garment, hair.astype(np.uint8), _HAIR_GAP * unit
    )
    whole = np.maximum(garment, hidden).astype(np.float32)
    return cast(Alpha, cv2.GaussianBlur(whole, (0, 0), 0.8)), hidden


def _behind_arms(garment: Binary, arms: Binary, width: float) -> Binary:
    """Where the garment goes on behind the model's arms (or a lock of their hair: what lies in front of it, 1, uint8):
    their pixels with garment on both sides across them, within `width` px (an arm crossing the body, a hand on the
    hem). An arm hanging beside the garment's edge has garment on one side only and stays out."""
    # A wide closing costs with the square of its width: it is done at a size where the disc is about 11 px.
    factor = max(1.0, width / 11)
    height, full_width = garment.shape
    small = (max(1, round(full_width / factor)), max(1, round(height / factor)))
    reduced = (cv2.resize(garment.astype(np.float32), small, interpolation=cv2.INTER_AREA) > 0.5).astype(
        np.uint8
    )
    size = max(3, int(width / factor) | 1)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closed = cv2.resize(
        cv2.morphologyEx(reduced, cv2.MORPH_CLOSE, disc), (full_width, height), interpolation=cv2.INTER_LINEAR
    )
    return cast(Binary, ((closed > 0) & (arms > 0) & (garment == 0)).astype(np.uint8))


def _filled_in(rgb: RGB, hidden: Mask) -> RGB:
    """The photo with the hidden pixels painted from the colours around them (OpenCV's Telea inpainting),
    worked in the box that holds them only."""
    left, top, width, height = cv2.boundingRect(hidden.astype(np.uint8))
    if width == 0 or height == 0:
        return rgb
    margin = 8
    x0, y0 = max(0, left - margin), max(0, top - margin)
    x1, y1 = min(rgb.shape[1], left + width + margin), min(rgb.shape[0], top + height + margin)
    filled = rgb.copy()
    filled[y0:y1, x0:x1] = cv2.inpaint(
        np.ascontiguousarray(rgb[y0:y1, x0:x1]), hidden[y0:y1, x0:x1].astype(np.uint8), 5, cv2.INPAINT_TELEA
    )
    return filled


def _zone(regions: Regions, garment_type: str) -> Alpha:
    """Where on the model the garment can be: tops from the neck to below the hips ("waist_up": to the hips),
    and never below a bare midriff; bottoms from the waist to the ankles, one-pieces from the neck to the
    ankles."""
    frame = regions.posed_frame
    depth, across = regions.body_coordinates
    torso = frame.torso_length / frame.unit
    ankles = float(((frame.leg(0)[2] + frame.leg(1)[2]) / 2 - frame.mid_shoulder) @ frame.down) / frame.unit
    above_feet = depth <= ankles - 0.05  # shoes are no part of a dress or trousers
    if garment_type == "bottom":
        return ((depth >= torso * (1 - WAIST_ABOVE_HIPS - 0.1)) & above_feet).astype(np.float32)
    if garment_type == "one_piece":
        return ((depth >= -0.3) & above_feet).astype(np.float32)
    hem = torso if garment_type == "waist_up" else torso + _TOP_REACH
    # Arms and hands are left out: hands held in front of a shirt are no midriff.
    middle = (np.abs(across) < _MIDRIFF_HALF_WIDTH) & (regions.person > 0.5) & (regions.arm_zone < 0.5)
    midriff = bare_band_end(depth, middle, regions.skin > 0.5, _MIDRIFF_FROM * torso, hem)
    return ((depth >= -0.3) & (depth <= min(hem, midriff or hem))).astype(np.float32)


def bare_band_end(
    depth: NDArray[np.float32], middle: Mask, skin: Mask, start: float, stop: float
) -> float | None:
    """The depth (body units) where the first band of bare skin across the middle of the body between `start`
    and `stop` ends: a top's model shows their midriff there, and what lies below it (the bottoms of a co-ord
    set in the same print) is no part of the top. None without such a band, or when the skin goes on to `stop`.
    A band is where skin fills most of the middle's width; a knot or a tie in front of it leaves enough."""
    steps = max(1, int(np.ceil((stop - start) / _BAND_STEP)))
    inside = middle & (depth >= start) & (depth < stop)
    rows = ((depth[inside] - start) / _BAND_STEP).astype(np.int64)
    counts = np.bincount(rows, minlength=steps)[:steps]
    bare = np.bincount(rows, weights=skin[inside].astype(np.float64), minlength=steps)[:steps]
    share = bare / np.maximum(counts, 1)
    band = np.flatnonzero((share > _BAND_SHARE[0]) & (counts > 0))
    if band.size == 0:
        return None
    after = np.flatnonzero(share[band[0] :] < _BAND_SHARE[1])
    return None if after.size == 0 else start + float(band[0] + after[0]) * _BAND_STEP


def _chest_and_thighs(regions: Regions, clothing: Alpha) -> tuple[Lab, Lab]:
    """The clothing's colours (CIELAB rows) sampled on the chest and on both thighs: what the person wears on top and
    below."""
    frame = regions.posed_frame
    chest = _disc_sample(
        regions,
        frame.at(frame.mid_shoulder, down=0.45 * frame.torso_length / frame.unit),
        0.3 * frame.unit,
        clothing,
    )
    thighs = np.vstack(
        [
            _disc_sample(regions, (leg[0] + leg[1]) / 2, 0.15 * frame.unit, clothing)
            for leg in (frame.leg(0), frame.leg(1))
        ]
    )
    return chest, thighs


def own_colours(regions: Regions, garment_type: str, clothing: Alpha) -> Alpha:
    """1 where a pixel of the clothing is closer in colour to the garment's (sampled on the chest or the thighs) than
    to the other garment's, and off the clothing; all ones when the two cannot be told apart (a co-ord set)."""
    lab = regions.lab
    chest, thighs = _chest_and_thighs(regions, clothing)
    if len(chest) < 20 or len(thighs) < 20:
        return np.ones(regions.shape, np.float32)
    own, other = (chest, thighs) if garment_type != "bottom" else (thighs, chest)
    own_centres, other_centres = _colour_centres(own), _colour_centres(other)
    if min(np.linalg.norm(a - b) for a in own_centres for b in other_centres) < 8:
        return np.ones(regions.shape, np.float32)
    # Only the clothing's pixels are told apart (the rest stays 1: the callers take the clothing alone).
    inside = clothing > 0.5
    pixels = lab[inside]
    to_own = np.min(((pixels[:, None] - own_centres[None]) ** 2).sum(axis=2), axis=1)
    to_other = np.min(((pixels[:, None] - other_centres[None]) ** 2).sum(axis=2), axis=1)
    own_colour: Alpha = np.ones(regions.shape, np.float32)
    own_colour[inside] = to_own <= to_other
    return own_colour


def _disc_sample(regions: Regions, centre: Point, radius: float, mask: Alpha) -> Lab:
    """CIELAB colours of the masked pixels within `radius` (photo px) of `centre` (photo px)."""
    disc = np.zeros(regions.shape, np.uint8)
    x, y = centre * regions.scale
    cv2.circle(disc, (int(x), int(y)), max(2, int(radius * regions.scale)), (1,), -1)
    sample: Lab = regions.lab[(disc > 0) & (mask > 0.5)]
    return sample


_KMEANS_SEED = 0


def _colour_centres(pixels: Lab, count: int = 3) -> Lab:
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    count = min(count, len(pixels))
    # k-means++ draws its first centres from OpenCV's random generator, whose state (one per thread) every earlier
    # draw moves on: seeded here, a photo's colours split the same way whatever the process ran before it.
    cv2.setRNGSeed(_KMEANS_SEED)
    _, _, centres = cv2.kmeans(pixels.astype(np.float32), count, None, criteria, 1, cv2.KMEANS_PP_CENTERS)  # type: ignore[call-overload]  # cv2 takes None for the labels, its stub does not
    return cast(Lab, centres)


def _largest_parts(binary: Binary) -> Binary:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return binary
    areas = stats[1:, cv2.CC_STAT_AREA]
    return cast(Binary, np.isin(labels, np.flatnonzero(areas >= 0.08 * areas.max()) + 1).astype(np.uint8))


# --- helpers ------------------------------------------------------------------------------------


def _unit(vector: ArrayLike) -> Point:
    length = float(np.linalg.norm(vector))
    return np.asarray(vector, np.float32) / length if length else np.array([0.0, 1.0], np.float32)
