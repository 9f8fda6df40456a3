"""ImageModelError: one typed error for everything an AI model can fail with.

Messages are written for shoppers and never quote the provider; what the provider said goes to
`details["upstream"]` (the log and the job's operator fields).
"""

from typing import Any

from shared.errors import ApiError

# code: (HTTP status when surfaced directly, retryable, default message)
_KINDS = {
    "NO_PERSON_DETECTED": (422, False, "No person was found in the photo; use a photo that shows one person"),
    "MULTIPLE_PEOPLE": (422, False, "The photo shows more than one person; use a photo of just one person"),
    "NO_POSE_DETECTED": (422, False, "The person's pose could not be made out in the photo"),
    "NEEDS_FULL_BODY_PHOTO": (
        422,
        False,
        "This photo does not show your body down to the hips. Use a full-length "
        "photo of yourself standing, from head to feet, facing the camera",
    ),
    "BODY_PART_NOT_VISIBLE": (
        422,
        False,
        "The photo does not show the part of the body this garment is worn on",
    ),
    "INVALID_GARMENT_IMAGE": (422, False, "No garment could be found in the garment photo"),
    "NEEDS_PLAIN_BACKGROUND": (
        422,
        False,
        "The garment could not be told apart from what it lies on; photograph it on a plain, single-colour surface",
    ),
    "CONTENT_BLOCKED": (
        422,
        False,
        "The image safety checks stopped this try-on; try another photo of yourself or of the garment",
    ),
    "NO_IMAGE_RETURNED": (
        502,
        True,
        "No picture could be created for this try-on; please try again, or try other photos",
    ),
    "RATE_LIMITED": (429, True, "Too many try-ons are being created right now; try again shortly"),
    "UPSTREAM_UNAVAILABLE": (502, True, "The try-on service could not be reached; please try again shortly"),
    "UPSTREAM_REJECTED": (
        502,
        False,
        "The try-on service could not process this request; please try again later",
    ),
    "BAD_UPSTREAM_RESPONSE": (
        502,
        True,
        "The try-on service sent an answer we could not read; please try again",
    ),
    "TIMEOUT": (504, True, "The try-on service did not answer in time; please try again"),
    "AI_UNAVAILABLE": (503, True, "The AI features are unavailable right now; please try again later"),
}
CODES = tuple(_KINDS)


class ImageModelError(ApiError):
    """A model could not produce an image; `.retryable` says whether trying again may help."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        status_code, retryable, default_message = _KINDS[code]
        super().__init__(
            message or default_message, code=code, details=details, status_code=status_code, headers=headers
        )
        self.retryable = retryable
