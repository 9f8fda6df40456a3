"""What mediapipe sees of a person in one photo: pose landmarks, person segmentation, faces.

mediapipe 0.10.21 (legacy `mp.solutions`) ships its models in the wheel, so this works without a
network. Its solution objects are not thread-safe: each kind lives in a pool from which a caller
borrows an idle instance or builds a new one, so N threads use at most N instances of each and
never share one. Pose uses model_complexity=1 only: 0 and 2 try to download weights and fail.
"""
import queue
from contextlib import contextmanager
from functools import cached_property

import cv2
import mediapipe as mp
import numpy as np

from shared.ai_models import masks

DETECTION_SIZE = 640
MIN_VISIBILITY = 0.5

# mediapipe pose landmark indices
NOSE, LEFT_EAR, RIGHT_EAR = 0, 7, 8
LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_ELBOW, RIGHT_ELBOW, LEFT_WRIST, RIGHT_WRIST = 11, 12, 13, 14, 15, 16
LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE = 23, 24, 25, 26, 27, 28
HANDS = (15, 16, 17, 18, 19, 20, 21, 22)
FEET = (27, 28, 29, 30, 31, 32)


class _Pool:
    """Instances of one mediapipe solution, one per concurrent caller, built on demand and reused."""

    def __init__(self, factory):
        self._factory = factory
        self._idle = queue.SimpleQueue()

    @contextmanager
    def instance(self):
        try:
            solution = self._idle.get_nowait()
        except queue.Empty:
            solution = self._factory()
        try:
            yield solution
        finally:
            self._idle.put(solution)


_segmenters = _Pool(lambda: mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0))
_pose_estimators = _Pool(lambda: mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1))
_face_detectors = _Pool(lambda: mp.solutions.face_detection.FaceDetection(model_selection=1,
                                                                           min_detection_confidence=0.6))


class Body:
    """What the detectors see in one photo; landmarks are (x, y, visibility) in that photo's pixels."""

    def __init__(self, rgb):
        self.height, self.width = rgb.shape[:2]
        self._small = np.ascontiguousarray(masks.resize_to_fit(rgb, DETECTION_SIZE))
        with _pose_estimators.instance() as pose:
            result = pose.process(self._small)
        self.landmarks = None
        if result.pose_landmarks:
            self.landmarks = np.array([(point.x * self.width, point.y * self.height, point.visibility)
                                       for point in result.pose_landmarks.landmark], dtype=np.float32)
        with _face_detectors.instance() as detector:
            detections = detector.process(self._small).detections or []
        self.face_count = len(detections)
        self.face_boxes = [_face_box(detection, self.width, self.height) for detection in detections]

    @cached_property
    def segmentation(self):
        """Person probability (float32 0..1) at detection size."""
        with _segmenters.instance() as segmenter:
            return segmenter.process(self._small).segmentation_mask.astype(np.float32)

    @property
    def found(self):
        return self.landmarks is not None or self.face_count > 0

    def point(self, index):
        return self.landmarks[index, :2]

    def visible(self, *indices):
        """Detected with confidence and inside the frame (mediapipe also guesses points out of view)."""
        if self.landmarks is None:
            return False
        x, y, visibility = self.landmarks[list(indices)].T
        return bool(np.all((visibility >= MIN_VISIBILITY) & (x >= 0) & (x <= self.width) & (y >= 0)
                           & (y <= self.height)))

    def visible_points(self):
        if self.landmarks is None:
            return np.empty((0, 2), np.float32)
        return self.landmarks[self.landmarks[:, 2] >= MIN_VISIBILITY, :2]

    def midpoint(self, first, second):
        return (self.point(first) + self.point(second)) / 2

    def person_mask(self):
        """Rough binary mask (uint8) of the person the pose belongs to, at detection size."""
        scale = self._small.shape[1] / self.width
        rough = self.segmentation > 0.5
        person = masks.keep_components_touching(rough, self.visible_points() * scale)
        return person if person.any() else masks.keep_large_components(rough, min_share=0.2)

    def person_alpha(self, rgb):
        """Soft mask of the person the pose belongs to (other blobs of the segmentation dropped)."""
        near_person = cv2.dilate(self.person_mask(), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
        return masks.refine_alpha(self.segmentation * near_person, rgb)


def _face_box(detection, width, height):
    box = detection.location_data.relative_bounding_box
    return np.array([box.xmin * width, box.ymin * height, (box.xmin + box.width) * width,
                     (box.ymin + box.height) * height], np.float32)
