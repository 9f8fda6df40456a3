"""The RQ task: what a worker process (scripts/worker.py) runs for one queued try-on job."""

import threading
from typing import Any

from rq import SimpleWorker

from config import Settings, finalize_secrets
from features.garments import service as garments_service
from features.images.service import ImageSweeper
from features.tryon import model
from features.tryon.pipeline import PipelineDeps, load_models, run_job
from shared.ai_models import create_image_models
from shared.database import create_database
from shared.storage import create_storage

_deps: PipelineDeps | None = None
_deps_lock = threading.Lock()


def worker_deps() -> PipelineDeps:
    """Database, storage and models of this worker process, built once from the environment."""
    global _deps
    with _deps_lock:
        if _deps is None:
            settings = finalize_secrets(Settings.from_env())
            db = create_database(settings)
            image_models = create_image_models(settings, db)
            _deps = PipelineDeps(
                db=db,
                settings=settings,
                storage=create_storage(settings),
                image_models=image_models,
                garment_classifier=garments_service.image_classifier(
                    settings=settings, gemini=image_models.gemini
                ),
            )
        return _deps


class TryOnWorker(SimpleWorker):
    """An RQ worker (one job at a time, no fork per job) whose process loads its models before it takes a job,
    and sweeps orphaned image files in the background when its turn comes (features/images/service.py)."""

    def work(self, *args: Any, **kwargs: Any) -> bool:
        deps = worker_deps()
        load_models(deps)
        sweeper = ImageSweeper(
            db=deps.db, storage=deps.storage, settings=deps.settings, gemini_photos=deps.image_models.photos
        )
        sweeper.start()
        try:
            return super().work(*args, **kwargs)
        finally:
            sweeper.stop()


def run_tryon_job(job_id: str) -> None:
    """Claim the job and run it; a job already claimed, finished or deleted is left alone."""
    deps = worker_deps()
    job = model.claim(deps.db, job_id)
    if job is not None:
        run_job(deps, job)
