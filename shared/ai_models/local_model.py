"""The offline image model: mediapipe pose, segmentation and faces + OpenCV warping and compositing.

Try-on is a geometric composite, not a generative model. Each garment is cut out of its product
photo (garment_photo.py), placed on its body part by matching landmarks (placement.py) and warped
there by a thin-plate spline (warp.py): tops and outerwear from the shoulders with sleeves along
the arms, bottoms from the waist along each leg, one-pieces from the shoulders, shoes on the feet,
put on in dressing order (outerwear over tops over bottoms). Then the person comes back in front
where they were in front of their clothes (head, hair, arms and hands), the garment takes the
light of the photo (the shading of the clothes it replaces), and what is left of those clothes
beside the new garment is filled in from its surroundings.
"""

import os
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, wraps
from typing import Any, ParamSpec, TypeVar, cast

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from shared.ai_models import DRESSING_ORDER, Availability, GarmentInput
from shared.ai_models.arrays import RGB, Alpha, Mask, Point
from shared.ai_models.body import Body
from shared.ai_models.errors import ImageModelError
from shared.ai_models.full_body import NEEDS_HIPS
from shared.ai_models.garment_photo import read_garment_photo
from shared.ai_models.per_image import remembered_per_image
from shared.ai_models.person_photo import PersonView, sees_hips, view_person
from shared.ai_models.placement import (
    UPPER_TYPES,
    WAIST_ABOVE_HIPS,
    Piece,
    own_colours,
    place_by_anchor,
    place_flat_lay,
    place_on_model,
    required_part,
)
from shared.ai_models.regions import Regions, regions_of
from shared.ai_models.usage import UsageMeter
from shared.ai_models.warp import Limb, warp_image
from shared.image_processing import encode_image, load_image

# (x0, y0, x1, y1) in whole pixels, x1 and y1 exclusive.
Box = tuple[int, int, int, int]
_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")

MAX_OUTPUT_DIMENSION = 2048
_FRAMED_PHOTOS = 8  # person photos kept framed (framed_person): about 5-10 MB each
_SHADING_RANGE = (0.82, 1.12)  # how much darker or lighter the photo's light may make a garment
_SHADE_EDGE = 18.0  # grey-level steps above this are where one garment (or skin) meets another, not shading
# Body units beside and above a new garment where what is left of the old clothes is filled in: beside a top, and
# above its neckline and shoulders (an old collar or strap); beside a bottom further (old wide or flared trousers
# reach well beyond slim new ones) and a little above its waistband (an old high-rise waistband).
_OLD_CLOTHES_REACH = (0.2, 0.2)
_OLD_BOTTOMS_REACH = (0.5, 0.12)
_FILL_REACH = 0.5  # body units around the leftovers where what fills them is looked for
# The body parts whose old clothes each garment type replaces. A jacket or coat replaces none: it is worn over the
# shopper's own top, so what of that top it leaves showing (below a cropped jacket, the sleeves beside a gilet) stays.
_PARTS_REPLACED: dict[str, set[str]] = {
    "top": {"upper"},
    "outerwear": set(),
    "one_piece": {"upper", "lower"},
    "bottom": {"lower"},
}
# The bare body parts (Regions.bare_shape) that show where a dressed body part's old clothes are left uncovered.
_BARE_PARTS = {"upper": ("arms", "torso"), "lower": ("legs",)}
# Pixels (half the detection size) of a sleeve on an arm enough to say how far down the arm it reaches; the percentile of its
# pixels' distances along the arm taken as its end.
_SLEEVE_PIXELS, _SLEEVE_END_PERCENTILE = 5, 98
_FILL_SCALES = (0.04, 0.2)  # body units: how far the near and the far sources for filling leftovers reach
# Body units: what of the person's own top hangs below the waist narrower than this is none of it (a fold of their
# bottoms); how far below the hip joints it may hang over their bottoms; the middle of the body, either side, where
# a midriff shows below a cropped top.
_TOP_BREADTH = 0.08
_CROTCH = 0.15
_TOP_HANGS = 0.45  # body units below the hip joints a person's own top may hang (as far as a new top reaches)
_MIDDLE_HALF_WIDTH = 0.45
_HEM_HALF_WIDTH = 0.3  # body units either side of the body's middle where the person's own top's hem is read
_NECK_SKIN_REACH = 0.3  # body units around a neck opening where the wearer's own skin is looked for
_NECK_SKIN_BLUR = 0.12  # body units: how smoothly that skin is carried into the opening
# Body units the skin in a neck opening reaches beyond it (over the garment's edge, where its photo's background and the
# old clothes under it would show as a light line; above its back neckline), then fading out over as much again.
_NECK_SKIN_GROWTH = 0.01
_NECK_LIGHT_BLUR = (
    0.05  # body units over which the old clothes' light on the skin in a neck opening is smoothed
)
_NECK_SKIN_DISTANCE = 20.0  # ΔE (CIELAB) from the wearer's skin tone within which a pixel is their skin
# Around a neck opening a pixel is the wearer's skin within this ΔE in a*, b* of their tone, and this many L* darker
# (the neck in the shade of the chin) or lighter: a black collar or a light top is not.
_NECK_SKIN_CHROMA = 10.0
_NECK_SKIN_SHADE, _NECK_SKIN_LIGHTER = 30.0, 20.0
_NECK_SKIN_SHOWN = (
    0.01  # square body units of skin beside a neck opening enough to take its typical colour from
)
_BARE_SKIN_REACH = 0.3  # body units around painted skin where the person's own bare skin is looked for
_BARE_SKIN_BLUR = 0.1  # body units: how smoothly that skin's colour is carried into the painted skin
# L* a bare arm or leg is darker at its edges than along its middle: the spread of the lightness of the person's own bare
# arms (10th to 90th percentile; they are round, lit as the legs are) within these bounds, or the default without them.
_ROUNDNESS_RANGE, _ROUNDNESS = (8.0, 24.0), 12.0
_PAINTED_EDGE_REACH = 0.25  # body units around a painted pixel where the painted limb's edge is looked for
# A garment's hem shades the legs right below it: as much as the limbs' roundness darkens their edges, times the first
# figure, fading over the second (body units) down the leg.
_HEM_SHADOW, _HEM_SHADOW_REACH = 1.2, 0.1
_CLOTHES_LIGHT = (
    0.6  # how much of the light on the old clothes (their lightness, smoothed: no folds) painted skin takes
)
# The chest and neck, where painted skin is of the neck's tone, not the arms': between the shoulder joints (half-width,
# body units, then fading over the second figure) and above the armpits (depth below the shoulders' line, likewise).
_CHEST_HALF_WIDTH, _CHEST_DEPTH, _CHEST_FADE = 0.35, 0.3, 0.12
_NECK_REACH = (
    0.2  # body units above the shoulders' line within which the skin in the head's mask is the neck's
)
_NO_POSE_MESSAGE = (
    "Your body could not be made out in this photo. Use a photo of yourself alone, standing and facing the "
    "camera, with your face in view"
)
# Body units of leg a photo must show below the hip joints for a bottom: a photo cut off at the waist shows none to
# put trousers on (one to mid-thigh shows about one, the least of the dev photos 0.6).
_MIN_LEGS_SHOWN = 0.4
# A garment showing on less than this share of the photo was not made out in its photo (a model photographed without
# the garment's body part, a garment lying sideways read as a model): refused, never a result without it.
_MIN_LANDED = 0.002
_SHOW_ME = {
    "shoulders": "from the shoulders down",
    "legs": "down to at least the knees",
    "hips": "down to at least the knees",
    "feet": "down to the feet",
}

# The work is CPU-bound: running more at once than there are cores only adds mediapipe instances
# (memory) and context switches. Callers beyond this wait their turn.
_cpu_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def _one_per_core(method: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    @wraps(method)
    def wrapper(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        with _cpu_slots:
            return method(*args, **kwargs)

    return wrapper


# What the person photo alone decides (the light on it, their clothing, how far down their body each pixel lies, ...),
# kept with the photo's masks (regions.regions_of) as long as they are: every try-on on the photo shares it.
_PER_PHOTO: "weakref.WeakKeyDictionary[Regions, dict[str, Any]]" = weakref.WeakKeyDictionary()
_per_photo_lock = threading.Lock()


def _per_photo(compute: Callable[["_Dressing"], _Result]) -> "cached_property[_Result]":
    """A property of a dressing that depends on the person photo alone: computed once per photo, not per try-on."""
    name = compute.__name__

    @wraps(compute)
    def shared(dressing: "_Dressing") -> _Result:
        with _per_photo_lock:
            kept = _PER_PHOTO.setdefault(dressing.regions, {})
        if name not in kept:
            kept[name] = compute(dressing)
        return cast(_Result, kept[name])

    return cached_property(shared)


class LocalImageModel:
    name = "local"
    billed = False  # runs on our own CPU: RATELIMIT_TRYON and MAX_JOBS_PER_USER bound it, not a daily budget
    can_build_bodies = False

    def availability(self) -> Availability:
        """Always there: the model ships with the service."""
        return {"provider": self.name, "model": None, "status": "ok", "reason": None}

    @_one_per_core
    def remove_background(
        self, image: bytes, meter: UsageMeter | None = None, *, owner: str | None = None
    ) -> bytes:
        """PNG of the photo with everything but the person transparent (made here: nothing kept for an owner)."""
        rgb, alpha = _load_rgb(image, MAX_OUTPUT_DIMENSION)
        body = Body(rgb)
        if not body.found:
            raise ImageModelError("NO_PERSON_DETECTED")
        person = body.person_alpha(rgb)
        if person.max() < 0.5:
            raise ImageModelError("NO_PERSON_DETECTED")
        return _encode(rgb.astype(np.float32), person if alpha is None else person * alpha)

    @_one_per_core
    def try_on(
        self,
        person: bytes,
        garments: Sequence[GarmentInput],
        options: Mapping[str, Any] | None,
        *,
        timeout_seconds: float | None = None,
        meter: UsageMeter | None = None,
        owner: str | None = None,
    ) -> bytes:
        """PNG of the person wearing the garments, each on its body part, inner layers first (well under a
        second of CPU: there is nothing to cut short, so timeout_seconds is not needed; nothing is billed to a
        meter, nothing is kept for an owner)."""
        if not garments:
            raise ValueError("try_on needs at least one garment")
        rgb, alpha, view = framed_person(person)
        body = view.body
        _check_hips(garments, body)
        if view.people > 1 or body.face_count > 1:
            raise ImageModelError(
                "MULTIPLE_PEOPLE", details={"faces": body.face_count, "people": max(view.people, 1)}
            )
        if body.landmarks is None or not view.upright:
            if view.shows_someone:
                raise ImageModelError("NO_POSE_DETECTED", _NO_POSE_MESSAGE)
            raise ImageModelError("NO_PERSON_DETECTED")
        for position, garment in enumerate(garments):  # before any work: the photo may not fit at all
            _check_body_part(garment, position, body)
        dressing = _Dressing(view.rgb, body)
        for position, garment in sorted(
            enumerate(garments), key=lambda item: DRESSING_ORDER.index(item[1].garment_type)
        ):
            if dressing.put_on(garment, position) < _MIN_LANDED * body.height * body.width:
                kind = garment.garment_type.replace("_", "-")
                raise ImageModelError(
                    "INVALID_GARMENT_IMAGE",
                    f"The {kind} could not be made out in its photo; use a photo of the garment alone, laid flat "
                    "and upright on a plain background, or of someone wearing it facing the camera",
                    details={"garment_index": position},
                )
        canvas = view.restore(dressing.finish(), np.rot90(rgb, view.turns).astype(np.float32))
        if alpha is not None:
            coverage = view.restore(dressing.coverage, np.zeros(view.upright_shape, np.float32))
            alpha = np.maximum(alpha, coverage)
        return _encode(canvas, alpha)

    def close(self) -> None:
        """Nothing to release: the mediapipe pools are shared by the whole process."""


@remembered_per_image(_FRAMED_PHOTOS)
def framed_person(image: bytes) -> tuple[RGB, Alpha | None, PersonView]:
    """The person photo decoded (RGB, alpha or None) and framed for the pose (person_photo.view_person: turned
    upright, cropped to a small person; pose, faces and segmentation read once): the slow reading of a person photo,
    done once per photo (a shopper tries many garments on one photo). Its arrays are read-only: every job shares
    them."""
    rgb, alpha = _load_rgb(image, MAX_OUTPUT_DIMENSION)
    rgb.setflags(write=False)
    if alpha is not None:
        alpha.setflags(write=False)
    return rgb, alpha, view_person(rgb)


def _check_hips(garments: Sequence[GarmentInput], body: Body) -> None:
    """A photo whose pose shows neither hip (a head-and-shoulders selfie) cannot take a garment that hangs from the
    hips or below them: this model cannot make up the rest of the body (Gemini builds one: full_body.py). A photo in
    which no pose is found is left to the checks that say what is wrong with it."""
    needing = [index for index, garment in enumerate(garments) if garment.garment_type in NEEDS_HIPS]
    if not needing or body.landmarks is None or sees_hips(body):
        return
    kind = garments[needing[0]].garment_type.replace("_", "-")
    raise ImageModelError(
        "NEEDS_FULL_BODY_PHOTO",
        f"Your photo shows your head and shoulders only, so the {kind} "
        "cannot be tried on. Use a full-length photo of yourself standing, from head to feet, "
        "facing the camera",
        details={"garment_index": needing[0], "missing": "hips"},
    )


def _check_body_part(garment: GarmentInput, position: int, body: Body) -> None:
    part = required_part(garment.garment_type, body.frame, body)
    if part is None and garment.garment_type == "bottom" and _legs_shown(body) < _MIN_LEGS_SHOWN:
        part = "legs"
    if part is not None:
        kind = garment.garment_type.replace("_", "-")
        raise ImageModelError(
            "BODY_PART_NOT_VISIBLE",
            f"The photo does not show your {part}, so the {kind} "
            f"cannot be tried on; use a photo that shows you {_SHOW_ME[part]}",
            details={"garment_index": position, "missing": part},
        )


def _legs_shown(body: Body) -> float:
    """Body units of the photo below the hip joints, along the body (the legs' length in view, at most)."""
    frame = body.frame
    if frame is None or not frame.hips_visible:
        return 0.0
    down = float(frame.down[1])
    return (body.height - float(frame.mid_hip[1])) / max(down, 1e-3) / frame.unit


class _Dressing:
    """The person photo being dressed, garment by garment."""

    def __init__(self, rgb: RGB, body: Body) -> None:
        self.height, self.width = rgb.shape[:2]
        self.body = body
        self.regions = regions_of(body)
        self.frame = self.regions.posed_frame  # try_on refuses a photo without one first (_check_body_part)
        self.photo = rgb
        self.canvas = rgb.astype(np.float32)
        self.coverage = np.zeros((self.height, self.width), np.float32)
        self._zones = np.zeros(self.regions.shape, np.float32)  # where old clothes must not show (small size)
        self._full_masks: dict[str, NDArray[np.float32]] = {}
        self._dressed_legs = False  # a bottom was put on: the person's own top stays in front of it
        # "upper", "lower": the body parts whose old clothes new garments replace
        self._dressed_parts: set[str] = set()
        # Bare body painted where old clothes were (detection size): no source for filling what is left of them.
        self._painted = np.zeros(self.regions.shape, bool)
        # The skin tone (CIELAB) painted in the first neck opening: the chest's tone around it (see _bare_body).
        self._neckline_tone: NDArray[np.float32] | None = None
        # The sleeves of the garment being put on as drawn (full size), and the arms inside them (_sleeved_arms).
        self._sleeves: NDArray[np.float32] | None = None
        self._sleeved_arms: NDArray[np.float32] | None = None

    def put_on(self, garment: GarmentInput, position: int) -> float:
        """Puts the garment on; how much of it shows (pixels, weighted by opacity)."""
        landed = 0.0
        self._sleeves = self._sleeved_arms = None
        # Sleeves first: where a sleeve's armhole lies on the garment's body off the arm, the body is in front of it.
        for piece in sorted(self._pieces(garment, position), key=lambda piece: not piece.over_arms):
            region = self._destination(piece)
            if region is not None:
                landed += self._composite(piece, region, garment.garment_type)
        return landed

    def _composite(self, piece: Piece, region: Box, garment_type: str) -> float:
        """Puts the piece on; how much of it shows (pixels, weighted by opacity; none for the skin in a neckline)."""
        warped = warp_image(piece.layer, piece.to_garment, region)
        # Only the part the piece actually landed on costs anything from here on.
        left, top, width, height = cv2.boundingRect(warped[..., 3])
        if width == 0 or height == 0:
            return 0.0
        warped = warped[top : top + height, left : left + width]
        x0, y0 = region[0] + left, region[1] + top
        x1, y1 = x0 + width, y0 + height
        region = (x0, y0, x1, y1)
        alpha = warped[..., 3].astype(np.float32) / 255
        if piece.skin:
            self._bare_neckline(region, alpha)
            return 0.0
        colour = warped[..., :3].astype(np.float32)  # premultiplied by alpha
        if piece.below is not None:  # where the person is, it may rise above the line (a sleeve's round head)
            keep = np.maximum(_beyond_line(piece.below, region), self._full("person", region))
            alpha *= keep
            colour *= keep[..., None]
        # The person stays in front where they are in front of their clothes: head and hair always, arms
        # and hands unless this piece is a sleeve, their own top over new bottoms.
        behind = self._full(self._in_front(piece, garment_type), region)
        if self._sleeves is not None and not piece.over_arms:
            behind = self._behind_sleeved_body(region)
        front = 1 - behind
        visible = alpha * front
        shading = self._shading(region, visible)
        # canvas * (1 - visible) + colour * shading * front, worked out in place (no full-size copies).
        patch = self.canvas[y0:y1, x0:x1]
        patch *= (1 - visible)[..., None]
        colour *= (shading * front)[..., None]
        patch += colour
        self.coverage[y0:y1, x0:x1] = np.maximum(self.coverage[y0:y1, x0:x1], visible)
        if piece.sleeve:
            if self._sleeves is None:
                self._sleeves = np.zeros((self.height, self.width), np.float32)
            self._sleeves[y0:y1, x0:x1] = np.maximum(self._sleeves[y0:y1, x0:x1], visible)
            self._sleeved_arms = None
        if _PARTS_REPLACED.get(garment_type):
            self._add_zone(
                region, alpha, *(_OLD_CLOTHES_REACH if garment_type in UPPER_TYPES else _OLD_BOTTOMS_REACH)
            )
        self._dressed_legs = self._dressed_legs or garment_type == "bottom"
        self._dressed_parts |= _PARTS_REPLACED.get(garment_type, set())
        return float(visible.sum())

    def _behind_sleeved_body(self, region: Box) -> NDArray[np.float32]:
        """What stays in front of the body of a garment whose sleeves were just drawn: head and hair, and the arms only
        beyond the sleeves' ends (a forearm across the belly, a hand on the hip); inside a sleeve the arm is under
        the garment, and its sleeve over the body wherever the sleeve lies on the arm, so the sleeve wraps the top of the
        arm and meets the body at the armpit instead of hanging beside it as a slab with the arm showing between."""
        assert self._sleeves is not None, "no sleeves drawn"
        if self._sleeved_arms is None:
            self._sleeved_arms = self._arms_inside(self._sleeves)
        x0, y0, x1, y1 = region
        sleeved = self._sleeved_arms[y0:y1, x0:x1]
        arms = self._full("arms", region)
        sleeve_on_arm = self._sleeves[y0:y1, x0:x1] * sleeved * self._full("sleeve_zone", region)
        return np.clip(np.maximum(self._full("head", region) + arms * (1 - sleeved), sleeve_on_arm), 0, 1)

    def _arms_inside(self, sleeves: NDArray[np.float32]) -> NDArray[np.float32]:
        """Where the arms are (Regions.arm_zone, sleeve_zone) from the shoulder down to as far along each arm as its
        sleeve reaches on it (full size, 0..1): the part of the arm the sleeve is worn on."""
        regions, frame = self.regions, self.frame
        # Read on a grid of half the detection size: the mask is enlarged smoothly anyway.
        size = (regions.shape[1] // 2, regions.shape[0] // 2)
        small = cv2.resize(sleeves, size, interpolation=cv2.INTER_AREA) > 0.5
        zone = np.maximum(regions.arm_zone, regions.sleeve_zone)
        ys, xs = np.nonzero(cv2.resize(zone, size, interpolation=cv2.INTER_AREA) > 0.5)
        points = (np.stack([xs, ys], axis=1).astype(np.float64) + 0.5) * 2 / regions.scale
        limbs = [Limb(frame.arm(side), frame.mid_shoulder) for side in (0, 1)]
        located = [limb.locate(points) for limb in limbs]
        nearest = np.argmin(np.abs(np.stack([across for _, _, across in located])), axis=0)
        inside = np.zeros((size[1], size[0]), np.float32)
        for side, (limb, (segment, along, _)) in enumerate(zip(limbs, located)):
            distance = limb.offsets[segment] + along
            mine = nearest == side
            worn = mine & small[ys, xs]
            if worn.sum() < _SLEEVE_PIXELS:
                continue
            # The sleeve's end: as far along the arm as nearly all of it lies (not a stray pixel of its cuff).
            end = np.percentile(distance[worn], _SLEEVE_END_PERCENTILE)
            on = mine & (distance <= end)
            inside[ys[on], xs[on]] = 1.0
        return cast(
            NDArray[np.float32], cv2.resize(inside, (self.width, self.height), interpolation=cv2.INTER_LINEAR)
        )

    def _bare_neckline(self, region: Box, alpha: Alpha) -> None:
        """Inside a garment's neckline the wearer's skin shows: their own where the photo shows it, else the skin
        around it carried over smoothly (the neck above, the chest beside: near it their colour, farther in their
        typical colour, so a deep V is the tone of the skin beside it, not of the face, which is lit and made up
        differently), or their own skin tone (their face and neck's) where none is near; lit as the clothes there
        were (their light smoothed, at a third of its contrast: no ribs or weave of theirs); hands in front stay. Only pixels of the wearer's own hue count as their
        skin there, none much lighter or darker than their tone, so a light top, a wall or a black collar never
        passes for it."""
        tone = self._own_skin_tone()
        if tone is None:
            return  # no skin to learn from: what shows there is left to the fill of old clothes
        unit = self.frame.unit
        region, alpha = self._grown(region, alpha, _NECK_SKIN_GROWTH * unit)
        x0, y0, x1, y1 = region
        self.coverage[y0:y1, x0:x1] = np.maximum(self.coverage[y0:y1, x0:x1], alpha)
        reach = int(_NECK_SKIN_REACH * unit)
        outer = (
            max(0, x0 - reach),
            max(0, y0 - reach),
            min(self.width, x1 + reach),
            min(self.height, y1 + reach),
        )
        inner = (slice(y0 - outer[1], y1 - outer[1]), slice(x0 - outer[0], x1 - outer[0]))
        photo = self.photo[outer[1] : outer[3], outer[0] : outer[2]].astype(np.float32)
        lab = cv2.cvtColor(photo / 255, cv2.COLOR_RGB2Lab)
        offset = lab - tone
        lighter = offset[..., 0]
        own = (
            (np.hypot(offset[..., 1], offset[..., 2]) < _NECK_SKIN_CHROMA)
            & (lighter > -_NECK_SKIN_SHADE)
            & (lighter < _NECK_SKIN_LIGHTER)
        )
        skin = self._full("skin", outer) * own
        beside = skin > 0.5
        # The skin beside the opening in its typical colour, in the light the opening is in: level with it (the chest
        # beside a V) where enough shows there, not the neck above it in the shade of the chin; the wearer's tone
        # where too little skin shows at all.
        level = beside.copy()
        level[: y0 - outer[1]] = False
        shown = _NECK_SKIN_SHOWN * unit**2
        near_it = level if level.sum() >= shown else beside
        typical = np.median(lab[near_it], axis=0) if near_it.sum() >= shown else tone
        if self._neckline_tone is None:
            self._neckline_tone = np.asarray(typical, np.float32)
        plain = np.clip(
            cv2.cvtColor(np.asarray(typical, np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB) * 255, 0, 255
        )
        near, weight = _mean_around(photo, skin, _NECK_SKIN_BLUR * unit)
        found = np.clip(weight[inner] / 0.05, 0, 1)[..., None]
        light = _skin_light(self._full("lightness", region), unit)
        paint = (found * near[inner] + (1 - found) * plain) * light[..., None]
        # Only on the person: an opening wider than their neck leaves the background beside it as it is.
        on_them = self._full("person", region) * (1 - self._full("head_hands", region))
        # It meets their own skin (the neck above, in front of any garment; the chest beside) without an edge.
        apart = cv2.GaussianBlur((1 - skin[inner]) * on_them, (0, 0), _NECK_SKIN_GROWTH * unit / 2)
        share = (alpha * apart * self._full("person", region))[..., None]
        self.canvas[y0:y1, x0:x1] = self.canvas[y0:y1, x0:x1] * (1 - share) + paint * share

    def _grown(self, region: Box, alpha: Alpha, reach: float) -> tuple[Box, Alpha]:
        """The region widened by `reach` px (within the photo) and the alpha spread over it: `reach` px further all round,
        fading out over as much again (the neckline's skin goes a little over the garment's edge, so neither the old clothes
        under it nor its photo's background at its cut-out edge shows between them as a line)."""
        step = max(1, int(round(reach)))
        x0, y0, x1, y1 = region
        grown = (
            max(0, x0 - 2 * step),
            max(0, y0 - 2 * step),
            min(self.width, x1 + 2 * step),
            min(self.height, y1 + 2 * step),
        )
        padded = np.zeros((grown[3] - grown[1], grown[2] - grown[0]), np.float32)
        padded[y0 - grown[1] : y1 - grown[1], x0 - grown[0] : x1 - grown[0]] = alpha
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * step + 1, 2 * step + 1))
        spread = cv2.GaussianBlur(cv2.dilate(padded, disc), (0, 0), step / 2)
        return grown, cast(Alpha, np.maximum(padded, spread))

    def _own_skin_tone(self) -> NDArray[np.float32] | None:
        """The wearer's skin tone (CIELAB): the median of their own skin where it shows on their face and neck,
        else the skin colour learned from their face; None without either."""
        regions = self.regions
        if regions.skin_colour is None:
            return None
        own = (regions.skin > 0) & (regions.person > 0) & (regions.head > 0)
        if own.sum() < 30:
            return regions.skin_colour
        tone: NDArray[np.float32] = np.median(regions.lab[own], axis=0)
        return tone

    def _neck_skin_tone(self) -> NDArray[np.float32] | None:
        """The skin tone (CIELAB) of the wearer's neck where it shows (their skin below the chin, _NECK_REACH above the
        shoulders' line at most: their face is lit and made up differently, their arms are shaded and round), else
        their own skin tone (_own_skin_tone)."""
        regions = self.regions
        depth, _ = regions.body_coordinates
        neck = (regions.skin > 0) & (regions.person > 0) & (regions.head > 0) & (depth > -_NECK_REACH)
        if neck.sum() < 30:
            return self._own_skin_tone()
        tone: NDArray[np.float32] = np.median(regions.lab[neck], axis=0)
        return tone

    @staticmethod
    def _in_front(piece: Piece, garment_type: str) -> str:
        """Which parts of the person stay in front of this piece (the name of a mask, see _full)."""
        if garment_type == "accessory":
            return "nothing"
        if piece.over_arms:
            return "head_hands"
        return "head_arms_top" if garment_type == "bottom" else "head_arms"

    def finish(self) -> NDArray[np.float32]:
        """The dressed photo: where the new garments leave bare what the old clothes of their body part covered (old
        sleeves beside a sleeveless top, an old top below a cropped one, old trousers below a short skirt), the body
        shows in the person's own skin; what is left of the old clothes beyond the body is filled in from around
        it."""
        uncovered = (
            cv2.resize(
                self.coverage, (self.regions.shape[1], self.regions.shape[0]), interpolation=cv2.INTER_AREA
            )
            < 0.5
        )
        self._fill(self._bare_body(uncovered, self._old_clothes(uncovered)), uncovered)
        return self.canvas

    def _old_clothes(self, uncovered: Mask) -> Mask:
        """What is left of the old clothes the new garments replace (detection size, bool): beside and above each
        new garment, and wherever it ends before the old clothes of its body part did (the person's own top below a
        cropped one, their trousers below a short skirt, down to the ankles), but never the person's bottoms beside a
        new top; not what stays in front (the person's
        own top over new bottoms)."""
        replaced = self._zones
        if "upper" in self._dressed_parts:
            old_top = self._old_top(uncovered)
            if "lower" not in self._dressed_parts:
                # Only the top is new: below the waist the person's bottoms stay beside it (jeans beside a hanging
                # tie or a narrow hem are no leftover of the top), only their own top there is replaced.
                replaced = replaced * np.maximum(old_top, self._depth < self._waist_depth)
            replaced = np.maximum(replaced, old_top)
        if "lower" in self._dressed_parts:
            replaced = np.maximum(replaced, self.regions.leg_zone)
        old = self._clothing * replaced * uncovered
        if self._dressed_legs:
            old = old * (1 - self._top_over_bottoms)
        return cv2.morphologyEx((old > 0.5).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0

    def _fill(self, leftovers: Mask, uncovered: Mask) -> None:
        """Fill the leftovers (detection size, bool) in from what lies beyond the clothes around them: the
        background or skin that would show there, never the new garment smeared outwards nor more of the old
        clothes it replaces (a gap between new trouser legs shows what is behind them), nor the bare body painted
        where old clothes were (an old sleeve wider than the arm painted under it: the arm smeared out would be a
        blurred ghost of a wider one). Each leftover pixel takes
        the mean of those sources near it, weighted by distance (normalised convolution, in the leftovers' box
        only): close sources first, farther ones where none is close."""
        if leftovers.sum() < 10:
            return
        grown = cv2.dilate(leftovers.astype(np.uint8), np.ones((3, 3), np.uint8))
        unit = self.frame.unit * self.regions.scale
        reach = int(_FILL_REACH * unit) + 1
        left, top, width, height = cv2.boundingRect(grown)
        x0, y0 = max(0, left - reach), max(0, top - reach)
        x1, y1 = min(grown.shape[1], left + width + reach), min(grown.shape[0], top + height + reach)
        box, size = (slice(y0, y1), slice(x0, x1)), (x1 - x0, y1 - y0)
        # The old clothes of a body part a new garment dresses are being replaced: no source. The others stay (the
        # trousers beside a new top's hanging tie) and may show.
        waist = self._waist_depth
        depth = self._depth[box]
        replaced = np.zeros(depth.shape, bool)
        if "upper" in self._dressed_parts:
            replaced |= depth < waist
        if "lower" in self._dressed_parts:
            replaced |= depth >= waist
        known = ~(
            grown[box].astype(bool)
            | ~uncovered[box]
            | ((self._clothing[box] > 0.5) & replaced)
            | self._painted[box]
        )
        # The fill is smooth: its colours are worked out at half that size.
        half = (max(1, size[0] // 2), max(1, size[1] // 2))
        scale_x, scale_y = self.width / grown.shape[1], self.height / grown.shape[0]
        photo = self.canvas[
            int(y0 * scale_y) : int(np.ceil(y1 * scale_y)), int(x0 * scale_x) : int(np.ceil(x1 * scale_x))
        ]
        colours = cast(NDArray[np.float32], cv2.resize(photo, half, interpolation=cv2.INTER_AREA))
        known_share = cast(
            NDArray[np.float32], cv2.resize(known.astype(np.float32), half, interpolation=cv2.INTER_AREA)
        )
        (near, near_weight), (far, far_weight) = (
            _mean_around(colours, known_share, sigma * unit / 2) for sigma in _FILL_SCALES
        )
        closeness = np.clip(near_weight / 0.1, 0, 1)[..., None]
        filled = np.zeros(grown.shape + (3,), np.float32)
        filled[box] = cv2.resize(
            closeness * near + (1 - closeness) * far, size, interpolation=cv2.INTER_LINEAR
        )
        found = cv2.resize((far_weight > 1e-4).astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
        share = np.zeros(grown.shape, np.float32)
        share[box] = grown[box] * found  # no source within reach: left as it is
        self._blend(cast(NDArray[np.float32], cv2.GaussianBlur(share, (0, 0), 1.0)), filled)

    def _bare_body(self, uncovered: Mask, old_clothes: Mask) -> Mask:
        """The old clothes the new garments leave showing on the body parts they dress become those parts, bare:
        under a top or dress, old sleeves and what is left on the shoulders become shoulders and arms, and an old top
        below a cropped one a midriff (in the skin of the arms); under a bottom or dress, old trousers below its hem
        become legs (in the skin of the legs where they show, else the arms'). Returns the old clothes left beyond
        that body (detection size, bool)."""
        regions, leftovers = self.regions, old_clothes
        # Without a skin colour to paint (a black-and-white photo, no bare skin to learn it from) old sleeves stay.
        if "upper" in self._dressed_parts and regions.arm_skin_colour is not None:
            leftovers = self._paint_bare(
                leftovers | ((regions.old_sleeves * uncovered) > 0.5),
                _BARE_PARTS["upper"],
                regions.arm_skin_colour,
                # The chest around a neck opening is of the opening's skin tone (one patch of skin, no seam between
                # them); without one, of the neck's.
                chest_colour=self._neck_skin_tone() if self._neckline_tone is None else self._neckline_tone,
            )
        if "lower" in self._dressed_parts:
            # Only below the new garments' hem are old trousers legs: painted, or without a skin colour kept as they
            # are (filling them from around would erase the legs). Beside the new garments (new trousers or a dress
            # narrower than the old ones, or placed beside them) they are filled from around: a leg painted there
            # would be a third one.
            below = below_the_hem(leftovers, uncovered)
            leftovers = (leftovers & ~below) | self._paint_bare(
                below, _BARE_PARTS["lower"], regions.leg_skin_colour, shade_below=~uncovered
            )
        return leftovers

    def _paint_bare(
        self,
        clothes: Mask,
        parts: Sequence[str],
        colour: NDArray[np.float32] | None,
        shade_below: Mask | None = None,
        chest_colour: NDArray[np.float32] | None = None,
    ) -> Mask:
        """Paint the clothes (detection size, bool) inside the named bare body parts' own shape (Regions.bare_shape:
        an arm tapering from the shoulder to the wrist, slimmer than a sleeve) as that body in the skin `colour`
        (CIELAB), or in the colour of the person's own bare skin beside it where some is near (a forearm below a
        painted upper arm: no seam between them); darker towards the painted part's edges as a round limb is (as much as
        the person's own bare arms are in this light), lit as the clothes were (their light smoothed, at 0.6 of its
        contrast: skin does not fold as cloth does), with the grain of the person's skin, and in the shadow of the garment
        `shade_below` (detection size, bool) right below it (a hem over the legs); without a colour they stay as they
        are. On the chest and neck (_chest) the skin is of `chest_colour` where given (their neck's: the arms are
        shaded and round, a chest in front light is lighter; not the skin beside it, which is the arms' there), flat
        across (no limb's edge to darken) and lit as a
        neckline's skin is (the light on the clothes relative to their own shade, smoothed, at a third of its contrast:
        a dark collar on a white top is no shadow). The grain is the skin's at the photo's scale: the paint is made at
        detection size and enlarged, so its grain is that much weaker (enlarged, it would be blotches). Returns the
        clothes left beyond that body."""
        regions = self.regions
        if clothes.sum() < 10:
            return clothes
        left, top, width, height = cv2.boundingRect(clothes.astype(np.uint8))
        box = (slice(top, top + height), slice(left, left + width))
        across = regions.bare_shape(
            (left, top, left + width, top + height), parts
        )  # 0 on the bone, 1 at the body's edge
        bare = clothes[box] & (across < 1)
        if not bare.any():  # what is left lies beyond the body: filled from around it
            return clothes
        beyond = clothes.copy()
        beyond[box] &= ~bare
        if colour is None:
            return beyond
        unit = self.frame.unit * regions.scale
        # The light falling on the body: the clothes' own lightness, smoothed over them alone (no folds, nothing from
        # beside them), at a third of its contrast.
        lightness, inside = regions.lab[..., 0][box], clothes[box].astype(np.float32)
        blur = 0.15 * unit
        light = _smooth(lightness * inside, blur) / np.maximum(_smooth(inside, blur), 1e-3)
        grain = (
            np.random.default_rng(0)
            .normal(0, 0.6 * regions.skin_grain * min(1.0, regions.scale), light.shape)
            .astype(np.float32)
        )
        tone = self._skin_beside(box, clothes, colour)
        chest = self._chest(box) if chest_colour is not None else np.zeros(light.shape, np.float32)
        if chest_colour is not None:
            tone = tone + (chest_colour - tone) * chest[..., None]
        # Round as a limb is across what is painted of it (the old clothes may be slimmer than the body model): each
        # pixel's place between the bone and the painted part's own edge there, lit like a cylinder from the front.
        size = 2 * int(_PAINTED_EDGE_REACH * unit / 2) + 1
        edge = dilate_by_ellipse(np.where(bare, across, 0).astype(np.float32), size)
        sideways = np.clip(across / np.maximum(edge, 0.2), 0, 1)
        lab = np.empty(light.shape + (3,), np.float32)
        limb = (
            tone[..., 0]
            + (light - float(np.median(light[bare]))) * _CLOTHES_LIGHT
            - self._roundness * (1 - np.sqrt(1 - sideways**2))
            - self._hem_shadow(box, shade_below, unit)
        )
        lab[..., 0] = np.clip(
            limb * (1 - chest) + tone[..., 0] * self._chest_light(box) * chest + grain, 0, 100
        )
        lab[..., 1:] = tone[..., 1:]
        painted = np.zeros(regions.shape + (3,), np.float32)
        painted[box] = cv2.cvtColor(lab, cv2.COLOR_Lab2RGB) * 255
        weight = np.zeros(regions.shape, np.float32)
        weight[box] = bare
        self._painted[box] |= bare
        self._blend(cast(NDArray[np.float32], cv2.GaussianBlur(weight, (0, 0), 0.7)), painted)
        return beyond

    def _chest(self, box: tuple[slice, slice]) -> NDArray[np.float32]:
        """Over the box (detection size): 1 on the chest and neck (between the shoulder joints, above the armpits),
        fading to 0 towards the shoulders and down the body."""
        depth, across = (coordinate[box] for coordinate in self.regions.body_coordinates)
        chest: NDArray[np.float32] = np.clip(
            (_CHEST_HALF_WIDTH - np.abs(across)) / _CHEST_FADE + 0.5, 0, 1
        ) * np.clip((_CHEST_DEPTH - depth) / _CHEST_FADE + 0.5, 0, 1)
        return chest

    def _chest_light(self, box: tuple[slice, slice]) -> NDArray[np.float32]:
        """Over the box (detection size): the gain of the light on bare skin there, as in a neckline (_bare_neckline)."""
        return _skin_light(self._lightness[box], self.frame.unit * self.regions.scale)

    def _hem_shadow(
        self, box: tuple[slice, slice], garment: Mask | None, unit: float
    ) -> NDArray[np.float32] | float:
        """L* the garment above takes off each pixel of the box: the most right below its lowest row in the pixel's
        column, fading down the leg (0 without a garment)."""
        if garment is None:
            return 0.0
        rows, columns = box
        above = garment[: rows.stop, columns]
        index = np.arange(rows.stop, dtype=np.float32)[:, None]
        last = np.maximum.accumulate(np.where(above, index, -np.inf), axis=0)[rows.start :]
        distance = index[rows.start :] - last  # inf where no garment lies above
        shadow: NDArray[np.float32] = (
            _HEM_SHADOW * self._roundness * np.exp(-distance / (_HEM_SHADOW_REACH * unit))
        ).astype(np.float32)
        return shadow

    @_per_photo
    def _roundness(self) -> float:
        """How much darker (L*) the person's bare limbs are at their edges than along their middle in this photo's
        light: the spread of the lightness of their own bare arms (_ROUNDNESS_RANGE), or _ROUNDNESS without any."""
        regions = self.regions
        arms = (regions.skin > 0.5) & (regions.arms > 0.5) & (regions.person > 0.5) & (regions.head < 0.5)
        if arms.sum() < 50:
            return _ROUNDNESS
        low, high = np.percentile(regions.lab[..., 0][arms], (10, 90))
        return float(np.clip(high - low, *_ROUNDNESS_RANGE))

    def _skin_beside(
        self, box: tuple[slice, slice], clothes: Mask, colour: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """Over the box (detection size): the colour (CIELAB) of the person's own bare skin near each pixel (their
        skin off the head, within _BARE_SKIN_REACH, weighted by closeness) where some is near, fading into `colour`
        where none is."""
        regions = self.regions
        unit = self.frame.unit * regions.scale
        reach = int(_BARE_SKIN_REACH * unit) + 1
        rows, columns = box
        y0, x0 = max(0, rows.start - reach), max(0, columns.start - reach)
        y1, x1 = min(regions.shape[0], rows.stop + reach), min(regions.shape[1], columns.stop + reach)
        outer = (slice(y0, y1), slice(x0, x1))
        own = (
            (regions.skin[outer] > 0)
            & (regions.person[outer] > 0)
            & (regions.head[outer] == 0)
            & ~clothes[outer]
        )
        lab = regions.lab[outer]
        # ΔE in a*, b* to the colour, channel by channel (np.linalg.norm's sum over a last axis of two is slower).
        chroma_a, chroma_b = lab[..., 1] - colour[1], lab[..., 2] - colour[2]
        own &= np.sqrt(chroma_a * chroma_a + chroma_b * chroma_b) < _NECK_SKIN_DISTANCE
        near, weight = _mean_around(lab, own.astype(np.float32), _BARE_SKIN_BLUR * unit)
        inner = (slice(rows.start - y0, rows.stop - y0), slice(columns.start - x0, columns.stop - x0))
        found = np.clip(weight[inner] / 0.05, 0, 1)[..., None]
        tone: NDArray[np.float32] = found * near[inner] + (1 - found) * colour
        return tone

    def _blend(self, weight: NDArray[np.float32], colour: NDArray[np.float32]) -> None:
        """Mix `colour` (an image the size of `weight`, which scales to the photo) into the canvas by `weight`.
        Only the box holding the weight is touched."""
        left, top, width, height = cv2.boundingRect((weight > 0.01).astype(np.uint8))
        if width == 0 or height == 0:
            return
        scale_x, scale_y = self.width / weight.shape[1], self.height / weight.shape[0]
        x0, y0 = int(left * scale_x), int(top * scale_y)
        x1, y1 = (
            min(self.width, int(np.ceil((left + width) * scale_x))),
            min(self.height, int(np.ceil((top + height) * scale_y))),
        )
        size = (x1 - x0, y1 - y0)
        share = cv2.resize(
            weight[top : top + height, left : left + width], size, interpolation=cv2.INTER_LINEAR
        )
        paint = cv2.resize(
            colour[top : top + height, left : left + width], size, interpolation=cv2.INTER_LINEAR
        )
        self.canvas[y0:y1, x0:x1] = cv2.blendLinear(
            np.ascontiguousarray(self.canvas[y0:y1, x0:x1]),
            np.ascontiguousarray(paint, np.float32),
            1 - share,
            share,
        )

    # --- steps ----------------------------------------------------------------------------------

    def _pieces(self, garment: GarmentInput, position: int) -> list[Piece]:
        photo = read_garment_photo(garment.image)
        kind = garment.garment_type
        if photo.photo_type == "on-model" and kind in ("top", "outerwear", "bottom", "one_piece"):
            return place_on_model(photo, kind, self.regions)
        if photo.alpha is None and not photo.plain_background:
            raise ImageModelError(
                "NEEDS_PLAIN_BACKGROUND",
                "The garment could not be told apart from what it lies on in its photo; photograph it laid "
                "flat on a plain, single-colour surface (a sheet, a wall, a floor of one colour), or use the "
                "shop's product photo",
                details={"garment_index": position},
            )
        if photo.alpha is None:
            raise ImageModelError(
                "INVALID_GARMENT_IMAGE",
                "No garment could be found in the garment photo; use a "
                "photo of the garment on a plain background, or of someone wearing it",
                details={"garment_index": position},
            )
        if kind in ("top", "outerwear"):
            return place_flat_lay(photo, kind, self.regions, self._old_top_hem)
        if kind in ("bottom", "one_piece"):
            return place_flat_lay(photo, kind, self.regions)
        return place_by_anchor(photo, kind, garment.details, self.frame, self.body)

    def _destination(self, piece: Piece) -> Box | None:
        """Where in the person photo a piece can land: its outline in its photo carried over, with a margin."""
        left, top, width, height = cv2.boundingRect(piece.layer[..., 3])
        if width == 0 or height == 0:
            return None
        bottom, right = top + height - 1, left + width - 1
        edge = np.linspace(0, 1, 9)
        outline = np.vstack(
            [
                np.stack([left + edge * (right - left), np.full(9, top)], 1),
                np.stack([left + edge * (right - left), np.full(9, bottom)], 1),
                np.stack([np.full(9, left), top + edge * (bottom - top)], 1),
                np.stack([np.full(9, right), top + edge * (bottom - top)], 1),
            ]
        )
        landed = piece.to_body(outline)
        margin = 0.1 * self.frame.unit
        x0, y0 = np.floor(landed.min(axis=0) - margin).astype(int)
        x1, y1 = np.ceil(landed.max(axis=0) + margin).astype(int)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(self.width, x1), min(self.height, y1)
        return (x0, y0, x1, y1) if x1 - x0 > 1 and y1 - y0 > 1 else None

    def _full(self, name: str, region: Box) -> NDArray[np.float32]:
        """The named detection-size mask at full size, cut to the region: person, lightness, skin, or the parts of
        the person in front of a garment (head, arms, head_hands, head_arms, head_arms_top: with their own top;
        nothing), or where a sleeve lies over its garment's body (sleeve_zone)."""
        if name not in self._full_masks:
            regions = self.regions
            small: dict[str, Callable[[], NDArray[np.float32]]] = {
                "lightness": lambda: self._lightness,
                "person": lambda: regions.person,
                "skin": lambda: regions.skin * regions.person,
                "head": lambda: regions.head,
                "arms": lambda: regions.arms,
                "sleeve_zone": lambda: regions.sleeve_zone,
                "head_hands": lambda: np.clip(regions.head + regions.hands, 0, 1),
                "nothing": lambda: np.zeros(regions.shape, np.float32),
                "head_arms": lambda: np.clip(regions.head + regions.arms, 0, 1),
                "head_arms_top": lambda: np.clip(regions.head + regions.arms + self._top_over_bottoms, 0, 1),
            }
            self._full_masks[name] = cast(
                NDArray[np.float32],
                cv2.resize(small[name](), (self.width, self.height), interpolation=cv2.INTER_LINEAR),
            )
        x0, y0, x1, y1 = region
        return self._full_masks[name][y0:y1, x0:x1]

    def _shading(self, region: Box, visible: Alpha) -> NDArray[np.float32]:
        """Per-pixel gain from the light on the person's clothes: the folds and shadows (their luminance
        relative to its surroundings), not the clothes' own colours; 1 off the person."""
        gain = np.clip(self._full("lightness", region), *_SHADING_RANGE)
        return 1 + (gain - 1) * self._full("person", region)

    @_per_photo
    def _lightness(self) -> NDArray[np.float32]:
        """The photo's grey level within the person's outline, relative to the clothes' own shade (detection
        size): folds and shadows, not the difference between a black top and a white one. Each garment's own
        shade is the grey level smoothed by an edge-preserving (guided) filter that stops at its outline."""
        grey = cv2.cvtColor(self.body.small, cv2.COLOR_RGB2GRAY).astype(np.float32)
        unit = self.frame.unit * self.regions.scale
        fine = cast(NDArray[np.float32], cv2.GaussianBlur(grey, (0, 0), max(1.0, 0.02 * unit)))
        # The shade varies slowly: work at half size (a quarter of the cost).
        half = (max(1, grey.shape[1] // 2), max(1, grey.shape[0] // 2))
        guide = cv2.resize(grey, half, interpolation=cv2.INTER_AREA)
        shade = cv2.ximgproc.guidedFilter(
            guide=guide,
            src=cv2.resize(fine, half, interpolation=cv2.INTER_AREA),
            radius=max(2, int(0.06 * unit)),
            eps=_SHADE_EDGE**2,
        )
        shade = cast(
            NDArray[np.float32],
            cv2.resize(shade, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR),
        )
        # Along the outline of a garment or a print the filter rings: no shading is read there.
        edges = cv2.magnitude(cv2.Sobel(fine, cv2.CV_32F, 1, 0), cv2.Sobel(fine, cv2.CV_32F, 0, 1))
        smooth_edges = cast(NDArray[np.float32], cv2.GaussianBlur(edges, (0, 0), max(1.0, 0.03 * unit)))
        calm = 1 / (1 + (smooth_edges / _SHADE_EDGE) ** 2)
        # float32 throughout (numpy's stubs lose the dtype in `1 / (1 + x**2)`).
        return cast(NDArray[np.float32], 1 + ((fine + 25) / (shade + 25) - 1) * calm)

    @_per_photo
    def _clothing(self) -> Alpha:
        """What the person wears (detection size): their outline but for skin, head and hair, arms."""
        regions = self.regions
        clothing: Alpha = regions.person * (1 - regions.skin) * (1 - regions.head) * (1 - regions.arms)
        return clothing

    @_per_photo
    def _depth(self) -> NDArray[np.float32]:
        """How far below the middle of the shoulders each pixel lies along the body (detection size, photo px)."""
        regions = self.regions
        ys, xs = np.mgrid[0 : regions.shape[0], 0 : regions.shape[1]].astype(np.float32)
        origin = self.frame.mid_shoulder * regions.scale
        depth: NDArray[np.float32] = (
            (xs - origin[0]) * self.frame.down[0] + (ys - origin[1]) * self.frame.down[1]
        ) / regions.scale
        return depth

    @_per_photo
    def _own_top(self) -> Alpha:
        """The person's own top where it hangs over their waist (detection size), told from their bottom by colour,
        down to the crotch; when the two look alike, their clothing above the crotch unless that is nearly all of
        it."""
        return self._top_hanging_to(self._hips_depth + _CROTCH * self.frame.unit)

    @_per_photo
    def _long_top(self) -> Alpha:
        """The person's own top told from their bottoms by colour down to wherever it ends, as far as a top may hang
        (_TOP_HANGS below the hip joints: a long tee or a tunic over leggings); _own_top when the two look alike."""
        if self._top_colours.min() == 1:
            return self._own_top
        return self._top_hanging_to(self._hips_depth + _TOP_HANGS * self.frame.unit)

    @_per_photo
    def _hips_depth(self) -> float:
        """How far below the middle of the shoulders the hip joints lie along the body (photo px)."""
        return float((self.frame.mid_hip - self.frame.mid_shoulder) @ self.frame.down)

    def _top_hanging_to(self, lowest: float) -> Alpha:
        """The person's own top (detection size), told from their bottom by colour, no lower than `lowest` photo px
        below the middle of the shoulders (see _own_top)."""
        clothing = self._clothing
        top = clothing * self._top_colours * (self._depth < lowest)
        if top.sum() >= clothing.sum() * 0.9:
            return np.zeros_like(top)  # one colour from neck to legs: nothing to tell apart
        top = cv2.morphologyEx(top, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).astype(np.uint8)
        # A top hangs down from above the waist as one broad piece: patches of its colour lower down, or thin strips
        # of it joined to it (dark folds and shadows of jeans under a black top), are the bottoms'.
        size = 2 * int(_TOP_BREADTH * self.frame.unit * self.regions.scale / 2) + 1
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        broad = cv2.morphologyEx(top, cv2.MORPH_OPEN, disc)
        _, labels = cv2.connectedComponents(broad, connectivity=8)
        hanging = np.unique(labels[(broad > 0) & (self._depth < self._waist_depth)])
        kept = np.isin(labels, hanging[hanging > 0]).astype(np.uint8)
        # Holes inside it (a highlight or a fold's shadow taken for skin or for the bottoms' colour) are the top's all
        # the same: the new bottom never shows through them.
        outlines, _ = cv2.findContours(top, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        whole = cv2.drawContours(np.zeros_like(top), outlines, -1, (1,), cv2.FILLED)
        return (whole * cv2.dilate(kept, disc)).astype(np.float32)

    @_per_photo
    def _top_colours(self) -> Alpha:
        """1 on the person's clothing in their top's colours rather than their bottoms' (own_colours; all ones when
        the two look alike)."""
        return own_colours(self.regions, "top", self._clothing)

    @_per_photo
    def _old_top_hem(self) -> float | None:
        """How far below the middle of the shoulders (body units) the person's own top (_long_top) ends down the middle
        of the body: the median over the middle's columns of its lowest pixel; None where their top cannot be told
        from their bottoms by colour (a dress, a white tank over white shorts) or none of it shows there."""
        if self._top_colours.min() == 1:
            return None
        depth, across = self.regions.body_coordinates
        top = (self._long_top > 0.5) & (np.abs(across) < _HEM_HALF_WIDTH)
        columns = top.any(axis=0)
        if columns.sum() < 3:
            return None
        return float(np.median(np.where(top, depth, -np.inf).max(axis=0)[columns]))

    @_per_photo
    def _top_over_bottoms(self) -> Alpha:
        """What of the person's own top stays in front of a new bottom: their top told from their bottoms by colour
        (_own_top); nothing when one colour runs from their neck to their legs (a dress, a long coat, a white tank
        over white shorts), so no band of it is left between the new waistband and the hips."""
        if self._top_colours.min() == 1:
            return np.zeros_like(self._clothing)
        return self._own_top

    def _old_top(self, uncovered: Mask) -> Alpha:
        """The person's own top off their arms (detection size): told from their bottoms by colour where it can be,
        down to its hem (_long_top: an old top hanging below a new one's hem is no part of their bottoms), else their
        clothing above the waist. Where the new garments leave no clothing uncovered down the middle of the body
        between the waist and the crotch, the two are covered alike above the waist: the top is then that clothing,
        and what of the top told by colour hangs below it (the colours are read once per photo). Its sleeves are left
        to the old sleeves (_bare_body), which stay where no bare arm can be painted."""
        frame = self.frame
        depth, across = self.regions.body_coordinates
        waist = self._waist_depth / frame.unit
        crotch = self._hips_depth / frame.unit + _CROTCH
        middle = (depth >= waist) & (depth < crotch) & (np.abs(across) < _MIDDLE_HALF_WIDTH)
        shown = (self._clothing > 0.5) & uncovered & middle
        if shown.sum() > 0.01 * middle.sum() and self._long_top.any():
            top = self._long_top
        else:
            top = self._clothing * (self._depth < self._waist_depth)
            if self._top_colours.min() < 1:
                top = np.maximum(top, self._long_top)
        return cast(Alpha, top * (1 - self.regions.arms))

    @_per_photo
    def _waist_depth(self) -> float:
        """How far below the middle of the shoulders the waist lies along the body (photo px)."""
        frame = self.frame
        return (
            float((frame.mid_hip - frame.mid_shoulder) @ frame.down) - WAIST_ABOVE_HIPS * frame.torso_length
        )

    def _add_zone(self, region: Box, alpha: Alpha, sideways: float, upward: float) -> None:
        """Remember the garment, widened `sideways` and `upward` (body units), as where old clothes must not show
        beside it."""
        x0, y0, x1, y1 = region
        scale = self.regions.scale
        small = cv2.resize(
            alpha,
            (max(1, int((x1 - x0) * scale)), max(1, int((y1 - y0) * scale))),
            interpolation=cv2.INTER_AREA,
        )
        unit = self.frame.unit * scale
        reach, rise = max(1, int(sideways * unit)), min(int(upward * unit), int(y0 * scale))
        garment = cv2.copyMakeBorder(
            (small > 0.5).astype(np.uint8), rise, 0, reach, reach, cv2.BORDER_CONSTANT, value=(0,)
        )
        zone = cv2.dilate(garment, np.ones((1, 2 * reach + 1), np.uint8))
        if rise:
            zone = cv2.dilate(zone, np.ones((rise + 1, 1), np.uint8), anchor=(0, 0))
        sy0, sx0 = int(y0 * scale) - rise, int(x0 * scale) - reach
        left = max(0, -sx0)  # the widening may run off the photo's left edge
        target = self._zones[sy0 : sy0 + zone.shape[0], sx0 + left : sx0 + zone.shape[1]]
        np.maximum(
            target, zone[: target.shape[0], left : left + target.shape[1]].astype(np.float32), out=target
        )


# How far above the garment's lowest row a column's hem may end, as a share of the garment's height, and still be its
# hem (a slanting or high-low hem), not the side of something wider above a leg.
_HEM_BAND = 0.5
_SLIVER = 0.05


def below_the_hem(clothes: Mask, uncovered: Mask) -> Mask:
    """The clothes (bool) that lie below a new garment (where `uncovered` is False) in their own column. A hem is read
    column by column: it is not level (a curved, slanting or ragged one, a walking leg), and under its higher parts
    lies leg, not a band of what is beside the garment down to its lowest point; clothes in columns the garment does
    not reach lie beside it, and so do clothes in a row the garment flanks on both sides (the gap between a new pair
    of trousers' legs, below their crotch: no leg shows there). A column's hem is the garment's when it ends in the
    lower half of the garment's height (a slanting or curved hem); a column where it ends higher (the side of a
    waistband or hips wider than the leg below them, a crotch) has the garment beside it, not above a leg; nor is what
    lies between two parts of the garment in a column (under a waistband, above a flared leg's hem) below it. Narrow
    strips hanging below the garment are no part of its hem."""
    covered = ~uncovered
    columns = np.flatnonzero(covered.any(axis=0))
    if columns.size == 0:
        return np.zeros_like(clothes)
    # Strips narrower than _SLIVER of the garment's width hanging below its hem (a worn dress's cut-out keeps a fold or
    # the model's fingers beside her legs) are no hem: the legs beside and between them were left to fill from around.
    width = max(3, round(_SLIVER * (columns[-1] - columns[0] + 1)))
    covered = cv2.morphologyEx(covered.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, width), np.uint8)) > 0
    rows = np.flatnonzero(covered.any(axis=1))
    if rows.size == 0:
        return np.zeros_like(clothes)
    top, bottom = rows[0], rows[-1]
    ends = covered.shape[0] - 1 - np.argmax(covered[::-1], axis=0)  # each column's lowest covered row
    at_hem = covered.any(axis=0) & (ends >= bottom - _HEM_BAND * (bottom - top))
    flanked = (
        np.maximum.accumulate(covered, axis=1) & np.maximum.accumulate(covered[:, ::-1], axis=1)[:, ::-1]
    )
    under = np.arange(covered.shape[0])[:, None] > ends[None, :]  # below the column's lowest covered row
    below: Mask = clothes & under & at_hem[None, :] & ~flanked
    return below


def _skin_light(lightness: NDArray[np.float32], unit: float) -> NDArray[np.float32]:
    """The gain of the light on bare skin painted where clothes were, from their lightness (the clothes' own shade = 1,
    `unit` px per body unit): skin does not take the clothes' weave or ribs, so their light smoothed over
    _NECK_LIGHT_BLUR, at a third of its contrast."""
    clipped = np.clip(lightness, *_SHADING_RANGE)
    light: NDArray[np.float32] = 1 + (cv2.GaussianBlur(clipped, (0, 0), _NECK_LIGHT_BLUR * unit) - 1) / 3
    return light


def _mean_around(
    colours: NDArray[np.float32], known: NDArray[np.float32], sigma: float
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """(The mean colour of the known pixels around each pixel, weighted by a Gaussian of `sigma` px; their weight)."""
    weight = _smooth(known, sigma)
    return _smooth(colours * known[..., None], sigma) / np.maximum(weight, 1e-6)[..., None], weight


def _smooth(image: NDArray[np.float32], sigma: float) -> NDArray[np.float32]:
    """A Gaussian blur of `sigma` px; a wide one is done at a reduced size (a few pixels of sigma there), where it
    costs a fraction and looks the same."""
    factor = max(1, int(sigma / 3))
    if factor == 1:
        return cast(NDArray[np.float32], cv2.GaussianBlur(image, (0, 0), sigma))
    height, width = image.shape[:2]
    reduced = cv2.resize(
        image, (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA
    )
    blurred = cv2.GaussianBlur(reduced, (0, 0), sigma / factor)
    return cast(NDArray[np.float32], cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR))


def dilate_by_ellipse(image: NDArray[np.float32], size: int) -> NDArray[np.float32]:
    """The image dilated by OpenCV's elliptic structuring element of `size` px (the same result as cv2.dilate with
    it): that ellipse is the union of centred rectangles, one per width of its rows, each as tall as the band of rows
    at least that wide, and a rectangle dilates row by row then column by column, where OpenCV is fast (it takes
    each point of a non-rectangular element in turn, a few times slower)."""
    halves = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)).sum(axis=1) // 2
    dilated, rows, reach = image.copy(), image, 0
    for half in sorted(set(halves.tolist())):
        rows = cast(  # `half` px either side
            NDArray[np.float32], cv2.dilate(rows, np.ones((1, 2 * (half - reach) + 1), np.uint8))
        )
        reach = half
        np.maximum(
            dilated, cv2.dilate(rows, np.ones((int((halves >= half).sum()), 1), np.uint8)), out=dilated
        )
    return dilated


def _beyond_line(line: tuple[Point, Point], region: Box) -> NDArray[np.float32]:
    """0..1 over the region (x0, y0, x1, y1): 1 on the side of the line (point, direction) the direction points to,
    with a pixel's soft edge."""
    (x, y), (dx, dy) = line
    x0, y0, x1, y1 = region
    columns = (np.arange(x0, x1, dtype=np.float32) - x) * dx
    rows = (np.arange(y0, y1, dtype=np.float32) - y) * dy
    beyond: NDArray[np.float32] = np.clip(rows[:, None] + columns[None, :] + 0.5, 0, 1)
    return beyond


# --- image I/O ----------------------------------------------------------------------------------


def _load_rgb(image_data: bytes, max_dimension: int) -> tuple[RGB, Alpha | None]:
    """(RGB uint8 array, alpha float32 or None); transparent images are flattened onto white for detection."""
    image = load_image(image_data, max_dimension=max_dimension)
    if image.mode != "RGBA":
        return np.asarray(image.convert("RGB")), None
    array = np.asarray(image)
    alpha = array[..., 3].astype(np.float32) / 255
    rgb = array[..., :3].astype(np.float32) * alpha[..., None] + 255 * (1 - alpha[..., None])
    return rgb.round().astype(np.uint8), alpha


def _encode(rgb: NDArray[np.float32], alpha: Alpha | None) -> bytes:
    rounded = rgb + 0.5
    colour = np.clip(rounded, 0, 255, out=rounded).astype(np.uint8)
    if alpha is None:
        return encode_image(Image.fromarray(colour, "RGB"), compress_level=1)
    channel = np.clip(alpha * 255 + 0.5, 0, 255).astype(np.uint8)
    return encode_image(Image.fromarray(np.dstack([colour, channel]), "RGBA"), compress_level=1)
