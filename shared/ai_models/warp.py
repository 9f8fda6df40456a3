"""Warping a garment onto a body by a thin-plate spline through matching landmarks.

A thin-plate spline is the smoothest map that sends each landmark exactly (or, with some
regularisation, nearly) to its partner: legs follow the legs while the cloth between them bends
smoothly. A sleeve is a band along the arm (SleeveMap). Maps are fitted backwards (from the
person photo to the garment photo), evaluated on a coarse grid over the garment's destination, and
cv2.remap samples the garment at full resolution.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import cv2
import numpy as np
from numpy.typing import ArrayLike, NDArray

from shared.ai_models.arrays import Coordinates, ScalarT

if TYPE_CHECKING:
    from shared.ai_models.silhouette import SleeveProfile

# A map from points of one photo to points of another: N×2 (x, y) in, N×2 out.
PointMap = Callable[[Coordinates], Coordinates]
_GRID_STEP = 8  # pixels between the points where the map is evaluated exactly; bilinear in between


class ThinPlateSpline:
    """f: R² → R² with f(source[i]) ≈ target[i], the bending energy as small as possible."""

    def __init__(self, source: ArrayLike, target: ArrayLike, smoothing: float = 0.0) -> None:
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
        self._coefficients: Coordinates = np.linalg.lstsq(system, right, rcond=None)[0]
        self._points = points

    def __call__(self, points: ArrayLike) -> Coordinates:
        normalised = (np.asarray(points, np.float64) - self._centre) / self._scale
        kernel = _radial(np.linalg.norm(normalised[:, None] - self._points[None], axis=2))
        affine = np.hstack([np.ones((len(normalised), 1)), normalised])
        mapped: Coordinates = np.hstack([kernel, affine]) @ self._coefficients
        return mapped


def _radial(distance: Coordinates) -> Coordinates:
    with np.errstate(divide="ignore", invalid="ignore"):
        values = distance * distance * np.log(distance * distance)
    finite: Coordinates = np.nan_to_num(values)
    return finite


def warp_image(image: NDArray[ScalarT], backward: PointMap, region: Sequence[float]) -> NDArray[ScalarT]:
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
    dense = cast(
        NDArray[np.float32],
        cv2.resize(coarse, (columns * _GRID_STEP, rows * _GRID_STEP), interpolation=cv2.INTER_LINEAR),
    )
    dense = dense[: y1 - y0, : x1 - x0]
    # cv2's stub names only integer and floating arrays; a remap keeps the image's kind.
    warped = cv2.remap(
        cast(NDArray[Any], image),
        np.ascontiguousarray(dense[..., 0]),
        np.ascontiguousarray(dense[..., 1]),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0,),
    )
    return cast(NDArray[ScalarT], warped)


class SleeveMap:
    """Backward map of a sleeve laid along an arm (a polyline: shoulder, elbow, wrist).

    A body point has a distance along the arm (from the nearest segment; the end segments go on beyond the
    shoulder and the wrist) and across it (positive on the arm's outer side). Along the arm, the sleeve keeps its
    own length at `length_scale`, its end nearest the shoulder at `start` (a distance along the arm). Across, the
    sleeve's extent at that point of its length (a silhouette.SleeveProfile) is spread over a band as wide as the
    arm (`arm_half_widths`: upper arm, forearm) or as the sleeve's usual width at `width_scale`, whichever is
    wider, its top seam on the outer side. So a sleeve bends at the elbow without folding and covers the arm
    whatever its own width or slant.
    """

    def __init__(
        self,
        profile: "SleeveProfile",
        polyline: ArrayLike,
        away_from: ArrayLike,
        arm_half_widths: Sequence[float],
        start: float,
        length_scale: float,
        width_scale: float,
    ) -> None:
        self._profile = profile
        self._start, self._length_scale, self._width_scale = (
            float(start),
            float(length_scale),
            float(width_scale),
        )
        self._arm = Limb(polyline, away_from)
        self._arm_at = self._arm.offsets + self._arm.lengths / 2
        self._arm_half_widths = np.asarray(arm_half_widths, np.float64)

    def _extent(self, along: Coordinates) -> tuple[Coordinates, Coordinates]:
        """The sleeve's middle and half-width across it at distances `along` its axis (garment px)."""
        profile = self._profile
        low = np.interp(along, profile.along, profile.low)
        high = np.interp(along, profile.along, profile.high)
        return (low + high) / 2, (high - low) / 2

    def _half_width(self, distance: Coordinates) -> Coordinates:
        """Half the band's width at `distance` along the arm."""
        arm = np.interp(distance, self._arm_at, self._arm_half_widths)
        return np.maximum(arm, self._profile.half_width * self._width_scale)

    def __call__(self, points: ArrayLike) -> Coordinates:
        """Which garment point each body point shows (the backward map)."""
        segment, along_segment, across = self._arm.locate(np.asarray(points, np.float64))
        distance = self._arm.offsets[segment] + along_segment
        profile = self._profile
        along = profile.along[0] + (distance - self._start) / self._length_scale
        middle, half = self._extent(along)
        share = across / self._half_width(distance)  # -1 inner edge … +1 outer edge
        sideways = middle + share * half * profile.top_seam
        garment: Coordinates = (
            profile.root + np.outer(along, profile.axis) + np.outer(sideways, profile.normal)
        )
        return garment

    def to_body(self, points: ArrayLike) -> Coordinates:
        """Where garment points land on the body (the forward map)."""
        profile = self._profile
        relative = np.asarray(points, np.float64) - profile.root
        along, sideways = relative @ profile.axis, relative @ profile.normal
        middle, half = self._extent(along)
        share = (sideways - middle) / np.maximum(half, 1e-6) * profile.top_seam
        distance = self._start + (along - profile.along[0]) * self._length_scale
        arm = self._arm
        segment = np.clip(np.searchsorted(arm.offsets, distance, side="right") - 1, 0, len(arm.lengths) - 1)
        return arm.place(segment, distance - arm.offsets[segment], share * self._half_width(distance))


class LimbMap:
    """Points carried from along one limb (a polyline: shoulder, elbow, wrist) to along another, bone by bone: a point
    keeps its nearest bone, its share of that bone's length (the first bone goes on above the shoulder, the last past
    the wrist, at their own scale) and its distance across it (outer side: away from the body), times `across_scale`.
    So a sleeve a model wears on an arm held out or bent forward hangs along an arm held otherwise."""

    def __init__(
        self,
        source: ArrayLike,
        target: ArrayLike,
        source_body: ArrayLike,
        target_body: ArrayLike,
        across_scale: float,
    ) -> None:
        self._source, self._target = Limb(source, source_body), Limb(target, target_body)
        self._across_scale = float(across_scale)

    def __call__(self, points: ArrayLike) -> Coordinates:
        segment, along, across = self._source.locate(np.asarray(points, np.float64))
        share = along / self._source.lengths[segment]
        return self._target.place(segment, share * self._target.lengths[segment], across * self._across_scale)

    def inverse(self) -> "LimbMap":
        """The map back from the target limb to the source."""
        inverse = LimbMap.__new__(LimbMap)
        inverse._source, inverse._target = self._target, self._source
        inverse._across_scale = 1 / self._across_scale
        return inverse


class Limb:
    """A limb's bones (a polyline), with one handedness across them all: positive on the outer side, away from a point
    of the body (`away_from`), so nothing flips over at a bent joint."""

    def __init__(self, polyline: ArrayLike, away_from: ArrayLike) -> None:
        polyline = np.asarray(polyline, np.float64)
        self.starts = polyline[:-1]
        vectors = polyline[1:] - polyline[:-1]
        self.lengths = np.maximum(np.linalg.norm(vectors, axis=1), 1e-6)
        self.directions = vectors / self.lengths[:, None]
        normals = np.stack([-self.directions[:, 1], self.directions[:, 0]], axis=1)
        if normals[0] @ (polyline[0] - np.asarray(away_from, np.float64)) < 0:
            normals = -normals
        self.normals = normals
        self.offsets = np.concatenate([[0.0], np.cumsum(self.lengths)[:-1]])

    def locate(self, points: Coordinates) -> tuple[NDArray[np.intp], Coordinates, Coordinates]:
        """(nearest bone, distance along it, distance across the limb) of points. The first bone goes on before the
        limb's start and the last beyond its end; the distance across is to the limb itself, not to the line of the
        nearest bone: outside a bent joint a point rounds it instead of running on past it along the bone before."""
        relative = points[:, None, :] - self.starts[None]
        along = np.einsum("pij,ij->pi", relative, self.directions)
        last = len(self.lengths) - 1
        lower = np.where(np.arange(last + 1) == 0, -np.inf, 0.0)
        upper = np.where(np.arange(last + 1) == last, np.inf, self.lengths)
        clamped = np.clip(along, lower, upper)
        nearest = self.starts[None] + clamped[..., None] * self.directions[None]
        segment = np.argmin(np.linalg.norm(points[:, None, :] - nearest, axis=2), axis=1)
        rows = np.arange(len(points))
        side = np.where(np.einsum("pj,pj->p", relative[rows, segment], self.normals[segment]) < 0, -1.0, 1.0)
        across = side * np.linalg.norm(points - nearest[rows, segment], axis=1)
        return segment, clamped[rows, segment], across

    def place(self, segment: NDArray[np.intp], along: Coordinates, across: Coordinates) -> Coordinates:
        """The points `along` bone `segment` (from its start) and `across` the limb."""
        placed: Coordinates = (
            self.starts[segment]
            + along[:, None] * self.directions[segment]
            + across[:, None] * self.normals[segment]
        )
        return placed
