"""The signed image URL's query parameters."""

from typing import Annotated

from pydantic import ConfigDict

from shared.schemas import RawJson, RequestSchema, unchecked


class Signature(RequestSchema):
    """Checked by storage (a wrong or missing one is IMAGE_NOT_FOUND); other parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    expires: Annotated[
        RawJson, unchecked({"type": "string", "description": "Unix time the URL expires."})
    ] = None
    sig: Annotated[RawJson, unchecked({"type": "string"})] = None
