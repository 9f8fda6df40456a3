"""body_measurements rows (one per user)."""
from features.body_measurements.fields import MEASUREMENT_FIELDS
from shared.models.user import utc_now


def get_by_user(db, user_id):
    return db.execute_query("SELECT * FROM body_measurements WHERE user_id = ?", (user_id,), fetch_one=True)


def upsert(db, user_id, values):
    """Insert or update the given metric values; fields not given keep their stored value."""
    now = utc_now()
    with db.transaction():
        if get_by_user(db, user_id) is None:
            columns = ["user_id", *values.keys(), "unit", "created_at", "updated_at"]
            db.execute_insert(
                f"INSERT INTO body_measurements ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                (user_id, *values.values(), "metric", now, now))
            created = True
        else:
            assignments = ", ".join(f"{name} = ?" for name in values)
            if assignments:
                assignments += ", "
            db.execute_query(f"UPDATE body_measurements SET {assignments}unit = 'metric', updated_at = ? "
                             "WHERE user_id = ?", (*values.values(), now, user_id))
            created = False
    return get_by_user(db, user_id), created


def to_dict(row):
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        **{name: row[name] for name in MEASUREMENT_FIELDS},
        "unit": "metric",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
