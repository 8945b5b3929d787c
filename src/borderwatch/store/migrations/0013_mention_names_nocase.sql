-- The events filter by place or good name ("Hyesan", "coal") finds the entities whose mentions
-- carry that name or spelling in any case; these indexes answer it without reading every
-- place mention (1 s at 50,000 reports).
CREATE INDEX mentions_kind_name_nocase ON mentions(kind, name COLLATE NOCASE);
CREATE INDEX mentions_kind_text_nocase ON mentions(kind, text COLLATE NOCASE);
