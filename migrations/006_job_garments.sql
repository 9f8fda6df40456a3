-- What a try-on job found out about each garment while it ran: its type, where that type came from
-- (client, page, ai, silhouette) and how it was photographed (flat-lay, on-model). JSON list.
ALTER TABLE tryon_jobs ADD COLUMN garments TEXT;
