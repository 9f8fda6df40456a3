-- AI usage and the cost guard. One row per accepted try-on, written with the job and kept when the job is
-- deleted (an account's deletion only removes the link to it), so the daily limit and the cost metrics count
-- every generation. The model, token counts, estimated cost and model seconds are filled in when it ends.
CREATE TABLE tryon_usage (
    job_id VARCHAR(255) PRIMARY KEY,
    user_id VARCHAR(255) REFERENCES users(userid) ON DELETE SET NULL,
    day VARCHAR(10) NOT NULL,
    created_at TEXT NOT NULL,
    provider VARCHAR(50),
    model VARCHAR(100),
    calls INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    thought_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    model_seconds REAL
);
CREATE INDEX idx_tryon_usage_user_day ON tryon_usage (user_id, day);

-- What the provider said about a failed job (error.details: operator fields such as `upstream`).
ALTER TABLE tryon_jobs ADD COLUMN error_details TEXT;

-- The full-length photo built from a head-and-shoulders one, and what it was built from (photo,
-- measurements, gender), so it is reused until one of them changes.
ALTER TABLE users ADD COLUMN body_avatar_path TEXT;
ALTER TABLE users ADD COLUMN body_avatar_key VARCHAR(64);
