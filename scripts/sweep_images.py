"""Delete orphaned image files now: `python -m scripts.sweep_images [--dry-run] [--grace-seconds N]`.

Files no row references and last written more than IMAGE_SWEEP_GRACE_SECONDS ago (features/images/service.py),
on the storage the environment (.env) configures, as the API and workers do in the background every
IMAGE_SWEEP_INTERVAL_SECONDS. Waits for nobody: while another process sweeps, it says so and stops (exit 1).
"""

import argparse
import logging
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Settings, finalize_secrets  # noqa: E402
from features.images import service  # noqa: E402
from shared.database import create_database  # noqa: E402
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
    finally:
        db.close_all()
    if report is None:
        print("another process is sweeping right now; try again later", file=sys.stderr)
        return 1
    print(
        ("would delete" if args.dry_run else "deleted")
        + " {deleted} orphaned files ({deleted_bytes} bytes) of {listed} listed; {young} unreferenced but "
        "younger than the grace period kept".format(**asdict(report))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
