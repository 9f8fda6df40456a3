"""event_stream_leases rows: the job event streams open on every server process, so a per-user cap counts them
all. A row lives while its stream renews it; one whose process died stops counting at its lease_until."""

from shared.database import Database


def take(db: Database, *, lease_id: str, user_id: str, limit: int, now: str, lease_until: str) -> bool:
    """Record one more open stream of the user unless `limit` of theirs are open already (in any process); False
    then. Leases that ran out are deleted first (any user's: the table holds only streams open now)."""
    with db.transaction():
        db.lock_row("users", userid=user_id)  # one count-then-insert per user at a time, in every process
        db.execute_query("DELETE FROM event_stream_leases WHERE lease_until <= ?", (now,))
        open_streams = db.execute_query(
            "SELECT COUNT(*) AS n FROM event_stream_leases WHERE user_id = ?", (user_id,), fetch_one=True
        )
        if open_streams is not None and open_streams["n"] >= limit:
            return False
        db.execute_query(
            "INSERT INTO event_stream_leases (id, user_id, lease_until) VALUES (?, ?, ?)",
            (lease_id, user_id, lease_until),
        )
        return True


def renew(db: Database, lease_id: str, lease_until: str) -> None:
    db.execute_query("UPDATE event_stream_leases SET lease_until = ? WHERE id = ?", (lease_until, lease_id))


def end(db: Database, lease_id: str) -> None:
    db.execute_query("DELETE FROM event_stream_leases WHERE id = ?", (lease_id,))
