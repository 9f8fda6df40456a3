"""Profile request and answer shapes."""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, create_model

from features.body_measurements.schemas import Measurements
from features.tryon.schemas import Job
from features.wardrobe.schemas import Category, Section, WardrobeItem
from shared.schemas import (
    Misdirected,
    RawJson,
    RequestSchema,
    ResponseSchema,
    Timestamp,
    choice,
    email_address,
    one_of,
    past_date,
    secret,
    text,
)

GENDERS = ("male", "female", "other", "prefer-not-to-say")
PASSWORD_RULES = (
    "8-256 characters; not one of the ~20,000 most common passwords (COMMON_PASSWORD), not "
    "containing the email or its part before the @ when that has 4 or more characters "
    "(PASSWORD_LIKE_EMAIL), no control characters or line breaks (INVALID_PASSWORD)."
)


# Each profile field's type, also accepted in a sign-up (features/auth/schemas.py).
PROFILE_TYPES = {
    "first_name": (Annotated[str | None, text(255)], None),
    "last_name": (Annotated[str | None, text(255)], None),
    "street": (Annotated[str | None, text(255)], None),
    "city": (Annotated[str | None, text(255)], None),
    "gender": (Annotated[str | None, choice(GENDERS)], None),
    "birthday": (Annotated[str | None, past_date("In the past, after 1900.")], None),
}

ProfileFields = create_model(  # type: ignore[call-overload]  # fields from PROFILE_TYPES, shared with sign-up
    "ProfileFields",
    __base__=RequestSchema,
    **PROFILE_TYPES,
    __doc__="The profile a shopper fills in (at sign-up or later); null or blank clears a field.",
)


class ProfileUpdate(ProfileFields):  # type: ignore[misc,valid-type]  # a create_model class
    """Only the fields sent change. A new email also needs current_password."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"city": "Berlin", "gender": "female"}]})
    read_only = frozenset({"id", "userid", "user_id", "created_at", "updated_at", "is_active", "has_avatar"})
    misdirected = {
        "password": Misdirected(
            "Change the password with POST /api/users/profile/change-password",
            code="PASSWORD_NOT_ALLOWED_HERE",
        )
    }

    email: Annotated[str | None, email_address("A new address also needs current_password.")] = None
    current_password: Annotated[RawJson, secret("Required when email changes to another address.")] = None


class PasswordChange(RequestSchema):
    """A missing or wrong current password is refused like a wrong sign-in (401, counted)."""

    model_config = ConfigDict(json_schema_extra={"required": ["current_password", "new_password"]})

    current_password: Annotated[RawJson, secret()] = None
    new_password: Annotated[
        RawJson, secret("The same rules as at sign-up: " + PASSWORD_RULES, min_length=8, max_length=256)
    ] = None


class AccountDeletion(RequestSchema):
    """A missing or wrong password is refused like a wrong sign-in (401, counted)."""

    model_config = ConfigDict(json_schema_extra={"required": ["password"]})

    password: Annotated[RawJson, secret("The current password, to confirm.")] = None


class User(ResponseSchema):
    """What a client may see of an account."""

    id: int
    userid: str = Field(description="The 8-character public user id.")
    user_id: str = Field(description="Same as userid.")
    email: str
    first_name: str | None
    last_name: str | None
    gender: Annotated[str | None, one_of([*GENDERS, None])]
    birthday: str | None = Field(json_schema_extra={"format": "date"})
    street: str | None
    city: str | None
    is_active: bool
    has_avatar: bool
    created_at: Timestamp
    updated_at: Timestamp


class AuthResult(ResponseSchema):
    """A session's tokens (features/auth/sessions.py) and the account."""

    token: str = Field(
        description="The access token (JWT), valid `expires_in` seconds; send as `Authorization: Bearer <token>`."
    )
    refresh_token: str = Field(
        description="Trade it for a new pair at POST /api/auth/refresh before REFRESH_TOKEN_DAYS pass; it "
        "works once (a second use ends the session)."
    )
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the access token is valid (ACCESS_TOKEN_MINUTES).")
    session_id: str
    user: User


class Deleted(ResponseSchema):
    deleted: Literal[True]


class WardrobeExport(ResponseSchema):
    items: list[WardrobeItem]
    sections: list[Section]
    categories: list[Category]


class GeminiFile(ResponseSchema):
    """One of the caller's photos uploaded to the Gemini Files API (with a Gemini key: a photo used again is
    uploaded once and named in later requests). It is deleted at Google when the caller deletes a photo, a
    try-on or the account, and Google deletes it by itself at `expires_at`."""

    name: str | None = Field(description="The file's name at Google (`files/...`); null while uploading.")
    state: Literal["uploading", "active"] = Field(
        description="`uploading`: being sent to Google; `active`: Google holds it."
    )
    uploaded_at: Timestamp = Field(description="When the upload started.")
    expires_at: Timestamp | None = Field(
        description="When Google deletes it by itself (48 hours after the upload); null while uploading."
    )


class AccountExport(ResponseSchema):
    exported_at: Timestamp
    profile: User
    avatar_url: str | None
    body_url: str | None
    body_measurements: Measurements | None
    wardrobe: WardrobeExport
    tryon_jobs: list[Job]
    gemini_files: list[GeminiFile] = Field(
        description="The caller's photos held at Google's Gemini Files API (empty without a Gemini key)."
    )
