"""Avatar request and answer shapes. Photos arrive as multipart files (read by shared/request_data.py,
checked by shared/image_processing.py); their form models only describe them."""

from typing import Annotated

from pydantic import ConfigDict, Field

from shared.schemas import ImageFile, RawJson, RequestSchema, ResponseSchema, unchecked


class AvatarForm(RequestSchema):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"required": ["avatar"]})

    avatar: ImageFile = None


class PhotoForm(RequestSchema):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"required": ["image"]})

    image: ImageFile = None


class AvatarImage(RequestSchema):
    """The photo inside JSON. Other fields are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"required": ["avatar"]})

    avatar: Annotated[
        RawJson,
        unchecked(
            {
                "type": "string",
                "description": "Base64 of a PNG/JPEG/WebP/HEIC file, or a data URL (data:image/png;base64,...).",
            }
        ),
    ] = None


class AvatarSaved(ResponseSchema):
    message: str
    background_removed: bool = Field(
        description="False when the remover was unavailable and the photo was kept as sent."
    )
    avatar_url: str = Field(json_schema_extra={"format": "uri"})


class AvatarUrls(ResponseSchema):
    avatar_url: str | None = Field(json_schema_extra={"format": "uri"})
    body_url: str | None = Field(json_schema_extra={"format": "uri"})
