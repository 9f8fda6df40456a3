"""Delete orphaned image files now: `python -m scripts.sweep_images [--dry-run] [--grace-seconds N]`.

Files no row references and last written more than IMAGE_SWEEP_GRACE_SECONDS ago (features/images/service.py),
on the storage the environment (.env) configures, as the API and workers do in the background every
IMAGE_SWEEP_INTERVAL_SECONDS. Then the Gemini files, as they do every 10 minutes: the uploaded photos of deleted
photos and accounts whose deletion at Google failed are deleted there (with GEMINI_API_KEY), and the rows of
expired files are dropped. Waits for nobody: while another process sweeps, it says so (exit 1).
"""

import argparse
import logging
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Settings, finalize_secrets  # noqa: E402
from features.images import service  # noqa: E402
from shared.ai_models.gemini_client import process_client  # noqa: E402
from shared.ai_models.gemini_files import FilesSweep, UploadedPhotos  # noqa: E402
from shared.database import Database, create_database  # noqa: E402
from shared.storage import create_storage  # noqa: E402


def main(argv=None):
    settings = finalize_secrets(Settings.from_env())
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")
    parser.add_argument(
        "--grace-seconds",
        type=int,
        default=settings.IMAGE_SWEEP_GRACE_SECONDS,
        help="keep files written less than this long ago (default IMAGE_SWEEP_GRACE_SECONDS: %(default)s)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    db = create_database(settings)
    try:
        report = service.sweep_when_due(
            db=db,
            storage=create_storage(settings),
            settings=settings.with_overrides({"IMAGE_SWEEP_GRACE_SECONDS": args.grace_seconds}),
            due_only=False,
            dry_run=args.dry_run,
        )
        files = None if args.dry_run else _sweep_gemini_files(db, settings)
    finally:
        db.close_all()
    busy = False
    if report is None:
        print("another process is sweeping the image files right now; try again later", file=sys.stderr)
        busy = True
    else:
        print(
            ("would delete" if args.dry_run else "deleted")
            + " {deleted} orphaned files ({deleted_bytes} bytes) of {listed} listed; {young} unreferenced but "
            "younger than the grace period kept".format(**asdict(report))
        )
    if args.dry_run:
        print("Gemini files: not swept in a dry run")
    elif files is None:
        print("another process is sweeping the Gemini files right now; try again later", file=sys.stderr)
        busy = True
    else:
        print(
            "Gemini files: deleted {deleted} at Google ({left} left for the next sweep); dropped {expired} rows "
            "of expired files".format(**asdict(files))
            + ("" if settings.GEMINI_API_KEY else " (no GEMINI_API_KEY: nothing deleted at Google)")
        )
    return 1 if busy else 0


def _sweep_gemini_files(db: Database, settings: Settings) -> FilesSweep | None:
    """The Gemini files' sweep with this environment's key (none: the rows of expired files only)."""
    photos = None
    if settings.GEMINI_API_KEY:
        gemini = process_client(settings)
        photos = UploadedPhotos(
            gemini.files,
            db=db,
            key_fingerprint=gemini.key_fingerprint,
            upload_on_use=settings.GEMINI_UPLOAD_ON_USE,
        )
    return service.sweep_gemini_files_when_due(db=db, photos=photos, due_only=False)


if __name__ == "__main__":
    sys.exit(main())
