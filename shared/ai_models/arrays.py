"""The array kinds the local model's geometry passes around, one alias each (numpy cannot type shapes):
what a name says about shape and values is in its comment. cv2 and mediapipe return untyped arrays; they
get one of these types where our code receives them."""

from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

# H×W×3 photo, RGB 0..255.
RGB = NDArray[np.uint8]
# H×W×3 CIELAB (cv2's float scale: L* 0..100).
Lab = NDArray[np.float32]
# H×W coverage 0..1 (1 = fully the subject or garment).
Alpha = NDArray[np.float32]
# H×W mask, 0 or 1 (what cv2's morphology and component labelling take).
Binary = NDArray[np.uint8]
# H×W mask.
Mask = NDArray[np.bool_]
# One point (x, y) in pixels.
Point = NDArray[np.float32]
# N×2 points (x, y) in pixels, one a row.
Points = NDArray[np.float32]
# Any array kind, kept through a function (a resize returns what it was given).
ScalarT = TypeVar("ScalarT", bound=np.generic)
# H×W×4 premultiplied layer: colour × alpha, then alpha, uint8.
Layer = NDArray[np.uint8]
# Float64 coordinates for the warps: N×2 (x, y), or N values.
Coordinates = NDArray[np.float64]
