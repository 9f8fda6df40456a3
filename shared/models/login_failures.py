"""The login_failures table: failed password checks per (account, client address), for the login delay."""


def counts(db, *, account_key, client_key, since):
    """{"total": failures on the account, "mine": this client's, "my_last": its last failure (epoch s)} since `since`."""
    return db.execute_query(
        "SELECT COALESCE(SUM(failures), 0) AS total,"
        " COALESCE(MAX(CASE WHEN client_key = ? THEN failures END), 0) AS mine,"
        " MAX(CASE WHEN client_key = ? THEN last_failure_at END) AS my_last"
        " FROM login_failures WHERE account_key = ? AND last_failure_at >= ?",
        (client_key, client_key, account_key, since), fetch_one=True)


def add_failure(db, *, account_key, client_key, now, since):
    """Count one failure; failures older than `since` start again from one, and expired rows are dropped."""
    with db.transaction():
        db.execute_query("DELETE FROM login_failures WHERE last_failure_at < ?", (since,))
        db.execute_query(
            "INSERT INTO login_failures (account_key, client_key, failures, last_failure_at) VALUES (?, ?, 1, ?)"
            " ON CONFLICT (account_key, client_key)"
            " DO UPDATE SET failures = login_failures.failures + 1, last_failure_at = excluded.last_failure_at",
            (account_key, client_key, now))


def clear(db, *, account_key, client_key):
    db.execute_query("DELETE FROM login_failures WHERE account_key = ? AND client_key = ?", (account_key, client_key))
