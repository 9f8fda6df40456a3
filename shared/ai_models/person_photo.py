"""A shopper's person photo as it comes: sideways or upside down, the person small in a big frame, two people.

mediapipe's pose is made for one upright person filling much of the photo. A photo that is not one is first
framed so that it is: turned upright by quarter turns (a phone photo whose pixels lie sideways and that carries
no EXIF orientation, which image_processing applies on decoding), then cropped to the person when they fill
little of it, so pose and segmentation see them at a useful size. The try-on dresses that view and puts the
result back where it came from (`PersonView.restore`); a photo of two people or more is refused as a whole.
"""

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from shared.ai_models.arrays import RGB
from shared.ai_models.body import (
    LEFT_ANKLE,
    LEFT_HIP,
    LEFT_KNEE,
    LEFT_SHOULDER,
    MIN_VISIBILITY,
    NOSE,
    RIGHT_ANKLE,
    RIGHT_HIP,
    RIGHT_KNEE,
    RIGHT_SHOULDER,
    Body,
)

# The body's head-to-feet direction is "down" when its downward part is at least this share of it (within 60°).
_UPRIGHT = 0.5
# Head to feet, in order: the nose, then the middle of each pair (all their points seen with confidence).
_CHAIN = ((NOSE,), (LEFT_SHOULDER, RIGHT_SHOULDER), (LEFT_HIP, RIGHT_HIP), (LEFT_KNEE, RIGHT_KNEE))
_CHAIN_FEET = (LEFT_ANKLE, RIGHT_ANKLE)
_TORSO = (LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP)
# A person whose outline (segmentation) spans less than this share of the photo's longer side, across and down, is
# cropped to, with this share of their height as margin on every side.
_SMALL_SHARE, _MARGIN = 0.55, 0.15
# Segmentation blobs: a person is one of at least this share of the photo; a second person one beside it (no column
# shared), holding none of the pose's shoulders and hips, at least this share of the largest blob's area and of its
# height (an arm or a bag held apart is neither).
_MIN_PERSON_SHARE, _SECOND_PERSON_SHARE = 0.01, 0.4
# A photo shows someone, though the pose finds no one (no face to start from), when its largest segmentation blob
# is at least this share of the photo and mostly (this share) segmented with confidence: a person is; a cup of
# coffee the segmenter half takes for one is not.
_SEEN_SHARE, _CONFIDENT, _CONFIDENT_SHARE = 0.05, 0.9, 0.7


@dataclass(frozen=True)
class PersonView:
    """The photo as dressed (upright, cropped to the person) and how it sits in the photo as sent."""

    rgb: RGB
    body: Body
    turns: int  # quarter turns (np.rot90's k) that stood the photo up
    box: tuple[int, int, int, int]  # (x0, y0, x1, y1) of `rgb` in the upright photo
    upright_shape: tuple[int, int]  # (height, width) of the upright photo
    people: int  # person-sized blobs the segmentation finds side by side

    @property
    def upright(self) -> bool:
        """The pose stands (head above feet), or shows too little to say: a pose lying in every turn is none to
        dress (the pose model finds bodies lying in a strip of feet)."""
        direction = head_to_feet(self.body)
        return direction is None or bool(direction[1] >= _UPRIGHT * float(np.linalg.norm(direction)))

    @property
    def shows_someone(self) -> bool:
        """A face, a pose, or a confident person-sized blob of the segmentation (see _SEEN_SHARE)."""
        if self.body.found:
            return True
        segmentation = self.body.segmentation
        person = (segmentation > 0.5).astype(np.uint8)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(person, connectivity=8)
        if count <= 1:
            return False
        largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        blob = labels == largest
        return bool(
            blob.mean() >= _SEEN_SHARE and (segmentation[blob] > _CONFIDENT).mean() >= _CONFIDENT_SHARE
        )

    def restore(self, dressed: NDArray[np.float32], upright: NDArray[np.float32]) -> NDArray[np.float32]:
        """`dressed` (an array the size of the view) put back into `upright` (the upright photo's array, changed
        in place) and turned back as the photo was sent."""
        x0, y0, x1, y1 = self.box
        upright[y0:y1, x0:x1] = dressed
        return np.ascontiguousarray(np.rot90(upright, -self.turns))


def view_person(rgb: RGB) -> PersonView:
    """The person photo framed for the pose: turned upright, cropped to a small person (see the module)."""
    body, turns = upright_body(rgb)
    upright = turned(rgb, turns)
    height, width = upright.shape[:2]
    boxes = _person_boxes(body, (height, width))
    full = (0, 0, width, height)
    view = PersonView(upright, body, turns, full, (height, width), len(boxes))
    if len(boxes) != 1 or not view.shows_someone:
        return view
    x0, y0, x1, y1 = boxes[0]
    if body.landmarks is not None:
        # The segmentation may cut a person in pieces (a white top apart from a dark skirt): the box holds every
        # part of them the pose sees too.
        seen = body.points(list(range(len(body.landmarks))))[body.landmarks[:, 2] >= MIN_VISIBILITY]
        if len(seen):
            x0, y0 = min(x0, float(seen[:, 0].min())), min(y0, float(seen[:, 1].min()))
            x1, y1 = max(x1, float(seen[:, 0].max())), max(y1, float(seen[:, 1].max()))
    # The pose sees the photo shrunk to its longer side: what counts is the person's size against that side.
    if max(x1 - x0, y1 - y0) >= _SMALL_SHARE * max(height, width):
        return view
    margin = _MARGIN * (y1 - y0)
    box = (
        max(0, int(x0 - margin)),
        max(0, int(y0 - margin)),
        min(width, int(x1 + margin + 1)),
        min(height, int(y1 + margin + 1)),
    )
    crop = np.ascontiguousarray(upright[box[1] : box[3], box[0] : box[2]])
    cropped = Body(crop)
    if (cropped.landmarks is None and body.landmarks is not None) or (
        sees_hips(body) and not sees_hips(cropped)
    ):
        return view  # the crop must see at least what the whole photo shows
    return PersonView(
        crop,
        cropped,
        turns,
        box,
        (height, width),
        max(1, len(_person_boxes(cropped, (crop.shape[0], crop.shape[1])))),
    )


def sees_hips(body: Body) -> bool:
    """The pose sees at least one of the hips."""
    return body.landmarks is not None and (body.visible(LEFT_HIP) or body.visible(RIGHT_HIP))


def turned(rgb: RGB, turns: int) -> RGB:
    return rgb if turns == 0 else np.ascontiguousarray(np.rot90(rgb, turns))


def upright_body(rgb: RGB, *, when_unseen: bool = True) -> tuple[Body, int]:
    """The photo's Body and the quarter turns that stand its person up (0 when they stand, or cannot be seen
    in any turn). A turn is tried when the pose lies sideways or upside down, or (when_unseen) finds no one."""
    body = Body(rgb)
    direction = head_to_feet(body)
    if direction is not None and _points_down(direction):
        return body, 0
    if direction is None and not when_unseen:
        return body, 0
    for turns in _turns_to_try(direction):
        candidate = Body(turned(rgb, turns))
        seen = head_to_feet(candidate)
        # Where the photo as sent showed no pose at all, a pose seen in a turn must come with a face seen there
        # only (the pose model finds bodies in much else turned sideways: a photo cut off at the hips).
        if (
            seen is not None
            and _points_down(seen)
            and (body.landmarks is not None or candidate.face_count > body.face_count)
        ):
            return candidate, turns
    return body, 0


def _turns_to_try(direction: NDArray[np.float32] | None) -> tuple[int, ...]:
    """Quarter turns, the likeliest first: the one that turns the pose's head-to-feet direction downward."""
    if direction is None:
        return (2, 1, 3)
    x, y = direction
    if abs(x) > abs(y):
        first = 3 if x > 0 else 1  # feet to the right: a clockwise turn (k=3) brings them down
    else:
        first = 2
    return (first, *(turns for turns in (2, 1, 3) if turns != first))


def stands(body: Body) -> bool:
    """The body's head-to-feet direction points down the photo (within _UPRIGHT), or cannot be told."""
    direction = head_to_feet(body)
    return direction is None or _points_down(direction)


def _points_down(direction: NDArray[np.float32]) -> bool:
    """A head-to-feet direction pointing down the photo, within _UPRIGHT."""
    return bool(direction[1] >= _UPRIGHT * float(np.linalg.norm(direction)))


def head_to_feet(body: Body) -> NDArray[np.float32] | None:
    """The vector from the body's highest part seen (nose, shoulders, hips, knees) to its lowest (down to the
    ankles), or None when fewer than two of them are seen."""
    if body.landmarks is None:
        return None
    seen = [
        body.points(list(indices)).mean(axis=0)
        for indices in (*_CHAIN, _CHAIN_FEET)
        if bool(np.all(body.landmarks[list(indices), 2] >= MIN_VISIBILITY))
    ]
    if len(seen) < 2:
        return None
    return np.asarray(seen[-1] - seen[0], np.float32)


def _person_boxes(body: Body, shape: tuple[int, int]) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in photo pixels of each person the segmentation finds apart from the others: its
    largest blob and every blob nearly as large and as tall (see _SECOND_PERSON_SHARE)."""
    person = (body.segmentation > 0.5).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(person, connectivity=8)
    if count <= 1:
        return []
    blobs = stats[1:]
    areas, heights = blobs[:, cv2.CC_STAT_AREA], blobs[:, cv2.CC_STAT_HEIGHT]
    largest = int(np.argmax(areas))
    if areas[largest] < _MIN_PERSON_SHARE * person.size:
        return []
    scale = shape[1] / person.shape[1]
    # A blob holding the pose's shoulders or hips is the posed person's (two legs apart in a photo of the legs);
    # with no pose, blobs tell no one from another.
    torso = (
        body.points(list(_TORSO))[body.landmarks[list(_TORSO), 2] >= MIN_VISIBILITY] / scale
        if body.landmarks is not None
        else np.empty((0, 2))
    )
    posed = {
        int(labels[int(y), int(x)]) - 1
        for x, y in torso
        if 0 <= x < person.shape[1] and 0 <= y < person.shape[0]
    }
    people = [largest] + [
        index
        for index in range(len(blobs))
        if index != largest
        and body.landmarks is not None
        and index not in posed
        and areas[index] >= _SECOND_PERSON_SHARE * areas[largest]
        and heights[index] >= _SECOND_PERSON_SHARE * heights[largest]
        and _apart(blobs[index], blobs[largest])
    ]
    return [
        (
            blobs[index, cv2.CC_STAT_LEFT] * scale,
            blobs[index, cv2.CC_STAT_TOP] * scale,
            (blobs[index, cv2.CC_STAT_LEFT] + blobs[index, cv2.CC_STAT_WIDTH]) * scale,
            (blobs[index, cv2.CC_STAT_TOP] + blobs[index, cv2.CC_STAT_HEIGHT]) * scale,
        )
        for index in people
    ]


def _apart(blob: NDArray[np.int32], other: NDArray[np.int32]) -> bool:
    """Side by side: the two blobs share no column (a head the segmentation cut from its body lies above it)."""
    left, width = int(blob[cv2.CC_STAT_LEFT]), int(blob[cv2.CC_STAT_WIDTH])
    other_left, other_width = int(other[cv2.CC_STAT_LEFT]), int(other[cv2.CC_STAT_WIDTH])
    return left >= other_left + other_width or other_left >= left + width
