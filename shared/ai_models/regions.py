"""Parts of a person photo the compositing must respect: skin, head and hair, arms, clothing.

All masks are float32 0..1 at the Body's detection size (see Body.small); the caller scales them
up. Skin is learned from the person's own face (their neck when the face is cut off), so the rule
holds for every skin tone and light.
"""
from functools import cached_property

import cv2
import numpy as np

from shared.ai_models.body import HANDS, MOUTH_LEFT, MOUTH_RIGHT

_MIN_SKIN_CHROMA = 4.0  # CIELAB chroma below which a "skin" sample is grey (a black-and-white photo)
_SKIN_DISTANCE = 3.0  # Mahalanobis distance in CIELAB chroma within which a colour is this person's skin
_HEAD_CLEARANCE = 0.3  # body units above the shoulder joints where the neck ends and the head begins
# Capsule radii around the arm bones in body units: upper arm, forearm, hand.
_ARM_RADII = (0.17, 0.14, 0.13)
_ARM_CORE = 0.5  # share of those radii that is arm whatever it wears (beyond it, only bare skin counts)
_SHOULDER_CAP = 0.35  # the top of the upper arm lies under a garment's shoulder, never in front of it


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
        model = self._skin_model
        if model is None:
            return np.zeros(self.shape, np.float32)
        mean, inverse, (low, high), texture = model
        offset = self.lab[..., 1:] - mean
        distance = np.einsum("...i,ij,...j->...", offset, inverse, offset)
        lit = (self.lab[..., 0] > low - 25) & (self.lab[..., 0] < high + 20)
        # Skin is smooth; a print in skin tones (leopard, camel) is not.
        smooth = self._texture < max(4.0, 2.0 * texture)
        skin = ((distance < _SKIN_DISTANCE ** 2) & lit & smooth).astype(np.uint8)
        skin = cv2.morphologyEx(skin, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        return cv2.morphologyEx(skin, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)).astype(np.float32)

    @cached_property
    def skin_colour(self):
        """The person's typical skin colour (CIELAB, float32), or None when there is no face or neck to learn it
        from."""
        if self._skin_model is None:
            return None
        return np.median(self.lab[self._skin_sample()], axis=0)

    @cached_property
    def old_sleeves(self):
        """What the person wears on their arms: clothing (not skin) around the arm bones."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        return self._arm_capsules(1.0, hands=False) * self.person * (1 - self.skin) * (1 - self.head)

    @cached_property
    def _skin_model(self):
        """(median chroma, inverse chroma covariance, lightness range, median texture) of the skin sample."""
        sample = self._skin_sample()
        if sample is None or sample.sum() < 30:
            return None
        pixels = self.lab[sample]
        chroma = pixels[:, 1:]
        mean = np.median(chroma, axis=0)
        if np.linalg.norm(mean) < _MIN_SKIN_CHROMA:
            return None  # a black-and-white photo: every grey would pass for skin
        covariance = np.cov((chroma - mean).T) + np.eye(2) * 4.0
        return (mean, np.linalg.inv(covariance), tuple(np.percentile(pixels[:, 0], [2, 98])),
                float(np.median(self._texture[sample])))

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
        """The arms and hands: bare skin within wide capsules around the arm bones, and whatever lies along the
        bones themselves (a sleeved arm, or a hand the person segmentation missed)."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        return np.maximum(self.arm_zone * self.skin * self.person, self._arm_cores)

    @cached_property
    def arm_zone(self):
        """Where the arms are, whatever they wear: wide capsules around the arm bones below the shoulder."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        return self._arm_capsules(1.0, _SHOULDER_CAP)

    @cached_property
    def _arm_cores(self):
        return self._arm_capsules(_ARM_CORE, _SHOULDER_CAP)

    @cached_property
    def hands(self):
        """The hands: in front even of sleeves (a sleeve ends at the wrist; a hand may rest on the other arm)."""
        if self.frame is None:
            return np.zeros(self.shape, np.float32)
        hands = np.zeros(self.shape, np.uint8)
        radius = max(1, int(_ARM_RADII[2] * self.frame.unit * self.scale))
        for x, y in self.body.landmarks[list(HANDS), :2] * self.scale:
            cv2.circle(hands, (int(x), int(y)), radius, 1, -1)
        return hands.astype(np.float32) * np.maximum(self.skin, self._arm_cores)

    def _arm_capsules(self, share, skip=0.0, hands=True):
        """Capsules around the arm bones (and the hands), their radii `share` of the arms' usual half-widths,
        leaving out the first `skip` of the upper arm."""
        capsules = np.zeros(self.shape, np.uint8)
        unit = self.frame.unit * self.scale
        for side in (0, 1):
            shoulder, elbow, wrist = self.frame.arm(side) * self.scale
            shoulder = shoulder + skip * (elbow - shoulder)
            for (start, end), radius in zip(((shoulder, elbow), (elbow, wrist)), _ARM_RADII):
                _capsule(capsules, start, end, share * radius * unit)
        for x, y in self.body.landmarks[list(HANDS), :2] * self.scale if hands else ():
            cv2.circle(capsules, (int(x), int(y)), max(1, int(share * _ARM_RADII[2] * unit)), 1, -1)
        return capsules.astype(np.float32)

    def width_across(self, depth):
        """How wide the person's body is `depth` body units below the shoulders, in photo px, between their
        arms (an arm hanging close may hide the body's side: the width is then a little short, never long);
        None when the row leaves the photo or finds no body."""
        frame = self.frame
        centre = frame.at(frame.mid_shoulder, down=depth) * self.scale
        steps = np.arange(-1.6, 1.6, 0.01) * frame.unit * self.scale
        points = centre + np.outer(steps, frame.across)
        inside = (points[:, 0] >= 0) & (points[:, 0] < self.shape[1]) & (points[:, 1] >= 0) & (points[:, 1] < self.shape[0])
        if not inside[len(steps) // 2]:
            return None
        body = (self.person > 0.5) & (self.arm_zone < 0.5)
        xs, ys = np.clip(points[:, 0], 0, self.shape[1] - 1).astype(int), np.clip(points[:, 1], 0, self.shape[0] - 1).astype(int)
        on_body = body[ys, xs] & inside
        middle = len(steps) // 2
        if not on_body[middle]:
            return None
        left = middle - np.argmin(on_body[middle::-1]) if not on_body[:middle + 1].all() else 0
        right = middle + np.argmin(on_body[middle:]) if not on_body[middle:].all() else len(steps) - 1
        return float(steps[right] - steps[left]) / self.scale

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
