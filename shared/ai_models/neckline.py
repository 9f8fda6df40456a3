"""The inside of a garment's back, seen through its front neckline on a product photo.

A top or dress photographed flat (or on a ghost mannequin) shows, inside its front neckline, the
back of the neckline and the inside of the back below it: a band of fabric (with its label) that a
person wearing the garment hides behind their neck. Laid on a person as it is, that band would cover
the throat. It is found as the region around the middle of the garment's top that the front
neckline's edge closes off from the rest of the front (a marker-based watershed on the photo: one
marker just under the back neckline, others on the shoulders and the chest), accepted only when it
looks like an opening: centred, narrower than the shoulders, small against the garment and ending
above the bust line, narrowing to the front's neckline edge when deeper than a crew neck, and
bounded by an edge clearly stronger than the fabric's own texture. A front made of panels (a wrap's
crossing bodice, a placket, a yoke, a contrasting panel) has strong edges too but fails those: when
in doubt the garment is kept as photographed (a band of inner back over the throat is a small fault,
a missing bodice a large one). Garments cut out without it (an outline that already dips at the
neckline) have none.

Such a garment's neck opening is the dip of its outline's top edge between its shoulders (`neck_dip`): the background
seen through a V or a scoop (or between a dress's straps). It is an opening only when it reaches down the chest, deeper
than a crew neck (a quarter of the shoulders' span and 0.6 of its own width): a crew or boat neck's shallow dip lies
around the wearer's neck, a halter's neck rises from its shoulders (no dip at all).
"""

from typing import cast

import cv2
import numpy as np
from numpy.typing import ArrayLike, NDArray

from shared.ai_models.arrays import RGB, Mask
from shared.ai_models.silhouette import UpperLandmarks

# Where under the back neckline the opening is looked for: shares of the depth from the top of the
# garment to its armpits (a crew neck's opening is shallow, a V-neck's deep; the first marker that
# lands in the opening finds it).
_SEED_DEPTHS = (0.03, 0.06, 0.1, 0.15, 0.2, 0.3)
_SEED_HALF_WIDTH = 0.04  # share of the shoulders' span
# Share of that depth below which everything is the front of the garment: below the deepest an opening may reach, so
# a deep V's point (the inner back there in the front's shade, darker than under the back neckline) is never taken
# for the front.
_FRONT_FROM = 0.9
_MAX_WIDTH = 0.9  # share of the shoulders' span an opening may take (a boat neck is wide)
_MIN_WIDTH = 0.2
_MAX_DEPTH = 0.85  # share of the depth to the armpits an opening may reach (a deep V, a wrap)
# Share of the shoulders' span an opening reaches below the line between the shoulders' tops at least: the back seen
# through a neckline lies in front of the wearer's throat; a collar standing above the shoulders (a turtleneck, a
# shirt's collar) ends above that line and is worn on the neck.
_MIN_BELOW_SHOULDERS = 0.02
_MAX_START = 0.08  # the opening starts right under the back neckline
_MAX_OFF_CENTRE = 0.1
_MAX_DEPTH_OF_SPAN = 0.6  # share of the shoulders' span an opening may reach down: above the bust line
_MAX_AREA = 0.35  # share of the garment above its armpits an opening may hold (a whole bodice is the front)
_CLOSED_BELOW = 0.25  # share of the shoulders' span below which an opening must narrow to its bottom: ...
_CLOSING_ROWS = (
    0.15  # ... in this share of its height at its bottom (where the front's neckline edge closes it) ...
)
_MAX_CLOSING_WIDTH = 0.7  # ... it is at most this share of its widest (a V, a U; not a seam's line)
_MIN_EDGE_CONTRAST = 3.0  # the neckline's edge, for the fabric's own texture
_MIN_EDGE = 8.0  # grey levels per pixel (Sobel, lightly smoothed)
_WORK_WIDTH = 400  # px: the neck's box is read at most this wide
_SMOOTHING = 0.03  # share of the shoulders' span over which the opening's lower edge is smoothed
# A dip of the top edge between the shoulders is a neck opening when it is at least this share of the shoulders' span
# deep and this share of its own width (a crew neck dips about 0.2 of the span, 0.45 of its width; a scoop 0.3-0.5, a
# V 0.35-0.6 of the span, as deep as wide or deeper), centred on the garment.
_DIP_MIN_DEPTH = 0.25
_DIP_MIN_DEPTH_PER_WIDTH = 0.6


def neck_opening(rgb: RGB, alpha: ArrayLike, landmarks: UpperLandmarks) -> Mask | None:
    """Boolean mask (the photo's size) of the back of the garment seen through its front neckline, or None.
    `landmarks` are the garment's UpperLandmarks (collar, shoulders, armpits)."""
    mask = np.asarray(alpha) > 0.5
    (left, left_top), (right, right_top) = landmarks.shoulders
    top = float(landmarks.collar[1])
    depth = float(landmarks.armpits[:, 1].mean()) - top
    # Everything happens in the box around the neck (from just outside the shoulders down to the armpits), at
    # a size where the neckline is still a few pixels wide.
    span = float(right - left)
    x0, x1 = max(0, int(left - 0.1 * span)), min(mask.shape[1], int(right + 0.1 * span) + 1)
    y0, y1 = max(0, int(top) - 3), min(mask.shape[0], int(top + depth) + 1)
    if span <= 4 or depth <= 4 or x1 - x0 < 8 or y1 - y0 < 8:
        return None
    scale = min(1.0, _WORK_WIDTH / (x1 - x0))
    size = (max(8, round((x1 - x0) * scale)), max(8, round((y1 - y0) * scale)))
    box_mask: Mask = (
        cv2.resize(mask[y0:y1, x0:x1].astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
    )
    picture = cast(
        RGB, cv2.GaussianBlur(cv2.resize(rgb[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA), (0, 0), 0.7)
    )
    collar = ((float(landmarks.collar[0]) - x0) * scale, (top - y0) * scale)
    shoulders = ((left - x0) * scale, (right - x0) * scale)
    shoulder_line = ((left_top + right_top) / 2 - y0) * scale
    span, depth = span * scale, depth * scale
    strength = _edge_strength(picture, box_mask)
    fabric = strength[cv2.erode(box_mask.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0]
    if fabric.size == 0:
        return None
    texture = float(np.median(fabric))
    found = np.zeros(box_mask.shape, bool)
    for share in _SEED_DEPTHS:
        inner = _region(picture, box_mask, collar, shoulders, span, depth, share)
        if (
            inner is not None
            and _looks_like_an_opening(inner, box_mask, collar, shoulder_line, span, depth)
            and _boundary_strength(inner, box_mask, strength) >= max(_MIN_EDGE, _MIN_EDGE_CONTRAST * texture)
        ):
            found |= inner  # markers at several depths may each find a part of it (stripes seen through it)
    if not found.any():
        return None
    opening = np.zeros(mask.shape, bool)
    whole: Mask = (
        cv2.resize(
            _down_to(found, box_mask, span).astype(np.uint8),
            (x1 - x0, y1 - y0),
            interpolation=cv2.INTER_NEAREST,
        )
        > 0
    )
    opening[y0:y1, x0:x1] = whole & mask[y0:y1, x0:x1]
    return opening


def neck_dip(alpha: ArrayLike, landmarks: UpperLandmarks) -> Mask | None:
    """Boolean mask (the photo's size) of the neck opening a garment's outline shows as a dip of its top edge between
    its shoulders (the background seen through a V or a scoop), or None where it dips less than a neck opening does.
    The dip is what would hold water poured on the top edge between the shoulders' tops (or a strap dress's straps),
    the part of it around the garment's middle."""
    mask = np.asarray(alpha) > 0.5
    (left, _), (right, _) = landmarks.strap_tops
    centre = float(landmarks.collar[0])
    span = float(right - left)
    armpits = int(landmarks.armpits[:, 1].mean())
    x0, x1 = max(0, int(np.floor(left))), min(mask.shape[1], int(np.ceil(right)) + 1)
    if span <= 4 or not x0 <= centre < x1 or armpits <= 0:
        return None
    upper = mask[:armpits, x0:x1]
    tops = np.where(upper.any(axis=0), upper.argmax(axis=0), armpits)
    # The level water would rise to over each column: the lower of the highest edges on either side of it.
    level = np.maximum(np.minimum.accumulate(tops), np.minimum.accumulate(tops[::-1])[::-1])
    deep = tops > level
    middle = int(centre) - x0
    if not deep[middle]:
        return None
    first = middle - int(np.argmin(deep[middle::-1])) + 1 if not deep[: middle + 1].all() else 0
    last = middle + int(np.argmin(deep[middle:])) if not deep[middle:].all() else len(deep)
    depth = float((tops[first:last] - level[first:last]).max())
    width = float(last - first)
    if (
        depth < _DIP_MIN_DEPTH * span
        or depth < _DIP_MIN_DEPTH_PER_WIDTH * width
        or abs((first + last) / 2 - middle) > _MAX_OFF_CENTRE * span
    ):
        return None
    rows = np.arange(mask.shape[0])[:, None]
    dip = np.zeros(mask.shape, bool)
    dip[:, x0 + first : x0 + last] = (rows >= level[first:last]) & (rows < tops[first:last])
    return dip


def _region(
    picture: RGB,
    mask: Mask,
    collar: tuple[float, float],
    shoulders: tuple[float, float],
    span: float,
    depth: float,
    share: float,
) -> Mask | None:
    """The region the watershed gives the marker `share` of the depth under the back neckline, or None."""
    centre, top = collar
    markers = np.zeros(mask.shape, np.int32)
    markers[~cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)] = 3
    half = max(1, int(_SEED_HALF_WIDTH * span))
    row = int(top + share * depth)
    if row + 2 >= mask.shape[0]:
        return None
    markers[row : row + 2, max(0, int(centre) - half) : int(centre) + half] = 1
    for x in shoulders:
        column = np.flatnonzero(mask[:, int(np.clip(x, 0, mask.shape[1] - 1))])
        if column.size:
            markers[column[0] + 3 : column[0] + 8, max(0, int(x) - 3) : int(x) + 3] = 2
    front = int(top + _FRONT_FROM * depth)
    markers[front:][markers[front:] == 0] = 2
    inner: Mask = cv2.watershed(picture, markers) == 1
    return inner if inner.any() else None


def _looks_like_an_opening(
    inner: Mask, mask: Mask, collar: tuple[float, float], shoulder_line: float, span: float, depth: float
) -> bool:
    """Whether the region is the back seen through a neckline, not a panel of the front (a wrap's crossing panels, a
    yoke, a placket, a contrasting bodice, all bounded by strong edges too) nor a collar standing above the shoulders
    (a turtleneck's, a shirt's: it ends above the shoulders' line): centred and starting right under the back
    neckline, reaching below the shoulders' line, small and shallow against the garment (above the bust line), and,
    deeper than a crew or boat neck, closed off at its bottom by the front's neckline edge, narrowing down to it: a
    region ending on a wide line (a waist seam, a yoke's seam) is never one."""
    centre, top = collar
    ys, xs = np.nonzero(inner)
    width = float(np.ptp(xs)) / span
    lowest = ys.max() - top
    if not (
        _MIN_WIDTH <= width <= _MAX_WIDTH
        and lowest / depth <= _MAX_DEPTH
        and ys.max() - shoulder_line >= _MIN_BELOW_SHOULDERS * span
        and lowest / span <= _MAX_DEPTH_OF_SPAN
        and (ys.min() - top) / depth <= _MAX_START
        and abs(float(xs.mean()) - centre) / span < _MAX_OFF_CENTRE
    ):
        return False
    if inner.sum() > _MAX_AREA * mask[int(max(0, top)) :].sum():
        return False
    if lowest / span <= _CLOSED_BELOW:
        return True
    widths = inner.sum(axis=1)
    closing = widths[int(ys.max() - _CLOSING_ROWS * (ys.max() - ys.min())) : ys.max() + 1]
    return bool(closing.max() <= _MAX_CLOSING_WIDTH * widths.max())


def _edge_strength(picture: RGB, mask: Mask) -> NDArray[np.float32]:
    """Gradient magnitude of the grey picture inside the garment (its outline against the background left out)."""
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32)
    magnitude = cast(
        NDArray[np.float32],
        cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)),
    )
    inside: Mask = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return magnitude * inside


def _boundary_strength(inner: Mask, mask: Mask, strength: NDArray[np.float32]) -> float:
    """Median edge strength along the region's border inside the garment (where it meets the front)."""
    grown = cv2.dilate(inner.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    border = grown & ~inner & (cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0)
    # The watershed's line sits on the ridge, a pixel off the strongest gradient: look a pixel around it.
    ridge = cast(NDArray[np.float32], cv2.dilate(strength, np.ones((3, 3), np.uint8)))
    return float(np.median(ridge[border])) if border.any() else 0.0


def _down_to(inner: Mask, mask: Mask, span: float) -> Mask:
    """The garment from its top edge down to the region's lower edge in every column the region spans (the back
    neckline's band above it goes too), that edge smoothed over a few columns."""
    ys, xs = np.nonzero(inner)
    lowest = np.full(mask.shape[1], -1, np.int32)
    np.maximum.at(lowest, xs, ys)
    first, last = xs.min(), xs.max() + 1
    half = max(1, int(_SMOOTHING * span))
    padded = np.pad(lowest[first:last].astype(np.float32), half, mode="edge")
    lowest[first:last] = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)
    rows = np.arange(mask.shape[0])[:, None]
    down_to: Mask = mask & (rows <= lowest[None, :])
    return down_to
