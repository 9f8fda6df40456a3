"""Parts of a person photo the compositing must respect: skin, head and hair, arms, clothing.

All masks are float32 0..1 at the Body's detection size (see Body.small); the caller scales them
up. Skin is learned from the person's own face (their neck when the face is cut off), so the rule
holds for every skin tone and light.
"""
from functools import cached_property

import cv2
import numpy as np

from shared.ai_models.body import HANDS, MOUTH_LEFT, MOUTH_RIGHT

_SKIN_DISTANCE = 3.0  # Mahalanobis distance in CIELAB chroma within which a colour is this person's skin
_HEAD_CLEARANCE = 0.3  # body units above the shoulder joints where the neck ends and the head begins
# Capsule radii around the arm bones in body units: upper arm, forearm, hand.
_ARM_RADII = (0.17, 0.14, 0.13)


class Regions:
    """Masks of one person photo, computed once and shared by every garment put on it."""

    def __init__(self, body):
        self.body = body
        self.frame = body.frame
        self.scale = body.small_scale
        self.shape = body.small.shape[:2]
        self.lab = cv2.cvtColor(body.small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)

    @cached_property
    def person(self):
        return self.body.person_mask().astype(np.float32)

    @cached_property
    def skin(self):
        """Pixels coloured like this person's skin (zeros when no face or neck shows to learn it from)."""
        sample = self._skin_sample()
        if sample is None or sample.sum() < 30:
            return np.zeros(self.shape, np.float32)
        pixels = self.lab[sample]
        lightness = pixels[:, 0]
        chroma = pixels[:, 1:]
        mean = np.median(chroma, axis=0)
        covariance = np.cov((chroma - mean).T) + np.eye(2) * 4.0
        offset = self.lab[..., 1:] - mean
        distance = np.einsum("...i,ij,...j->...", offset, np.linalg.inv(covariance), offset)
        low, high = np.percentile(lightness, [2, 98])
        lit = (self.lab[..., 0] > low - 25) & (self.lab[..., 0] < high + 20)
        # Skin is smooth; a print in skin tones (leopard, camel) is not.
        smooth = self._texture < max(4.0, 2.0 * float(np.median(self._texture[sample])))
        skin = ((distance < _SKIN_DISTANCE ** 2) & lit & smooth).astype(np.uint8)
        skin = cv2.morphologyEx(skin, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        return cv2.morphologyEx(skin, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)).astype(np.float32)

    @cached_property
    def _texture(self):
        """Local contrast: the standard deviation of the lightness in a 5×5 window."""
        lightness = self.lab[..., 0]
        mean = cv2.blur(lightness, (5, 5))
        return np.sqrt(np.maximum(cv2.blur(lightness * lightness, (5, 5)) - mean * mean, 0))

    @cached_property
    def head(self):
        """Face, hair and neck above the collar line: nothing is ever drawn there."""
        head = np.zeros(self.shape, np.uint8)
        for x0, y0, x1, y1 in self.body.face_boxes:
            width, height = x1 - x0, y1 - y0
            box = np.array([x0 - 0.25 * width, y0 - 0.6 * height, x1 + 0.25 * width, y1 + 0.1 * height]) * self.scale
            cv2.rectangle(head, tuple(int(v) for v in box[:2]), tuple(int(v) for v in box[2:]), 1, -1)
        if self.frame is not None:
            ys, xs = np.mgrid[0:self.shape[0], 0:self.shape[1]].astype(np.float32)
            neck = self.frame.at(self.frame.mid_shoulder, down=-_HEAD_CLEARANCE) * self.scale
            down = self.frame.down
            above = (xs - neck[0]) * down[0] + (ys - neck[1]) * down[1] < 0
            head = np.maximum(head, (above & (self.person > 0)).astype(np.uint8))
        return head.astype(np.float32) * self.person if self.frame is not None else head.astype(np.float32)

    @cached_property
    def arms(self):
        """The arms and hands: capsules around the arm bones, as far as the person's outline reaches."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        capsules = np.zeros(self.shape, np.uint8)
        unit = self.frame.unit * self.scale
        for side in (0, 1):
            shoulder, elbow, wrist = self.frame.arm(side) * self.scale
            for (start, end), radius in zip(((shoulder, elbow), (elbow, wrist)), _ARM_RADII):
                _capsule(capsules, start, end, radius * unit)
        hands = self.body.landmarks[list(HANDS), :2] * self.scale
        for x, y in hands:
            cv2.circle(capsules, (int(x), int(y)), max(1, int(_ARM_RADII[2] * unit)), 1, -1)
        return capsules.astype(np.float32) * self.person

    def _skin_sample(self):
        """Cheeks, nose and mouth of the largest face; or the middle of the neck when the face is cut off."""
        sample = np.zeros(self.shape, bool)
        if self.body.face_boxes:
            x0, y0, x1, y1 = max(self.body.face_boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
            width, height = x1 - x0, y1 - y0
            box = np.array([x0 + 0.25 * width, y0 + 0.45 * height, x1 - 0.25 * width, y1 - 0.1 * height]) * self.scale
            left, top = np.maximum(box[:2].astype(int), 0)
            sample[top:max(top, int(box[3])), left:max(left, int(box[2]))] = True
        elif self.frame is not None and self.body.visible(MOUTH_LEFT, MOUTH_RIGHT):
            mouth = self.body.midpoint(MOUTH_LEFT, MOUTH_RIGHT)
            neck = (mouth + 0.45 * (self.frame.mid_shoulder - mouth)) * self.scale
            cv2.circle(sample.view(np.uint8), (int(neck[0]), int(neck[1])),
                       max(2, int(0.06 * self.frame.unit * self.scale)), 1, -1)
        else:
            return None
        return sample & (self.person > 0)


def _capsule(canvas, start, end, radius):
    cv2.line(canvas, (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), 1, thickness=max(1, int(2 * radius)))
    for x, y in (start, end):
        cv2.circle(canvas, (int(x), int(y)), max(1, int(radius)), 1, -1)
