-- Cache of extracted product pages, keyed by canonical URL (tracking parameters stripped).
CREATE TABLE garment_metadata (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    images TEXT,
    price REAL,
    currency VARCHAR(3),
    sizes TEXT,
    colors TEXT,
    brand VARCHAR(255),
    metadata TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
