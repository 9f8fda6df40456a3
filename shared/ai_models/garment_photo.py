"""What a garment's product photo shows: the garment laid flat or worn by a model, and its type.

Used before any image model runs (the try-on pipeline needs the type to prompt Gemini and to place
the garment locally) and by the local model to cut the garment out. A flat-lay garment is keyed off
its plain background as one solid shape and its type read from that outline (silhouette.py); a photo
of a model wearing it is recognised by the model's pose (the photo turned upright first when the model lies
sideways in it). A garment small in a big frame is cropped to its outline before it is measured; one that fills less of a
tall or wide photo's longer side is cut out again in its own box (the photo's frame kept), and a cut-out keeps one
garment (masks.garment_alpha): a price tag, a text or a second garment beside it are not part of it.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import cast

import cv2
import numpy as np
from numpy.typing import ArrayLike
from PIL import Image

from shared.ai_models import masks
from shared.ai_models.arrays import RGB, Alpha, Layer, Mask
from shared.ai_models.body import (
    LEFT_HIP,
    LEFT_SHOULDER,
    LEFT_WRIST,
    RIGHT_HIP,
    RIGHT_SHOULDER,
    RIGHT_WRIST,
    Body,
)
from shared.ai_models.neckline import neck_dip, neck_opening
from shared.ai_models.per_image import remembered_per_image
from shared.ai_models.person_photo import turned, upright_body
from shared.ai_models.silhouette import Outline
from shared.image_processing import load_image

PHOTO_TYPES = ("flat-lay", "on-model")
ANALYSIS_DIMENSION = 1024
_MIN_GARMENT_SHARE, _MAX_GARMENT_SHARE = 0.01, 0.97
_CACHE_SIZE = 8
_SMALL_GARMENT, _GARMENT_MARGIN = 0.5, 0.1
# A garment whose box (with that margin) is at most this share of the photo's longer side is cut out again in the box:
# the cut-out is made at a size set by the photo's longer side, and its smoothing (a few pixels there) closes the narrow
# top of the gap between trouser legs read at a fraction of the garment's own size (jeans then read as a one-piece).
_NARROW_GARMENT = 0.8
# Sideways flat-lays (upright_turns): a garment lies sideways when its mirror overlap top to bottom (masks.squared_shape)
# is at least this and this much more than left to right. Up is then the end a gap this deep (share of its length)
# runs into the other way (trouser legs), or the end with a notch at least this deep in the middle of a band this
# wide either side of its middle (a neckline), or the narrower of its end bands of this depth.
_SIDEWAYS_SYMMETRY, _SIDEWAYS_MARGIN = 0.7, 0.04
_LEG_GAP, _NECK_NOTCH, _NOTCH_HALF_WIDTH, _END_BAND = 0.25, 0.02, 0.03, 0.06


@dataclass(frozen=True)
class GarmentPhoto:
    """A decoded garment photo and what it shows. `alpha` is the flat-lay cut-out (None on a model)."""

    rgb: RGB
    alpha: Alpha | None
    photo_type: str
    model: Body | None
    plain_background: bool = (
        True  # the photo's border is one plain colour (else its garment lies on a busy surface)
    )

    @cached_property
    def outline(self) -> Outline:
        """The flat-lay garment's outline (its type and landmarks), read once per photo."""
        return Outline(self._cut_out, self.rgb)

    @cached_property
    def layer(self) -> Layer:
        """The flat-lay garment as a premultiplied layer (see premultiplied)."""
        return premultiplied(self.rgb, self._cut_out)

    @cached_property
    def neck_opening(self) -> Mask | None:
        """The back of the flat-lay garment seen through its front neckline (boolean mask), or None (neckline.py)."""
        return neck_opening(self.rgb, self._cut_out, self.outline.upper_landmarks)

    @cached_property
    def bare_neckline(self) -> Mask | None:
        """Where a wearer's skin shows in the flat-lay garment's neckline (boolean mask), or None: the back seen
        through its front neckline, and the dip of its outline between its shoulders deeper than a crew neck's (the
        background seen through a V or a scoop; neckline.py)."""
        opening, dip = self.neck_opening, neck_dip(self._cut_out, self.outline.upper_landmarks)
        if opening is None or dip is None:
            return dip if opening is None else opening
        return opening | dip

    @cached_property
    def body_and_sleeves(self) -> tuple[Layer, list[Layer]]:
        """The flat-lay layer split into the garment's body and each of its sleeves (none without sleeves); the
        back seen through the neckline is in neither: a wearer's neck and skin show there."""
        opening = self.neck_opening
        body = self.layer if opening is None else masked(self.layer, ~opening)
        if self.outline.upper_landmarks.sleeves is None:
            return body, []
        sleeves = self.outline.sleeve_masks(self._cut_out.shape)
        return masked(body, ~(sleeves[0] | sleeves[1])), [masked(self.layer, sleeve) for sleeve in sleeves]

    @property
    def _cut_out(self) -> Alpha:
        """The alpha, for what only a flat-lay has (its outline, its layer)."""
        assert self.alpha is not None, "not a flat-lay"
        return self.alpha

    @property
    def detected_type(self) -> str | None:
        """The type the photo suggests: the outline's for a flat-lay; on a model, the dress or the top."""
        if self.alpha is not None:
            return self.outline.garment_type
        if self.model is not None:
            return "top"
        return None


@remembered_per_image(_CACHE_SIZE)
def read_garment_photo(image: bytes) -> GarmentPhoto:
    """The photo's analysis, shared by the pipeline and the local model (the last few are kept)."""
    decoded = load_image(image, max_dimension=ANALYSIS_DIMENSION)
    rgb, transparency = _flatten(decoded)
    model, turns = upright_body(rgb, when_unseen=False)
    upright = turned(rgb, turns)
    if _shows_a_model(model, upright):
        return GarmentPhoto(rgb=upright, alpha=None, photo_type="on-model", model=model)
    alpha = transparency if transparency is not None else masks.garment_alpha(rgb)
    # A garment on a busy surface (a patterned table or floor) cannot be told from it by its outline: the job then
    # says so (NEEDS_PLAIN_BACKGROUND), not that the photo holds no garment.
    plain = transparency is not None or alpha is not None or masks.plain_border(rgb)
    if alpha is not None and transparency is None and (box := _small_garment_box(alpha)) is not None:
        # A garment small in its frame is measured at the resolution the upload has, cropped to its outline.
        full = np.asarray(load_image(image).convert("RGB"))
        scale = full.shape[1] / rgb.shape[1]
        x0, y0, x1, y1 = (round(value * scale) for value in box)
        rgb = np.ascontiguousarray(masks.resize_to_fit(full[y0:y1, x0:x1], ANALYSIS_DIMENSION))
        alpha = masks.garment_alpha(rgb)
    elif alpha is not None and transparency is None and (box := _narrow_garment_box(alpha)) is not None:
        # Its proportions are then its own (the gap between its legs up to the crotch), not the photo's.
        alpha = _cut_out_within(rgb, box, alpha)
    if alpha is not None and not _MIN_GARMENT_SHARE <= float((alpha > 0.5).mean()) <= _MAX_GARMENT_SHARE:
        alpha = None
    if alpha is not None and (turns := upright_turns(alpha > 0.5)):
        # Cut out again upright: the cut-out bridges light stripes across a garment's length, which on a sideways
        # photo would close the gap between trouser legs.
        rgb = turned(rgb, turns)
        alpha = (
            np.ascontiguousarray(np.rot90(transparency, turns))
            if transparency is not None
            else masks.garment_alpha(rgb)
        )
    return GarmentPhoto(rgb=rgb, alpha=alpha, photo_type="flat-lay", model=None, plain_background=plain)


def upright_turns(garment: Mask) -> int:
    """Quarter turns (np.rot90's k) that stand a flat-lay garment lying sideways upright, else 0.

    A garment laid flat and photographed from the front is mirror-symmetric about its own up-down axis (sleeves,
    legs, the two sides of a skirt): one that is clearly more symmetric top to bottom than left to right in the
    photo lies sideways. Its upright is where its collar or waistband is: the end a deep gap runs into is where its
    legs are (trousers, shorts: the gap between them), else the end with a shallow notch in its middle is its
    neckline, else (a skirt: no notch at either end) its narrower end is its waistband."""
    small = masks.squared_shape(garment)
    if small is None:
        return 0
    across, down = masks.mirror_overlap(small), masks.mirror_overlap(small.T)
    if not (down >= _SIDEWAYS_SYMMETRY and down >= across + _SIDEWAYS_MARGIN):
        return 0
    standing = np.rot90(small, 1)  # one of the two upright candidates; the other is it turned half round
    top, bottom = _notch(standing), _notch(standing[::-1])
    if max(top, bottom) >= _LEG_GAP:
        up_first = bottom >= top
    elif max(top, bottom) >= _NECK_NOTCH:
        up_first = top >= bottom
    else:
        end = max(1, round(_END_BAND * standing.shape[0]))
        up_first = standing[:end].sum() <= standing[-end:].sum()
    return 1 if up_first else 3


def _notch(mask: Mask) -> float:
    """How deep (share of the height) the middle of the mask's top edge stays empty below its highest row, while
    there is garment either side of it: a neckline, or the gap between trouser legs seen from their hems."""
    width = mask.shape[1]
    half = max(1, round(_NOTCH_HALF_WIDTH * width))
    middle = width // 2
    band = mask[:, middle - half : middle + half + 1].mean(axis=1)
    sides = mask[:, : middle - half].any(axis=1) & mask[:, middle + half + 1 :].any(axis=1)
    depth = 0
    while depth < mask.shape[0] and band[depth] < 0.5 and sides[depth]:
        depth += 1
    return depth / mask.shape[0]


@dataclass(frozen=True)
class _GarmentBox:
    """The garment's bounds (x0, y0, x1, y1) in its cut-out, and that box with _GARMENT_MARGIN of its size as margin
    (a plain background left all round), clipped to the photo."""

    bounds: tuple[int, int, int, int]
    with_margin: tuple[int, int, int, int]


def _garment_box(alpha: Alpha) -> _GarmentBox | None:
    """The box around what of `alpha` is garment (over 0.5), None when nothing is."""
    ys, xs = np.nonzero(alpha > 0.5)
    if len(xs) == 0:
        return None
    height, width = alpha.shape
    x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
    margin = round(_GARMENT_MARGIN * max(x1 - x0, y1 - y0))
    return _GarmentBox(
        (x0, y0, x1, y1),
        (max(0, x0 - margin), max(0, y0 - margin), min(width, x1 + margin), min(height, y1 + margin)),
    )


def _small_garment_box(alpha: Alpha) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) around a garment spanning less than _SMALL_GARMENT of the photo's width and height, with
    _GARMENT_MARGIN of its size as margin (a plain background left all round), or None for a larger one."""
    box = _garment_box(alpha)
    if box is None:
        return None
    x0, y0, x1, y1 = box.bounds
    height, width = alpha.shape
    if x1 - x0 >= _SMALL_GARMENT * width or y1 - y0 >= _SMALL_GARMENT * height:
        return None
    return box.with_margin


def _narrow_garment_box(alpha: Alpha) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) around the garment with _GARMENT_MARGIN of its size as margin, when that box's longer side is at
    most _NARROW_GARMENT of the photo's longer side (a tall photo with plain margins above and below the garment), else
    None."""
    found = _garment_box(alpha)
    if found is None:
        return None
    box = found.with_margin
    if max(box[2] - box[0], box[3] - box[1]) > _NARROW_GARMENT * max(alpha.shape):
        return None
    return box


def _cut_out_within(rgb: RGB, box: tuple[int, int, int, int], alpha: Alpha) -> Alpha:
    """The garment cut out of the photo's box alone (masks.garment_alpha at the box's own size), in the photo's frame,
    within the photo's own cut-out `alpha` (what that left out, a dress form's neck cut off where it rose above the
    box, stays out); `alpha` when the box holds no plain-background garment."""
    x0, y0, x1, y1 = box
    inner = masks.garment_alpha(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
    if inner is None:
        return alpha
    whole = np.zeros(alpha.shape, np.float32)
    whole[y0:y1, x0:x1] = inner
    return cast(Alpha, np.minimum(whole, alpha))


def premultiplied(rgb: RGB, alpha: ArrayLike) -> Layer:
    """H×W×4 uint8: colour premultiplied by alpha, and alpha. The cut-out's soft edge is pulled in by about a
    pixel first: there the photo's colour is part background, and would show as a light or dark fringe."""
    opacity = cv2.convertScaleAbs(np.clip(np.asarray(alpha, np.float32), 0, 1), alpha=255)
    opacity = cv2.subtract(opacity, round(0.35 * 255))  # type: ignore[call-overload]  # cv2 takes a scalar, its stub does not
    opacity = cv2.multiply(opacity, 1, scale=1 / 0.6, dtype=cv2.CV_8U)  # type: ignore[call-overload]  # a scalar, as above
    colour = cv2.multiply(rgb, cv2.merge([opacity] * 3), scale=1 / 255)
    return cast(Layer, cv2.merge([*cv2.split(colour), opacity]))


def masked(layer: Layer, keep: ArrayLike) -> Layer:
    """The layer with its alpha (and premultiplied colour) multiplied by `keep` (0..1, or a boolean mask)."""
    weight = np.repeat(
        (np.clip(np.asarray(keep, np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)[..., None], 4, axis=2
    )
    return cast(Layer, cv2.multiply(layer, weight, scale=1 / 255))


def _shows_a_model(body: Body, rgb: RGB) -> bool:
    """One person whose shoulders are in view together with their face or their hips. Without a face or a hand in
    view, a garment on a dress form, whose shape the pose reads as a body, is no model (masks.on_a_dress_form)."""
    if not (
        body.face_count <= 1
        and body.visible(LEFT_SHOULDER, RIGHT_SHOULDER)
        and (body.face_count == 1 or body.visible(LEFT_HIP, RIGHT_HIP))
    ):
        return False
    return (
        body.face_count == 1
        or body.visible(LEFT_WRIST)
        or body.visible(RIGHT_WRIST)
        or not masks.on_a_dress_form(rgb)
    )


def _flatten(image: Image.Image) -> tuple[RGB, Alpha | None]:
    """(RGB uint8, alpha or None): a transparent product photo is flattened onto white, its alpha kept."""
    if image.mode != "RGBA":
        return np.asarray(image.convert("RGB")), None
    array = np.asarray(image)
    alpha = array[..., 3].astype(np.float32) / 255
    if float((alpha < 0.5).mean()) <= 0.02:
        return np.ascontiguousarray(array[..., :3]), None
    rgb = array[..., :3].astype(np.float32) * alpha[..., None] + 255 * (1 - alpha[..., None])
    return rgb.round().astype(np.uint8), alpha
