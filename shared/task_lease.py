"""Periodic work that one process at a time does for the whole deployment (the sweep of orphaned image files).

Each task has a row in `task_leases`: who holds it until when, and when it is next due. A process takes a turn
with one conditional UPDATE (the previous holder's lease has run out, and the task is due or asked for now), so
however many API and worker processes run, one does the work at a time and all keep one schedule; a holder
that dies lets go when its lease runs out.

    turn = take_turn(db, "image_sweep", lease_seconds=900)
    if turn is not None:
        try:
            ...
        finally:
            end_turn(db, turn, next_in_seconds=3600)
"""

import secrets
from dataclasses import dataclass

from shared import clock
from shared.database import Database, IntegrityError


@dataclass(frozen=True)
class Turn:
    """This process's hold on a task."""

    name: str
    holder: str


def take_turn(db: Database, name: str, *, lease_seconds: float, due_only: bool = True) -> Turn | None:
    """The task's turn for this process until lease_seconds from now, or None while another holds it (or, with
    due_only, while it is not due yet)."""
    now = clock.timestamp()
    holder = secrets.token_hex(16)
    until = clock.timestamp(seconds_from_now=lease_seconds)
    due = "AND due_at <= ?" if due_only else ""
    changed = db.execute_query(
        f"UPDATE task_leases SET holder = ?, lease_until = ? WHERE name = ? AND lease_until < ? {due}",
        (holder, until, name, now, *((now,) if due_only else ())),
    )
    if changed == 1:
        return Turn(name, holder)
    try:  # the task's first turn ever
        db.execute_query(
            "INSERT INTO task_leases (name, holder, lease_until, due_at) VALUES (?, ?, ?, ?)",
            (name, holder, until, now),
        )
    except IntegrityError:  # its row is there: another holds it, or it is not due
        return None
    return Turn(name, holder)


def end_turn(db: Database, turn: Turn, *, next_in_seconds: float) -> None:
    """Let go of the task, due again next_in_seconds from now (unless another took it after this lease ran out)."""
    db.execute_query(
        "UPDATE task_leases SET lease_until = ?, due_at = ? WHERE name = ? AND holder = ?",
        (
            clock.timestamp(seconds_from_now=-1),
            clock.timestamp(seconds_from_now=next_in_seconds),
            turn.name,
            turn.holder,
        ),
    )
