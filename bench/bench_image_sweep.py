"""Orphaned-image sweep benchmark: what one sweep costs on a store of many files, on local disk and on S3.

    .venv/bin/python bench/bench_image_sweep.py [--jobs 5000] [--s3-jobs 1000]

Builds a SQLite database with `--jobs` finished try-on jobs (each naming its person photo, garment photo and
result: three files) and as many unreferenced files (a third of them young), then times one sweep (median of
three; the orphans are written again before each) and reports files listed, files deleted and the Python memory
a sweep peaks at, and one sweep once the orphans are gone (the usual case: a kill mid-request is rare). The S3 case runs against moto's server on loopback (slower than a
real store per request; a real bucket lists 1000 keys per call as moto does).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import Settings, finalize_secrets  # noqa: E402
from features.images.service import sweep_orphans  # noqa: E402
from features.tryon import model as tryon_model  # noqa: E402
from features.users import model as user_model  # noqa: E402
from migrations import run_migrations  # noqa: E402
from shared.database import create_database  # noqa: E402
from shared.storage import LocalStorage, create_storage  # noqa: E402
from tests.scale.s3_server import S3Server  # noqa: E402

HOUR = 3600


def populate(db, storage, jobs):
    """jobs job rows naming 3 files each; as many orphans, two thirds of them old. The orphans' keys."""
    user_model.insert(db, userid="benchusr", email="bench@example.com", password_hash="x", profile={})
    with db.transaction():
        for _ in range(jobs):
            job_id = str(uuid.uuid4())
            prefix = f"tryon-inputs/benchusr/{job_id}/"
            person = storage.upload_image(b"p" * 2000, f"{prefix}person.jpg")
            garment = storage.upload_image(b"g" * 2000, f"{prefix}garment_0.png")
            tryon_model.insert(
                db,
                job_id=job_id,
                user_id="benchusr",
                kind="single",
                inputs={
                    "person": {"path": person},
                    "garments": [{"source": "upload", "image_path": garment}],
                },
                options={},
                person_image_path=person,
                garment_image_path=garment,
            )
            result = storage.upload_image(b"r" * 4000, f"tryon-results/benchusr/{job_id}.png")
            db.execute_query("UPDATE tryon_jobs SET result_image_path = ? WHERE job_id = ?", (result, job_id))
    return [f"tryon-results/benchusr/orphan-{index}.png" for index in range(jobs)]


def plant(storage, orphans):
    """The orphans written again; on local disk two thirds of them aged two hours."""
    for index, key in enumerate(orphans):
        storage.upload_image(b"o" * 3000, key)
        if isinstance(storage, LocalStorage) and index % 3:
            aged = time.time() - 2 * HOUR
            os.utime(storage.get_image_path(key), (aged, aged))


def measure(db, storage, orphans, runs=3):
    """Median seconds of a sweep, the Python memory one sweep peaks at (a run of its own: tracing slows it), and
    the last sweep's report."""

    def sweep_once():
        plant(storage, orphans)
        # on S3 nothing can be aged: the sweep runs "two hours later" instead, and every orphan is old
        now = time.time() + (0 if isinstance(storage, LocalStorage) else 2 * HOUR)
        started = time.perf_counter()
        report = sweep_orphans(db=db, storage=storage, grace_seconds=HOUR, now=now)
        return time.perf_counter() - started, report

    samples = [sweep_once() for _ in range(runs)]
    tracemalloc.start()
    sweep_once()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    for key in orphans:  # the usual sweep: nothing to delete
        storage.delete_image(key)
    started = time.perf_counter()
    sweep_orphans(db=db, storage=storage, grace_seconds=HOUR)
    clean = time.perf_counter() - started
    return statistics.median(seconds for seconds, _ in samples), clean, peak, samples[-1][1]


def run_case(label, settings, jobs):
    db = create_database(settings)
    run_migrations(db)
    storage = create_storage(settings)
    orphans = populate(db, storage, jobs)
    seconds, clean, peak, report = measure(db, storage, orphans)
    print(
        f"| {label} | {jobs} | {report.listed} | {report.deleted} | {report.young} | {seconds * 1000:.0f} | "
        f"{clean * 1000:.0f} | {peak / 1e6:.1f} |"
    )
    db.close_all()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--s3-jobs", type=int, default=1000)
    args = parser.parse_args()
    print(
        "| storage | jobs (3 files each) | files listed | deleted | young kept | sweep ms | sweep ms, no orphans "
        "| peak MB (Python) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        common = {"SECRET_KEY": "bench-secret" * 4, "INSTANCE_DIR": str(directory / "instance")}
        local = {
            "DATABASE_PATH": str(directory / "local.db"),
            "IMAGES_DIR": str(directory / "images"),
            **common,
        }
        run_case("local disk", finalize_secrets(Settings().with_overrides(local)), args.jobs)
        if args.s3_jobs:
            server = stack.enter_context(S3Server())
            bucket = stack.enter_context(server.fresh_bucket())
            s3 = {"DATABASE_PATH": str(directory / "s3.db"), **server.settings(bucket), **common}
            run_case("S3 (moto on loopback)", finalize_secrets(Settings().with_overrides(s3)), args.s3_jobs)


if __name__ == "__main__":
    main()
