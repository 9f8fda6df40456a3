"""The health answer's shape."""

from typing import Annotated, Literal

from pydantic import Field

from features.health.service import CONNECTED, UNAVAILABLE
from shared.schemas import ResponseSchema, one_of

ComponentState = Annotated[str, one_of([CONNECTED, UNAVAILABLE])]


class AiStatus(ResponseSchema):
    provider: Literal["local", "gemini"]
    model: str | None = Field(
        description="The Gemini model in use (null for the local model or while none is usable)."
    )
    status: Literal["ok", "unavailable"]
    reason: str | None = Field(description="Why no model is usable.")
    retry_after: int | None = Field(
        None, description="Seconds until the API is asked again (only while unavailable)."
    )


class Health(ResponseSchema):
    status: Literal["healthy", "unhealthy"]
    database: ComponentState
    storage: ComponentState
    redis: ComponentState | None = Field(None, description="Only when REDIS_URL is set.")
    ai: AiStatus
