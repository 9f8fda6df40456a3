"""The offline image model: mediapipe person segmentation, pose and face detection + OpenCV compositing.

mediapipe 0.10.21 (legacy `mp.solutions`) ships its models in the wheel, so this works without a
network. Its solution objects are not thread-safe: each kind lives in a pool from which a caller
borrows an idle instance or builds a new one, so N worker threads use at most N instances of each
and never share one. Pose uses model_complexity=1 only: 0 and 2 try to download weights and fail.

Try-on is a geometric composite, not a generative model: each garment is cut out of its product
photo and warped with an affine transform from three anchor points on the garment (shoulder seams,
waistband, or the edge of the item) to the matching points derived from the person's pose.
"""
import os
import threading
from functools import wraps

import cv2
import numpy as np
from PIL import Image

from shared.ai_models import DRESSING_ORDER, masks
from shared.ai_models.body import (FEET, LEFT_ANKLE, LEFT_EAR, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, RIGHT_ANKLE,
                                   RIGHT_EAR, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, Body)
from shared.ai_models.errors import ImageModelError
from shared.image_processing import encode_image, load_image

MAX_OUTPUT_DIMENSION = 2048
_GARMENT_SIZE = 1024


# The work is CPU-bound: running more at once than there are cores only adds mediapipe instances
# (memory) and context switches. Callers beyond this wait their turn.
_cpu_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def _one_per_core(method):
    @wraps(method)
    def wrapper(*args, **kwargs):
        with _cpu_slots:
            return method(*args, **kwargs)
    return wrapper


class LocalImageModel:
    name = "local"
    can_build_bodies = False

    def availability(self):
        """Always there: the model ships with the service."""
        return {"provider": self.name, "model": None, "status": "ok", "reason": None}

    @_one_per_core
    def remove_background(self, image, meter=None):
        """PNG of the photo with everything but the person transparent."""
        rgb, alpha = _load_rgb(image, MAX_OUTPUT_DIMENSION)
        body = Body(rgb)
        if not body.found:
            raise ImageModelError("NO_PERSON_DETECTED")
        person = body.person_alpha(rgb)
        if person.max() < 0.5:
            raise ImageModelError("NO_PERSON_DETECTED")
        return _encode(rgb.astype(np.float32), person if alpha is None else person * alpha)

    @_one_per_core
    def try_on(self, person, garments, options, *, timeout_seconds=None, meter=None):
        """PNG of the person with each garment warped onto their pose, bottom layers first (about a second of
        CPU: there is nothing to cut short, so timeout_seconds is not needed; nothing is billed to a meter)."""
        if not garments:
            raise ValueError("try_on needs at least one garment")
        rgb, alpha = _load_rgb(person, MAX_OUTPUT_DIMENSION)
        body = Body(rgb)
        if body.face_count > 1:
            raise ImageModelError("MULTIPLE_PEOPLE", details={"faces": body.face_count})
        if body.landmarks is None:
            raise ImageModelError("NO_POSE_DETECTED" if body.found else "NO_PERSON_DETECTED")
        canvas = rgb.astype(np.float32)
        for position, garment in sorted(enumerate(garments),
                                        key=lambda item: DRESSING_ORDER.index(item[1].garment_type)):
            colour, coverage = _fit_garment(garment, position, body)
            canvas = canvas * (1 - coverage[..., None]) + colour
            if alpha is not None:
                alpha = np.maximum(alpha, coverage)
        return _encode(canvas, alpha)

    def close(self):
        """Nothing to release: the mediapipe pools are shared by the whole process."""


# --- garments ---------------------------------------------------------------------------------

def _fit_garment(garment, position, body):
    """(premultiplied colour, alpha) of the garment warped onto the body, both at the body photo's size."""
    anchor = _anchor_for(garment)
    target = _body_anchor_points(anchor, body, garment, position)
    rgb, alpha, source = _cut_out_garment(garment, anchor, position)
    transform = cv2.getAffineTransform(source.astype(np.float32), target.astype(np.float32))
    size = (body.width, body.height)
    premultiplied = rgb.astype(np.float32) * alpha[..., None]
    colour = cv2.warpAffine(premultiplied, transform, size, flags=cv2.INTER_LINEAR, borderValue=0)
    coverage = cv2.warpAffine(alpha, transform, size, flags=cv2.INTER_LINEAR, borderValue=0)
    return colour, np.clip(coverage, 0, 1)


def _anchor_for(garment):
    """Which part of the body the garment hangs from."""
    if garment.garment_type in ("top", "one_piece"):
        return "shoulders"
    if garment.garment_type == "outerwear":
        return "outer_shoulders"
    if garment.garment_type == "bottom":
        return "waist"
    if garment.garment_type == "shoes":
        return "feet"
    words = " ".join(str(garment.details.get(key) or "") for key in ("category", "title")).lower()
    for anchor, keywords in (("head", ("hat", "cap", "beanie", "beret")), ("belt", ("belt",)),
                             ("neck", ("necklace", "jewel", "pendant", "chain", "scarf"))):
        if any(keyword in words for keyword in keywords):
            return anchor
    return "hip_side"


# Where on the garment's own outline its anchor line lies: (fraction of its height, measure the mask's
# width on that row rather than the bounding box).
_GARMENT_ANCHOR_ROWS = {"shoulders": (0.1, True), "outer_shoulders": (0.1, True), "waist": (0.03, True),
                        "feet": (1.0, False), "head": (1.0, False), "belt": (0.5, False),
                        "neck": (0.0, False), "hip_side": (0.0, False)}
# The pair of landmarks an anchor is measured from (they must be visible), and their name for the user.
_REQUIRED_LANDMARKS = {"shoulders": ((LEFT_SHOULDER, RIGHT_SHOULDER), "shoulders"),
                       "outer_shoulders": ((LEFT_SHOULDER, RIGHT_SHOULDER), "shoulders"),
                       "neck": ((LEFT_SHOULDER, RIGHT_SHOULDER), "shoulders"),
                       "hip_side": ((LEFT_SHOULDER, RIGHT_SHOULDER), "shoulders"),
                       "waist": ((LEFT_HIP, RIGHT_HIP), "hips"), "belt": ((LEFT_HIP, RIGHT_HIP), "hips"),
                       "feet": ((LEFT_ANKLE, RIGHT_ANKLE), "feet"), "head": ((LEFT_EAR, RIGHT_EAR), "head")}


def _body_anchor_points(anchor, body, garment, position):
    """Three points (left, right, one anchor-width 'down' from their middle) on the body for the anchor."""
    required, part = _REQUIRED_LANDMARKS[anchor]
    if not body.visible(*required):
        raise ImageModelError("NO_POSE_DETECTED", f"The person's {part} are not visible in the photo, so the "
                              f"{garment.garment_type.replace('_', ' ')} cannot be placed",
                              details={"garment_index": position, "missing": part})
    left, right = _sorted_pair(body.point(required[0]), body.point(required[1]))
    across = _unit(right - left)
    width = float(np.linalg.norm(right - left))
    down = _body_axis(body, across)
    torso = _torso_length(body, width)
    if anchor in ("shoulders", "outer_shoulders"):
        spread, lift = (0.12, 0.1) if anchor == "shoulders" else (0.2, 0.14)
        return _frame(left - (spread * across + lift * down) * width, right + (spread * across - lift * down) * width,
                      down)
    if anchor in ("waist", "belt"):
        lift = 0.2 * torso
        return _frame(left - 0.45 * width * across - lift * down, right + 0.45 * width * across - lift * down,
                      _leg_axis(body, down))
    if anchor == "feet":
        feet = body.landmarks[list(FEET), :2]
        span = max(float(np.ptp(feet[:, 0])), width)
        bottom = float(feet[:, 1].max())
        return _frame(np.array([feet[:, 0].min() - 0.15 * span, bottom]),
                      np.array([feet[:, 0].max() + 0.15 * span, bottom]), np.array([0.0, 1.0]))
    if anchor == "head":
        brim = (left + right) / 2 - 0.55 * width * down
        return _frame(brim - 0.8 * width * across, brim + 0.8 * width * across, down)
    if anchor == "neck":
        collar = (left + right) / 2 - 0.05 * width * down
        return _frame(collar - 0.22 * width * across, collar + 0.22 * width * across, down)
    side = right + 0.08 * width * across + 0.45 * torso * down
    return _frame(side, side + 0.55 * width * across, down)


def _cut_out_garment(garment, anchor, position):
    """(rgb, alpha, three anchor points) of the garment alone, cropped to it."""
    rgb, alpha = _load_rgb(garment.image, _GARMENT_SIZE)
    if anchor in _WORN_SPAN and _shows_model_wearing(model := Body(rgb), anchor):
        worn = model.person_alpha(rgb) * _worn_region(anchor, model)
        return rgb, worn, _body_anchor_points(anchor, model, garment, position)
    cutout = alpha if _has_transparency(alpha) else masks.garment_alpha(rgb)
    if cutout is None or not 0.01 <= float(cutout.mean()) <= 0.97:
        raise ImageModelError("INVALID_GARMENT_IMAGE", "The garment could not be separated from its product "
                              "photo; use a photo on a plain background or a transparent PNG",
                              details={"garment_index": position})
    rows, columns = np.nonzero(cutout > 0.5)
    top, bottom, left, right = rows.min(), rows.max(), columns.min(), columns.max()
    fraction, measure_row = _GARMENT_ANCHOR_ROWS[anchor]
    row = int(round(top + fraction * (bottom - top)))
    if measure_row:
        on_row = np.flatnonzero(cutout[row] > 0.5)
        left, right = (on_row.min(), on_row.max()) if on_row.size else (left, right)
    return rgb, cutout, _frame(np.array([left, row], np.float32), np.array([right, row], np.float32),
                               np.array([0.0, 1.0]))


def _shows_model_wearing(model, anchor):
    """A product photo of one person (face or hips in view) whose anchor landmarks are visible."""
    return (model.face_count <= 1 and model.visible(*_REQUIRED_LANDMARKS[anchor][0])
            and (model.face_count == 1 or model.visible(LEFT_HIP, RIGHT_HIP)))


# How far along the shoulders-to-hips axis a garment worn by a model reaches (0 = shoulders, 1 = hips).
_WORN_SPAN = {"shoulders": (-0.15, 1.25), "outer_shoulders": (-0.15, 1.6), "waist": (0.8, 4.0)}


def _worn_region(anchor, model):
    """Mask of the part of a model photo the garment covers: below the neck, down to the hem's usual reach."""
    ys, xs = np.mgrid[0:model.height, 0:model.width].astype(np.float32)
    shoulders = model.midpoint(LEFT_SHOULDER, RIGHT_SHOULDER)
    axis = model.midpoint(LEFT_HIP, RIGHT_HIP) - shoulders
    depth = ((xs - shoulders[0]) * axis[0] + (ys - shoulders[1]) * axis[1]) / float(axis @ axis)
    start, end = _WORN_SPAN[anchor]
    return ((depth >= start) & (depth <= end)).astype(np.float32)


def _has_transparency(alpha):
    return alpha is not None and float((alpha < 0.5).mean()) > 0.02


# --- geometry ---------------------------------------------------------------------------------

def _frame(left, right, down):
    """left, right, and the point one |right-left| along `down` from their middle: defines an affine map."""
    width = float(np.linalg.norm(right - left))
    return np.array([left, right, (left + right) / 2 + _unit(down) * width], dtype=np.float32)


def _sorted_pair(first, second):
    return (first, second) if first[0] <= second[0] else (second, first)


def _unit(vector):
    length = float(np.linalg.norm(vector))
    return np.asarray(vector, np.float32) / length if length else np.array([0.0, 1.0], np.float32)


def _body_axis(body, across):
    """Unit vector down the torso (shoulders to hips), or perpendicular to the shoulder line when hips are unseen."""
    perpendicular = np.array([-across[1], across[0]], np.float32)
    if perpendicular[1] < 0:
        perpendicular = -perpendicular
    if body.visible(LEFT_HIP, RIGHT_HIP):
        axis = _unit(body.midpoint(LEFT_HIP, RIGHT_HIP) - body.midpoint(LEFT_SHOULDER, RIGHT_SHOULDER))
        if axis[1] > 0:
            return axis
    return perpendicular


def _leg_axis(body, torso_axis):
    if body.visible(LEFT_KNEE, RIGHT_KNEE):
        return _unit(body.midpoint(LEFT_KNEE, RIGHT_KNEE) - body.midpoint(LEFT_HIP, RIGHT_HIP))
    return torso_axis


def _torso_length(body, shoulder_width):
    length = float(np.linalg.norm(body.midpoint(LEFT_HIP, RIGHT_HIP) - body.midpoint(LEFT_SHOULDER, RIGHT_SHOULDER)))
    return length if length > 0 else 1.5 * shoulder_width


# --- image I/O --------------------------------------------------------------------------------

def _load_rgb(image_data, max_dimension):
    """(RGB uint8 array, alpha float32 or None); transparent images are flattened onto white for detection."""
    image = load_image(image_data, max_dimension=max_dimension)
    if image.mode != "RGBA":
        return np.asarray(image.convert("RGB")), None
    array = np.asarray(image)
    alpha = array[..., 3].astype(np.float32) / 255
    rgb = array[..., :3].astype(np.float32) * alpha[..., None] + 255 * (1 - alpha[..., None])
    return rgb.round().astype(np.uint8), alpha


def _encode(rgb, alpha):
    colour = np.clip(rgb, 0, 255).round().astype(np.uint8)
    if alpha is None:
        return encode_image(Image.fromarray(colour, "RGB"))
    channel = np.clip(alpha * 255, 0, 255).round().astype(np.uint8)
    return encode_image(Image.fromarray(np.dstack([colour, channel]), "RGBA"))
