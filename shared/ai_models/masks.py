"""Alpha masks shared by the image models: keying a subject off a plain background, clean soft edges."""

from collections.abc import Iterable
from typing import Any, cast

import cv2
import numpy as np
from numpy.typing import NDArray

from shared.ai_models import holders
from shared.ai_models.arrays import RGB, Alpha, Binary, Lab, Mask, ScalarT

_ANALYSIS_SIZE = 640  # masks are computed at this size and refined at full size against the image
_BORDER_FRACTION = 0.02
_MAX_BORDER_SPREAD = 14.0  # ΔE (CIELAB): a border within this of its median colour is "plain"
_PLAIN_BORDER_SHARE = 0.6  # this much of the border must be background (the subject may touch the edges)
_MAX_HOLE_FRACTION = (
    0.02  # enclosed background-coloured areas up to this share of the image are print, not holes
)
_MAX_GARMENT_HOLE_SHARE = 0.15  # a garment's enclosed gaps up to this share of it are its own light parts
_SHADOW_CHROMA = 5.0  # ΔE in a*, b*: a shadow is the background's colour, darker
_SHADOW_SLOPE = 1.5  # L* per pixel (analysis size): lightness changing slower than this is a shadow fading
_MAX_SHADOW_SHARE = 0.35
_MIN_OUTLINE_SLOPE = (
    0.5  # L* per pixel (analysis size): the least a garment's faint outline rises above its background
)
_MAX_OUTLINE_SHARE = 0.3  # a light part of a garment at its outline is at most this share of the rest of it
_STRIPE_BRIDGE = 0.03  # light horizontal stripes up to this share of the photo's height are garment
# Shares of the photo's longer side: how near the largest piece of a cut-out another piece must lie to be the same
# garment, when it is at least _PAIR_SHARE of that piece (a shoe of a pair, a trouser leg cut apart by a light
# waistband) and when it is smaller (a tie or a strap lying apart). Farther pieces are something else: a price tag,
# a text overlay, a second garment photographed beside the first.
_PAIR_REACH, _PART_REACH, _PAIR_SHARE = 0.08, 0.02, 0.5
_THIN_LINE = 5  # px at analysis size: lines this thin joined to a cut-out are none of the garment (_without_thin_lines)
_SYMMETRY_SIZE = 128  # squared_shape: a garment's mask compared with its mirror image at this size


def plain_background_alpha(rgb: RGB) -> Alpha | None:
    """Alpha (float32 0..1) of whatever stands on a plain single-colour background; None if the border isn't plain."""
    small = resize_to_fit(rgb, _ANALYSIS_SIZE)
    lab = cast(Lab, cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab))
    border = lab[_border_ring(lab.shape[:2])]
    background = np.median(border, axis=0)
    spread = float(np.percentile(np.linalg.norm(border - background, axis=1), 95))
    if spread > _MAX_BORDER_SPREAD:
        return None
    distance = np.linalg.norm(lab - background, axis=2)
    subject: Binary = (distance > max(2.0 * spread + 4.0, 10.0)).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    subject = cast(Binary, cv2.morphologyEx(subject, cv2.MORPH_CLOSE, kernel))
    subject = subject | _enclosed_holes(subject, subject.size * _MAX_HOLE_FRACTION)
    return refine_alpha(keep_large_components(subject, min_share=0.05).astype(np.float32), rgb)


def garment_alpha(rgb: RGB) -> Alpha | None:
    """Alpha of a garment photographed on a plain background, as one solid shape; None if the border isn't plain.

    Light parts of the garment (white stripes, bands, knit) can match the background's colour; they
    are enclosed by the garment's outline, so every enclosed gap is garment unless it is a large part
    of it (a real opening) or the gap between two trouser legs: open to the background at the hem, or
    closed there by wide or flared legs whose hems touch (see _leg_gaps).
    """
    outline = _garment_outline(rgb)
    if outline is None:
        return None
    subject, lab, texture, hanger = outline
    # A dress form's neck and stand, and a price tag laid over the garment, are none of it (holders.py).
    form = holders.dress_form(subject, lab) | holders.price_tags(subject, lab, texture)
    if form.any() and (form_less := np.where(form, 0, subject)).any():
        subject = _the_garment(keep_large_components(form_less, min_share=0.05))
    holes = _enclosed_holes(subject, subject.sum() * _MAX_GARMENT_HOLE_SHARE)
    subject = subject | (holes & ~_leg_gaps(holes, subject))
    outline_parts = _enclosed_by_outline(subject, rgb)
    if form.any():  # a dress form's own edges would enclose it again
        outline_parts &= (cv2.dilate(form.astype(np.uint8), _kernel(cv2.MORPH_RECT, (5, 5))) == 0).astype(
            np.uint8
        )
    if hanger.any():  # what the hanger's lines close off above the garment is background, edges or not
        outline_parts = _apart_from(outline_parts, hanger)
    subject = subject | outline_parts
    # Scaled up and softened by about a pixel: snapping the edge to the photo (refine_alpha) would cost more
    # than the rest of the cut-out, and a garment's outline is smooth.
    height, width = rgb.shape[:2]
    # One pixel in from the edge found: the closing above rounds outlines outwards, and a background fringe on a
    # garment shows much more than a pixel less of its edge.
    inner = cv2.erode(subject, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    alpha = cast(Alpha, cv2.resize(inner.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR))
    alpha = cast(Alpha, cv2.GaussianBlur(alpha, (0, 0), max(0.8, max(height, width) / 1024)))
    return _without_background_fringe(alpha, rgb)


def on_a_dress_form(rgb: RGB) -> bool:
    """The photo shows a garment on a dress form (holders.dress_form): the garment's cut-out, before its holes are
    filled, has a form's neck or stand."""
    outline = _garment_outline(rgb)
    return outline is not None and bool(holders.dress_form(*outline[:2]).any())


def _garment_outline(rgb: RGB) -> tuple[Binary, Lab, NDArray[np.float32], Mask] | None:
    """The garment's cut-out before its holes are filled (analysis size; None if the border isn't plain), the
    photo in CIELAB at that size, its lightness's local contrast (_local_contrast) and the hanger cut off it
    (holders.hanger; empty without one). Light stripes and bands cross the garment from side to side, so they are not
    enclosed: they are bridged where garment lies just above and below (a gap open downwards, between trouser legs,
    stays open). The hanger goes first: bridged to the garment's top edge, its lines would close a solid wedge."""
    found = _subject_on_plain_background(rgb)
    if found is None:
        return None
    subject, lab, texture = found
    hanger = holders.hanger(subject)
    if hanger.any():
        subject = cast(Binary, np.where(hanger, 0, subject).astype(np.uint8))
    bridge = max(3, round(subject.shape[0] * _STRIPE_BRIDGE))
    subject = _close(subject, _kernel(cv2.MORPH_RECT, (1, bridge)))
    subject = _the_garment(keep_large_components(_without_thin_lines(subject), min_share=0.05))
    return subject, lab, texture, hanger


def _apart_from(parts: Binary, holder: Mask) -> Binary:
    """The pieces of `parts` (uint8) that do not touch the holder (within 2 px)."""
    near = cv2.dilate(holder.astype(np.uint8), _kernel(cv2.MORPH_RECT, (5, 5)))
    _, labels = cv2.connectedComponents(parts, connectivity=4)
    touching = np.unique(labels[(near > 0) & (parts > 0)])
    return cast(Binary, ((parts > 0) & ~np.isin(labels, touching[touching > 0])).astype(np.uint8))


def squared_shape(garment: Mask) -> Mask | None:
    """The garment's mask cropped to it and resized to _SYMMETRY_SIZE square (its shape, not its proportions: a
    mirror image compares it with itself either way), or None when it is too small to read."""
    rows, columns = np.nonzero(garment)
    if rows.size < 100:
        return None
    crop = garment[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1].astype(np.float32)
    square: Mask = cv2.resize(crop, (_SYMMETRY_SIZE, _SYMMETRY_SIZE), interpolation=cv2.INTER_AREA) > 0.5
    return square


def mirror_overlap(mask: Mask) -> float:
    """Intersection over union of the mask and its mirror image left to right about its own centre of mass."""
    columns = np.nonzero(mask)[1]
    if columns.size == 0:
        return 0.0
    shift = round(2 * float(columns.mean()) - (mask.shape[1] - 1))
    mirrored = np.zeros_like(mask)
    flipped = mask[:, ::-1]
    if shift >= 0:
        mirrored[:, shift:] = flipped[:, : mask.shape[1] - shift]
    else:
        mirrored[:, :shift] = flipped[:, -shift:]
    return float((mask & mirrored).sum() / max(1, (mask | mirrored).sum()))


def _without_thin_lines(subject: Binary) -> Binary:
    """The cut-out without lines thinner than _THIN_LINE px (analysis size) joined to it: the grout between floor
    tiles, the seams of planks, a wire hanger's hook. A garment's edges, straps and ties are wider."""
    disc = _kernel(cv2.MORPH_ELLIPSE, (_THIN_LINE, _THIN_LINE))
    thick = cast(Binary, cv2.morphologyEx(subject, cv2.MORPH_OPEN, disc))
    return subject & cast(Binary, cv2.dilate(thick, disc))


def _the_garment(subject: Binary) -> Binary:
    """The cut-out's largest piece and the pieces near enough to it to be the same garment (see _PAIR_REACH)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(subject, connectivity=8)
    if count <= 2:
        return subject
    areas = stats[1:, cv2.CC_STAT_AREA]
    largest = 1 + int(np.argmax(areas))
    side = max(subject.shape)
    near: dict[float, set[int]] = {}
    for reach in (_PAIR_REACH, _PART_REACH):
        size = 2 * round(reach * side) + 1
        grown = cv2.dilate((labels == largest).astype(np.uint8), _kernel(cv2.MORPH_ELLIPSE, (size, size)))
        near[reach] = set(np.unique(labels[grown > 0]).tolist())
    kept = [
        label
        for label in range(1, count)
        if label in near[_PAIR_REACH if areas[label - 1] >= _PAIR_SHARE * areas.max() else _PART_REACH]
    ]
    return cast(Binary, np.isin(labels, kept).astype(np.uint8))


def _enclosed_by_outline(subject: Binary, rgb: RGB) -> Binary:
    """The parts of a garment the background's colour that lie at its outline (a white print at a shoulder, a light
    band at the hem, on a white or light-grey background): what the garment's outline, a faint edge in the photo
    (a seam, the fabric's edge), closes off from the background together with the rest of the garment. Each such
    part must touch the garment, stay within _MAX_OUTLINE_SHARE of it and be no gap between trouser legs."""
    small = resize_to_fit(rgb, _ANALYSIS_SIZE)
    lightness = cv2.GaussianBlur(
        cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[..., 0], (0, 0), 1.0
    )
    slope = cv2.magnitude(cv2.Sobel(lightness, cv2.CV_32F, 1, 0), cv2.Sobel(lightness, cv2.CV_32F, 0, 1)) / 8
    ring = _border_ring(lightness.shape)
    # An edge stands out of the background's own noise and shading (measured along the border).
    edges = (slope > max(_MIN_OUTLINE_SLOPE, 4.0 * float(np.percentile(slope[ring], 90)))).astype(np.uint8)
    barrier = cast(Binary, cv2.dilate(edges, _kernel(cv2.MORPH_RECT, (3, 3)))) | subject
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (barrier == 0).astype(np.uint8), connectivity=4
    )
    outside = np.zeros(count, bool)
    outside[np.unique(labels[ring & (barrier == 0)])] = True
    outside[0] = True  # label 0 is the barrier itself
    touching = np.zeros(count, bool)
    touching[np.unique(labels[cv2.dilate(subject, _kernel(cv2.MORPH_RECT, (5, 5))) > 0])] = True
    small_enough = stats[:, cv2.CC_STAT_AREA] <= _MAX_OUTLINE_SHARE * subject.sum()
    enclosed = cast(Binary, (~outside & touching & small_enough)[labels].astype(np.uint8))
    if not enclosed.any():
        return enclosed
    enclosed &= ~_leg_gaps(enclosed, subject)
    # The faint edge around them (the garment's outline) and between them and the rest of the garment is garment too.
    enclosed |= cast(Binary, cv2.dilate(enclosed, _kernel(cv2.MORPH_RECT, (9, 9)))) & barrier
    return cast(Binary, _close(subject | enclosed, _kernel(cv2.MORPH_ELLIPSE, (5, 5))) & ~subject)


def _without_background_fringe(alpha: Alpha, rgb: RGB) -> Alpha:
    """Along the cut-out's edge, pixels the colour of the background (within a few ΔE) are background."""
    solid: Mask = cv2.erode((alpha > 0.5).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    edge = (alpha > 0) & ~solid
    if not edge.any():
        return alpha
    lab = cv2.cvtColor(rgb[edge][None].astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[0]
    border = cv2.cvtColor(rgb[_border_ring(rgb.shape[:2])][None].astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[
        0
    ]
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=1)
    alpha = alpha.copy()
    alpha[edge] *= np.clip((distance - 3.0) / 6.0, 0, 1)
    return alpha


def _subject_on_plain_background(rgb: RGB) -> tuple[Binary, Lab, NDArray[np.float32]] | None:
    """Binary mask (uint8, analysis size) of what differs from the border's colour in colour or texture, with the
    photo in CIELAB at that size and its lightness's local contrast.

    White knitwear on white differs from the background less in colour than in texture: the paper or
    wall behind is smooth, knit and weave are not, so local contrast counts as much as colour. A shadow
    the garment casts is background (see _cast_shadow).
    """
    small = resize_to_fit(rgb, _ANALYSIS_SIZE)
    lab = cast(Lab, cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab))
    ring = _border_ring(lab.shape[:2])
    background = np.median(lab[ring], axis=0)
    distance = np.linalg.norm(lab - background, axis=2)
    on_border = distance[ring]
    if not _plain(on_border):
        return None
    # The border is mostly background; its upper quartile measures its noise and shading.
    spread = 2.0 * float(np.percentile(on_border, 75))
    texture = _local_contrast(lab[..., 0])
    texture_floor = float(np.percentile(texture[ring], 75))
    textured = texture > max(3.0 * texture_floor, 1.5)
    differs = (distance > max(spread + 2.0, 3.5)) | textured
    differs &= ~_cast_shadow(lab, background, differs, textured, ring)
    subject = _close(differs.astype(np.uint8), _kernel(cv2.MORPH_ELLIPSE, (7, 7)))
    subject = cast(Binary, cv2.morphologyEx(subject, cv2.MORPH_OPEN, _kernel(cv2.MORPH_ELLIPSE, (3, 3))))
    return (subject, lab, texture) if subject.any() else None


def plain_border(rgb: RGB) -> bool:
    """Most of the photo's border is one colour (a garment on a plain background may touch the edges)."""
    small = resize_to_fit(rgb, _ANALYSIS_SIZE)
    lab = cast(Lab, cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab))
    border = lab[_border_ring(lab.shape[:2])]
    return _plain(np.linalg.norm(border - np.median(border, axis=0), axis=1))


def _plain(on_border: NDArray[np.float32]) -> bool:
    """The border's distances (ΔE) from its median colour say it is mostly background."""
    return bool(np.mean(on_border < _MAX_BORDER_SPREAD) >= _PLAIN_BORDER_SHARE)


def _cast_shadow(
    lab: Lab, background: NDArray[np.float32], subject: Mask, textured: Mask, ring: Mask
) -> Mask:
    """The part of `subject` that is the garment's shadow on the background: the background's own colour, only
    darker, reached from the background without crossing a sharp edge or the texture of fabric (a shadow fades
    out; a garment, even a grey one, starts at its edge). The background is what the border shows, and what an
    enclosed gap (between trouser legs whose hems touch) shows where the shadow leaves it bare. Nothing when
    that would be a large part of the subject (a garment with blurred edges)."""
    lightness = lab[..., 0]
    neutral_darker = (
        (np.linalg.norm(lab[..., 1:] - background[1:], axis=2) < _SHADOW_CHROMA)
        & (lightness < background[0])
        & (lightness > 0.45 * background[0])
    )
    smooth = cv2.GaussianBlur(lightness, (0, 0), 1.0)
    slope = cv2.magnitude(cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1)) / 8
    background_like, plain = ~subject, subject & ~textured
    passable = (background_like | (plain & neutral_darker & (slope < _SHADOW_SLOPE))).astype(np.uint8)
    count, labels = cv2.connectedComponents(passable, connectivity=4)
    bare = np.bincount(labels[background_like], minlength=count) >= 0.3 * np.bincount(
        labels.ravel(), minlength=count
    )
    bare[np.unique(labels[ring & (passable > 0)])] = True
    bare[0] = False  # label 0 is what cannot be passed
    outside = bare[labels]
    shadow = outside & plain
    return shadow if shadow.sum() <= _MAX_SHADOW_SHARE * subject.sum() else np.zeros_like(subject)


def _close(binary: Binary, kernel: Binary) -> Binary:
    """Morphological closing that treats everything outside the image as background."""
    pad_y, pad_x = kernel.shape[0], kernel.shape[1]
    padded = cv2.copyMakeBorder(binary, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=(0,))
    closed = cast(Binary, cv2.morphologyEx(padded, cv2.MORPH_CLOSE, kernel))
    return closed[pad_y:-pad_y, pad_x:-pad_x]


def _local_contrast(lightness: NDArray[np.float32]) -> NDArray[np.float32]:
    """Standard deviation of the lightness in a 5×5 window."""
    mean = cast(NDArray[np.float32], cv2.blur(lightness, (5, 5)))
    mean_square = cast(NDArray[np.float32], cv2.blur(lightness * lightness, (5, 5)))
    deviation: NDArray[np.float32] = np.sqrt(np.maximum(mean_square - mean * mean, 0))
    return deviation


def refine_alpha(alpha: Alpha, rgb: RGB) -> Alpha:
    """Upscale a rough alpha to the image, snap its edge to the image's own edges and feather it slightly."""
    height, width = rgb.shape[:2]
    if alpha.shape != (height, width):
        alpha = cast(
            Alpha, cv2.resize(alpha.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        )
    radius = max(2, round(max(height, width) / 256))
    refined = cv2.ximgproc.guidedFilter(guide=rgb, src=alpha.astype(np.float32), radius=radius, eps=60.0)
    # Sharpen the filtered ramp back into a short edge, then soften by about a pixel: no halo, no jaggies.
    refined = np.clip((refined - 0.25) / 0.5, 0.0, 1.0)
    return cast(Alpha, cv2.GaussianBlur(refined, (0, 0), sigmaX=max(0.8, radius / 3)))


def keep_large_components(binary: Binary | Mask, min_share: float) -> Binary:
    """The binary mask without blobs smaller than min_share of its largest blob."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary.astype(np.uint8), connectivity=8)
    if count <= 1:
        return binary.astype(np.uint8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    kept = np.flatnonzero(areas >= areas.max() * min_share) + 1
    return np.isin(labels, kept).astype(np.uint8)


def keep_components_touching(binary: Binary | Mask, points: Iterable[Iterable[float]]) -> Binary:
    """The blobs of the binary mask that contain at least one of the (x, y) points."""
    count, labels = cv2.connectedComponents(binary.astype(np.uint8), connectivity=8)
    height, width = binary.shape
    touched = {labels[int(y), int(x)] for x, y in points if 0 <= x < width and 0 <= y < height}
    touched.discard(0)
    return np.isin(labels, list(touched)).astype(np.uint8)


def resize_to_fit(rgb: NDArray[ScalarT], max_side: int) -> NDArray[ScalarT]:
    """The array shrunk (area filter) so its longer side is at most max_side."""
    height, width = rgb.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return rgb
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # cv2's stub names only integer and floating arrays; a resize keeps the array's kind.
    return cast(NDArray[ScalarT], cv2.resize(cast(NDArray[Any], rgb), size, interpolation=cv2.INTER_AREA))


def _kernel(shape: int, size: tuple[int, int]) -> Binary:
    return cast(Binary, cv2.getStructuringElement(shape, size))


def _border_ring(shape: tuple[int, ...]) -> Mask:
    height, width = shape
    band = max(2, round(min(height, width) * _BORDER_FRACTION))
    ring = np.zeros(shape, bool)
    ring[:band] = ring[-band:] = True
    ring[:, :band] = ring[:, -band:] = True
    return ring


def _leg_gaps(holes: Binary, subject: Binary) -> Binary:
    """The enclosed holes (uint8 mask) that are the gap between two trouser legs whose hems touch: a tall, narrow
    slit in the middle of the garment running down from a crotch to near the hems. A print, a light stripe or
    a band is never that shape."""
    rows, columns = np.nonzero(subject)
    top, bottom, left, right = rows.min(), rows.max() + 1, columns.min(), columns.max() + 1
    height, width = bottom - top, right - left
    count, labels, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    x, y, box_width, box_height = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    slit = (
        (box_height >= 0.2 * height)
        & (box_height >= 2.5 * box_width)
        & (y + box_height >= top + 0.65 * height)
        & (np.abs(x + box_width / 2 - (left + right) / 2) <= 0.2 * width)
    )
    slit[0] = False  # label 0 is everything that is no hole
    return cast(Binary, slit[labels].astype(np.uint8))


def _enclosed_holes(binary: Binary, max_area: float) -> Binary:
    """Background areas of the mask (uint8) that do not reach the image edge and are at most max_area pixels."""
    height, width = binary.shape
    _, labels, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=4)
    left, top, box_width, box_height, area = stats.T
    enclosed = (
        (left > 0) & (top > 0) & (left + box_width < width) & (top + box_height < height) & (area <= max_area)
    )
    enclosed[0] = False  # label 0 is the subject itself
    return cast(Binary, enclosed[labels].astype(np.uint8))
