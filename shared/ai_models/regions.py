"""Parts of a person photo the compositing must respect: skin, head and hair, arms, clothing.

All masks are float32 0..1 at the Body's detection size (see Body.small); the caller scales them
up. Skin is learned from the person's own face; when the photo cuts the face off, from the bare skin it shows
elsewhere (the neck; else hands, arms, lower legs), so the rule holds for every skin tone and light.
"""

import threading
from collections.abc import Collection
from functools import cached_property
from typing import NamedTuple, cast

import cv2
import numpy as np
from numpy.typing import NDArray

from shared.ai_models.arrays import Alpha, Binary, Lab, Mask, Point, Points
from shared.ai_models.body import (
    HANDS,
    LEFT_ANKLE,
    LEFT_HEEL,
    LEFT_KNEE,
    LEFT_TOES,
    MOUTH_LEFT,
    MOUTH_RIGHT,
    RIGHT_ANKLE,
    RIGHT_HEEL,
    RIGHT_KNEE,
    RIGHT_TOES,
    Body,
    BodyFrame,
)
from shared.remembered import Remembered

_MIN_SKIN_CHROMA = 4.0  # CIELAB chroma below which a "skin" sample is grey (a black-and-white photo)
_SKIN_DISTANCE = 3.0  # Mahalanobis distance in CIELAB chroma within which a colour is this person's skin
_HEAD_CLEARANCE = 0.3  # body units above the shoulder joints where the neck ends and the head begins
_JAW_BELOW_FACE_BOX = 0.3  # share of a face box's height below it where skin is still chin and jaw
_CHIN_BELOW_MOUTH = 0.15  # body units from the mouth down to below the chin
_SHOULDER_TOPS = 0.06  # body units above the shoulder joints: where a garment's shoulder seams sit
_NECKLINE_DEPTH = 0.08  # body units a round neckline dips below the shoulders' tops in its middle
_NECK_HALF_WIDTH = 0.15
# Capsule radii around the arm bones in body units: upper arm, forearm, hand.
_ARM_RADII = (0.17, 0.14, 0.13)
_SHOULDER_SEAM_OUT = 0.08  # body units out from the shoulder joint to where a garment's shoulder seam ends
_SHOULDER_TOP = (
    0.03,
    0.25,
)  # body units above the shoulder joint: the least and most a shoulder's top can be
_ARM_HALF_WIDTHS = ((0.09, 0.2), (0.07, 0.17))  # body units: upper arm, forearm (least, most)
_BARE_ARM_RADII = (
    0.12,
    0.13,
    0.095,
    0.07,
)  # body units: half-widths of the shoulder, bare arm at the shoulder, elbow, wrist
# Body units: half-widths of a bare torso at the shoulders and at the hips, and of a bare leg at the hip joint, the
# knee and the ankle.
_BARE_TORSO_RADII = (0.42, 0.46)
_BARE_LEG_RADII = (0.27, 0.18, 0.11)
_LEG_REACH = 0.5  # body units either side of a leg's bones where what it wears may be (wide trousers flare)
_FINGERS = 2.0  # the fingertips lie this many times as far from the wrist as the knuckles' middle
_SHOE_MARGIN = 0.15  # body units a shoe reaches beyond the landmarks of its foot
# Each foot's pose landmarks: knee, ankle, heel, toes.
_FEET = ((LEFT_KNEE, LEFT_ANKLE, LEFT_HEEL, LEFT_TOES), (RIGHT_KNEE, RIGHT_ANKLE, RIGHT_HEEL, RIGHT_TOES))
_NECK_SIDE = (
    0.65  # share of the way from a shoulder joint to the middle of the shoulders where the neck begins
)
_MIN_BARE_SKIN = 0.02  # square body units of bare skin (arms and hands, legs) enough to take its colour from
_BOTTOMS_DISTANCE = (
    15.0  # ΔE (CIELAB) from the median colour of the clothes on the thighs: the bottoms' colour
)
_ARM_CORE = 0.5  # share of those radii that is arm whatever it wears (beyond it, only bare skin counts)
_SHOULDER_CAP = 0.35
_CROWN = 0.5  # share of the face box's height above it where the hair's colour is read
_HAIR_DISTANCE = 12.0  # ΔE (CIELAB) within which a colour is the hair's
# The hair seen at a photo's top edge, lit or shaded: ΔE in a*, b* within which a colour is its, and the percentiles of
# its L* within _HAIR_DISTANCE of which its strands lie.
_HAIR_CHROMA = 8.0
_HAIR_LIGHTNESS = (5, 95)
_HAIR_REACH = 1.0  # face widths beside the face where hair may fall
# Body units either side of the body's middle where hair may fall when no face is found.
_FACELESS_HAIR_REACH = 0.6
# Body units either side of the mouth a face reaches (0.22-0.27 on the dev photos); body units down from a photo's top
# edge where the hair is read when that edge cuts the head.
_FACE_HALF_WIDTH = 0.3
_FRAME_EDGE = 0.04
_HAIR_LENGTH = (
    0.8  # body units below the shoulders that hair is looked for (over the shoulders, down the chest)
)
# Every skin tone's hue (CIELAB, degrees from a* towards b*) and chroma lie within these: what lies beyond them
# (grey, blue, green, purple clothes) is never bare skin.
_SKIN_HUES = (30.0, 85.0)
_SKIN_CHROMA = (5.0, 45.0)
_SKIN_LIGHTNESS = (15.0, 95.0)  # L*: darker, a pixel's hue is noise
# Body units either side of the middle of the torso below the chest: what the top shows there; the share of it a
# colour covers beyond which it is the top's (a bare midriff covers less).
_TORSO_CORE = 0.15
_TOPS_SHARE = 0.35
# a* and b* where a skin's colour is looked for, one ΔE per bin; ΔE in a*, b* around the commonest colour of the
# bare-skin zones within which a pixel is that skin; the share of their skin-coloured pixels that must be that colour.
_CHROMA_RANGE, _CHROMA_BINS = (-10.0, 71.0), 81
_SKIN_CLUSTER = 6.0
_MIN_SKIN_CONFIDENCE = 0.3
_BARE_ZONE_CORE = (
    0.6  # share of the bare limbs' half-widths (_BARE_ARM_RADII, _BARE_LEG_RADII) sampled for skin
)
_SMOOTH_SKIN = (
    6.0  # L* of local contrast (_texture) above which a pixel is no bare skin (hair, knit, an outline)
)
_TONE_AGREEMENT = (
    10.0  # ΔE in a*, b*: a body part's bare skin differs from the person's skin by less than this
)
_LIT_SKIN = (50, 95)  # percentiles of the skin's L*: its lit part (shadows below, highlights above)
# Person photos whose masks are kept (regions_of): a shopper tries garment after garment on one photo, and the two
# cores each dress one; each photo's masks (and what local_model keeps with them) take about 25 MB at 640 px.
_KEPT_PHOTOS = 4
_MAX_HAIR_SHARE = 0.3  # of the body beside the face down there: beyond it, "hair" is clothes of its colour


class _SkinModel(NamedTuple):
    """The skin sample's median chroma (a*, b*), inverse chroma covariance, L* range and median texture."""

    mean: NDArray[np.float64]
    inverse: NDArray[np.float64]
    lightness: tuple[float, float]
    texture: float


class Regions:
    """Masks of one person photo, computed once and shared by every garment put on it."""

    def __init__(self, body: Body) -> None:
        self.body = body
        self.frame = body.frame
        self.scale = body.small_scale
        height, width = body.small.shape[:2]
        self.shape = (height, width)
        self.lab = cast(Lab, cv2.cvtColor(body.small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab))

    @cached_property
    def person(self) -> Alpha:
        return self.body.person_mask().astype(np.float32)

    @cached_property
    def skin(self) -> Alpha:
        """Pixels coloured like this person's skin (zeros when no face or neck shows to learn it from)."""
        model = self._skin_model
        if model is None:
            return np.zeros(self.shape, np.float32)
        mean, inverse, (low, high), texture = model
        offset = self.lab[..., 1:] - mean
        distance = np.einsum("...i,ij,...j->...", offset, inverse, offset)
        lit = (self.lab[..., 0] > low - 25) & (self.lab[..., 0] < high + 20)
        # Skin is smooth; a print in skin tones (leopard, camel) is not.
        smooth = self._texture < max(4.0, 2.0 * texture)
        skin = ((distance < _SKIN_DISTANCE**2) & lit & smooth).astype(np.uint8)
        skin = cast(Binary, cv2.morphologyEx(skin, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)))
        return cast(Binary, cv2.morphologyEx(skin, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))).astype(
            np.float32
        )

    @cached_property
    def skin_colour(self) -> NDArray[np.float32] | None:
        """The person's lit skin tone (CIELAB, float32, see lit_tone), or None when no skin shows to learn it from."""
        if self._skin_model is None:
            return None
        return lit_tone(self.lab[self._skin_sample()])

    @property
    def skin_confidence(self) -> float:
        """How sure the skin tone is, 0..1: 1 when learned from the face; else the share of the skin-coloured
        pixels of the bare-skin zones (hands, arms, lower legs) that are the one colour it was learned
        from; 0 without a tone."""
        source = self._skin_source
        return 0.0 if source is None or self._skin_model is None else source[1]

    @cached_property
    def arm_skin_colour(self) -> NDArray[np.float32] | None:
        """The skin colour of this person's arms (CIELAB): from their bare arms and hands where enough shows (the
        face is often lit and made up differently), else the face's; None without either."""
        if self._skin_model is None:
            return None
        if self.frame is None:  # no shoulders in view, so no arms to read: the face's colour
            return self.skin_colour
        return self._bare_skin_colour(self.arm_zone, self.skin_colour)

    @cached_property
    def leg_skin_colour(self) -> NDArray[np.float32] | None:
        """The skin colour of this person's legs (CIELAB): from their bare legs where enough shows (below a skirt or
        shorts; not the hands hanging beside them), else their arms'; None without either."""
        if self._skin_model is None or self.frame is None:
            return self.arm_skin_colour
        return self._bare_skin_colour(self.leg_zone * (1 - self.arm_zone), self.arm_skin_colour)

    def _bare_skin_colour(
        self, zone: Alpha, otherwise: NDArray[np.float32] | None
    ) -> NDArray[np.float32] | None:
        """The median colour (CIELAB) of the bare skin in the zone where enough shows, else `otherwise`."""
        bare = (self.skin > 0) & (zone > 0) & (self.person > 0) & (self.head == 0)
        if bare.sum() < _MIN_BARE_SKIN * self.posed_frame.unit**2 * self.scale**2:
            return otherwise
        colour = lit_tone(self.lab[bare])
        # Clothes close to the skin's colour (beige trousers, white jeans in a warm light) can pass for it: a body
        # part's skin is the person's, lighter or darker, never of another hue.
        if otherwise is not None and np.linalg.norm(colour[1:] - otherwise[1:]) > _TONE_AGREEMENT:
            return otherwise
        return colour

    @cached_property
    def skin_grain(self) -> float:
        """The fine grain of this person's skin in the photo (L* standard deviation left after smoothing)."""
        sample = self._skin_sample()
        if sample is None or self._skin_model is None:
            return 1.0
        lightness = self.lab[..., 0]
        smooth = cast(NDArray[np.float32], cv2.GaussianBlur(lightness, (0, 0), 1.5))
        return float(np.clip(np.std((lightness - smooth)[sample]), 0.5, 4.0))

    def bare_shape(self, box: tuple[int, int, int, int], parts: Collection[str]) -> NDArray[np.float32]:
        """Over the box (x0, y0, x1, y1, detection px): each pixel's distance from the nearest bone of the named bare
        body parts relative to their half-width there (below 1 inside). "arms": from the base of the neck over the
        shoulder (a sleeveless top leaves it bare), tapering from the shoulder to the wrist; "torso": down the middle
        of the body from the shoulders to the hips (a midriff a cropped top leaves bare); "legs": from each hip joint
        tapering to the ankle (the legs below a short skirt)."""
        x0, y0, x1, y1 = box
        # The distance varies smoothly: computed on every other pixel and interpolated in between.
        ys, xs = np.mgrid[y0 : y1 + 1 : 2, x0 : x1 + 1 : 2].astype(np.float32)
        unit = self.posed_frame.unit * self.scale
        nearest = np.full(ys.shape, np.inf, np.float32)
        for joints, radii in self._bare_bones(parts):
            for (start, end), (first, last) in zip(
                zip(joints[:-1] * self.scale, joints[1:] * self.scale), zip(radii[:-1], radii[1:])
            ):
                direction = end - start
                length = max(float(direction @ direction), 1e-6)
                along = np.clip(
                    ((xs - start[0]) * direction[0] + (ys - start[1]) * direction[1]) / length, 0, 1
                )
                distance = np.hypot(
                    xs - start[0] - along * direction[0], ys - start[1] - along * direction[1]
                )
                radius = (first + along * (last - first)) * unit
                np.minimum(nearest, distance / radius, out=nearest)
        size = ((x1 - x0 + 2) // 2 * 2, (y1 - y0 + 2) // 2 * 2)
        full = cast(NDArray[np.float32], cv2.resize(nearest, size, interpolation=cv2.INTER_LINEAR))
        return full[: y1 - y0, : x1 - x0]

    def _bare_bones(self, parts: Collection[str]) -> list[tuple[Points, tuple[float, ...]]]:
        """(Joints in photo px, the half-width in body units at each) of every bone of the named bare body parts."""
        frame = self.posed_frame
        bones: list[tuple[Points, tuple[float, ...]]] = []
        if "arms" in parts:
            for side in (0, 1):
                arm = frame.arm(side)
                neck = arm[0] + _NECK_SIDE * (frame.mid_shoulder - arm[0])
                bones.append((np.vstack([neck, arm]), _BARE_ARM_RADII))
        if "torso" in parts:
            bones.append((np.array([frame.mid_shoulder, frame.mid_hip], np.float32), _BARE_TORSO_RADII))
        if "legs" in parts:
            bones.extend((frame.leg(side), _BARE_LEG_RADII) for side in (0, 1))
        return bones

    @cached_property
    def leg_zone(self) -> Alpha:
        """Where the legs are, whatever they wear (wide trousers too): capsules _LEG_REACH around each leg's bones
        from the hip joint to the ankle, but for the feet: a foot (its ankle, heel and toes, widened to its shoe)
        below its ankle is no leg, and in a stride one leg's capsule passes over the other foot."""
        zone = np.zeros(self.shape, np.uint8)
        frame = self.posed_frame
        unit = frame.unit * self.scale
        for side in (0, 1):
            hip, knee, ankle = frame.leg(side) * self.scale
            _capsule(zone, hip, knee, _LEG_REACH * unit)
            _capsule(zone, knee, ankle, _LEG_REACH * unit)
        ys, xs = np.mgrid[0 : self.shape[0], 0 : self.shape[1]].astype(np.float32)
        for knee, ankle, heel, toes in _FEET:
            knee_point, ankle_point = self.body.point(knee) * self.scale, self.body.point(ankle) * self.scale
            foot = np.zeros(self.shape, np.uint8)
            points = self.body.points([ankle, heel, toes]) * self.scale
            cv2.fillConvexPoly(foot, cv2.convexHull(points.round().astype(np.int32)), (1,))
            size = 2 * int(_SHOE_MARGIN * unit) + 1
            foot = cast(Binary, cv2.dilate(foot, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))))
            down = knee_point - ankle_point
            below = (xs - ankle_point[0]) * down[0] + (ys - ankle_point[1]) * down[1] < 0
            zone[(foot > 0) & below] = 0
        return zone.astype(np.float32)

    @cached_property
    def old_sleeves(self) -> Alpha:
        """What the person wears on their arms: clothing (not skin) around the arm bones."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        sleeves: Alpha = (
            self._arm_capsules(1.0, hands=False) * self.person * (1 - self.skin) * (1 - self.head)
        )
        return sleeves

    @cached_property
    def _skin_model(self) -> _SkinModel | None:
        """(median chroma, inverse chroma covariance, lightness range, median texture) of the skin sample."""
        sample = self._skin_sample()
        if sample is None or sample.sum() < 30:
            return None
        pixels = _typical(self.lab[sample])
        chroma = pixels[:, 1:]
        mean = np.median(chroma, axis=0)
        if np.linalg.norm(mean) < _MIN_SKIN_CHROMA:
            return None  # a black-and-white photo: every grey would pass for skin
        covariance = np.cov((chroma - mean).T) + np.eye(2) * 4.0
        low, high = np.percentile(pixels[:, 0], [2, 98])
        return _SkinModel(
            mean,
            np.linalg.inv(covariance),
            (float(low), float(high)),
            float(np.median(self._texture[sample])),
        )

    @cached_property
    def _texture(self) -> NDArray[np.float32]:
        """Local contrast: the standard deviation of the lightness in a 5×5 window."""
        lightness = self.lab[..., 0]
        mean = cast(NDArray[np.float32], cv2.blur(lightness, (5, 5)))
        mean_square = cast(NDArray[np.float32], cv2.blur(lightness * lightness, (5, 5)))
        deviation: NDArray[np.float32] = np.sqrt(np.maximum(mean_square - mean * mean, 0))
        return deviation

    @cached_property
    def head(self) -> Alpha:
        """Face, hair, chin and the neck above the collar line: nothing is ever drawn there. Around the face, the
        face box (the photo's background within it too); below it, the skin of the chin and jaw, not the collar
        beside them; above the neck line, or the chin when the head bends lower, everything (a garment ends
        below it); and the neck's bare skin above the shoulders (a collar sits around it; the back of a garment's
        neck, which a flat-lay shows through the neckline, is behind it)."""
        face, jaw = np.zeros(self.shape, np.uint8), np.zeros(self.shape, np.uint8)
        for x0, y0, x1, y1 in self.body.face_boxes:
            width, height = x1 - x0, y1 - y0
            for mask, bottom in ((face, 0.1), (jaw, _JAW_BELOW_FACE_BOX)):
                box = (
                    np.array([x0 - 0.25 * width, y0 - 0.6 * height, x1 + 0.25 * width, y1 + bottom * height])
                    * self.scale
                )
                cv2.rectangle(mask, tuple(int(v) for v in box[:2]), tuple(int(v) for v in box[2:]), (1,), -1)
        head = np.maximum(face, jaw * (self.skin > 0) * (self.person > 0))
        if self.frame is None:
            return head.astype(np.float32)
        depth, across = self.body_coordinates
        line = -_HEAD_CLEARANCE if self._chin is None else max(-_HEAD_CLEARANCE, self._chin)
        above = depth < line
        # The neck shows above a round neckline: lowest in the middle, up to the shoulders' tops at the sides.
        neckline = _NECKLINE_DEPTH * (1 - (across / _NECK_HALF_WIDTH) ** 2) - _SHOULDER_TOPS
        neck = (depth < neckline) & (self.skin > 0) & (self.person > 0)
        if not self.body.face_boxes:
            # No face found (the photo's edge cuts through it): the skin may be learned from the arms, lit otherwise
            # than the neck in the chin's shade, which is still of a skin's colour: between the head and the
            # neckline, joined to the head, it is neck, not the old top.
            joining = (depth < neckline) & _skin_like(self.lab) & (self._texture < _SMOOTH_SKIN)
            joining &= (self.lab[..., 0] >= _SKIN_LIGHTNESS[0]) & (self.person > 0) & ~self._old_tops_colour
            if self._chin is not None:
                # No hair by its colour nor jaw beside a face box either: what of the person hangs down from above
                # the chin to above where a shoulder's top can be (_SHOULDER_TOP) and is no bare skin (hair beside
                # the neck, the jaw's shade) is head too.
                hanging = (self.person > 0) & (self.skin == 0) & (depth < -_SHOULDER_TOP[1])
                joining |= hanging & (np.abs(across) < _FACELESS_HAIR_REACH) & ~self._old_tops_colour
            _, labels = cv2.connectedComponents((joining | (above & (self.person > 0))).astype(np.uint8))
            joined = np.isin(labels, np.unique(labels[above & (self.person > 0)])) & (labels > 0)
            neck |= joined & joining
        return np.maximum(np.maximum(head, above | neck), self._hair).astype(np.float32)

    @cached_property
    def _old_tops_colour(self) -> NDArray[np.bool_]:
        """Pixels of the colour of what the person wears in the middle of the torso (their top's), ΔE in CIELAB."""
        frame = self.posed_frame
        torso = np.zeros(self.shape, np.uint8)
        waist = frame.mid_shoulder + 0.4 * (frame.mid_hip - frame.mid_shoulder)
        _capsule(torso, waist * self.scale, frame.mid_hip * self.scale, _TORSO_CORE * frame.unit * self.scale)
        worn = (torso > 0) & (self.person > 0) & (self.arm_zone == 0)
        if worn.sum() < 30:
            return np.zeros(self.shape, bool)
        colour = np.median(self.lab[worn], axis=0)
        close: NDArray[np.bool_] = np.linalg.norm(self.lab - colour, axis=2) < _BOTTOMS_DISTANCE
        return close

    @cached_property
    def _chin(self) -> float | None:
        """Body units below the middle of the shoulders where the chin ends, from the mouth; None when the mouth is
        not in view. A photo whose top edge cuts through the lips finds no face, and the pose guesses the mouth just
        above the frame: on the edge it still places the chin (guessed farther up than the chin lies below it, the
        chin is out of the photo too)."""
        frame = self.frame
        if frame is None:
            return None
        mouth = self.body.clamped_into_view((MOUTH_LEFT, MOUTH_RIGHT), _CHIN_BELOW_MOUTH * frame.unit)
        if mouth is None:
            return None
        chin = mouth.mean(axis=0) + frame.down * _CHIN_BELOW_MOUTH * frame.unit
        return float((chin - frame.mid_shoulder) @ frame.down) / frame.unit

    @cached_property
    def _hair(self) -> Binary:
        """Hair falling below the head, over the shoulders and by the neck: the person's pixels (off their outline,
        not skin) of the colour of the hair seen on the head (_hair_seen) and joined to it, beside the face. It stays
        in front of a garment as the face does, and is no old clothing to fill in nor part of a garment a model wears.
        Where that colour runs on over much of the body below the shoulders (dark hair, dark top), the part below
        them is given up: the two cannot be told apart by colour."""
        hair = np.zeros(self.shape, np.uint8)
        if self.frame is None:
            return hair
        # Off the outline, where the photo blends the person with the background into any colour (hair's too).
        inside = cv2.erode((self.person > 0).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        person = inside & (self.skin == 0)
        seen = self._hair_seen(person)
        if seen is None:
            return hair
        joins, beside, close = seen
        depth, _ = self.body_coordinates
        beside &= depth < _HAIR_LENGTH
        # Opened: a strap or a seam as dark as the hair does not join a top to it.
        candidates = cv2.morphologyEx(
            (close & person & beside).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)
        )
        _, labels = cv2.connectedComponents(candidates, connectivity=8)
        joined = np.isin(labels, np.unique(labels[joins & (candidates > 0)])) & (labels > 0)
        below = beside & (depth > 0) & (self.person > 0)
        if (joined & below).sum() > _MAX_HAIR_SHARE * max(1, below.sum()):
            joined &= depth <= 0
        # Closed: a strand's own highlights and shadows are hair too.
        closed = cast(
            Binary, cv2.morphologyEx(joined.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        )
        strands: Binary = closed & person
        return strands

    def _hair_seen(self, person: Mask) -> tuple[Mask, Mask, Mask] | None:
        """(Where hair joins the head, where hair may fall, which pixels are of its colour), or None where no hair
        shows. The hair's colour is read on the top of the head above the largest face, and it may fall in the columns
        beside that face. When the photo's top edge cuts the head below its crown (a face found under the edge, or
        none found with the chin near it), the colour is read from the person's pixels (`person`: no skin) beside the
        face (_FACE_HALF_WIDTH from the mouth) along that edge and above the chin joined to it, and hair hangs from
        that edge within _FACELESS_HAIR_REACH of the body's middle; never of the old top's colour (a dark top's
        shoulders, cut by the edge or beside dark hair, are no hair)."""
        if self.body.face_boxes:
            x0, y0, x1, y1 = max(self.body.face_boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
            width, height = x1 - x0, y1 - y0
            crown = np.zeros(self.shape, bool)
            top, bottom = int((y0 - _CROWN * height) * self.scale), int(y0 * self.scale)
            left, right = int((x0 + 0.2 * width) * self.scale), int((x1 - 0.2 * width) * self.scale)
            crown[max(0, top) : max(0, bottom), max(0, left) : max(0, right)] = True
            crown &= person
            if crown.sum() >= 30:
                beside = np.zeros(self.shape, bool)
                beside[
                    :,
                    max(0, int((x0 - _HAIR_REACH * width) * self.scale)) : max(
                        0, int((x1 + _HAIR_REACH * width) * self.scale)
                    ),
                ] = True
                colours = self.lab[crown]
                centre = np.median(colours, axis=0)
                spread = float(np.percentile(np.linalg.norm(colours - centre, axis=1), 80))
                return (
                    crown,
                    beside,
                    np.linalg.norm(self.lab - centre, axis=2) < max(_HAIR_DISTANCE, 1.5 * spread),
                )
        frame = self.posed_frame
        mouth = self.body.clamped_into_view((MOUTH_LEFT, MOUTH_RIGHT), _CHIN_BELOW_MOUTH * frame.unit)
        if mouth is None or self._chin is None:  # no mouth near the photo: no head in view
            return None
        depth, across = self.body_coordinates
        face = float((mouth.mean(axis=0) - frame.mid_shoulder) @ frame.across) / frame.unit
        beside = (np.abs(across) < _FACELESS_HAIR_REACH) & ~self._old_tops_colour
        edge = np.zeros(self.shape, bool)
        edge[: max(3, int(_FRAME_EDGE * frame.unit * self.scale))] = True
        seen = (edge | (depth < self._chin)) & person & beside
        seen &= (np.abs(across - face) > _FACE_HALF_WIDTH) & (depth < -_SHOULDER_TOP[1])
        # Hair hangs from the head, beyond the edge: what is seen above the chin belongs to it only when it reaches the
        # edge (a tilted shoulder's top rising beside a low chin does not).
        _, labels = cv2.connectedComponents(seen.astype(np.uint8))
        seen &= np.isin(labels, np.unique(labels[edge & seen]))
        if seen.sum() < 30:
            return None
        # Seen from the cheeks down to the tips, hair is lit at its top and shaded at its ends: of its colour in
        # chroma, lighter or darker within what the edge shows of it.
        colours = self.lab[seen]
        chroma = np.median(colours[:, 1:], axis=0)
        spread = float(np.percentile(np.linalg.norm(colours[:, 1:] - chroma, axis=1), 80))
        low, high = np.percentile(colours[:, 0], _HAIR_LIGHTNESS)
        close = np.linalg.norm(self.lab[..., 1:] - chroma, axis=2) < max(_HAIR_CHROMA, 1.5 * spread)
        close &= (self.lab[..., 0] > low - _HAIR_DISTANCE) & (self.lab[..., 0] < high + _HAIR_DISTANCE)
        return seen | edge, beside, close  # hair on either side of the face hangs from the edge

    @cached_property
    def body_coordinates(self) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """(depth, across) of every pixel from the middle of the shoulders, in body units along the body's axes."""
        frame = self.posed_frame
        ys, xs = np.mgrid[0 : self.shape[0], 0 : self.shape[1]].astype(np.float32)
        origin = frame.mid_shoulder * self.scale
        unit = frame.unit * self.scale
        dx, dy = xs - origin[0], ys - origin[1]
        return (dx * frame.down[0] + dy * frame.down[1]) / unit, (
            dx * frame.across[0] + dy * frame.across[1]
        ) / unit

    @cached_property
    def arms(self) -> Alpha:
        """The arms and hands: bare skin within wide capsules around the arm bones, whatever lies along the arm bones
        themselves (a sleeved arm), and the hands."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        bones = self._arm_capsules(_ARM_CORE, _SHOULDER_CAP, hands=False)
        return np.maximum(np.maximum(self.arm_zone * self.skin * self.person, bones), self.hands)

    @cached_property
    def arm_zone(self) -> Alpha:
        """Where the arms are, whatever they wear: wide capsules around the arm bones below the shoulder."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        return self._arm_capsules(1.0, _SHOULDER_CAP)

    @cached_property
    def sleeve_zone(self) -> Alpha:
        """Where a garment's sleeve lies over its own body: capsules around the arm bones as wide as arm_zone's, the upper
        arm's starting one radius below the shoulder joint, so its round top passes through the joint: a set-in sleeve's
        seam runs from the top of the shoulder round the arm down to the armpit."""
        capsules = np.zeros(self.shape, np.uint8)
        if self.frame is None:
            return capsules.astype(np.float32)
        unit = self.frame.unit * self.scale
        for side in (0, 1):
            shoulder, elbow, wrist = self.frame.arm(side) * self.scale
            bone = float(np.linalg.norm(elbow - shoulder))
            top = shoulder + min(_ARM_RADII[0] * unit / max(bone, 1e-6), 1.0) * (elbow - shoulder)
            for (start, end), radius in zip(((top, elbow), (elbow, wrist)), _ARM_RADII):
                _capsule(capsules, start, end, radius * unit)
        return capsules.astype(np.float32)

    @cached_property
    def hands(self) -> Alpha:
        """The hands: in front even of sleeves (a sleeve ends at the wrist; a hand may rest on the other arm): the skin
        in their outline and whatever lies along their bones (a glove, a hand the person segmentation missed), but,
        where the photo has a skin colour to tell the hand by, not what there is of the colour of the person's
        bottoms: a pocket the hand is in (a new top covers the trousers around it)."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        hands = np.zeros(self.shape, np.uint8)
        self._draw_hands(hands, _ARM_RADII[2] * self.frame.unit * self.scale)
        cores = self._arm_capsules(_ARM_CORE, _SHOULDER_CAP)
        if self._skin_model is not None:  # the hand's own skin is known: a pocket can be told from it
            cores = cores * (1 - self._bottoms_coloured(hands > 0))
        skin_hands: Alpha = hands.astype(np.float32) * np.maximum(self.skin, cores)
        return skin_hands

    def _bottoms_coloured(self, where: Mask) -> Alpha:
        """1 where a pixel of `where` is not skin and within _BOTTOMS_DISTANCE of the median colour of the clothes on
        the person's thighs (zeros elsewhere, and everywhere when the thighs are out of the photo)."""
        frame = self.posed_frame
        disc = np.zeros(self.shape, np.uint8)
        for side in (0, 1):
            hip, knee, _ = frame.leg(side) * self.scale
            x, y = (hip + knee) / 2
            cv2.circle(disc, (int(x), int(y)), max(2, int(0.15 * frame.unit * self.scale)), (1,), -1)
        clothes = (disc > 0) & (self.person > 0.5) & (self.skin < 0.5) & (self.arm_zone < 0.5)
        coloured: Alpha = np.zeros(self.shape, np.float32)
        if clothes.sum() < 20:
            return coloured
        bottoms = np.median(self.lab[clothes], axis=0)
        close = np.linalg.norm(self.lab[where] - bottoms, axis=1) < _BOTTOMS_DISTANCE
        coloured[where] = close & (self.skin[where] < 0.5)
        return coloured

    def _arm_capsules(self, share: float, skip: float = 0.0, hands: bool = True) -> Alpha:
        """Capsules around the arm bones (and the hands), their radii `share` of the arms' usual half-widths,
        leaving out the first `skip` of the upper arm."""
        capsules = np.zeros(self.shape, np.uint8)
        frame = self.posed_frame
        unit = frame.unit * self.scale
        for side in (0, 1):
            shoulder, elbow, wrist = frame.arm(side) * self.scale
            shoulder = shoulder + skip * (elbow - shoulder)
            for (start, end), radius in zip(((shoulder, elbow), (elbow, wrist)), _ARM_RADII):
                _capsule(capsules, start, end, share * radius * unit)
        if hands:
            self._draw_hands(capsules, share * _ARM_RADII[2] * unit)
        return capsules.astype(np.float32)

    def _draw_hands(self, canvas: Binary, radius: float) -> None:
        """Draw each hand (1) with its fingers: around its landmarks (wrist, knuckles of the pinky, index and thumb)
        and on from the wrist past the knuckles to the fingertips."""
        for wrist, *knuckles in (HANDS[0::2], HANDS[1::2]):
            points = self.body.points([wrist, *knuckles]) * self.scale
            for x, y in points:
                cv2.circle(canvas, (int(x), int(y)), max(1, int(radius)), (1,), -1)
            tips = points[0] + _FINGERS * (points[1:].mean(axis=0) - points[0])
            _capsule(canvas, points[0], tips, radius)

    @cached_property
    def shoulder_tips(self) -> Points:
        """Where a garment's shoulder seams end on this person (photo px, left and right as seen): just outside each
        shoulder joint, on the top of the shoulder in the person's outline (within _SHOULDER_TOP of the joint)."""
        frame = self.posed_frame
        tips = []
        for side, outward in ((0, -1), (1, 1)):
            start = frame.at(frame.shoulders[side], outward * _SHOULDER_SEAM_OUT)
            steps = np.arange(0.0, _SHOULDER_TOP[1] + 0.01, 0.005)
            points = np.array([frame.at(start, down=-step) for step in steps]) * self.scale
            xs, ys = points[:, 0].astype(int), points[:, 1].astype(int)
            inside = (xs >= 0) & (xs < self.shape[1]) & (ys >= 0) & (ys < self.shape[0])
            on_person = np.zeros(len(steps), bool)
            on_person[inside] = self.person[ys[inside], xs[inside]] > 0.5
            top = steps[np.argmin(on_person)] if not on_person.all() else steps[-1]
            tips.append(frame.at(start, down=-float(np.clip(top, *_SHOULDER_TOP))))
        return np.array(tips, np.float32)

    def arm_half_widths(self, side: int) -> list[float]:
        """Half the width of the upper arm and of the forearm seen on `side` (0 left, 1 right), photo px: from the
        bone to the arm's outer edge in the person's outline, halfway down each (the inner edge may lie against
        the body); within _ARM_HALF_WIDTHS body units when the outline does not tell."""
        frame = self.posed_frame
        joints = frame.arm(side)
        widths = []
        for start, end, (least, most) in zip(joints[:-1], joints[1:], _ARM_HALF_WIDTHS):
            direction = end - start
            outward = np.array([-direction[1], direction[0]], np.float32) / max(
                float(np.linalg.norm(direction)), 1e-6
            )
            if outward @ (start - frame.mid_shoulder) < 0:
                outward = -outward
            steps = np.arange(0.0, most + 0.05, 0.005) * frame.unit
            points = ((start + end) / 2 + np.outer(steps, outward)) * self.scale
            xs, ys = points[:, 0].astype(int), points[:, 1].astype(int)
            inside = (xs >= 0) & (xs < self.shape[1]) & (ys >= 0) & (ys < self.shape[0])
            on_person = np.zeros(len(steps), bool)
            on_person[inside] = self.person[ys[inside], xs[inside]] > 0.5
            edge = steps[np.argmin(on_person)] if not on_person.all() else steps[-1]
            widths.append(float(np.clip(edge, least * frame.unit, most * frame.unit)))
        return widths

    def width_across(self, depth: float) -> float | None:
        """How wide the person's body is `depth` body units below the shoulders, in photo px, between their
        arms (an arm hanging close may hide the body's side: the width is then a little short, never long);
        None when the row leaves the photo or finds no body."""
        frame = self.posed_frame
        centre = frame.at(frame.mid_shoulder, down=depth) * self.scale
        steps = np.arange(-1.6, 1.6, 0.01) * frame.unit * self.scale
        points = centre + np.outer(steps, frame.across)
        inside = (
            (points[:, 0] >= 0)
            & (points[:, 0] < self.shape[1])
            & (points[:, 1] >= 0)
            & (points[:, 1] < self.shape[0])
        )
        if not inside[len(steps) // 2]:
            return None
        body = (self.person > 0.5) & (self.arm_zone < 0.5)
        xs, ys = (
            np.clip(points[:, 0], 0, self.shape[1] - 1).astype(int),
            np.clip(points[:, 1], 0, self.shape[0] - 1).astype(int),
        )
        on_body = body[ys, xs] & inside
        middle = len(steps) // 2
        if not on_body[middle]:
            return None
        left = middle - np.argmin(on_body[middle::-1]) if not on_body[: middle + 1].all() else 0
        right = middle + np.argmin(on_body[middle:]) if not on_body[middle:].all() else len(steps) - 1
        return float(steps[right] - steps[left]) / self.scale

    @property
    def posed_frame(self) -> BodyFrame:
        """The body's frame, for what only a body with its shoulders in view has (the local model dresses no
        other: placement.required_part refuses it first)."""
        assert self.frame is not None, "the shoulders are not in view"
        return self.frame

    def _skin_sample(self) -> Mask | None:
        """The pixels the skin is learned from (see _skin_source), or None."""
        source = self._skin_source
        return None if source is None else source[0]

    @cached_property
    def _skin_source(self) -> tuple[Mask, float] | None:
        """(The pixels the skin is learned from, how sure that is): the cheeks, nose and mouth of the largest face;
        when the photo cuts the face off below them, the middle of the neck under the mouth where it is of a skin's
        colour (_skin_like); when no mouth shows or a collar covers the neck, the bare skin the photo shows
        elsewhere (_bare_skin_sample); None without any."""
        sample = np.zeros(self.shape, bool)
        if not self.body.face_boxes:
            if self.frame is None or not self.body.visible(MOUTH_LEFT, MOUTH_RIGHT):
                return self._bare_skin_sample()
            mouth = self.body.midpoint(MOUTH_LEFT, MOUTH_RIGHT)
            neck = (mouth + 0.45 * (self.frame.mid_shoulder - mouth)) * self.scale
            radius = max(2, int(0.06 * self.frame.unit * self.scale))
            cv2.circle(sample.view(np.uint8), (int(neck[0]), int(neck[1])), radius, (1,), -1)
            sample &= self.person > 0
            if sample.sum() >= 30 and _skin_like(neck := np.median(self.lab[sample], axis=0)):
                # A patch of the neck alone is too small a sample for the skin's range of colour in this light: the
                # arms, lit otherwise, would not pass for skin (and would be filled in as clothes). The bare skin the
                # photo shows elsewhere joins it when it is of the neck's hue.
                bare = self._bare_skin_sample()
                if (
                    bare is not None
                    and np.linalg.norm(np.median(self.lab[bare[0]], axis=0)[1:] - neck[1:]) < _TONE_AGREEMENT
                ):
                    sample |= bare[0]
                return sample, 1.0
            return self._bare_skin_sample()
        x0, y0, x1, y1 = max(self.body.face_boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
        width, height = x1 - x0, y1 - y0
        box = (
            np.array([x0 + 0.25 * width, y0 + 0.45 * height, x1 - 0.25 * width, y1 - 0.1 * height])
            * self.scale
        )
        left, top = np.maximum(box[:2].astype(int), 0)
        sample[top : max(top, int(box[3])), left : max(left, int(box[2]))] = True
        return sample & (self.person > 0), 1.0

    def _bare_skin_sample(self) -> tuple[Mask, float] | None:
        """(Pixels, confidence) of the bare skin a photo without a face or a bare neck shows: in the hands, the arms
        and the lower legs, the smooth pixels (hair and knit are not) of a skin's colour (_skin_like,
        _SKIN_LIGHTNESS) that share the commonest such colour (within _SKIN_CLUSTER). The hands count twice: they
        are bare far more often than arms and legs. A colour that also covers
        the middle of the torso is the top's (a warm white suit's chroma is a pale skin's): the next commonest is
        taken. The confidence is the share of the skin-coloured pixels that are that colour (sleeves or trousers
        of a skin-like colour beside bare hands lower it); None below _MIN_SKIN_CONFIDENCE or when too little
        shows."""
        if self.frame is None:
            return None
        frame = self.frame
        unit = frame.unit * self.scale
        weight = np.zeros(self.shape, np.uint8)
        for side in (0, 1):
            shoulder, elbow, wrist = frame.arm(side) * self.scale
            shoulder = shoulder + _SHOULDER_CAP * (elbow - shoulder)
            _capsule(weight, shoulder, elbow, _BARE_ZONE_CORE * _BARE_ARM_RADII[2] * unit)
            _capsule(weight, elbow, wrist, _BARE_ZONE_CORE * _BARE_ARM_RADII[3] * unit)
            _, knee, ankle = frame.leg(side) * self.scale
            _capsule(weight, knee, ankle, _BARE_ZONE_CORE * _BARE_LEG_RADII[2] * unit)
        hands = np.zeros(self.shape, np.uint8)
        self._draw_hands(hands, _BARE_ZONE_CORE * _BARE_ARM_RADII[3] * unit)
        weight[hands > 0] = 2
        lightness, chroma = self.lab[..., 0], self.lab[..., 1:]
        skin_coloured = (
            (self.person > 0)
            & (self._texture < _SMOOTH_SKIN)
            & _skin_like(self.lab)
            & (lightness >= _SKIN_LIGHTNESS[0])
            & (lightness <= _SKIN_LIGHTNESS[1])
        )
        candidates = skin_coloured & (weight > 0)
        if candidates.sum() < 30:
            return None
        weights = weight[candidates].astype(np.float64)
        # The commonest colour: the peak of the candidates' (a*, b*) histogram, smoothed over a few ΔE.
        sampled = chroma[candidates]
        counts, _, _ = np.histogram2d(
            sampled[:, 0],
            sampled[:, 1],
            bins=_CHROMA_BINS,
            range=[_CHROMA_RANGE, _CHROMA_RANGE],
            weights=weights,
        )
        histogram = cast(NDArray[np.float32], cv2.GaussianBlur(counts.astype(np.float32), (0, 0), 2.0))
        torso = np.zeros(self.shape, np.uint8)
        waist = frame.mid_shoulder + 0.4 * (frame.mid_hip - frame.mid_shoulder)
        _capsule(torso, waist * self.scale, frame.mid_hip * self.scale, _TORSO_CORE * unit)
        torso_colours = chroma[(torso > 0) & (self.person > 0) & (self.arm_zone == 0)]
        for _ in range(3):
            peak_a, peak_b = np.unravel_index(int(np.argmax(histogram)), histogram.shape)
            peak = np.array([peak_a, peak_b], np.float32) + _CHROMA_RANGE[0] + 0.5  # one ΔE per bin
            on_torso = np.linalg.norm(torso_colours - peak, axis=1) < _SKIN_CLUSTER
            if not on_torso.size or on_torso.mean() < _TOPS_SHARE:
                break
            cv2.circle(histogram, (int(peak_b), int(peak_a)), int(2 * _SKIN_CLUSTER), (0.0,), -1)
        else:
            return None
        close = np.linalg.norm(chroma - peak, axis=2) < _SKIN_CLUSTER
        sample = candidates & close
        confidence = float(weights[close[candidates]].sum() / weights.sum())
        if sample.sum() < 30 or confidence < _MIN_SKIN_CONFIDENCE:
            return None
        return sample, confidence


_kept: "Remembered[Body, Regions]" = Remembered(_KEPT_PHOTOS)
_making = threading.Lock()  # one Regions per photo, even when two try-ons on it start at once


def regions_of(body: Body) -> Regions:
    """The masks of the body's photo, shared by every garment put on it: made once per photo (its Body is read once,
    local_model.framed_person, garment_photo.read_garment_photo) and kept for the last _KEPT_PHOTOS photos. Its masks
    never change once made."""
    with _making:
        kept = _kept.get(body)
        if kept is None:
            kept = (Regions(body),)
            _kept.put(body, kept[0])
    return kept[0]


def _skin_like(lab: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Whether each colour (CIELAB, the last axis) has a skin's hue and chroma (_SKIN_HUES, _SKIN_CHROMA)."""
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1]))
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    like: NDArray[np.bool_] = (
        (hue >= _SKIN_HUES[0])
        & (hue <= _SKIN_HUES[1])
        & (chroma >= _SKIN_CHROMA[0])
        & (chroma <= _SKIN_CHROMA[1])
    )
    return like


def lit_tone(pixels: NDArray[np.float32]) -> NDArray[np.float32]:
    """The lit skin tone (CIELAB) of a sample of skin pixels (N×3): the median of its typical pixels (_typical)
    whose L* lies within the _LIT_SKIN percentiles (no shadow under the chin or the nose, no highlight)."""
    typical = _typical(pixels)
    low, high = np.percentile(typical[:, 0], _LIT_SKIN)
    lit = typical[(typical[:, 0] >= low) & (typical[:, 0] <= high)]
    tone: NDArray[np.float32] = np.median(lit if len(lit) else typical, axis=0).astype(np.float32)
    return tone


def _typical(pixels: NDArray[np.float32]) -> NDArray[np.float32]:
    """The pixels (N×3, CIELAB) of a skin sample whose chroma lies near the sample's median (within 2.5 times the
    pixels' median distance from it, at least 3 ΔE): not the lips, eyes, brows, beard or a strand of hair in it."""
    chroma = pixels[:, 1:]
    distance = np.linalg.norm(chroma - np.median(chroma, axis=0), axis=1)
    typical: NDArray[np.float32] = pixels[distance <= max(3.0, 2.5 * float(np.median(distance)))]
    return typical


def _capsule(canvas: Binary, start: Point, end: Point, radius: float) -> None:
    cv2.line(
        canvas,
        (int(start[0]), int(start[1])),
        (int(end[0]), int(end[1])),
        (1,),
        thickness=max(1, int(2 * radius)),
    )
    for x, y in (start, end):
        cv2.circle(canvas, (int(x), int(y)), max(1, int(radius)), (1,), -1)
