-- Try-on jobs: the persistent queue. The row is the source of truth for status, progress and errors.
CREATE TABLE tryon_jobs (
    job_id VARCHAR(255) PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL REFERENCES users(userid) ON DELETE CASCADE,
    kind VARCHAR(20) NOT NULL DEFAULT 'single',
    status VARCHAR(50) NOT NULL DEFAULT 'queued',
    progress INTEGER NOT NULL DEFAULT 0,
    stage VARCHAR(50),
    person_image_path TEXT,
    garment_image_path TEXT,
    inputs TEXT,
    options TEXT,
    result_image_path TEXT,
    error_code VARCHAR(100),
    error_message TEXT,
    provider VARCHAR(50),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX idx_tryon_jobs_user_created ON tryon_jobs (user_id, created_at);
CREATE INDEX idx_tryon_jobs_status ON tryon_jobs (status, created_at);
