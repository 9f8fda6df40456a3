"""Warping a garment onto a body by a thin-plate spline through matching landmarks.

A thin-plate spline is the smoothest map that sends each landmark exactly (or, with some
regularisation, nearly) to its partner: legs follow the legs while the cloth between them bends
smoothly. A sleeve is a strip bent along the arm (StripMap). Maps are fitted backwards (from the
person photo to the garment photo), evaluated on a coarse grid over the garment's destination, and
cv2.remap samples the garment at full resolution.
"""
import cv2
import numpy as np

_GRID_STEP = 8  # pixels between the points where the map is evaluated exactly; bilinear in between


class ThinPlateSpline:
    """f: R² → R² with f(source[i]) ≈ target[i], the bending energy as small as possible."""

    def __init__(self, source, target, smoothing=0.0):
        source = np.asarray(source, np.float64)
        target = np.asarray(target, np.float64)
        # Work in a normalised frame so the system is well conditioned at any image size.
        self._centre = source.mean(axis=0)
        self._scale = float(np.abs(source - self._centre).max()) or 1.0
        points = (source - self._centre) / self._scale
        count = len(points)
        kernel = _radial(np.linalg.norm(points[:, None] - points[None], axis=2)) + smoothing * np.eye(count)
        affine = np.hstack([np.ones((count, 1)), points])
        system = np.zeros((count + 3, count + 3))
        system[:count, :count] = kernel
        system[:count, count:] = affine
        system[count:, :count] = affine.T
        right = np.zeros((count + 3, 2))
        right[:count] = target
        self._coefficients = np.linalg.lstsq(system, right, rcond=None)[0]
        self._points = points

    def __call__(self, points):
        points = (np.asarray(points, np.float64) - self._centre) / self._scale
        kernel = _radial(np.linalg.norm(points[:, None] - self._points[None], axis=2))
        affine = np.hstack([np.ones((len(points), 1)), points])
        return np.hstack([kernel, affine]) @ self._coefficients


def _radial(distance):
    with np.errstate(divide="ignore", invalid="ignore"):
        values = distance * distance * np.log(distance * distance)
    return np.nan_to_num(values)


def warp_image(image, backward, region):
    """The garment image (H×W×C, garment-photo pixels) warped into the person photo's `region`
    (x0, y0, x1, y1, whole pixels), `backward` mapping person points to garment points.

    Returns the warped region (zero where the map leaves the garment photo).
    """
    x0, y0, x1, y1 = (int(value) for value in region)
    columns, rows = -(-(x1 - x0) // _GRID_STEP), -(-(y1 - y0) // _GRID_STEP)
    # cv2.resize samples source cell i at destination (i + 0.5) * step - 0.5: evaluate the map exactly there,
    # so resizing the coarse grid interpolates it bilinearly between exact values.
    offsets = (np.arange(max(columns, rows)) + 0.5) * _GRID_STEP - 0.5
    grid = np.stack(np.meshgrid(x0 + offsets[:columns], y0 + offsets[:rows]), axis=-1).reshape(-1, 2)
    coarse = backward(grid).reshape(rows, columns, 2).astype(np.float32)
    dense = cv2.resize(coarse, (columns * _GRID_STEP, rows * _GRID_STEP), interpolation=cv2.INTER_LINEAR)
    dense = dense[: y1 - y0, : x1 - x0]
    return cv2.remap(image, np.ascontiguousarray(dense[..., 0]), np.ascontiguousarray(dense[..., 1]),
                     cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


class StripMap:
    """Backward map of a strip (a sleeve) bent along a polyline (an arm).

    A garment point at distance s along the strip's axis and t across it lands s·scale along the
    polyline and t·scale across it (on the side given by `outward`). Each body point takes its (s, t)
    from the nearest segment of the polyline, so the strip bends at the joints without folding.
    """

    def __init__(self, garment_root, garment_axis, garment_normal, polyline, outward, scale):
        self._root = np.asarray(garment_root, np.float64)
        self._axis = np.asarray(garment_axis, np.float64)
        self._normal = np.asarray(garment_normal, np.float64)
        self._scale = float(scale)
        polyline = np.asarray(polyline, np.float64)
        self._starts = polyline[:-1]
        vectors = polyline[1:] - polyline[:-1]
        self._lengths = np.maximum(np.linalg.norm(vectors, axis=1), 1e-6)
        self._directions = vectors / self._lengths[:, None]
        normals = np.stack([-self._directions[:, 1], self._directions[:, 0]], axis=1)
        self._normals = normals * np.sign(normals @ np.asarray(outward, np.float64))[:, None]
        self._offsets = np.concatenate([[0.0], np.cumsum(self._lengths)[:-1]])

    def to_body(self, points):
        """Where garment points land on the body (the forward map)."""
        relative = np.asarray(points, np.float64) - self._root
        s = (relative @ self._axis) * self._scale
        t = (relative @ self._normal) * self._scale
        segment = np.clip(np.searchsorted(self._offsets, s, side="right") - 1, 0, len(self._lengths) - 1)
        local = s - self._offsets[segment]
        return self._starts[segment] + local[:, None] * self._directions[segment] + t[:, None] * self._normals[segment]

    def __call__(self, points):
        """Which garment point each body point shows (the backward map)."""
        points = np.asarray(points, np.float64)
        relative = points[:, None, :] - self._starts[None]
        along = np.einsum("pij,ij->pi", relative, self._directions)
        last = len(self._lengths) - 1
        lower = np.where(np.arange(last + 1) == 0, -np.inf, 0.0)
        upper = np.where(np.arange(last + 1) == last, np.inf, self._lengths)
        clamped = np.clip(along, lower, upper)
        nearest = self._starts[None] + clamped[..., None] * self._directions[None]
        segment = np.argmin(np.linalg.norm(points[:, None, :] - nearest, axis=2), axis=1)
        rows = np.arange(len(points))
        s = self._offsets[segment] + clamped[rows, segment]
        t = np.einsum("pj,pj->p", relative[rows, segment], self._normals[segment])
        return self._root + np.outer(s / self._scale, self._axis) + np.outer(t / self._scale, self._normal)
