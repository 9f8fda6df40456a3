-- Shops sell coats as their own category; filing them under jackets loses information.
INSERT INTO platform_categories (section_name, name, display_name, sort_order, created_at) VALUES
    ('upper_body', 'coats', 'Coats', 6, '2026-01-01T00:00:00Z');
