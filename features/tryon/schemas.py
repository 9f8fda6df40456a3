"""Try-on request and answer shapes. A try-on arrives as a multipart form (photos) or as JSON (URLs only);
the controller reads both itself, so these describe them."""

from typing import Literal

from pydantic import Field

from features.tryon import model
from shared.schemas import PageQuery, ResponseSchema, unchecked, yaml_component

JOB_STATUSES = (model.QUEUED, model.PROCESSING, model.DONE, model.FAILED)
IMAGE_PART = {"contentType": "image/png, image/jpeg, image/webp, image/heic, image/heif"}


class JobAccepted(ResponseSchema):
    job_id: str
    status: Literal["queued"]
    estimated_time: int = Field(ge=1, description="Seconds until the result is likely ready.")


class JobResult(ResponseSchema):
    job_id: str
    result_url: str = Field(json_schema_extra={"format": "uri"})


class JobDeleted(ResponseSchema):
    job_id: str
    deleted: Literal[True]
    was_status: Literal[JOB_STATUSES]


class JobsQuery(PageQuery):
    status: unchecked(yaml_component("JobStatus")) = None  # checked by service.list_jobs


TRYON_FORM = yaml_component("TryOnForm")
TRYON_JSON = yaml_component("TryOnJson")
JOB = yaml_component("Job")
