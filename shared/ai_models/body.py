"""What mediapipe sees of a person in one photo: pose landmarks, person segmentation, faces.

mediapipe 0.10.21 (legacy `mp.solutions`) ships its models in the wheel, so this works without a
network. Its solution objects are not thread-safe: each kind lives in a pool from which a caller
borrows an idle instance or builds a new one, so N threads use at most N instances of each and
never share one. Pose uses model_complexity=1 only: 0 and 2 try to download weights and fail.
"""

import queue
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar, cast

import cv2
import mediapipe as mp
import numpy as np
from numpy.typing import NDArray

from shared.ai_models import masks
from shared.ai_models.arrays import RGB, Alpha, Binary, Point, Points

DETECTION_SIZE = 640
MIN_VISIBILITY = 0.5

# mediapipe pose landmark indices
NOSE, LEFT_EAR, RIGHT_EAR, MOUTH_LEFT, MOUTH_RIGHT = 0, 7, 8, 9, 10
LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_ELBOW, RIGHT_ELBOW, LEFT_WRIST, RIGHT_WRIST = 11, 12, 13, 14, 15, 16
LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE = 23, 24, 25, 26, 27, 28
HANDS = (15, 16, 17, 18, 19, 20, 21, 22)
LEFT_HEEL, RIGHT_HEEL, LEFT_TOES, RIGHT_TOES = 29, 30, 31, 32  # the toes: mediapipe's foot index
FEET = (27, 28, 29, 30, 31, 32)


class _Solution(Protocol):
    def process(self, image: RGB) -> Any:
        """mediapipe's answer: an untyped NamedTuple of protobuf messages, read where it is received."""


_SolutionT = TypeVar("_SolutionT", bound=_Solution)


class _Pool(Generic[_SolutionT]):
    """Instances of one mediapipe solution, one per concurrent caller, built on demand and reused."""

    def __init__(self, factory: Callable[[], _SolutionT]) -> None:
        self._factory = factory
        self._idle: queue.SimpleQueue[_SolutionT] = queue.SimpleQueue()

    @contextmanager
    def instance(self) -> Iterator[_SolutionT]:
        try:
            solution = self._idle.get_nowait()
        except queue.Empty:
            solution = self._factory()
        try:
            yield solution
        finally:
            self._idle.put(solution)


_segmenters: _Pool[_Solution] = _Pool(
    lambda: mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0)
)
_pose_estimators: _Pool[_Solution] = _Pool(
    lambda: mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1)
)
_face_detectors: _Pool[_Solution] = _Pool(
    lambda: mp.solutions.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.6)
)


class Body:
    """What the detectors see in one photo; landmarks are (x, y, visibility) in that photo's pixels."""

    def __init__(self, rgb: RGB) -> None:
        self.height, self.width = rgb.shape[:2]
        self._small = np.ascontiguousarray(masks.resize_to_fit(rgb, DETECTION_SIZE))
        with _pose_estimators.instance() as pose:
            result = pose.process(self._small)
        # N×3: (x, y, visibility) of each pose landmark, or None when no pose was found.
        self.landmarks: NDArray[np.float32] | None = None
        if result.pose_landmarks:
            self.landmarks = np.array(
                [
                    (point.x * self.width, point.y * self.height, point.visibility)
                    for point in result.pose_landmarks.landmark
                ],
                dtype=np.float32,
            )
        with _face_detectors.instance() as detector:
            detections = detector.process(self._small).detections or []
        self.face_count = len(detections)
        self.face_boxes: list[NDArray[np.float32]] = [
            _face_box(detection, self.width, self.height) for detection in detections
        ]

    @property
    def small(self) -> RGB:
        """The photo at detection size (what the masks below are computed on)."""
        return self._small

    @property
    def small_scale(self) -> float:
        """Detection-size pixels per photo pixel."""
        return self._small.shape[1] / self.width

    @cached_property
    def segmentation(self) -> Alpha:
        """Person probability (float32 0..1) at detection size."""
        with _segmenters.instance() as segmenter:
            return cast(Alpha, segmenter.process(self._small).segmentation_mask.astype(np.float32))

    @property
    def found(self) -> bool:
        return self.landmarks is not None or self.face_count > 0

    def point(self, index: int) -> Point:
        assert self.landmarks is not None, "no pose was found"
        point: Point = self.landmarks[index, :2]
        return point

    def points(self, indices: Sequence[int]) -> Points:
        """The landmarks' (x, y); only of a body whose pose was found."""
        assert self.landmarks is not None, "no pose was found"
        return self.landmarks[list(indices), :2]

    def visible(self, *indices: int) -> bool:
        """Detected with confidence and inside the frame (mediapipe also guesses points out of view)."""
        if self.landmarks is None:
            return False
        x, y, visibility = self.landmarks[list(indices)].T
        return bool(
            np.all(
                (visibility >= MIN_VISIBILITY) & (x >= 0) & (x <= self.width) & (y >= 0) & (y <= self.height)
            )
        )

    def clamped_into_view(self, indices: Sequence[int], margin: float) -> Points | None:
        """The landmarks' (x, y) moved onto the frame's edge, when each is detected with confidence and inside the
        frame or guessed outside it by at most `margin` pixels (a photo whose edge cuts through them: mediapipe places
        them just beyond it); else None."""
        if self.landmarks is None:
            return None
        x, y, visibility = self.landmarks[list(indices)].T
        near = (x >= -margin) & (x <= self.width + margin) & (y >= -margin) & (y <= self.height + margin)
        if not np.all((visibility >= MIN_VISIBILITY) & near):
            return None
        clamped: Points = np.stack([np.clip(x, 0, self.width), np.clip(y, 0, self.height)], axis=1)
        return clamped

    def visible_points(self) -> Points:
        if self.landmarks is None:
            return np.empty((0, 2), np.float32)
        return self.landmarks[self.landmarks[:, 2] >= MIN_VISIBILITY, :2]

    def midpoint(self, first: int, second: int) -> Point:
        return (self.point(first) + self.point(second)) / 2

    @cached_property
    def frame(self) -> "BodyFrame | None":
        """The body's own axes and scale (BodyFrame), or None when the shoulders are not in view."""
        if not self.visible(LEFT_SHOULDER, RIGHT_SHOULDER):
            return None
        return BodyFrame(self)

    def person_mask(self) -> Binary:
        """Rough binary mask (uint8) of the person the pose belongs to, at detection size."""
        scale = self._small.shape[1] / self.width
        rough = self.segmentation > 0.5
        person = masks.keep_components_touching(rough, self.visible_points() * scale)
        return person if person.any() else masks.keep_large_components(rough, min_share=0.2)

    def person_alpha(self, rgb: RGB) -> Alpha:
        """Soft mask of the person the pose belongs to (other blobs of the segmentation dropped)."""
        near_person = cv2.dilate(self.person_mask(), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
        return masks.refine_alpha(self.segmentation * near_person, rgb)


def _face_box(detection: Any, width: int, height: int) -> NDArray[np.float32]:
    """(x0, y0, x1, y1) in photo pixels of a mediapipe face detection (an untyped protobuf message)."""
    box = detection.location_data.relative_bounding_box
    return np.array(
        [
            box.xmin * width,
            box.ymin * height,
            (box.xmin + box.width) * width,
            (box.ymin + box.height) * height,
        ],
        np.float32,
    )


class BodyFrame:
    """A body's axes and scale, from its pose. "Left" and "right" are as seen in the photo.

    `unit` is the body's scale in pixels: the distance between the shoulder joints, or the torso's
    length / 1.5 when that is larger (a body turned sideways shows narrower shoulders).
    """

    def __init__(self, body: Body) -> None:
        self.body = body
        shoulders = sorted(
            (body.point(LEFT_SHOULDER), body.point(RIGHT_SHOULDER)), key=lambda point: point[0]
        )
        self.shoulders = np.array(shoulders, np.float32)
        self.mid_shoulder = self.shoulders.mean(axis=0)
        self.shoulder_width = float(np.linalg.norm(self.shoulders[1] - self.shoulders[0]))
        self.hips_visible = body.visible(LEFT_HIP, RIGHT_HIP)
        across = _unit(self.shoulders[1] - self.shoulders[0])
        perpendicular = np.array([-across[1], across[0]], np.float32)
        if perpendicular[1] < 0:
            perpendicular = -perpendicular
        hips = sorted((body.point(LEFT_HIP), body.point(RIGHT_HIP)), key=lambda point: point[0])
        axis = _unit(np.mean(hips, axis=0) - self.mid_shoulder)
        self.down = axis if self.hips_visible and axis[1] > 0.5 else perpendicular
        self.across = np.array([self.down[1], -self.down[0]], np.float32)
        torso = float(np.linalg.norm(np.mean(hips, axis=0) - self.mid_shoulder)) if self.hips_visible else 0.0
        self.unit = max(self.shoulder_width, torso / 1.5, 1.0)
        self.torso_length = torso if self.hips_visible else 1.5 * self.unit
        self.hips = (
            np.array(hips, np.float32)
            if self.hips_visible
            else self.shoulders
            + self.down * self.torso_length
            + self.across * np.array([[0.2], [-0.2]]) * self.unit
        )
        self.mid_hip = self.hips.mean(axis=0)

    def at(self, origin: Point, across: float = 0.0, down: float = 0.0) -> Point:
        """The point `across` and `down` body units from origin, along the body's own axes."""
        return np.asarray(origin, np.float32) + (self.across * across + self.down * down) * self.unit

    def arm(self, side: int) -> Points:
        """Shoulder, elbow, wrist of the arm seen on the `side` (0 left, 1 right) of the photo."""
        indices = ((LEFT_SHOULDER, LEFT_ELBOW, LEFT_WRIST), (RIGHT_SHOULDER, RIGHT_ELBOW, RIGHT_WRIST))
        return self._limb(indices, side, LEFT_SHOULDER, RIGHT_SHOULDER)

    def leg(self, side: int) -> Points:
        """Hip, knee, ankle of the leg seen on the `side` (0 left, 1 right) of the photo."""
        indices = ((LEFT_HIP, LEFT_KNEE, LEFT_ANKLE), (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE))
        return self._limb(indices, side, LEFT_HIP, RIGHT_HIP)

    def _limb(
        self,
        indices: tuple[tuple[int, int, int], tuple[int, int, int]],
        side: int,
        left_root: int,
        right_root: int,
    ) -> Points:
        seen_left = 0 if self.body.point(left_root)[0] <= self.body.point(right_root)[0] else 1
        chosen = indices[0] if side == seen_left else indices[1]
        return np.array([self.body.point(index) for index in chosen], np.float32)


def along(polyline: Points, distance: float) -> Point:
    """The point `distance` pixels along a polyline from its start (continuing its last segment beyond its end)."""
    for index in range(len(polyline) - 1):
        start: Point = polyline[index]
        end: Point = polyline[index + 1]
        length = float(np.linalg.norm(end - start))
        if distance <= length or index == len(polyline) - 2:
            return start + _unit(end - start) * distance
        distance -= length
    last: Point = polyline[-1]
    return last


def _unit(vector: Point) -> Point:
    length = float(np.linalg.norm(vector))
    return np.asarray(vector, np.float32) / length if length else np.array([0.0, 1.0], np.float32)
