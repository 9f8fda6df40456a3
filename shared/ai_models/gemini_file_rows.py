"""gemini_files rows: the photos uploaded to the Gemini Files API, shared by every API and worker process
(migrations/versions/20261207_016_gemini_files.py; the per-process cache in gemini_files.py reads them).

A row is `uploading` (claimed by one process until `expires_at`), `active` (named by uri until `expires_at`) or
`deleting` (its user deleted a photo or the account: to be deleted at Google, then the row). Nothing here talks
to Google, so the features that delete a user's photos can mark them without the SDK.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from shared import clock
from shared.database import Database, Row

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import UploadedPhotos

UPLOADING, ACTIVE, DELETING = "uploading", "active", "deleting"

# What the API document says of every route that deletes a user's photo (deleting_user_photos).
DELETED_AT_GOOGLE = (
    "With a Gemini key, every photo of the caller uploaded to Google's Gemini Files API (a photo used "
    "again is uploaded once and named in later requests; GET /api/users/profile/export lists them) is "
    "deleted at Google too, in the background once this request has succeeded: the answer never waits "
    "for Google, and a deletion that fails is tried again by the operator's sweep."
)


def find(db: Database, fingerprint: str, digests: Sequence[str], usable_after: str) -> list[Row]:
    """The active rows of these photos (SHA-256 hex) whose files are named until after `usable_after`."""
    marks = ", ".join("?" for _ in digests)
    return db.execute_query(
        "SELECT id, sha256, name, uri, mime_type, user_id, expires_at FROM gemini_files "
        f"WHERE key_fingerprint = ? AND state = '{ACTIVE}' AND sha256 IN ({marks}) AND expires_at > ?",
        (fingerprint, *digests, usable_after),
        fetch_all=True,
    )


def claim(db: Database, fingerprint: str, digest: str, owner: str | None, claim_seconds: float) -> int | None:
    """This process's claim of the photo's upload (the row's id). Raises IntegrityError when another process
    has the photo's row (uploading or uploaded), or the owner's account is gone."""
    return db.execute_insert(
        "INSERT INTO gemini_files (key_fingerprint, sha256, state, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            fingerprint,
            digest,
            UPLOADING,
            owner,
            clock.timestamp(),
            clock.timestamp(seconds_from_now=claim_seconds),
        ),
    )


def activate(db: Database, row_id: int, *, name: str, uri: str, mime_type: str, expires_at: str) -> bool:
    """Record the claimed upload's file; False when the claim was revoked meanwhile (the user deleted the photo or
    the account) or lapsed: the caller then deletes the file it uploaded."""
    return (
        db.execute_query(
            "UPDATE gemini_files SET state = ?, name = ?, uri = ?, mime_type = ?, expires_at = ? "
            "WHERE id = ? AND state = ?",
            (ACTIVE, name, uri, mime_type, expires_at, row_id, UPLOADING),
        )
        == 1
    )


def release(db: Database, row_id: int) -> None:
    """The claimed upload failed: another process (or a later use) may try."""
    db.execute_query("DELETE FROM gemini_files WHERE id = ? AND state = ?", (row_id, UPLOADING))


def disown(db: Database, row_id: int) -> None:
    """A second user's request sent the photo: it belongs to no one (it stays when the first user leaves)."""
    db.execute_query("UPDATE gemini_files SET user_id = NULL WHERE id = ?", (row_id,))


def unreadable(db: Database, fingerprint: str, uris: Sequence[str]) -> None:
    """Google could not read these files (expired early, deleted): no process names them again."""
    marks = ", ".join("?" for _ in uris)
    db.execute_query(
        f"DELETE FROM gemini_files WHERE key_fingerprint = ? AND state = '{ACTIVE}' AND uri IN ({marks})",
        (fingerprint, *uris),
    )


def of_user(db: Database, user_id: str) -> list[Row]:
    """The user's files Google holds or is being sent (not expired, not being deleted), oldest first: what their
    account export lists. Never the key's fingerprint."""
    return db.execute_query(
        "SELECT name, state, created_at, expires_at FROM gemini_files "
        "WHERE user_id = ? AND state IN (?, ?) AND expires_at > ? ORDER BY created_at, id",
        (user_id, UPLOADING, ACTIVE, clock.timestamp()),
        fetch_all=True,
    )


def mark_user(db: Database, user_id: str) -> int:
    """Every file of the user (uploaded or being uploaded) is to be deleted at Google; in the transaction that
    deletes their photo or account. The number of rows marked."""
    return db.execute_query(
        "UPDATE gemini_files SET state = ?, user_id = NULL WHERE user_id = ?", (DELETING, user_id)
    )


def marked(db: Database, fingerprint: str) -> list[Row]:
    """The rows of this key's files to delete at Google (a revoked claim has no name yet)."""
    return db.execute_query(
        "SELECT id, name FROM gemini_files WHERE state = ? AND key_fingerprint = ? ORDER BY id",
        (DELETING, fingerprint),
        fetch_all=True,
    )


def deleted(db: Database, row_id: int) -> None:
    db.execute_query("DELETE FROM gemini_files WHERE id = ?", (row_id,))


def delete_expired(db: Database) -> int:
    """Rows whose file Google has let go of (or whose claim lapsed), whatever their key: the number deleted."""
    return db.execute_query("DELETE FROM gemini_files WHERE expires_at <= ?", (clock.timestamp(),))


@contextmanager
def deleting_user_photos(db: Database, user_id: str, photos: "UploadedPhotos | None") -> Iterator[None]:
    """A transaction that deletes a photo of the user (or the account): every Gemini file of the user is marked in
    it, and once it has committed they are deleted at Google in the background (photos: this process's uploads;
    None without a Gemini key). What fails is retried by the sweep; files another key uploaded are left to expire
    (their rows go then). Not inside another transaction: the deletion must see the commit."""
    with db.transaction():
        mark_user(db, user_id)
        yield
    if photos is not None:
        photos.delete_marked_soon()
