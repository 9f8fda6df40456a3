"""Does a person photo show the body down to the hips? A selfie is usually head and shoulders, and such a
photo cannot show a garment: on Gemini the try-on first builds a full-length photo of the person
(GeminiImageModel.build_body); the local model, which frames the photo anyway, fails with NEEDS_FULL_BODY_PHOTO
itself when a garment needs the hips (local_model.framed_person: the pose read once per job, not here and again
there).

"No hips" means mediapipe's pose finds neither hip landmark in the frame (a photo in which pose finds no
person at all is left to the model, which says what is wrong with it). The answer for a photo is
remembered (shoppers try many garments on the same avatar), so the pose runs once per photo per process. The
photo is framed as the local model frames it (person_photo.py: turned upright, cropped to a small person).
"""

import numpy as np

from shared.ai_models.per_image import remembered_per_image
from shared.image_processing import load_image

# Garments the local model cannot place without the hips (tops hang from the shoulders).
NEEDS_HIPS = ("bottom", "one_piece", "shoes")
_DETECTION_SIZE = 640


@remembered_per_image(256)
def shows_hips(image: bytes) -> bool:
    """False when the photo shows a person but neither of their hips."""
    # Imported here: mediapipe takes a second to load, and only photos that need the check pay for it.
    from shared.ai_models.person_photo import sees_hips, view_person

    # Framed as the local model frames it: a photo sent sideways shows its hips once turned upright.
    body = view_person(np.asarray(load_image(image, max_dimension=_DETECTION_SIZE).convert("RGB"))).body
    return body.landmarks is None or sees_hips(body)
