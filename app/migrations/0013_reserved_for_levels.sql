-- 0013: reserved for the verification levels (issue 31, item 1), built on another
-- branch at the same time. Migration numbers must run with no gap (app/db.py), so
-- this empty file holds the number here; the levels' own 0013 replaces it when
-- the branches are merged (delete this file then).
SELECT 1;
