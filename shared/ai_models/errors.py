"""ImageModelError: one typed error for everything an image model can fail with."""
from shared.errors import ApiError

# code: (HTTP status when surfaced directly, retryable, default message)
_KINDS = {
    "NO_PERSON_DETECTED": (422, False, "No person was found in the photo; use a photo that shows one person"),
    "MULTIPLE_PEOPLE": (422, False, "The photo shows more than one person; use a photo of just one person"),
    "NO_POSE_DETECTED": (422, False, "The person's pose could not be made out in the photo"),
    "BODY_PART_NOT_VISIBLE": (422, False, "The photo does not show the part of the body this garment is worn on"),
    "INVALID_GARMENT_IMAGE": (422, False, "No garment could be found in the garment photo"),
    "CONTENT_BLOCKED": (422, False, "The AI provider refused this request on content-safety grounds"),
    "NO_IMAGE_RETURNED": (502, True, "The AI provider answered without an image"),
    "RATE_LIMITED": (429, True, "The AI provider's quota is exhausted for now; try again shortly"),
    "UPSTREAM_UNAVAILABLE": (502, True, "The AI provider could not be reached or failed"),
    "UPSTREAM_REJECTED": (502, False, "The AI provider rejected the request"),
    "BAD_UPSTREAM_RESPONSE": (502, True, "The AI provider sent a response we could not read"),
    "TIMEOUT": (504, True, "The AI provider did not answer in time"),
}
CODES = tuple(_KINDS)


class ImageModelError(ApiError):
    """A model could not produce an image; `.retryable` says whether trying again may help."""

    def __init__(self, code, message=None, details=None, headers=None):
        status_code, retryable, default_message = _KINDS[code]
        super().__init__(message or default_message, code=code, details=details, status_code=status_code,
                         headers=headers)
        self.retryable = retryable
