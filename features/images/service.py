"""The sweep of orphaned image files (and, on the same thread, of the Gemini files of deleted photos): files no row references, left by a process killed between writing a file
and committing the row that names it (an avatar, a wardrobe item, a try-on's inputs or result).

Only the folders the features store files in are listed (each feature's IMAGE_FOLDERS), so nothing else in the
images directory or bucket is touched. A file goes only when no row names it and it is older than the grace
period (IMAGE_SWEEP_GRACE_SECONDS), so a request still between its write and its commit keeps its file; one
written again since it was listed (a job's result rewritten by its retry) is young again and stays. The rows are
read after the files are listed: a file listed before its row was committed is young, never deleted.

A row names a file when its value is the file's key or ends with "/" and the key, so a path stored under any
URL prefix ("/images/<key>", a prefix since changed) still keeps its file.
"""

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from config import Settings
from features.avatars import service as avatars_service
from features.tryon import service as tryon_service
from features.wardrobe import service as wardrobe_service
from shared import clock
from shared.database import Database
from shared.logger import get_logger
from shared.storage import Storage, StoredFile
from shared.task_lease import end_turn, take_turn

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import FilesSweep, UploadedPhotos

log = get_logger("images.sweep")

TASK = "image_sweep"  # its row in task_leases
_LEASE_SECONDS = 900  # a sweeping process that dies lets another sweep after this
_CHECK_SECONDS = 60.0  # how often a process looks whether the sweep is due
GEMINI_FILES_TASK = "gemini_file_sweep"  # deletions at Google that failed, rows of expired files
GEMINI_FILES_SWEEP_SECONDS = 600
_OWNERS = (avatars_service, wardrobe_service, tryon_service)


@dataclass(frozen=True)
class SweepReport:
    listed: int  # files in the features' folders
    deleted: int  # unreferenced and older than the grace period (or, in a dry run, would have been)
    deleted_bytes: int
    young: int  # unreferenced but within the grace period: kept for now


def sweep_orphans(
    *, db: Database, storage: Storage, grace_seconds: float, now: float | None = None, dry_run: bool = False
) -> SweepReport:
    """Delete every stored file no row references that was last written more than grace_seconds before now
    (default: the clock's now; seconds since 1970), and the temporary files of writes that never finished (a
    process killed mid-write) as old; with dry_run, only count them."""
    cutoff = (clock.epoch_seconds() if now is None else now) - grace_seconds
    files = [
        stored for owner in _OWNERS for folder in owner.IMAGE_FOLDERS for stored in storage.list_files(folder)
    ]
    named = _named_keys(path for owner in _OWNERS for path in owner.image_paths_in_use(db=db))
    orphans: list[StoredFile] = []
    young = 0
    for stored in files:
        if stored.key in named:
            continue
        if stored.modified > cutoff:
            young += 1
            continue
        modified = storage.modified(stored.key)  # written again since it was listed: young again
        if modified is None or modified > cutoff:
            continue
        if not dry_run:
            storage.delete_image(stored.key)
        orphans.append(stored)
    orphans += storage.delete_stale_temporary_files(cutoff, dry_run=dry_run)
    report = SweepReport(
        listed=len(files),
        deleted=len(orphans),
        deleted_bytes=sum(stored.size for stored in orphans),
        young=young,
    )
    log.info(
        "orphaned image files found (dry run, none deleted)" if dry_run else "orphaned image files deleted",
        extra={
            "count": report.deleted,
            "bytes": report.deleted_bytes,
            "listed": report.listed,
            "young_kept": report.young,
            "keys": [stored.key for stored in orphans[:20]],
        },
    )
    return report


def sweep_when_due(
    *, db: Database, storage: Storage, settings: Settings, due_only: bool = True, dry_run: bool = False
) -> SweepReport | None:
    """Sweep if this process gets the turn: none sweeps while another does, and (with due_only) only once
    IMAGE_SWEEP_INTERVAL_SECONDS have passed since the last sweep of any process. None when it did not sweep."""
    turn = take_turn(db, TASK, lease_seconds=_LEASE_SECONDS, due_only=due_only)
    if turn is None:
        return None
    try:
        return sweep_orphans(
            db=db, storage=storage, grace_seconds=settings.IMAGE_SWEEP_GRACE_SECONDS, dry_run=dry_run
        )
    finally:
        end_turn(db, turn, next_in_seconds=settings.IMAGE_SWEEP_INTERVAL_SECONDS)


def sweep_gemini_files_when_due(
    *, db: Database, photos: "UploadedPhotos | None", due_only: bool = True
) -> "FilesSweep | None":
    """If this process gets the turn (one process at a time, with due_only every GEMINI_FILES_SWEEP_SECONDS):
    delete at Google the files of deleted photos still marked (a deletion that failed, a process that died before
    it), and the rows of expired files (photos None, no Gemini key: only those). None when it did not sweep."""
    from shared.ai_models.gemini_files import FilesSweep, drop_expired_rows

    turn = take_turn(db, GEMINI_FILES_TASK, lease_seconds=_LEASE_SECONDS, due_only=due_only)
    if turn is None:
        return None
    try:
        return photos.sweep() if photos else FilesSweep(deleted=0, left=0, expired=drop_expired_rows(db))
    finally:
        end_turn(db, turn, next_in_seconds=GEMINI_FILES_SWEEP_SECONDS)


class ImageSweeper:
    """A background thread of an API or worker process: sweeps at start-up when due, then whenever due again
    (IMAGE_SWEEP_INTERVAL_SECONDS; 0 starts no thread); with a Gemini key it sweeps the Gemini files as well
    (sweep_gemini_files_when_due)."""

    def __init__(
        self,
        *,
        db: Database,
        storage: Storage,
        settings: Settings,
        gemini_photos: "UploadedPhotos | None" = None,
    ) -> None:
        self._db = db
        self._storage = storage
        self._settings = settings
        self._gemini_photos = gemini_photos
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._sweep_forever, name="image-sweeper", daemon=True)

    def start(self) -> None:
        if self._settings.IMAGE_SWEEP_INTERVAL_SECONDS > 0:
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _sweep_forever(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    sweep_when_due(db=self._db, storage=self._storage, settings=self._settings)
                except Exception:
                    log.exception("image sweep failed")
                if self._gemini_photos is not None:
                    try:
                        sweep_gemini_files_when_due(db=self._db, photos=self._gemini_photos)
                    except Exception:
                        log.exception("Gemini file sweep failed")
                self._stopping.wait(min(_CHECK_SECONDS, self._settings.IMAGE_SWEEP_INTERVAL_SECONDS))
        finally:
            self._db.close_thread_connection()


def _named_keys(paths: Iterable[str]) -> set[str]:
    """Every key a stored path may name: the path and each tail of it after a "/"."""
    return {tail for path in paths for tail in _tails(path)}


def _tails(path: str) -> Iterator[str]:
    parts = path.strip("/").split("/")
    for start in range(len(parts)):
        yield "/".join(parts[start:])
