"""Alpha masks shared by the image models: keying a subject off a plain background, clean soft edges."""
import cv2
import numpy as np

_ANALYSIS_SIZE = 640  # masks are computed at this size and refined at full size against the image
_BORDER_FRACTION = 0.02
_MAX_BORDER_SPREAD = 14.0  # ΔE (CIELAB): a border within this of its median colour is "plain"
_MAX_HOLE_FRACTION = 0.02  # enclosed background-coloured areas up to this share of the image are print, not holes


def plain_background_alpha(rgb):
    """Alpha (float32 0..1) of whatever stands on a plain single-colour background; None if the border isn't plain."""
    small = resize_to_fit(rgb, _ANALYSIS_SIZE)
    lab = cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    border = _border_pixels(lab)
    background = np.median(border, axis=0)
    spread = float(np.percentile(np.linalg.norm(border - background, axis=1), 95))
    if spread > _MAX_BORDER_SPREAD:
        return None
    distance = np.linalg.norm(lab - background, axis=2)
    subject = (distance > max(2.0 * spread + 4.0, 10.0)).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    subject = cv2.morphologyEx(subject, cv2.MORPH_CLOSE, kernel)
    subject = keep_large_components(_fill_small_holes(subject), min_share=0.05)
    return refine_alpha(subject.astype(np.float32), rgb)


def refine_alpha(alpha, rgb):
    """Upscale a rough alpha to the image, snap its edge to the image's own edges and feather it slightly."""
    height, width = rgb.shape[:2]
    if alpha.shape != (height, width):
        alpha = cv2.resize(alpha.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    radius = max(2, round(max(height, width) / 256))
    refined = cv2.ximgproc.guidedFilter(guide=rgb, src=alpha.astype(np.float32), radius=radius, eps=60.0)
    # Sharpen the filtered ramp back into a short edge, then soften by about a pixel: no halo, no jaggies.
    refined = np.clip((refined - 0.25) / 0.5, 0.0, 1.0)
    return cv2.GaussianBlur(refined, (0, 0), sigmaX=max(0.8, radius / 3))


def keep_large_components(binary, min_share):
    """The binary mask without blobs smaller than min_share of its largest blob."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary.astype(np.uint8), connectivity=8)
    if count <= 1:
        return binary.astype(np.uint8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    kept = np.flatnonzero(areas >= areas.max() * min_share) + 1
    return np.isin(labels, kept).astype(np.uint8)


def keep_components_touching(binary, points):
    """The blobs of the binary mask that contain at least one of the (x, y) points."""
    count, labels = cv2.connectedComponents(binary.astype(np.uint8), connectivity=8)
    height, width = binary.shape
    touched = {labels[int(y), int(x)] for x, y in points if 0 <= x < width and 0 <= y < height}
    touched.discard(0)
    return np.isin(labels, list(touched)).astype(np.uint8)


def resize_to_fit(rgb, max_side):
    """The array shrunk (area filter) so its longer side is at most max_side."""
    height, width = rgb.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return rgb
    return cv2.resize(rgb, (max(1, round(width * scale)), max(1, round(height * scale))),
                      interpolation=cv2.INTER_AREA)


def _border_pixels(image):
    height, width = image.shape[:2]
    band = max(2, round(min(height, width) * _BORDER_FRACTION))
    return np.concatenate([image[:band].reshape(-1, 3), image[-band:].reshape(-1, 3),
                           image[:, :band].reshape(-1, 3), image[:, -band:].reshape(-1, 3)])


def _fill_small_holes(binary):
    height, width = binary.shape
    _, labels, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=4)
    left, top, box_width, box_height, area = stats.T
    enclosed = ((left > 0) & (top > 0) & (left + box_width < width) & (top + box_height < height)
                & (area <= height * width * _MAX_HOLE_FRACTION))
    enclosed[0] = False  # label 0 is the subject itself
    return np.maximum(binary, enclosed[labels].astype(np.uint8))
