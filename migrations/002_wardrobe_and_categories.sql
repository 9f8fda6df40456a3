-- Wardrobe items, category sections (platform + per user) and categories (platform + per user).
CREATE TABLE category_sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    display_name VARCHAR(255) NOT NULL,
    description TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    icon_name VARCHAR(100),
    icon_url TEXT,
    user_id VARCHAR(255) REFERENCES users(userid) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE platform_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section_name VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL UNIQUE,
    display_name VARCHAR(255) NOT NULL,
    description TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE wardrobe_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id VARCHAR(255) NOT NULL REFERENCES users(userid) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    category_section VARCHAR(100) NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE wardrobe (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id VARCHAR(255) NOT NULL REFERENCES users(userid) ON DELETE CASCADE,
    garment_id VARCHAR(255) NOT NULL UNIQUE,
    garment_type VARCHAR(50),
    garment_url TEXT,
    category VARCHAR(100),
    garment_category_type VARCHAR(50),
    brand VARCHAR(255),
    color VARCHAR(100),
    is_external INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    price REAL,
    currency VARCHAR(3),
    category_id INTEGER,
    platform_category_id INTEGER REFERENCES platform_categories(id),
    custom_category_name VARCHAR(255),
    category_section VARCHAR(100) NOT NULL,
    fabric TEXT,
    care_instructions TEXT,
    size TEXT,
    description TEXT,
    image_path TEXT,
    date_added TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (category_id) REFERENCES wardrobe_categories(id) ON DELETE SET NULL
);
CREATE INDEX idx_wardrobe_user_created ON wardrobe (user_id, created_at);
CREATE INDEX idx_wardrobe_category ON wardrobe (category_id);

INSERT INTO category_sections (name, display_name, description, sort_order, icon_name, user_id, created_at, updated_at) VALUES
    ('upper_body', 'Upper Body', 'Tops, shirts, sweaters, jackets and dresses', 1, 'upper_body', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('lower_body', 'Lower Body', 'Pants, jeans, shorts, skirts and leggings', 2, 'lower_body', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('accessoires', 'Accessories', 'Bags, shoes, hats, jewelry and belts', 3, 'accessoires', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('wishlist', 'Wishlist', 'Things to buy later', 4, 'wishlist', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

INSERT INTO platform_categories (section_name, name, display_name, sort_order, created_at) VALUES
    ('upper_body', 't_shirts', 'T-Shirts', 1, '2026-01-01T00:00:00Z'),
    ('upper_body', 'shirts', 'Shirts', 2, '2026-01-01T00:00:00Z'),
    ('upper_body', 'sweaters', 'Sweaters', 3, '2026-01-01T00:00:00Z'),
    ('upper_body', 'jackets', 'Jackets', 4, '2026-01-01T00:00:00Z'),
    ('upper_body', 'dresses', 'Dresses', 5, '2026-01-01T00:00:00Z'),
    ('lower_body', 'pants', 'Pants', 1, '2026-01-01T00:00:00Z'),
    ('lower_body', 'jeans', 'Jeans', 2, '2026-01-01T00:00:00Z'),
    ('lower_body', 'shorts', 'Shorts', 3, '2026-01-01T00:00:00Z'),
    ('lower_body', 'skirts', 'Skirts', 4, '2026-01-01T00:00:00Z'),
    ('lower_body', 'leggings', 'Leggings', 5, '2026-01-01T00:00:00Z'),
    ('accessoires', 'bags', 'Bags', 1, '2026-01-01T00:00:00Z'),
    ('accessoires', 'shoes', 'Shoes', 2, '2026-01-01T00:00:00Z'),
    ('accessoires', 'hats', 'Hats', 3, '2026-01-01T00:00:00Z'),
    ('accessoires', 'jewelry', 'Jewelry', 4, '2026-01-01T00:00:00Z'),
    ('accessoires', 'belts', 'Belts', 5, '2026-01-01T00:00:00Z');
